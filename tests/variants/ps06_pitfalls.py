"""ps06_pitfalls: alternative correct implementations and common mistakes.

The random functions (``he_init``, ``xavier_init``, ``dropout_forward``) are tested
statistically, so correct variants draw their numbers in many different ways (other
methods, a transposed draw, a derived generator) and must all pass; mistakes include
other distributions with the same variance (uniform, truncated) and code that does
not draw from ``rng``.
"""

from textwrap import dedent, indent

from variants import Variant, correct, mistake

HE, XAV, DROP, BN = ("test_he_init", "test_xavier_init", "test_dropout_forward",
                     "test_batchnorm_forward")
L2, ES, STEP = "test_l2_penalty", "test_early_stopping", "test_step_decay"


def fn(signature: str, body: str) -> str:
    """A function definition from its signature and an unindented body."""
    return f"def {signature}:\n" + indent(dedent(body).strip("\n"), "    ") + "\n"


def he(body: str) -> str:
    return fn("he_init(d_in, d_out, rng)", body)


def xav(body: str) -> str:
    return fn("xavier_init(d_in, d_out, rng)", body)


def drop(body: str) -> str:
    return fn("dropout_forward(X, p_drop, rng, training=True)", body)


def bn(body: str) -> str:
    return fn("batchnorm_forward(X, gamma, beta, eps=1e-5)", body)


def l2(body: str) -> str:
    return fn("l2_penalty(params, lam)", body)


def es(body: str) -> str:
    return fn("early_stopping(val_losses, patience)", body)


def step(body: str) -> str:
    return fn("step_decay(lr0, epoch, drop=0.5, every=10)", body)


VARIANTS: list[Variant] = [
    # ================================================================ he_init: correct
    correct("he_standard_normal_times_std", he_init=he(
        "return rng.standard_normal((d_out, d_in)) * np.sqrt(2 / d_in)")),
    correct("he_transposed_draw", he_init=he(
        "return rng.normal(0.0, np.sqrt(2.0 / d_in), size=(d_in, d_out)).T")),
    correct("he_scale_keyword_power", he_init=he(
        "std = (2 / d_in) ** 0.5\nreturn rng.normal(scale=std, size=(d_out, d_in))")),
    correct("he_divide_by_sqrt", he_init=he(
        "return rng.normal(0.0, 1.0, (d_out, d_in)) / np.sqrt(d_in / 2)")),
    correct("he_reshape_flat", he_init=he(
        "import math\n"
        "return rng.standard_normal(d_out * d_in).reshape(d_out, d_in) * math.sqrt(2 / d_in)")),
    correct("he_row_by_row", he_init=he(
        "std = np.sqrt(2.0 / d_in)\n"
        "return np.array([rng.normal(0.0, std, size=d_in) for _ in range(d_out)])")),
    correct("he_derived_generator", he_init=he(
        "child = np.random.default_rng(rng.integers(2**31))\n"
        "return child.normal(0.0, np.sqrt(2 / d_in), size=(d_out, d_in))")),
    correct("he_float32", he_init=he(
        "std = np.float32(np.sqrt(2 / d_in))\n"
        "return rng.standard_normal((d_out, d_in), dtype=np.float32) * std")),
    # ================================================================ he_init: mistakes
    mistake("he_variance_one_over_d_in", {HE}, he_init=he(
        "return rng.normal(0.0, np.sqrt(1.0 / d_in), size=(d_out, d_in))")),
    mistake("he_uses_d_out", {HE}, he_init=he(
        "return rng.normal(0.0, np.sqrt(2.0 / d_out), size=(d_out, d_in))")),
    mistake("he_variance_as_std", {HE}, he_init=he(
        "return rng.normal(0.0, 2.0 / d_in, size=(d_out, d_in))")),
    mistake("he_xavier_formula", {HE}, he_init=he(
        "return rng.normal(0.0, np.sqrt(2.0 / (d_in + d_out)), size=(d_out, d_in))")),
    mistake("he_shape_transposed", {HE}, he_init=he(
        "return rng.normal(0.0, np.sqrt(2.0 / d_in), size=(d_in, d_out))")),
    mistake("he_uniform_same_variance", {HE}, he_init=he(
        "limit = np.sqrt(6.0 / d_in)\nreturn rng.uniform(-limit, limit, size=(d_out, d_in))")),
    mistake("he_truncated_by_clipping", {HE}, he_init=he(
        "std = np.sqrt(2.0 / d_in)\n"
        "return np.clip(rng.normal(0.0, std, size=(d_out, d_in)), -2 * std, 2 * std)")),
    mistake("he_global_numpy_random", {HE}, he_init=he(
        "return np.random.normal(0.0, np.sqrt(2.0 / d_in), size=(d_out, d_in))")),
    mistake("he_fixed_seed_inside", {HE}, he_init=he(
        "gen = np.random.default_rng(0)\n"
        "return gen.normal(0.0, np.sqrt(2.0 / d_in), size=(d_out, d_in))")),
    mistake("he_fresh_unseeded_generator", {HE}, he_init=he(
        "return np.random.default_rng().normal(0.0, np.sqrt(2.0 / d_in), size=(d_out, d_in))")),
    mistake("he_integer_division", {HE}, he_init=he(
        "return rng.normal(0.0, np.sqrt(2 // d_in), size=(d_out, d_in))")),
    mistake("he_uniform_unit_interval", {HE}, he_init=he(
        "return rng.random((d_out, d_in)) * np.sqrt(2.0 / d_in)")),
    mistake("he_returns_none", {HE}, he_init=he(
        "W = rng.normal(0.0, np.sqrt(2.0 / d_in), size=(d_out, d_in))")),
    # ================================================================ xavier_init: correct
    correct("xavier_standard_normal", xavier_init=xav(
        "return rng.standard_normal((d_out, d_in)) * np.sqrt(2.0 / (d_in + d_out))")),
    correct("xavier_transposed_draw", xavier_init=xav(
        "return rng.normal(size=(d_in, d_out)).T * np.sqrt(2 / (d_out + d_in))")),
    correct("xavier_average_fan", xavier_init=xav(
        "fan_avg = (d_in + d_out) / 2\nreturn rng.normal(0, 1 / np.sqrt(fan_avg), (d_out, d_in))")),
    correct("xavier_sqrt_two_over_sqrt", xavier_init=xav(
        "import math\n"
        "return rng.normal(0.0, math.sqrt(2) / math.sqrt(d_in + d_out), size=(d_out, d_in))")),
    correct("xavier_columns_stacked", xavier_init=xav(
        "std = np.sqrt(2.0 / (d_in + d_out))\n"
        "return np.column_stack([rng.normal(0, std, d_out) for _ in range(d_in)])")),
    # ================================================================ xavier_init: mistakes
    mistake("xavier_one_over_sum", {XAV}, xavier_init=xav(
        "return rng.normal(0.0, np.sqrt(1.0 / (d_in + d_out)), size=(d_out, d_in))")),
    mistake("xavier_he_formula", {XAV}, xavier_init=xav(
        "return rng.normal(0.0, np.sqrt(2.0 / d_in), size=(d_out, d_in))")),
    mistake("xavier_lecun", {XAV}, xavier_init=xav(
        "return rng.normal(0.0, np.sqrt(1.0 / d_in), size=(d_out, d_in))")),
    mistake("xavier_glorot_uniform", {XAV}, xavier_init=xav(
        "limit = np.sqrt(6.0 / (d_in + d_out))\n"
        "return rng.uniform(-limit, limit, size=(d_out, d_in))")),
    mistake("xavier_six_in_normal", {XAV}, xavier_init=xav(
        "return rng.normal(0.0, np.sqrt(6.0 / (d_in + d_out)), size=(d_out, d_in))")),
    mistake("xavier_variance_as_std", {XAV}, xavier_init=xav(
        "return rng.normal(0.0, 2.0 / (d_in + d_out), size=(d_out, d_in))")),
    mistake("xavier_shape_transposed", {XAV}, xavier_init=xav(
        "return rng.normal(0.0, np.sqrt(2.0 / (d_in + d_out)), size=(d_in, d_out))")),
    mistake("xavier_global_numpy_random", {XAV}, xavier_init=xav(
        "return np.random.randn(d_out, d_in) * np.sqrt(2.0 / (d_in + d_out))")),
    mistake("xavier_product_of_fans", {XAV}, xavier_init=xav(
        "return rng.normal(0.0, np.sqrt(2.0 / (d_in * d_out)), size=(d_out, d_in))")),
    # ================================================================ dropout_forward: correct
    correct("dropout_where", dropout_forward=drop(
        "if not training:\n    return X.copy()\n"
        "u = rng.random(X.shape)\nreturn np.where(u < p_drop, 0.0, X / (1 - p_drop))")),
    correct("dropout_binomial", dropout_forward=drop(
        "if not training or p_drop == 0:\n    return X\n"
        "mask = rng.binomial(1, 1 - p_drop, size=X.shape)\nreturn X * mask / (1 - p_drop)")),
    correct("dropout_strict_greater", dropout_forward=drop(
        "if training:\n    mask = (rng.uniform(size=X.shape) > p_drop).astype(float)\n"
        "    return mask * X * (1.0 / (1.0 - p_drop))\nreturn X")),
    correct("dropout_boolean_indexing_on_copy", dropout_forward=drop(
        "out = np.array(X, dtype=float)\nif training:\n"
        "    dropped = rng.random(X.shape) < p_drop\n    out[dropped] = 0.0\n"
        "    out[~dropped] /= 1 - p_drop\nreturn out")),
    correct("dropout_choice", dropout_forward=drop(
        "if not training:\n    return X\n"
        "mask = rng.choice([0.0, 1.0], size=X.shape, p=[p_drop, 1 - p_drop])\n"
        "return X * mask / (1 - p_drop)")),
    correct("dropout_scaled_mask", dropout_forward=drop(
        "if not training:\n    return X + 0.0\n"
        "keep = 1.0 - p_drop\nmask = (rng.random(size=X.shape) < keep) / keep\nreturn X * mask")),
    correct("dropout_loops", dropout_forward=drop(
        "out = X.copy()\nif not training:\n    return out\n"
        "u = rng.random(X.shape)\nfor i in range(X.shape[0]):\n    for j in range(X.shape[1]):\n"
        "        out[i, j] = 0.0 if u[i, j] < p_drop else X[i, j] / (1 - p_drop)\nreturn out")),
    # ================================================================ dropout_forward: mistakes
    mistake("dropout_no_scaling", {DROP}, dropout_forward=drop(
        "if not training:\n    return X\nreturn X * (rng.random(X.shape) >= p_drop)")),
    mistake("dropout_scale_by_p", {DROP}, dropout_forward=drop(
        "if not training:\n    return X\n"
        "return X * (rng.random(X.shape) >= p_drop) * p_drop")),
    mistake("dropout_divide_by_p", {DROP}, dropout_forward=drop(
        "if not training or p_drop == 0:\n    return X\n"
        "return X * (rng.random(X.shape) >= p_drop) / p_drop")),
    mistake("dropout_keep_probability_p", {DROP}, dropout_forward=drop(
        "if not training:\n    return X\n"
        "return X * (rng.random(X.shape) < p_drop) / (1 - p_drop)")),
    mistake("dropout_also_in_evaluation", {DROP}, dropout_forward=drop(
        "return X * (rng.random(X.shape) >= p_drop) / (1 - p_drop)")),
    mistake("dropout_scales_at_evaluation", {DROP}, dropout_forward=drop(
        "if not training:\n    return X * (1 - p_drop)\n"
        "return X * (rng.random(X.shape) >= p_drop) / (1 - p_drop)")),
    mistake("dropout_in_place", {DROP}, dropout_forward=drop(
        "if not training:\n    return X\n"
        "X[rng.random(X.shape) < p_drop] = 0.0\nX /= 1 - p_drop\nreturn X")),
    mistake("dropout_global_numpy_random", {DROP}, dropout_forward=drop(
        "if not training:\n    return X\n"
        "return X * (np.random.rand(*X.shape) >= p_drop) / (1 - p_drop)")),
    mistake("dropout_one_mask_for_the_batch", {DROP}, dropout_forward=drop(
        "if not training:\n    return X\n"
        "return X * (rng.random(X.shape[1]) >= p_drop) / (1 - p_drop)")),
    mistake("dropout_whole_samples", {DROP}, dropout_forward=drop(
        "if not training:\n    return X\n"
        "return X * (rng.random((X.shape[0], 1)) >= p_drop) / (1 - p_drop)")),
    mistake("dropout_returns_mask", {DROP}, dropout_forward=drop(
        "if not training:\n    return X\nreturn (rng.random(X.shape) >= p_drop) / (1 - p_drop)")),
    # ================================================================ batchnorm_forward: correct
    correct("bn_keepdims", batchnorm_forward=bn(
        "mu = np.mean(X, axis=0, keepdims=True)\n"
        "var = np.mean((X - mu) ** 2, axis=0, keepdims=True)\n"
        "return gamma * (X - mu) / np.sqrt(var + eps) + beta")),
    correct("bn_std_squared", batchnorm_forward=bn(
        "std = X.std(axis=0)\n"
        "return gamma * (X - X.mean(axis=0)) / np.sqrt(std ** 2 + eps) + beta")),
    correct("bn_inverse_std", batchnorm_forward=bn(
        "xc = X - X.mean(0)\ninv = 1.0 / np.sqrt(np.var(X, axis=0, ddof=0) + eps)\n"
        "return xc * inv * gamma + beta")),
    correct("bn_column_loop", batchnorm_forward=bn(
        "out = np.empty(X.shape)\nfor j in range(X.shape[1]):\n    col = X[:, j]\n"
        "    out[:, j] = gamma[j] * (col - col.mean()) / np.sqrt(col.var() + eps) + beta[j]\n"
        "return out")),
    correct("bn_second_moment", batchnorm_forward=bn(
        "m = X.mean(axis=0)\nv = (X ** 2).mean(axis=0) - m ** 2\n"
        "return (X - m) / np.sqrt(v + eps) * gamma + beta")),
    correct("bn_broadcast_rows", batchnorm_forward=bn(
        "n = X.shape[0]\nmu = X.sum(axis=0) / n\nvar = ((X - mu) ** 2).sum(axis=0) / n\n"
        "xhat = (X - mu[None, :]) / np.sqrt(var[None, :] + eps)\n"
        "return gamma[None, :] * xhat + beta[None, :]")),
    correct("bn_einsum", batchnorm_forward=bn(
        "n = X.shape[0]\nxc = X - np.einsum('ij->j', X) / n\n"
        "var = np.einsum('ij,ij->j', xc, xc) / n\n"
        "return xc / np.sqrt(var + eps) * gamma + beta")),
    # ================================================================ batchnorm_forward: mistakes
    mistake("bn_unbiased_variance", {BN}, batchnorm_forward=bn(
        "return gamma * (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0, ddof=1) + eps) + beta")),
    mistake("bn_axis_1", {BN}, batchnorm_forward=bn(
        "mu = X.mean(axis=1, keepdims=True)\nvar = X.var(axis=1, keepdims=True)\n"
        "return gamma * (X - mu) / np.sqrt(var + eps) + beta")),
    mistake("bn_eps_outside_sqrt", {BN}, batchnorm_forward=bn(
        "return gamma * (X - X.mean(axis=0)) / (X.std(axis=0) + eps) + beta")),
    mistake("bn_ignores_gamma_beta", {BN}, batchnorm_forward=bn(
        "return (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps)")),
    mistake("bn_shift_before_scale", {BN}, batchnorm_forward=bn(
        "return ((X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps) + beta) * gamma")),
    mistake("bn_whole_array_statistics", {BN}, batchnorm_forward=bn(
        "return gamma * (X - X.mean()) / np.sqrt(X.var() + eps) + beta")),
    mistake("bn_fixed_eps", {BN}, batchnorm_forward=bn(
        "return gamma * (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + 1e-5) + beta")),
    mistake("bn_in_place", {BN}, batchnorm_forward=bn(
        "X -= X.mean(axis=0)\nX /= np.sqrt(X.var(axis=0) + eps)\nreturn gamma * X + beta")),
    mistake("bn_returns_cache_too", {BN}, batchnorm_forward=bn(
        "mu, var = X.mean(axis=0), X.var(axis=0)\nxhat = (X - mu) / np.sqrt(var + eps)\n"
        "return gamma * xhat + beta, (xhat, var)")),
    mistake("bn_no_square_root", {BN}, batchnorm_forward=bn(
        "return gamma * (X - X.mean(axis=0)) / (X.var(axis=0) + eps) + beta")),
    # ================================================================ l2_penalty: correct
    correct("l2_loop", l2_penalty=l2(
        "penalty, grads = 0.0, {}\nfor key, value in params.items():\n"
        "    if key.startswith('W'):\n        penalty += lam / 2 * np.sum(value * value)\n"
        "        grads[key] = lam * value\nreturn penalty, grads")),
    correct("l2_norm_squared", l2_penalty=l2(
        "keys = [k for k in params if k[0] == 'W']\n"
        "penalty = 0.5 * lam * sum(np.linalg.norm(params[k]) ** 2 for k in keys)\n"
        "return penalty, {k: lam * params[k] for k in keys}")),
    correct("l2_vdot_list", l2_penalty=l2(
        "keys = [k for k in params if k[:1] == 'W']\n"
        "total = sum(float(np.vdot(params[k], params[k])) for k in keys)\n"
        "return [lam * total / 2, {k: params[k] * lam for k in keys}]")),
    correct("l2_einsum_numpy_scalar", l2_penalty=l2(
        "grads = {k: lam * w for k, w in params.items() if k.startswith('W')}\n"
        "penalty = np.float64(0.0)\nfor k in grads:\n"
        "    penalty = penalty + np.einsum('ij,ij->', params[k], params[k])\n"
        "return lam * penalty / 2, grads")),
    # ================================================================ l2_penalty: mistakes
    mistake("l2_penalises_biases", {L2}, l2_penalty=l2(
        "penalty = lam / 2 * sum(np.sum(v ** 2) for v in params.values())\n"
        "return penalty, {k: lam * v for k, v in params.items()}")),
    mistake("l2_forgets_half", {L2}, l2_penalty=l2(
        "keys = [k for k in params if k.startswith('W')]\n"
        "penalty = lam * sum(np.sum(params[k] ** 2) for k in keys)\n"
        "return penalty, {k: lam * params[k] for k in keys}")),
    mistake("l2_gradient_twice", {L2}, l2_penalty=l2(
        "keys = [k for k in params if k.startswith('W')]\n"
        "penalty = lam / 2 * sum(np.sum(params[k] ** 2) for k in keys)\n"
        "return penalty, {k: 2 * lam * params[k] for k in keys}")),
    mistake("l2_zero_grads_for_biases", {L2}, l2_penalty=l2(
        "penalty = lam / 2 * sum(np.sum(v ** 2) for k, v in params.items() if k.startswith('W'))\n"
        "grads = {k: lam * v if k.startswith('W') else np.zeros_like(v)\n"
        "         for k, v in params.items()}\n"
        "return penalty, grads")),
    mistake("l2_hard_coded_keys", {L2}, l2_penalty=l2(
        "keys = [k for k in ('W1', 'W2') if k in params]\n"
        "penalty = lam / 2 * sum(np.sum(params[k] ** 2) for k in keys)\n"
        "return penalty, {k: lam * params[k] for k in keys}")),
    mistake("l2_absolute_values", {L2}, l2_penalty=l2(
        "keys = [k for k in params if k.startswith('W')]\n"
        "penalty = lam / 2 * sum(np.sum(np.abs(params[k])) for k in keys)\n"
        "return penalty, {k: lam * params[k] for k in keys}")),
    mistake("l2_norm_not_squared", {L2}, l2_penalty=l2(
        "keys = [k for k in params if k.startswith('W')]\n"
        "penalty = lam / 2 * sum(np.linalg.norm(params[k]) for k in keys)\n"
        "return penalty, {k: lam * params[k] for k in keys}")),
    mistake("l2_decays_params_in_place", {L2}, l2_penalty=l2(
        "penalty, grads = 0.0, {}\nfor k, w in params.items():\n    if k.startswith('W'):\n"
        "        penalty += lam / 2 * np.sum(w ** 2)\n        grads[k] = lam * w\n"
        "        w *= 1 - lam\nreturn penalty, grads")),
    mistake("l2_grads_into_params", {L2}, l2_penalty=l2(
        "penalty = 0.0\nfor k in [k for k in params if k.startswith('W')]:\n"
        "    penalty += lam / 2 * np.sum(params[k] ** 2)\n    params['d' + k] = lam * params[k]\n"
        "return penalty, {k[1:]: v for k, v in params.items() if k.startswith('dW')}")),
    mistake("l2_penalty_per_key", {L2}, l2_penalty=l2(
        "keys = [k for k in params if k.startswith('W')]\n"
        "return ({k: lam / 2 * np.sum(params[k] ** 2) for k in keys},\n"
        "        {k: lam * params[k] for k in keys})")),
    # ================================================================ early_stopping: correct
    correct("es_distance_to_best", early_stopping=es(
        "best = 0\nfor i in range(1, len(val_losses)):\n    if val_losses[i] < val_losses[best]:\n"
        "        best = i\n    elif i - best >= patience:\n        break\nreturn best")),
    correct("es_while_loop", early_stopping=es(
        "best_i, best_loss, i = 0, float(val_losses[0]), 1\n"
        "while i < len(val_losses) and i - best_i <= patience:\n"
        "    if val_losses[i] < best_loss:\n        best_i, best_loss = i, float(val_losses[i])\n"
        "    i += 1\nreturn best_i")),
    correct("es_enumerate_infinity", early_stopping=es(
        "best_loss, best_epoch, bad = float('inf'), 0, 0\n"
        "for epoch, loss in enumerate(val_losses):\n    if loss < best_loss:\n"
        "        best_loss, best_epoch, bad = loss, epoch, 0\n    else:\n        bad += 1\n"
        "        if bad == patience:\n            return best_epoch\nreturn best_epoch")),
    correct("es_argmin_of_prefix", early_stopping=es(
        "losses = np.asarray(val_losses, dtype=float)\nbest, stop = 0, len(losses)\n"
        "for i in range(1, len(losses)):\n    if losses[i] < losses[best]:\n        best = i\n"
        "    elif i - best == patience:\n        stop = i + 1\n        break\n"
        "return int(np.argmin(losses[:stop]))")),
    # ================================================================ early_stopping: mistakes
    mistake("es_argmin_ignores_patience", {ES}, early_stopping=es(
        "return int(np.argmin(val_losses))")),
    mistake("es_ties_improve", {ES}, early_stopping=es(
        "best, waited = 0, 0\nfor i in range(1, len(val_losses)):\n"
        "    if val_losses[i] <= val_losses[best]:\n        best, waited = i, 0\n    else:\n"
        "        waited += 1\n        if waited >= patience:\n            break\nreturn best")),
    mistake("es_stops_one_epoch_early", {ES}, early_stopping=es(
        "best, waited = 0, 0\nfor i in range(1, len(val_losses)):\n"
        "    if val_losses[i] < val_losses[best]:\n        best, waited = i, 0\n    else:\n"
        "        waited += 1\n        if waited >= patience - 1:\n            break\nreturn best")),
    mistake("es_stops_one_epoch_late", {ES}, early_stopping=es(
        "best, waited = 0, 0\nfor i in range(1, len(val_losses)):\n"
        "    if val_losses[i] < val_losses[best]:\n        best, waited = i, 0\n    else:\n"
        "        waited += 1\n        if waited > patience:\n            break\nreturn best")),
    mistake("es_returns_stop_epoch", {ES}, early_stopping=es(
        "best, waited = 0, 0\nfor i in range(1, len(val_losses)):\n"
        "    if val_losses[i] < val_losses[best]:\n        best, waited = i, 0\n    else:\n"
        "        waited += 1\n        if waited >= patience:\n            return i\nreturn best")),
    mistake("es_counter_not_reset", {ES}, early_stopping=es(
        "best, waited = 0, 0\nfor i in range(1, len(val_losses)):\n"
        "    if val_losses[i] < val_losses[best]:\n        best = i\n    else:\n"
        "        waited += 1\n        if waited >= patience:\n            break\nreturn best")),
    mistake("es_compares_with_previous_epoch", {ES}, early_stopping=es(
        "best, waited = 0, 0\nfor i in range(1, len(val_losses)):\n"
        "    if val_losses[i] < val_losses[i - 1]:\n        waited = 0\n"
        "        if val_losses[i] < val_losses[best]:\n            best = i\n    else:\n"
        "        waited += 1\n        if waited >= patience:\n            break\nreturn best")),
    mistake("es_one_based_index", {ES}, early_stopping=es(
        "best, waited = 0, 0\nfor i in range(1, len(val_losses)):\n"
        "    if val_losses[i] < val_losses[best]:\n        best, waited = i, 0\n    else:\n"
        "        waited += 1\n        if waited >= patience:\n            break\nreturn best + 1")),
    mistake("es_returns_best_loss", {ES}, early_stopping=es(
        "best, waited = 0, 0\nfor i in range(1, len(val_losses)):\n"
        "    if val_losses[i] < val_losses[best]:\n        best, waited = i, 0\n    else:\n"
        "        waited += 1\n        if waited >= patience:\n            break\n"
        "return val_losses[best]")),
    mistake("es_sorts_its_input", {ES}, early_stopping=es(
        "best, waited = 0, 0\nfor i in range(1, len(val_losses)):\n"
        "    if val_losses[i] < val_losses[best]:\n        best, waited = i, 0\n    else:\n"
        "        waited += 1\n        if waited >= patience:\n            break\n"
        "val_losses.sort()  # lists and arrays both sort in place\nreturn best")),
    mistake("es_overwrites_array_entries", {ES}, early_stopping=es(
        "best = 0\nfor i in range(1, len(val_losses)):\n"
        "    if val_losses[i] < val_losses[best]:\n        best = i\n"
        "    elif i - best >= patience:\n        break\n"
        "if not isinstance(val_losses, list):\n    val_losses[best + 1:] = val_losses[best]\n"
        "return best")),
    # ================================================================ step_decay: correct
    correct("step_floor", step_decay=step(
        "import math\nreturn lr0 * drop ** math.floor(epoch / every)")),
    correct("step_int_division", step_decay=step(
        "return lr0 * pow(drop, int(epoch / every))")),
    correct("step_loop", step_decay=step(
        "lr = lr0\nfor _ in range(int(epoch) // int(every)):\n    lr *= drop\nreturn lr")),
    correct("step_numpy_power", step_decay=step(
        "return float(lr0 * np.power(drop, np.floor_divide(epoch, every)))")),
    correct("step_exp_log", step_decay=step(
        "return lr0 * np.exp(np.log(drop) * (epoch // every))")),
    # ================================================================ step_decay: mistakes
    mistake("step_float_division", {STEP}, step_decay=step(
        "return lr0 * drop ** (epoch / every)")),
    mistake("step_off_by_one_epoch", {STEP}, step_decay=step(
        "return lr0 * drop ** ((epoch + 1) // every)")),
    mistake("step_every_epoch", {STEP}, step_decay=step(
        "return lr0 * drop ** epoch")),
    mistake("step_multiplies_count", {STEP}, step_decay=step(
        "k = epoch // every\nreturn lr0 * drop * k if k else lr0")),
    mistake("step_round", {STEP}, step_decay=step(
        "return lr0 * drop ** round(epoch / every)")),
    mistake("step_ceil", {STEP}, step_decay=step(
        "import math\nreturn lr0 * drop ** math.ceil(epoch / every)")),
    mistake("step_hard_coded_defaults", {STEP}, step_decay=step(
        "return lr0 * 0.5 ** (epoch // 10)")),
    mistake("step_subtracts", {STEP}, step_decay=step(
        "return lr0 - drop * lr0 * (epoch // every)")),
]
