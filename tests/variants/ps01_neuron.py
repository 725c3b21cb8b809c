"""ps01_neuron: alternative correct implementations and common mistakes."""

from variants import Variant, correct, mistake

RELU, DENSE, LAYER, COLLAPSE = (
    "test_relu",
    "test_dense_forward",
    "test_layer_forward",
    "test_collapse_linear",
)


def relu(body: str) -> str:
    return f"def relu(z):\n{body}"


def dense(body: str) -> str:
    return f"def dense_forward(X, W, b):\n{body}"


def layer(body: str) -> str:
    return f"def layer_forward(X, W, b, activation):\n{body}"


def collapse(body: str) -> str:
    return f"def collapse_linear(W1, b1, W2, b2):\n{body}"


VARIANTS: list[Variant] = [
    # ---- relu: correct alternatives
    correct("relu_where", relu=relu("    return np.where(z > 0, z, 0.0)")),
    correct("relu_mask_multiply", relu=relu("    return z * (z > 0)")),
    correct("relu_clip", relu=relu("    return np.clip(z, 0, None)")),
    correct("relu_abs_trick", relu=relu("    return (z + np.abs(z)) / 2")),
    correct(
        "relu_copy_then_assign",
        relu=relu(
            "    out = np.array(z, dtype=float, copy=True)\n    out[out < 0] = 0\n    return out"
        ),
    ),
    correct(
        "relu_python_loop",
        relu=relu(
            "    flat = [v if v > 0 else 0.0 for v in np.ravel(z)]\n"
            "    return np.array(flat).reshape(np.shape(z))"
        ),
    ),
    correct("relu_vectorize", relu=relu("    return np.vectorize(lambda v: max(v, 0.0))(z)")),
    correct("relu_heaviside", relu=relu("    return z * np.heaviside(z, 0.0)")),
    # ---- relu: mistakes
    mistake("relu_abs", {RELU}, relu=relu("    return np.abs(z)")),
    mistake("relu_min_instead_of_max", {RELU}, relu=relu("    return np.minimum(z, 0)")),
    mistake("relu_step_function", {RELU}, relu=relu("    return (z > 0).astype(float)")),
    mistake("relu_leaky", {RELU}, relu=relu("    return np.where(z > 0, z, 0.01 * z)")),
    mistake("relu_cast_to_int", {RELU}, relu=relu("    return np.maximum(z, 0).astype(int)")),
    mistake("relu_builtin_max", {RELU}, relu=relu("    return max(0, z)")),
    mistake("relu_in_place", {RELU}, relu=relu("    z[z < 0] = 0\n    return z")),
    mistake("relu_out_param_in_place", {RELU}, relu=relu("    return np.maximum(z, 0, out=z)")),
    mistake("relu_flattens", {RELU}, relu=relu("    return np.maximum(np.ravel(z), 0)")),
    mistake(
        "relu_2d_loops",
        {RELU},
        relu=relu(
            "    out = np.zeros_like(z)\n"
            "    for i in range(z.shape[0]):\n"
            "        for j in range(z.shape[1]):\n"
            "            out[i, j] = max(z[i, j], 0)\n"
            "    return out"
        ),
    ),
    mistake("relu_returns_nothing", {RELU}, relu=relu("    np.maximum(z, 0)")),
    # ---- dense_forward: correct alternatives
    correct("dense_np_dot", dense_forward=dense("    return np.dot(X, W.T) + b")),
    correct("dense_einsum", dense_forward=dense("    return np.einsum('nd,od->no', X, W) + b")),
    correct("dense_transposed_product", dense_forward=dense("    return (W @ X.T).T + b")),
    correct(
        "dense_tensordot",
        dense_forward=dense("    return np.tensordot(X, W, axes=([1], [1])) + b[np.newaxis, :]"),
    ),
    correct(
        "dense_loop_over_samples",
        dense_forward=dense("    return np.array([W @ x + b for x in X])"),
    ),
    correct(
        "dense_triple_loop",
        dense_forward=dense(
            "    n, d_in = X.shape\n    d_out = W.shape[0]\n    Z = np.zeros((n, d_out))\n"
            "    for i in range(n):\n        for j in range(d_out):\n"
            "            Z[i, j] = b[j]\n"
            "            for k in range(d_in):\n                Z[i, j] += X[i, k] * W[j, k]\n"
            "    return Z"
        ),
    ),
    correct(
        "dense_matmul_method",
        dense_forward=dense("    return X.dot(W.transpose()) + b.reshape(1, -1)"),
    ),
    # ---- dense_forward: mistakes (layer_forward calls dense_forward, so it fails too)
    mistake("dense_no_transpose", {DENSE, LAYER}, dense_forward=dense("    return X @ W + b")),
    mistake(
        "dense_wrong_orientation", {DENSE, LAYER}, dense_forward=dense("    return W @ X.T + b")
    ),
    mistake(
        "dense_orientation_then_transpose",
        {DENSE, LAYER},
        dense_forward=dense("    return (W @ X.T + b).T"),
    ),
    mistake("dense_no_bias", {DENSE, LAYER}, dense_forward=dense("    return X @ W.T")),
    mistake("dense_minus_bias", {DENSE, LAYER}, dense_forward=dense("    return X @ W.T - b")),
    mistake(
        "dense_bias_as_column",
        {DENSE, LAYER},
        dense_forward=dense("    return X @ W.T + b.reshape(-1, 1)"),
    ),
    mistake(
        "dense_summed_bias", {DENSE, LAYER}, dense_forward=dense("    return X @ W.T + b.sum()")
    ),
    mistake(
        "dense_first_sample_only", {DENSE, LAYER}, dense_forward=dense("    return W @ X[0] + b")
    ),
    mistake(
        "dense_float16",
        {DENSE, LAYER},
        dense_forward=dense("    return (X.astype(np.float16) @ W.T.astype(np.float16)) + b"),
    ),
    # ---- layer_forward: correct alternatives
    correct("layer_inline", layer_forward=layer("    return activation(X @ W.T + b)")),
    correct(
        "layer_row_by_row",
        layer_forward=layer(
            "    Z = dense_forward(X, W, b)\n    return np.array([activation(row) for row in Z])"
        ),
    ),
    correct(
        "layer_vectorize",
        layer_forward=layer("    return np.vectorize(activation)(dense_forward(X, W, b))"),
    ),
    # ---- layer_forward: mistakes
    mistake(
        "layer_activation_first",
        {LAYER},
        layer_forward=layer("    return dense_forward(activation(X), W, b)"),
    ),
    mistake(
        "layer_always_relu",
        {LAYER},
        layer_forward=layer("    return np.maximum(dense_forward(X, W, b), 0)"),
    ),
    mistake(
        "layer_activation_twice",
        {LAYER},
        layer_forward=layer("    return activation(activation(dense_forward(X, W, b)))"),
    ),
    mistake(
        "layer_no_activation", {LAYER}, layer_forward=layer("    return dense_forward(X, W, b)")
    ),
    mistake("layer_no_transpose", {LAYER}, layer_forward=layer("    return activation(X @ W + b)")),
    mistake(
        "layer_bias_after_activation",
        {LAYER},
        layer_forward=layer("    return activation(X @ W.T) + b"),
    ),
    # ---- collapse_linear: correct alternatives
    correct(
        "collapse_np_dot",
        collapse_linear=collapse("    return np.dot(W2, W1), np.dot(W2, b1) + b2"),
    ),
    correct(
        "collapse_row_vector_bias", collapse_linear=collapse("    return W2 @ W1, b1 @ W2.T + b2")
    ),
    correct(
        "collapse_returns_list", collapse_linear=collapse("    return [W2 @ W1, W2 @ b1 + b2]")
    ),
    correct(
        "collapse_einsum",
        collapse_linear=collapse(
            "    W = np.einsum('oh,hi->oi', W2, W1)\n"
            "    b = np.einsum('oh,h->o', W2, b1) + b2\n    return W, b"
        ),
    ),
    correct(
        "collapse_by_probing",
        collapse_linear=collapse(
            "    d_in = W1.shape[1]\n"
            "    two = lambda X: dense_forward(dense_forward(X, W1, b1), W2, b2)\n"
            "    b = two(np.zeros((1, d_in)))[0]\n"
            "    W = (two(np.eye(d_in)) - b).T\n"
            "    return W, b"
        ),
    ),
    # ---- collapse_linear: mistakes
    mistake(
        "collapse_wrong_order",
        {COLLAPSE},
        collapse_linear=collapse("    return W1 @ W2, W2 @ b1 + b2"),
    ),
    mistake(
        "collapse_transposed_product",
        {COLLAPSE},
        collapse_linear=collapse("    return W1.T @ W2.T, W2 @ b1 + b2"),
    ),
    mistake(
        "collapse_add_biases", {COLLAPSE}, collapse_linear=collapse("    return W2 @ W1, b1 + b2")
    ),
    mistake(
        "collapse_forget_b2", {COLLAPSE}, collapse_linear=collapse("    return W2 @ W1, W2 @ b1")
    ),
    mistake("collapse_forget_b1", {COLLAPSE}, collapse_linear=collapse("    return W2 @ W1, b2")),
    mistake(
        "collapse_elementwise",
        {COLLAPSE},
        collapse_linear=collapse("    return W2 * W1, W2 @ b1 + b2"),
    ),
    mistake(
        "collapse_swapped_pair",
        {COLLAPSE},
        collapse_linear=collapse("    return W2 @ b1 + b2, W2 @ W1"),
    ),
    mistake(
        "collapse_modifies_b2",
        {COLLAPSE},
        collapse_linear=collapse("    b2 += W2 @ b1\n    return W2 @ W1, b2"),
    ),
    mistake("collapse_only_W", {COLLAPSE}, collapse_linear=collapse("    return W2 @ W1")),
]
