"""ps08_shap: alternative correct implementations and common mistakes.

Each variant is a whole notebook run by both graders (the setup imports torch), so the list is
short and chosen: correct alternatives that combine several cells, and one to four classic
mistakes per graded function. No graded function calls another, so each mistake costs the
points of exactly one test cell.
"""

from textwrap import dedent, indent

from variants import Variant, correct, mistake

EXACT, LINEAR, GAP = "test_exact_shapley_values", "test_linear_shap_values", "test_additivity_gap"
TOP, WRAP, SALIENCY = "test_top_features", "test_numpy_predict_fn", "test_saliency"


def fn(signature: str, body: str) -> str:
    """A function definition from its signature and an unindented body."""
    return f"def {signature}:\n" + indent(dedent(body).strip("\n"), "    ") + "\n"


def exact(body: str) -> str:
    return fn("exact_shapley_values(f, x, background)", body)


def linear(body: str) -> str:
    return fn("linear_shap_values(coef, X, background)", body)


def gap(body: str) -> str:
    return fn("additivity_gap(base_value, shap_values, model_output)", body)


def top(body: str) -> str:
    return fn("top_features(shap_values, feature_names, k)", body)


def wrap(body: str) -> str:
    return fn("numpy_predict_fn(model)", body)


def sal(body: str) -> str:
    return fn("saliency(model, x, target)", body)


# The reference enumeration, with markers that mistakes replace.
EXACT_LOOP = """
x = np.asarray(x, dtype=DTYPE)
background = np.asarray(background, dtype=DTYPE)
d = x.shape[0]

def value(S):
    Z = COPY
    Z[:, list(S)] = x[list(S)]
    return float(AVERAGE)

phi = np.zeros(d)
for j in range(d):
    others = [k for k in range(d) if k != j]
    for size in range(d):
        weight = WEIGHT
        for S in itertools.combinations(others, size):
            phi[j] += weight * (value(S + (j,)) - value(S))
return phi
"""
EXACT_PARTS = {
    "DTYPE": "float",
    "COPY": "background.copy()",
    "AVERAGE": "np.mean(f(Z))",
    "WEIGHT": "math.factorial(size) * math.factorial(d - size - 1) / math.factorial(d)",
}


def exact_with(**changes: str) -> str:
    body = EXACT_LOOP
    for key, default in EXACT_PARTS.items():
        body = body.replace(key, changes.get(key, default))
    return exact(body)


VARIANTS: list[Variant] = [
    # ================================================================ correct alternatives
    correct(
        "exact_orderings_linear_broadcast_gap_loop",
        exact_shapley_values=exact("""
            x = np.array(x, dtype=float)
            B = np.array(background, dtype=float)
            d = len(x)
            phi = np.zeros(d)
            orders = list(itertools.permutations(range(d)))
            for order in orders:
                Z = B.copy()
                before = f(Z).mean()
                for j in order:
                    Z[:, j] = x[j]
                    after = f(Z).mean()
                    phi[j] += after - before
                    before = after
            return phi / len(orders)
        """),
        linear_shap_values=linear("""
            mean = np.mean(background, axis=0)
            return np.asarray(coef)[None, :] * (np.asarray(X) - mean[None, :])
        """),
        additivity_gap=gap("""
            shap_values = np.asarray(shap_values, dtype=float)
            base = np.broadcast_to(np.asarray(base_value, dtype=float), (shap_values.shape[0],))
            worst = 0.0
            for i in range(shap_values.shape[0]):
                worst = max(worst, abs(base[i] + shap_values[i].sum() - model_output[i]))
            return worst
        """),
    ),
    correct(
        "exact_bitmask_cache_top_sorted_wrapper_functional",
        exact_shapley_values=exact("""
            from functools import lru_cache
            x = np.asarray(x, dtype=float)
            B = np.asarray(background, dtype=float)
            d = x.size

            @lru_cache(maxsize=None)
            def v(mask):
                Z = np.array(B)
                cols = [k for k in range(d) if mask >> k & 1]
                Z[:, cols] = x[cols]
                return float(np.average(f(Z)))

            phi = np.zeros(d)
            for j in range(d):
                for mask in range(1 << d):
                    if not mask >> j & 1:
                        s = bin(mask).count("1")
                        w = 1.0 / (d * math.comb(d - 1, s))
                        phi[j] += w * (v(mask | 1 << j) - v(mask))
            return phi
        """),
        top_features=top("""
            mean_abs = np.mean(np.abs(shap_values), axis=0)
            ranked = sorted(range(len(mean_abs)), key=lambda j: -mean_abs[j])
            return [feature_names[j] for j in ranked[:k]]
        """),
        numpy_predict_fn=wrap("""
            import torch.nn.functional as F
            model.eval()

            def predict(X):
                model.eval()
                x_t = torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))
                with torch.inference_mode():
                    return F.softmax(model(x_t), dim=-1).cpu().numpy().astype(np.float64)

            return predict
        """),
    ),
    correct(
        "saliency_autograd_float64_copy_wrapper_manual_softmax_top_sum",
        saliency=sal("""
            import copy
            net = copy.deepcopy(model).double().eval()
            x_t = torch.as_tensor(np.array(x, dtype=np.float64)).unsqueeze(0).requires_grad_()
            (grad,) = torch.autograd.grad(net(x_t)[:, target].sum(), x_t)
            return grad[0].numpy()
        """),
        numpy_predict_fn=wrap("""
            def predict(X):
                model.eval()
                with torch.no_grad():
                    z = model(torch.tensor(X, dtype=torch.float32))
                    z = z - z.max(dim=1, keepdim=True).values
                    e = torch.exp(z)
                    return (e / e.sum(dim=1, keepdim=True)).detach().numpy()
            return predict
        """),
        top_features=top("""
            importance = np.abs(shap_values).sum(axis=0)        # the sum ranks like the mean
            return list(np.asarray(feature_names)[np.argsort(importance)[::-1][:k]])
        """),
    ),
    correct(
        "linear_einsum_gap_last_axis_saliency_backward_mask",
        linear_shap_values=linear("""
            X = np.atleast_2d(np.asarray(X, dtype=float))
            centred = X - background.sum(axis=0) / len(background)
            return np.einsum("j,ij->ij", np.asarray(coef, dtype=float), centred)
        """),
        additivity_gap=gap("""
            err = np.add(base_value, np.sum(shap_values, axis=-1)) - model_output
            return float(np.abs(err).max())
        """),
        saliency=sal("""
            model.eval()
            x_t = torch.from_numpy(np.asarray(x, dtype=np.float32).copy()).reshape(1, -1)
            x_t.requires_grad_(True)
            out = model(x_t)
            mask = torch.zeros_like(out)
            mask[0, target] = 1.0
            out.backward(mask)
            return x_t.grad.reshape(-1).detach().numpy()
        """),
    ),
    # ================================================================ exact_shapley_values
    mistake(
        "exact_modifies_background_in_place",
        {EXACT},
        exact_shapley_values=exact_with(COPY="background"),
    ),
    mistake(
        "exact_weight_off_by_one",
        {EXACT},
        exact_shapley_values=exact_with(
            WEIGHT="math.factorial(size) * math.factorial(d - size) / math.factorial(d)"),
    ),
    mistake(
        "exact_coalitions_weighted_equally",
        {EXACT},
        exact_shapley_values=exact_with(WEIGHT="1.0 / 2 ** (d - 1)"),
    ),
    mistake(
        "exact_f_of_background_mean",
        {EXACT},
        exact_shapley_values=exact("""
            x = np.asarray(x, dtype=float)
            b = np.asarray(background, dtype=float).mean(axis=0)
            d = x.shape[0]
            phi = np.zeros(d)
            for j in range(d):
                others = [k for k in range(d) if k != j]
                for size in range(d):
                    w = math.factorial(size) * math.factorial(d - size - 1) / math.factorial(d)
                    for S in itertools.combinations(others, size):
                        z0 = b.copy()
                        z0[list(S)] = x[list(S)]
                        z1 = z0.copy()
                        z1[j] = x[j]
                        phi[j] += w * (f(z1[None, :])[0] - f(z0[None, :])[0])
            return phi
        """),
    ),
    mistake(
        "exact_only_first_marginal_contribution",
        {EXACT},
        exact_shapley_values=exact("""
            x = np.asarray(x, dtype=float)
            B = np.asarray(background, dtype=float)
            base = f(B).mean()
            phi = np.zeros(len(x))
            for j in range(len(x)):
                Z = B.copy()
                Z[:, j] = x[j]
                phi[j] = f(Z).mean() - base
            return phi
        """),
    ),
    mistake(
        "exact_integer_background_truncates_x",
        {EXACT},
        exact_shapley_values=exact_with(DTYPE="None"),
    ),
    # ================================================================ linear_shap_values
    mistake(
        "linear_centres_on_mean_of_X",
        {LINEAR},
        linear_shap_values=linear("return coef * (X - X.mean(axis=0))"),
    ),
    mistake(
        "linear_background_mean_wrong_axis",
        {LINEAR},
        linear_shap_values=linear("""
            m = np.asarray(background).mean(axis=1)
            return coef * (X - m[: X.shape[1]] if m.size >= X.shape[1] else X - m.mean())
        """),
    ),
    mistake(
        "linear_without_background",
        {LINEAR},
        linear_shap_values=linear("return coef * X"),
    ),
    # ================================================================ additivity_gap
    mistake(
        "gap_signed_max_without_abs",
        {GAP},
        additivity_gap=gap("""
            return float(np.max(base_value + np.sum(shap_values, axis=1) - model_output))
        """),
    ),
    mistake(
        "gap_mean_instead_of_max",
        {GAP},
        additivity_gap=gap("""
            return float(np.mean(np.abs(base_value + np.sum(shap_values, axis=1) - model_output)))
        """),
    ),
    mistake(
        "gap_sums_over_rows_when_square",
        {GAP},
        additivity_gap=gap("""
            sv = np.asarray(shap_values)
            axis = 0 if sv.shape[0] == sv.shape[1] else 1
            return float(np.max(np.abs(base_value + sv.sum(axis=axis) - model_output)))
        """),
    ),
    # ================================================================ top_features
    mistake(
        "top_signed_mean",
        {TOP},
        top_features=top("""
            order = np.argsort(-np.mean(shap_values, axis=0))[:k]
            return [feature_names[j] for j in order]
        """),
    ),
    mistake(
        "top_smallest_first",
        {TOP},
        top_features=top("""
            order = np.argsort(np.abs(shap_values).mean(axis=0))[-k:]
            return [feature_names[j] for j in order]
        """),
    ),
    mistake(
        "top_mean_over_features_when_square",
        {TOP},
        top_features=top("""
            sv = np.abs(np.asarray(shap_values))
            imp = sv.mean(axis=1) if sv.shape[0] == sv.shape[1] else sv.mean(axis=0)
            return [feature_names[j] for j in np.argsort(-imp)[:k]]
        """),
    ),
    # ================================================================ numpy_predict_fn
    mistake(
        "wrapper_returns_logits",
        {WRAP},
        numpy_predict_fn=wrap("""
            def predict(X):
                model.eval()
                with torch.no_grad():
                    return model(torch.as_tensor(X, dtype=torch.float32)).numpy()
            return predict
        """),
    ),
    mistake(
        "wrapper_without_eval_mode",
        {WRAP},
        numpy_predict_fn=wrap("""
            def predict(X):
                with torch.no_grad():
                    z = model(torch.as_tensor(X, dtype=torch.float32))
                return torch.softmax(z, dim=1).numpy()
            return predict
        """),
    ),
    mistake(
        "wrapper_softmax_over_samples",
        {WRAP},
        numpy_predict_fn=wrap("""
            def predict(X):
                model.eval()
                with torch.no_grad():
                    return torch.softmax(model(torch.as_tensor(X, dtype=torch.float32)),
                                         dim=0).numpy()
            return predict
        """),
    ),
    mistake(
        "wrapper_returns_tensor",
        {WRAP},
        numpy_predict_fn=wrap("""
            def predict(X):
                model.eval()
                with torch.no_grad():
                    return torch.softmax(model(torch.as_tensor(X, dtype=torch.float32)), dim=1)
            return predict
        """),
    ),
    # ================================================================ saliency
    mistake(
        "saliency_of_probability",
        {SALIENCY},
        saliency=sal("""
            model.eval()
            x_t = torch.tensor(np.asarray(x), dtype=torch.float32, requires_grad=True)
            torch.softmax(model(x_t[None, :]), dim=1)[0, target].backward()
            return x_t.grad.numpy()
        """),
    ),
    mistake(
        "saliency_of_sum_of_logits",
        {SALIENCY},
        saliency=sal("""
            model.eval()
            x_t = torch.tensor(np.asarray(x), dtype=torch.float32, requires_grad=True)
            model(x_t[None, :]).sum().backward()
            return x_t.grad.numpy()
        """),
    ),
    mistake(
        "saliency_gradient_times_input",
        {SALIENCY},
        saliency=sal("""
            model.eval()
            x_t = torch.tensor(np.asarray(x), dtype=torch.float32, requires_grad=True)
            model(x_t[None, :])[0, target].backward()
            return (x_t.grad * x_t).detach().numpy()
        """),
    ),
    mistake(
        "saliency_without_eval_mode",
        {SALIENCY},
        saliency=sal("""
            x_t = torch.tensor(np.asarray(x), dtype=torch.float32, requires_grad=True)
            model(x_t[None, :])[0, target].backward()
            return x_t.grad.numpy()
        """),
    ),
]
