"""ps03_backprop: alternative correct implementations and common mistakes.

``train_mlp``'s reference solution calls ``softmax_cross_entropy``,
``dense_backward``, ``relu_backward`` and ``sgd_update``, so a mistake in one
of those that changes the training also fails ``test_train_mlp``; a mistake
that training does not notice (an unstable loss value, a gradient wrong only
at exactly ``Z == 0``, an input modified in place) fails only its own cell.
"""

from textwrap import dedent, indent

from variants import Variant, correct, mistake

MSE, CE, DB, RB = ("test_mse_loss", "test_softmax_cross_entropy", "test_dense_backward",
                   "test_relu_backward")
NG, SGD, TRAIN, PRED = ("test_numerical_gradient", "test_sgd_update", "test_train_mlp",
                        "test_predict_mlp")


def fn(signature: str, body: str) -> str:
    """A function definition from its signature and an unindented body."""
    return f"def {signature}:\n" + indent(dedent(body).strip("\n"), "    ") + "\n"


def mse(body: str) -> str:
    return fn("mse_loss(y_hat, y)", body)


def ce(body: str) -> str:
    return fn("softmax_cross_entropy(logits, y)", body)


def dense(body: str) -> str:
    return fn("dense_backward(dZ, X, W)", body)


def relu_b(body: str) -> str:
    return fn("relu_backward(dA, Z)", body)


def numgrad(body: str) -> str:
    return fn("numerical_gradient(f, x, h=1e-5)", body)


def sgd(body: str) -> str:
    return fn("sgd_update(params, grads, lr)", body)


def train(body: str) -> str:
    return fn("train_mlp(X, y, hidden=16, lr=0.5, epochs=500, seed=0)", body)


def predict(body: str) -> str:
    return fn("predict_mlp(params, X)", body)


# The training loop of the reference, with a marker for the initialisation and for the update;
# train variants below replace pieces of it.
HE_INIT = """
rng = np.random.default_rng(seed)
d_in, k = X.shape[1], int(y.max()) + 1
params = {
    "W1": rng.normal(0.0, np.sqrt(2.0 / d_in), size=(hidden, d_in)),
    "b1": np.zeros(hidden),
    "W2": rng.normal(0.0, np.sqrt(2.0 / hidden), size=(k, hidden)),
    "b2": np.zeros(k),
}
"""
LOOP = """
for _ in range(epochs):
    Z1 = dense_forward(X, params["W1"], params["b1"])
    A1 = relu(Z1)
    logits = dense_forward(A1, params["W2"], params["b2"])
    _, d_logits = softmax_cross_entropy(logits, y)
    dA1, dW2, db2 = dense_backward(d_logits, A1, params["W2"])
    _, dW1, db1 = dense_backward(relu_backward(dA1, Z1), X, params["W1"])
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    params = sgd_update(params, grads, lr)
return params
"""


def train_with(init: str = HE_INIT, loop: str = LOOP) -> str:
    return train(dedent(init).strip("\n") + "\n" + dedent(loop).strip("\n"))


INLINE_LOOP = """
n = X.shape[0]
onehot = np.eye(k)[y]
for epoch in range(epochs):
    Z1 = X @ params["W1"].T + params["b1"]
    A1 = np.maximum(Z1, 0)
    Z2 = A1 @ params["W2"].T + params["b2"]
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    P = np.exp(Z2) / np.exp(Z2).sum(axis=1, keepdims=True)
    dZ2 = (P - onehot) / n
    dW2 = dZ2.T @ A1
    db2 = dZ2.sum(axis=0)
    dZ1 = (dZ2 @ params["W2"]) * (Z1 > 0)
    dW1 = dZ1.T @ X
    db1 = dZ1.sum(axis=0)
    params["W1"] = params["W1"] - lr * dW1
    params["b1"] = params["b1"] - lr * db1
    params["W2"] = params["W2"] - lr * dW2
    params["b2"] = params["b2"] - lr * db2
return params
"""


VARIANTS: list[Variant] = [
    # ================================================================ mse_loss: correct
    correct("mse_square", mse_loss=mse(
        "d = y_hat - y\nreturn np.mean(np.square(d)), 2 * d / d.size")),
    correct("mse_sum_over_size", mse_loss=mse(
        "d = y_hat - y\nm = d.size\nreturn np.sum(d * d) / m, (2.0 / m) * d")),
    correct("mse_reversed_difference", mse_loss=mse(
        "e = y - y_hat\nreturn float(np.mean(e ** 2)), -2 * e / np.prod(e.shape)")),
    correct("mse_average_list", mse_loss=mse(
        "d = np.subtract(y_hat, y)\nreturn [np.average(d ** 2), 2 * d / len(d.ravel())]")),
    correct("mse_einsum", mse_loss=mse(
        "d = (y_hat - y).astype(float)\nr = d.ravel()\n"
        "return np.einsum('i,i->', r, r) / d.size, np.multiply(2 / d.size, d)")),
    correct("mse_python_loop", mse_loss=mse("""
        flat_h, flat_y = np.ravel(y_hat), np.ravel(y)
        total = 0.0
        grad = np.zeros(len(flat_h))
        for i in range(len(flat_h)):
            total += (flat_h[i] - flat_y[i]) ** 2
            grad[i] = 2 * (flat_h[i] - flat_y[i]) / len(flat_h)
        return total / len(flat_h), grad.reshape(np.shape(y_hat))
    """)),
    correct("mse_mean_of_means", mse_loss=mse(
        "d = y_hat - y\nreturn np.mean(np.mean(d ** 2, axis=0)), 2 * d / d.size")),
    # ================================================================ mse_loss: mistakes
    mistake("mse_sum_not_mean", {MSE}, mse_loss=mse(
        "d = y_hat - y\nreturn np.sum(d ** 2), 2 * d")),
    mistake("mse_no_factor_two", {MSE}, mse_loss=mse(
        "d = y_hat - y\nreturn np.mean(d ** 2), d / d.size")),
    mistake("mse_divides_by_rows", {MSE}, mse_loss=mse(
        "d = y_hat - y\nreturn np.sum(d ** 2) / len(y), 2 * d / len(y)")),
    mistake("mse_gradient_by_rows_only", {MSE}, mse_loss=mse(
        "d = y_hat - y\nreturn np.mean(d ** 2), 2 * d / d.shape[0]")),
    mistake("mse_sign_flipped", {MSE}, mse_loss=mse(
        "d = y_hat - y\nreturn np.mean(d ** 2), 2 * (y - y_hat) / d.size")),
    mistake("mse_loss_only", {MSE}, mse_loss=mse("return np.mean((y_hat - y) ** 2)")),
    mistake("mse_swapped_pair", {MSE}, mse_loss=mse(
        "d = y_hat - y\nreturn 2 * d / d.size, np.mean(d ** 2)")),
    mistake("mse_gradient_not_divided", {MSE}, mse_loss=mse(
        "d = y_hat - y\nreturn np.mean(d ** 2), 2 * d")),
    mistake("mse_mean_absolute_error", {MSE}, mse_loss=mse(
        "d = y_hat - y\nreturn np.mean(np.abs(d)), np.sign(d) / d.size")),
    mistake("mse_root_mean_square", {MSE}, mse_loss=mse(
        "d = y_hat - y\nreturn np.sqrt(np.mean(d ** 2)), 2 * d / d.size")),
    mistake("mse_half_loss", {MSE}, mse_loss=mse(
        "d = y_hat - y\nreturn 0.5 * np.mean(d ** 2), 2 * d / d.size")),
    mistake("mse_square_of_mean", {MSE}, mse_loss=mse(
        "d = y_hat - y\nreturn np.mean(d) ** 2, 2 * d / d.size")),
    mistake("mse_per_column_loss", {MSE}, mse_loss=mse(
        "d = y_hat - y\nreturn np.mean(d ** 2, axis=0), 2 * d / d.size")),
    mistake("mse_in_place", {MSE}, mse_loss=mse(
        "y_hat -= y\nreturn np.mean(y_hat ** 2), 2 * y_hat / y_hat.size")),
    # ================================================================ softmax CE: correct
    correct("ce_scipy_logsumexp", softmax_cross_entropy=ce("""
        from scipy.special import logsumexp
        n = len(y)
        log_p = logits - logsumexp(logits, axis=1, keepdims=True)
        d = np.exp(log_p)
        d[np.arange(n), y] -= 1
        return -np.mean(log_p[np.arange(n), y]), d / n
    """)),
    correct("ce_scipy_log_softmax_onehot", softmax_cross_entropy=ce("""
        from scipy.special import log_softmax
        n, k = logits.shape
        onehot = np.eye(k)[y]
        log_p = log_softmax(logits, axis=1)
        return -(onehot * log_p).sum() / n, (np.exp(log_p) - onehot) / n
    """)),
    correct("ce_given_softmax_for_gradient", softmax_cross_entropy=ce("""
        n = logits.shape[0]
        m = logits.max(axis=1)
        lse = m + np.log(np.exp(logits - m[:, None]).sum(axis=1))
        loss = np.mean(lse - logits[np.arange(n), y])
        onehot = (np.arange(logits.shape[1])[None, :] == y[:, None]).astype(float)
        return loss, (softmax(logits) - onehot) / n
    """)),
    correct("ce_take_along_axis", softmax_cross_entropy=ce("""
        n = logits.shape[0]
        z = logits - np.max(logits, axis=-1, keepdims=True)
        log_p = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
        picked = np.take_along_axis(log_p, y.reshape(-1, 1), axis=1)
        grad = np.exp(log_p)
        col = y.reshape(-1, 1)
        np.put_along_axis(grad, col, np.take_along_axis(grad, col, 1) - 1, 1)
        return float(-picked.mean()), grad / n
    """)),
    correct("ce_loop_over_samples", softmax_cross_entropy=ce("""
        n, k = logits.shape
        loss = 0.0
        grad = np.zeros((n, k))
        for i in range(n):
            z = logits[i] - logits[i].max()
            log_p = z - np.log(np.sum(np.exp(z)))
            loss -= log_p[y[i]]
            grad[i] = np.exp(log_p)
            grad[i, y[i]] -= 1
        return loss / n, grad / n
    """)),
    correct("ce_copy_then_shift_in_place", softmax_cross_entropy=ce("""
        z = np.array(logits, dtype=float, copy=True)
        z -= z.max(axis=1, keepdims=True)
        n = z.shape[0]
        log_norm = np.log(np.exp(z).sum(axis=1, keepdims=True))
        z -= log_norm
        g = np.exp(z)
        g[range(n), y] -= 1.0
        g /= n
        return -z[range(n), y].sum() / n, g
    """)),
    correct("ce_where_onehot", softmax_cross_entropy=ce("""
        n, k = logits.shape
        onehot = np.where(np.arange(k) == y[:, None], 1.0, 0.0)
        shifted = logits - logits.max(1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
        return -np.sum(log_p * onehot) / n, (np.exp(log_p) - onehot) / n
    """)),
    # ================================================================ softmax CE: mistakes
    mistake("ce_gradient_not_divided_by_n", {CE, TRAIN}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        s = logits - logits.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        d = np.exp(log_p)
        d[np.arange(n), y] -= 1
        return -log_p[np.arange(n), y].mean(), d
    """)),
    mistake("ce_log_of_softmax", {CE}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        p = softmax(logits)
        d = p.copy()
        d[np.arange(n), y] -= 1
        return -np.mean(np.log(p[np.arange(n), y])), d / n
    """)),
    mistake("ce_no_max_shift", {CE}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        e = np.exp(logits)
        p = e / e.sum(axis=1, keepdims=True)
        d = p.copy()
        d[np.arange(n), y] -= 1
        return -np.mean(np.log(p[np.arange(n), y])), d / n
    """)),
    mistake("ce_clipped_log", {CE}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        p = softmax(logits)
        d = p.copy()
        d[np.arange(n), y] -= 1
        return -np.mean(np.log(np.clip(p[np.arange(n), y], 1e-12, 1.0))), d / n
    """)),
    mistake("ce_log_plus_epsilon", {CE}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        p = softmax(logits)
        onehot = np.eye(logits.shape[1])[y]
        return -np.sum(onehot * np.log(p + 1e-15)) / n, (p - onehot) / n
    """)),
    mistake("ce_softmax_over_batch_axis", {CE, TRAIN}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        s = logits - logits.max(axis=0, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=0, keepdims=True))
        d = np.exp(log_p)
        d[np.arange(n), y] -= 1
        return -log_p[np.arange(n), y].mean(), d / n
    """)),
    mistake("ce_onehot_wrong_axis", {CE, TRAIN}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        s = logits - logits.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        onehot = np.zeros_like(logits)
        onehot[y, np.arange(n)] = 1.0
        return -np.sum(onehot * log_p) / n, (np.exp(log_p) - onehot) / n
    """)),
    mistake("ce_onehot_transposed_eye", {CE, TRAIN}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        s = logits - logits.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        onehot = np.eye(n)[:, y]
        return -np.sum(onehot * log_p) / n, (np.exp(log_p) - onehot) / n
    """)),
    mistake("ce_gradient_sign_flipped", {CE, TRAIN}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        s = logits - logits.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        onehot = np.eye(logits.shape[1])[y]
        return -log_p[np.arange(n), y].mean(), (onehot - np.exp(log_p)) / n
    """)),
    mistake("ce_loss_summed_not_averaged", {CE}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        s = logits - logits.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        d = np.exp(log_p)
        d[np.arange(n), y] -= 1
        return -log_p[np.arange(n), y].sum(), d / n
    """)),
    mistake("ce_gradient_without_onehot", {CE, TRAIN}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        s = logits - logits.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        return -log_p[np.arange(n), y].mean(), np.exp(log_p) / n
    """)),
    mistake("ce_modifies_logits", {CE}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        logits -= logits.max(axis=1, keepdims=True)
        log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        d = np.exp(log_p)
        d[np.arange(n), y] -= 1
        return -log_p[np.arange(n), y].mean(), d / n
    """)),
    mistake("ce_rows_indexed_by_labels", {CE}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        s = logits - logits.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        d = np.exp(log_p)
        d[np.arange(n), y] -= 1
        return -log_p[y].mean(), d / n
    """)),
    mistake("ce_gradient_divided_by_k", {CE, TRAIN}, softmax_cross_entropy=ce("""
        n, k = logits.shape
        s = logits - logits.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        d = np.exp(log_p)
        d[np.arange(n), y] -= 1
        return -log_p[np.arange(n), y].mean(), d / k
    """)),
    mistake("ce_loss_only", {CE, TRAIN}, softmax_cross_entropy=ce("""
        n = logits.shape[0]
        s = logits - logits.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        return -log_p[np.arange(n), y].mean()
    """)),
    mistake("ce_onehot_transposed_when_square", {CE}, softmax_cross_entropy=ce("""
        n, k = logits.shape
        onehot = np.eye(k)[:, y] if n == k else np.eye(k)[y]
        s = logits - logits.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        return -np.sum(onehot * log_p) / n, (np.exp(log_p) - onehot) / n
    """)),
    # ================================================================ dense_backward: correct
    correct("dense_einsum", dense_backward=dense("""
        return (np.einsum("no,oi->ni", dZ, W), np.einsum("no,ni->oi", dZ, X),
                np.einsum("no->o", dZ))
    """)),
    correct("dense_np_dot_list", dense_backward=dense(
        "return [np.dot(dZ, W), np.dot(dZ.T, X), np.sum(dZ, axis=0)]")),
    correct("dense_transposed_products", dense_backward=dense(
        "return (W.T @ dZ.T).T, (X.T @ dZ).T, np.ones(dZ.shape[0]) @ dZ")),
    correct("dense_tensordot", dense_backward=dense("""
        dX = np.tensordot(dZ, W, axes=([1], [0]))
        dW = np.tensordot(dZ, X, axes=([0], [0]))
        return dX, dW, dZ.sum(0)
    """)),
    correct("dense_outer_products", dense_backward=dense("""
        dW = np.zeros_like(W, dtype=float)
        db = np.zeros(W.shape[0])
        for i in range(X.shape[0]):
            dW += np.outer(dZ[i], X[i])
            db += dZ[i]
        return dZ @ W, dW, db
    """)),
    correct("dense_triple_loop", dense_backward=dense("""
        n, d_in = X.shape
        d_out = W.shape[0]
        dX, dW, db = np.zeros((n, d_in)), np.zeros((d_out, d_in)), np.zeros(d_out)
        for i in range(n):
            for j in range(d_out):
                db[j] += dZ[i, j]
                for k in range(d_in):
                    dX[i, k] += dZ[i, j] * W[j, k]
                    dW[j, k] += dZ[i, j] * X[i, k]
        return dX, dW, db
    """)),
    # ================================================================ dense_backward: mistakes
    mistake("dense_db_mean", {DB, TRAIN}, dense_backward=dense(
        "return dZ @ W, dZ.T @ X, dZ.mean(axis=0)")),
    mistake("dense_dW_transposed", {DB, TRAIN}, dense_backward=dense(
        "return dZ @ W, X.T @ dZ, dZ.sum(axis=0)")),
    mistake("dense_dW_transposed_back", {DB, TRAIN}, dense_backward=dense(
        "return dZ @ W, (dZ.T @ X).T, dZ.sum(axis=0)")),
    mistake("dense_dX_with_W_transposed", {DB, TRAIN}, dense_backward=dense(
        "return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)")),
    mistake("dense_db_not_summed", {DB, TRAIN}, dense_backward=dense(
        "return dZ @ W, dZ.T @ X, dZ")),
    mistake("dense_db_summed_over_units", {DB, TRAIN}, dense_backward=dense(
        "return dZ @ W, dZ.T @ X, dZ.sum(axis=1)")),
    mistake("dense_dW_averaged", {DB, TRAIN}, dense_backward=dense(
        "return dZ @ W, dZ.T @ X / X.shape[0], dZ.sum(axis=0)")),
    mistake("dense_swapped_order", {DB, TRAIN}, dense_backward=dense(
        "return dZ.T @ X, dZ @ W, dZ.sum(axis=0)")),
    mistake("dense_no_dX", {DB, TRAIN}, dense_backward=dense(
        "return None, dZ.T @ X, dZ.sum(axis=0)")),
    mistake("dense_elementwise_dW", {DB, TRAIN}, dense_backward=dense(
        "return dZ @ W, dZ.sum(axis=0)[:, None] * X.sum(axis=0)[None, :], dZ.sum(axis=0)")),
    # Mistakes that only show on square shapes (n == k, d_in == d_out or n == d_out): the
    # visible tests use distinct sizes, so these prove that the hidden square cases bite.
    mistake("dense_dW_transposed_on_square_layers", {DB}, dense_backward=dense("""
        dW = X.T @ dZ if X.shape[1] == dZ.shape[1] else dZ.T @ X
        return dZ @ W, dW, dZ.sum(axis=0)
    """)),
    mistake("dense_dX_with_W_transposed_on_square_layers", {DB}, dense_backward=dense("""
        dX = dZ @ W.T if W.shape[0] == W.shape[1] else dZ @ W
        return dX, dZ.T @ X, dZ.sum(axis=0)
    """)),
    mistake("dense_db_over_units_when_n_equals_d_out", {DB}, dense_backward=dense("""
        db = dZ.sum(axis=1) if dZ.shape[0] == dZ.shape[1] else dZ.sum(axis=0)
        return dZ @ W, dZ.T @ X, db
    """)),
    # ================================================================ relu_backward: correct
    correct("relu_b_where", relu_backward=relu_b("return np.where(Z > 0, dA, 0.0)")),
    correct("relu_b_heaviside", relu_backward=relu_b("return dA * np.heaviside(Z, 0.0)")),
    correct("relu_b_copy_assign", relu_backward=relu_b(
        "dZ = np.array(dA, dtype=float, copy=True)\ndZ[Z <= 0] = 0\nreturn dZ")),
    correct("relu_b_float_mask", relu_backward=relu_b(
        "return np.multiply(dA, (Z > 0).astype(float))")),
    correct("relu_b_sign_of_relu", relu_backward=relu_b(
        "return np.sign(np.maximum(Z, 0)) * dA")),
    correct("relu_b_flat_loop", relu_backward=relu_b("""
        out = np.zeros(np.shape(dA))
        for i in range(out.size):
            if Z.flat[i] > 0:
                out.flat[i] = dA.flat[i]
        return out
    """)),
    # ================================================================ relu_backward: mistakes
    mistake("relu_b_greater_equal", {RB}, relu_backward=relu_b("return dA * (Z >= 0)")),
    mistake("relu_b_mask_only", {RB, TRAIN}, relu_backward=relu_b(
        "return (Z > 0).astype(float)")),
    mistake("relu_b_in_place", {RB}, relu_backward=relu_b("dA[Z <= 0] = 0\nreturn dA")),
    mistake("relu_b_times_relu", {RB, TRAIN}, relu_backward=relu_b(
        "return dA * np.maximum(Z, 0)")),
    mistake("relu_b_mask_inverted", {RB, TRAIN}, relu_backward=relu_b("return dA * (Z < 0)")),
    mistake("relu_b_mask_from_dA", {RB, TRAIN}, relu_backward=relu_b("return dA * (dA > 0)")),
    mistake("relu_b_leaky", {RB, TRAIN}, relu_backward=relu_b(
        "return np.where(Z > 0, dA, 0.01 * dA)")),
    mistake("relu_b_relu_of_dA", {RB, TRAIN}, relu_backward=relu_b("return np.maximum(dA, 0)")),
    mistake("relu_b_integer", {RB, TRAIN}, relu_backward=relu_b(
        "return (dA * (Z > 0)).astype(int)")),
    mistake("relu_b_returns_nothing", {RB, TRAIN}, relu_backward=relu_b("dZ = dA * (Z > 0)")),
    # ================================================================ numerical_gradient: correct
    correct("numgrad_copies", numerical_gradient=numgrad("""
        grad = np.zeros_like(x, dtype=float)
        for idx in np.ndindex(x.shape):
            xp, xm = x.copy(), x.copy()
            xp[idx] += h
            xm[idx] -= h
            grad[idx] = (f(xp) - f(xm)) / (2 * h)
        return grad
    """)),
    correct("numgrad_flat", numerical_gradient=numgrad("""
        grad = np.zeros(x.size)
        for i in range(x.size):
            old = x.flat[i]
            x.flat[i] = old + h
            fp = f(x)
            x.flat[i] = old - h
            fm = f(x)
            x.flat[i] = old
            grad[i] = (fp - fm) / (2 * h)
        return grad.reshape(x.shape)
    """)),
    correct("numgrad_nditer", numerical_gradient=numgrad("""
        grad = np.zeros_like(x, dtype=float)
        it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
        while not it.finished:
            i = it.multi_index
            old = x[i]
            x[i] = old + h
            fp = f(x)
            x[i] = old - h
            fm = f(x)
            x[i] = old
            grad[i] = (fp - fm) / (2 * h)
            it.iternext()
        return grad
    """)),
    correct("numgrad_add_then_subtract", numerical_gradient=numgrad("""
        grad = np.zeros(x.shape)
        for idx in np.ndindex(*x.shape):
            x[idx] += h
            fp = f(x)
            x[idx] -= 2 * h
            fm = f(x)
            x[idx] += h
            grad[idx] = (fp - fm) / (2 * h)
        return grad
    """)),
    correct("numgrad_basis_arrays", numerical_gradient=numgrad("""
        grad = []
        for i in range(x.size):
            e = np.zeros(x.size)
            e[i] = h
            e = e.reshape(x.shape)
            grad.append((f(x + e) - f(x - e)) / (2 * h))
        return np.array(grad).reshape(x.shape)
    """)),
    correct("numgrad_ravel_view", numerical_gradient=numgrad("""
        flat = x.reshape(-1)
        grad = np.empty(flat.shape)
        for i in range(flat.size):
            saved = flat[i]
            flat[i] = saved + h
            up = f(x)
            flat[i] = saved - h
            down = f(x)
            flat[i] = saved
            grad[i] = (up - down) / (2.0 * h)
        return grad.reshape(x.shape)
    """)),
    # ================================================================ numerical_gradient: mistakes
    mistake("numgrad_forward_difference", {NG}, numerical_gradient=numgrad("""
        grad = np.zeros_like(x, dtype=float)
        f0 = f(x)
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old + h
            grad[idx] = (f(x) - f0) / h
            x[idx] = old
        return grad
    """)),
    mistake("numgrad_backward_difference", {NG}, numerical_gradient=numgrad("""
        grad = np.zeros_like(x, dtype=float)
        f0 = f(x)
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old - h
            grad[idx] = (f0 - f(x)) / h
            x[idx] = old
        return grad
    """)),
    mistake("numgrad_not_restored", {NG}, numerical_gradient=numgrad("""
        grad = np.zeros_like(x, dtype=float)
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old + h
            fp = f(x)
            x[idx] = old - h
            fm = f(x)
            grad[idx] = (fp - fm) / (2 * h)
        return grad
    """)),
    mistake("numgrad_alias_not_copy", {NG}, numerical_gradient=numgrad("""
        grad = np.zeros_like(x, dtype=float)
        for idx in np.ndindex(x.shape):
            xp = x
            xp[idx] += h
            fp = f(xp)
            xm = x
            xm[idx] -= h
            grad[idx] = (fp - f(xm)) / (2 * h)
        return grad
    """)),
    mistake("numgrad_only_1d", {NG}, numerical_gradient=numgrad("""
        grad = np.zeros(len(x))
        for i in range(len(x)):
            old = x[i]
            x[i] = old + h
            fp = f(x)
            x[i] = old - h
            fm = f(x)
            x[i] = old
            grad[i] = (fp - fm) / (2 * h)
        return grad
    """)),
    mistake("numgrad_divides_by_h", {NG}, numerical_gradient=numgrad("""
        grad = np.zeros_like(x, dtype=float)
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old + h
            fp = f(x)
            x[idx] = old - h
            fm = f(x)
            x[idx] = old
            grad[idx] = (fp - fm) / h
        return grad
    """)),
    mistake("numgrad_perturbs_everything", {NG}, numerical_gradient=numgrad(
        "return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))")),
    mistake("numgrad_minus_step_only_undoes_plus", {NG}, numerical_gradient=numgrad("""
        grad = np.zeros_like(x, dtype=float)
        for idx in np.ndindex(x.shape):
            x[idx] = x[idx] + h
            fp = f(x)
            x[idx] = x[idx] - h
            fm = f(x)
            grad[idx] = (fp - fm) / (2 * h)
        return grad
    """)),
    mistake("numgrad_flattened_result", {NG}, numerical_gradient=numgrad("""
        grad = np.zeros(x.size)
        for i in range(x.size):
            old = x.flat[i]
            x.flat[i] = old + h
            fp = f(x)
            x.flat[i] = old - h
            fm = f(x)
            x.flat[i] = old
            grad[i] = (fp - fm) / (2 * h)
        return grad
    """)),
    # ================================================================ sgd_update: correct
    correct("sgd_loop_new_dict", sgd_update=sgd("""
        new = {}
        for name in params:
            new[name] = params[name] - lr * grads[name]
        return new
    """)),
    correct("sgd_deepcopy_then_in_place", sgd_update=sgd("""
        import copy
        new = copy.deepcopy(params)
        for name in new:
            new[name] -= lr * grads[name]
        return new
    """)),
    correct("sgd_copies_then_in_place", sgd_update=sgd("""
        new = {k: v.copy() for k, v in params.items()}
        for k in new:
            new[k] -= lr * grads[k]
        return new
    """)),
    correct("sgd_np_subtract", sgd_update=sgd(
        "return {k: np.subtract(params[k], np.multiply(lr, grads[k])) for k in params.keys()}")),
    correct("sgd_dict_zip", sgd_update=sgd(
        "keys = list(params)\n"
        "return dict(zip(keys, [params[k] + (-lr) * grads[k] for k in keys]))")),
    # ================================================================ sgd_update: mistakes
    mistake("sgd_in_place_arrays", {SGD}, sgd_update=sgd("""
        for name in params:
            params[name] -= lr * grads[name]
        return params
    """)),
    mistake("sgd_rebinds_input_dict", {SGD}, sgd_update=sgd("""
        for name in params:
            params[name] = params[name] - lr * grads[name]
        return params
    """)),
    mistake("sgd_shallow_copy_in_place", {SGD}, sgd_update=sgd("""
        new = dict(params)
        for name in new:
            new[name] -= lr * grads[name]
        return new
    """)),
    mistake("sgd_only_weights", {SGD, TRAIN}, sgd_update=sgd(
        "return {k: (v - lr * grads[k] if k.startswith('W') else v) for k, v in params.items()}")),
    mistake("sgd_plus", {SGD, TRAIN}, sgd_update=sgd(
        "return {k: v + lr * grads[k] for k, v in params.items()}")),
    mistake("sgd_no_learning_rate", {SGD, TRAIN}, sgd_update=sgd(
        "return {k: v - grads[k] for k, v in params.items()}")),
    mistake("sgd_scales_params", {SGD, TRAIN}, sgd_update=sgd(
        "return {k: lr * (v - grads[k]) for k, v in params.items()}")),
    mistake("sgd_modifies_grads", {SGD}, sgd_update=sgd("""
        for k in grads:
            grads[k] *= lr
        return {k: v - grads[k] for k, v in params.items()}
    """)),
    mistake("sgd_returns_list", {SGD, TRAIN}, sgd_update=sgd(
        "return [params[k] - lr * grads[k] for k in params]")),
    mistake("sgd_returns_nothing", {SGD, TRAIN}, sgd_update=sgd(
        "new = {k: v - lr * grads[k] for k, v in params.items()}")),
    # ================================================================ train_mlp: correct
    correct("train_inline_math", train_mlp=train_with(loop=INLINE_LOOP)),
    correct("train_legacy_seed_randn", train_mlp=train_with(init="""
        np.random.seed(seed)
        d_in, k = X.shape[1], int(y.max()) + 1
        params = {"W1": np.random.randn(hidden, d_in) * np.sqrt(2.0 / d_in),
                  "b1": np.zeros(hidden),
                  "W2": np.random.randn(k, hidden) * np.sqrt(2.0 / hidden),
                  "b2": np.zeros(k)}
    """)),
    correct("train_standard_normal_biases_between", train_mlp=train_with(init="""
        rng = np.random.default_rng(seed)
        d_in, k = X.shape[1], len(np.unique(y))
        W1 = rng.standard_normal((hidden, d_in)) * np.sqrt(2 / d_in)
        b1 = np.zeros(hidden)
        W2 = rng.standard_normal((k, hidden)) * np.sqrt(2 / hidden)
        params = dict(W1=W1, b1=b1, W2=W2, b2=np.zeros(k))
    """)),
    correct("train_small_random_biases", train_mlp=train_with(init="""
        rng = np.random.default_rng(seed)
        d_in, k = X.shape[1], int(y.max()) + 1
        params = {"W1": rng.normal(0, np.sqrt(2 / d_in), (hidden, d_in)),
                  "b1": rng.normal(0, 0.1, hidden),
                  "W2": rng.normal(0, np.sqrt(2 / hidden), (k, hidden)),
                  "b2": np.zeros(k)}
    """)),
    correct("train_glorot_uniform", train_mlp=train_with(init="""
        rng = np.random.default_rng(seed)
        d_in, k = X.shape[1], int(y.max()) + 1
        a1, a2 = np.sqrt(6 / (d_in + hidden)), np.sqrt(6 / (hidden + k))
        params = {"W1": rng.uniform(-a1, a1, (hidden, d_in)), "b1": np.zeros(hidden),
                  "W2": rng.uniform(-a2, a2, (k, hidden)), "b2": np.zeros(k)}
    """)),
    correct("train_torch_like_uniform", train_mlp=train_with(init="""
        rng = np.random.default_rng(seed)
        d_in, k = X.shape[1], int(y.max()) + 1
        a1, a2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
        params = {"W1": rng.uniform(-a1, a1, (hidden, d_in)), "b1": rng.uniform(-a1, a1, hidden),
                  "W2": rng.uniform(-a2, a2, (k, hidden)), "b2": rng.uniform(-a2, a2, k)}
    """)),
    correct("train_xavier_normal", train_mlp=train_with(init="""
        rng = np.random.default_rng(seed)
        d_in, k = X.shape[1], int(y.max()) + 1
        params = {"W1": rng.normal(0, np.sqrt(2 / (d_in + hidden)), (hidden, d_in)),
                  "b1": np.zeros(hidden),
                  "W2": rng.normal(0, np.sqrt(2 / (hidden + k)), (k, hidden)),
                  "b2": np.zeros(k)}
    """)),
    correct("train_small_normal", train_mlp=train_with(init="""
        rng = np.random.default_rng(seed)
        d_in, k = X.shape[1], int(y.max()) + 1
        params = {"W1": rng.normal(0, 0.1, (hidden, d_in)), "b1": np.zeros(hidden),
                  "W2": rng.normal(0, 0.1, (k, hidden)), "b2": np.zeros(k)}
    """)),
    correct("train_while_loop_with_losses", train_mlp=train_with(loop="""
        losses = []
        epoch = 0
        X = np.asarray(X, dtype=float)
        while epoch < epochs:
            Z1 = dense_forward(X, params["W1"], params["b1"])
            A1 = relu(Z1)
            loss, d_logits = softmax_cross_entropy(dense_forward(A1, params["W2"], params["b2"]), y)
            losses.append(loss)
            dA1, dW2, db2 = dense_backward(d_logits, A1, params["W2"])
            dX, dW1, db1 = dense_backward(relu_backward(dA1, Z1), X, params["W1"])
            params = sgd_update(params, dict(W1=dW1, b1=db1, W2=dW2, b2=db2), lr)
            epoch += 1
        return params
    """)),
    # ================================================================ train_mlp: mistakes
    mistake("train_no_update", {TRAIN}, train_mlp=train_with(loop=LOOP.replace(
        "params = sgd_update(params, grads, lr)", "sgd_update(params, grads, lr)"))),
    mistake("train_gradient_ascent", {TRAIN}, train_mlp=train_with(loop=LOOP.replace(
        "sgd_update(params, grads, lr)", "sgd_update(params, grads, -lr)"))),
    mistake("train_no_relu_in_forward", {TRAIN}, train_mlp=train_with(loop=LOOP.replace(
        "A1 = relu(Z1)", "A1 = Z1"))),
    mistake("train_tanh_network", {TRAIN}, train_mlp=train_with(loop=LOOP.replace(
        "A1 = relu(Z1)", "A1 = np.tanh(Z1)").replace(
        "relu_backward(dA1, Z1)", "dA1 * (1 - A1 ** 2)"))),
    mistake("train_W2_transposed", {TRAIN}, train_mlp=train_with(
        init=HE_INIT.replace("size=(k, hidden)", "size=(hidden, k)"),
        loop=LOOP.replace('params["W2"]', 'params["W2"].T'))),
    mistake("train_zero_init", {TRAIN}, train_mlp=train_with(init="""
        d_in, k = X.shape[1], int(y.max()) + 1
        params = {"W1": np.zeros((hidden, d_in)), "b1": np.zeros(hidden),
                  "W2": np.zeros((k, hidden)), "b2": np.zeros(k)}
    """)),
    mistake("train_tiny_init_plateau", {TRAIN}, train_mlp=train_with(init="""
        np.random.seed(seed)
        d_in, k = X.shape[1], int(y.max()) + 1
        params = {"W1": 0.01 * np.random.randn(hidden, d_in), "b1": np.zeros(hidden),
                  "W2": 0.01 * np.random.randn(k, hidden), "b2": np.zeros(k)}
    """)),
    mistake("train_ignores_seed", {TRAIN}, train_mlp=train_with(
        init=HE_INIT.replace("default_rng(seed)", "default_rng(0)"))),
    mistake("train_unseeded", {TRAIN}, train_mlp=train_with(
        init=HE_INIT.replace("default_rng(seed)", "default_rng()"))),
    mistake("train_two_classes_only", {TRAIN}, train_mlp=train_with(
        init=HE_INIT.replace("int(y.max()) + 1", "2"))),
    mistake("train_ignores_epochs", {TRAIN}, train_mlp=train_with(
        loop=LOOP.replace("range(epochs)", "range(500)"))),
    mistake("train_ignores_lr", {TRAIN}, train_mlp=train_with(
        loop=LOOP.replace("sgd_update(params, grads, lr)", "sgd_update(params, grads, 0.5)"))),
    mistake("train_ignores_hidden", {TRAIN}, train_mlp=train_with(
        init=HE_INIT.replace("(hidden, d_in)", "(16, d_in)").replace(
            "np.zeros(hidden)", "np.zeros(16)").replace("(k, hidden)", "(k, 16)"))),
    mistake("train_biases_frozen", {TRAIN}, train_mlp=train_with(loop=LOOP.replace(
        'grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}',
        'grads = {"W1": dW1, "b1": 0 * db1, "W2": dW2, "b2": 0 * db2}'))),
    mistake("train_standardises_X_in_place", {TRAIN}, train_mlp=train_with(
        init="X -= X.mean(axis=0)\nX /= X.std(axis=0)\n" + HE_INIT)),
    mistake("train_minibatches", {TRAIN}, train_mlp=train_with(loop="""
        for _ in range(epochs):
            for batch in np.array_split(rng.permutation(len(X)), 4):
                Xb, yb = X[batch], y[batch]
                Z1 = dense_forward(Xb, params["W1"], params["b1"])
                A1 = relu(Z1)
                logits = dense_forward(A1, params["W2"], params["b2"])
                _, d_logits = softmax_cross_entropy(logits, yb)
                dA1, dW2, db2 = dense_backward(d_logits, A1, params["W2"])
                _, dW1, db1 = dense_backward(relu_backward(dA1, Z1), Xb, params["W1"])
                params = sgd_update(params, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}, lr)
        return params
    """)),
    mistake("train_first_layer_only", {TRAIN}, train_mlp=train_with(loop=LOOP.replace(
        '"W2": dW2, "b2": db2}', '"W2": 0 * dW2, "b2": 0 * db2}'))),
    # ================================================================ predict_mlp: correct
    correct("predict_inline", predict_mlp=predict("""
        H = np.maximum(X @ params["W1"].T + params["b1"], 0)
        return np.argmax(H @ params["W2"].T + params["b2"], axis=-1)
    """)),
    correct("predict_softmax_then_argmax", predict_mlp=predict("""
        logits = dense_forward(relu(dense_forward(X, params["W1"], params["b1"])),
                               params["W2"], params["b2"])
        return softmax(logits).argmax(axis=1).astype(np.int32)
    """)),
    correct("predict_loop_list", predict_mlp=predict("""
        labels = []
        for x in X:
            h = np.maximum(params["W1"] @ x + params["b1"], 0)
            labels.append(int(np.argmax(params["W2"] @ h + params["b2"])))
        return labels
    """)),
    correct("predict_einsum", predict_mlp=predict("""
        h = np.clip(np.einsum("ni,hi->nh", X, params["W1"]) + params["b1"], 0, None)
        return np.einsum("nh,kh->nk", h, params["W2"]).__add__(params["b2"]).argmax(1)
    """)),
    # ================================================================ predict_mlp: mistakes
    mistake("predict_probabilities", {PRED}, predict_mlp=predict("""
        A1 = relu(dense_forward(X, params["W1"], params["b1"]))
        return softmax(dense_forward(A1, params["W2"], params["b2"]))
    """)),
    mistake("predict_logits", {PRED}, predict_mlp=predict(
        'return dense_forward(relu(dense_forward(X, params["W1"], params["b1"])), '
        'params["W2"], params["b2"])')),
    mistake("predict_argmax_axis0", {PRED}, predict_mlp=predict("""
        A1 = relu(dense_forward(X, params["W1"], params["b1"]))
        return dense_forward(A1, params["W2"], params["b2"]).argmax(axis=0)
    """)),
    mistake("predict_no_relu", {PRED}, predict_mlp=predict("""
        A1 = dense_forward(X, params["W1"], params["b1"])
        return dense_forward(A1, params["W2"], params["b2"]).argmax(axis=1)
    """)),
    mistake("predict_tanh", {PRED}, predict_mlp=predict("""
        A1 = np.tanh(dense_forward(X, params["W1"], params["b1"]))
        return dense_forward(A1, params["W2"], params["b2"]).argmax(axis=1)
    """)),
    mistake("predict_threshold_class_one", {PRED}, predict_mlp=predict("""
        A1 = relu(dense_forward(X, params["W1"], params["b1"]))
        p = softmax(dense_forward(A1, params["W2"], params["b2"]))
        return (p[:, 1] > 0.5).astype(int)
    """)),
    mistake("predict_float_labels", {PRED}, predict_mlp=predict("""
        A1 = relu(dense_forward(X, params["W1"], params["b1"]))
        return dense_forward(A1, params["W2"], params["b2"]).argmax(axis=1).astype(float)
    """)),
    mistake("predict_column_of_labels", {PRED}, predict_mlp=predict("""
        A1 = relu(dense_forward(X, params["W1"], params["b1"]))
        return dense_forward(A1, params["W2"], params["b2"]).argmax(axis=1).reshape(-1, 1)
    """)),
    mistake("predict_hidden_layer_argmax", {PRED}, predict_mlp=predict(
        'return relu(dense_forward(X, params["W1"], params["b1"])).argmax(axis=1)')),
    mistake("predict_max_not_argmax", {PRED}, predict_mlp=predict("""
        A1 = relu(dense_forward(X, params["W1"], params["b1"]))
        return dense_forward(A1, params["W2"], params["b2"]).max(axis=1)
    """)),
]
