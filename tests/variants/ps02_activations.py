"""ps02_activations: alternative correct implementations and common mistakes."""

from variants import Variant, correct, mistake

SIG, SIG_GRAD, TANH_GRAD, RELU_GRAD, SOFTMAX = (
    "test_sigmoid",
    "test_sigmoid_grad",
    "test_tanh_grad",
    "test_relu_grad",
    "test_softmax",
)


def sigmoid(body: str) -> str:
    return f"def sigmoid(z):\n{body}"


def sigmoid_grad(body: str) -> str:
    return f"def sigmoid_grad(z):\n{body}"


def tanh_grad(body: str) -> str:
    return f"def tanh_grad(z):\n{body}"


def relu_grad(body: str) -> str:
    return f"def relu_grad(z):\n{body}"


def softmax(body: str) -> str:
    return f"def softmax(Z):\n{body}"


NAIVE_SIGMOID = sigmoid("    return 1.0 / (1.0 + np.exp(-z))")

VARIANTS: list[Variant] = [
    # ---- sigmoid: correct alternatives
    correct(
        "sigmoid_expit",
        sigmoid=sigmoid("    from scipy.special import expit\n    return expit(z)"),
    ),
    correct("sigmoid_tanh_form", sigmoid=sigmoid("    return 0.5 * (1.0 + np.tanh(z / 2.0))")),
    correct(
        "sigmoid_masked_branches",
        sigmoid=sigmoid(
            "    z = np.asarray(z, dtype=float)\n"
            "    out = np.empty_like(z)\n"
            "    pos = z >= 0\n"
            "    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))\n"
            "    ez = np.exp(z[~pos])\n"
            "    out[~pos] = ez / (1.0 + ez)\n"
            "    return out"
        ),
    ),
    correct(
        "sigmoid_exp_abs_where",
        sigmoid=sigmoid(
            "    e = np.exp(-np.abs(z))\n"
            "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))"
        ),
    ),
    correct(
        "sigmoid_exp_abs_arithmetic",
        sigmoid=sigmoid(
            "    e = np.exp(-np.abs(z))\n"
            "    s = 1.0 / (1.0 + e)\n"
            "    return np.where(z >= 0, s, 1.0 - s)"
        ),
    ),
    correct(
        "sigmoid_logaddexp",
        sigmoid=sigmoid("    return np.exp(-np.logaddexp(0.0, -z))"),
    ),
    correct(
        "sigmoid_errstate_ignore",
        sigmoid=sigmoid(
            "    with np.errstate(over='ignore'):\n        return 1.0 / (1.0 + np.exp(-z))"
        ),
    ),
    correct(
        "sigmoid_clip_then_naive",
        sigmoid=sigmoid("    return 1.0 / (1.0 + np.exp(-np.clip(z, -500.0, 500.0)))"),
    ),
    correct(
        "sigmoid_piecewise",
        sigmoid=sigmoid(
            "    z = np.asarray(z, dtype=float)\n"
            "    return np.piecewise(z, [z >= 0, z < 0],\n"
            "                        [lambda v: 1.0 / (1.0 + np.exp(-v)),\n"
            "                         lambda v: np.exp(v) / (1.0 + np.exp(v))])"
        ),
    ),
    correct(
        "sigmoid_exp_where_out",
        sigmoid=sigmoid(
            "    z = np.asarray(z, dtype=float)\n"
            "    neg = z < 0\n"
            "    e = np.exp(np.where(neg, z, -z))\n"
            "    return np.where(neg, e / (1.0 + e), 1.0 / (1.0 + e))"
        ),
    ),
    correct(
        "sigmoid_python_loop",
        sigmoid=sigmoid(
            "    import math\n"
            "    def one(v):\n"
            "        if v >= 0:\n"
            "            return 1.0 / (1.0 + math.exp(-v))\n"
            "        e = math.exp(v)\n"
            "        return e / (1.0 + e)\n"
            "    z = np.asarray(z, dtype=float)\n"
            "    return np.array([one(v) for v in z.ravel()]).reshape(z.shape)"
        ),
    ),
    correct(
        "sigmoid_vectorize",
        sigmoid=sigmoid(
            "    f = np.vectorize(lambda v: 1.0 / (1.0 + np.exp(-v)) if v >= 0\n"
            "                     else np.exp(v) / (1.0 + np.exp(v)), otypes=[float])\n"
            "    return f(z)"
        ),
    ),
    correct(
        "sigmoid_copy_then_assign",
        sigmoid=sigmoid(
            "    out = np.array(z, dtype=float, copy=True)\n"
            "    pos = out >= 0\n"
            "    out[pos] = 1.0 / (1.0 + np.exp(-out[pos]))\n"
            "    out[~pos] = np.exp(out[~pos]) / (1.0 + np.exp(out[~pos]))\n"
            "    return out"
        ),
    ),
    correct(
        "sigmoid_where_inside_errstate_ignore",
        sigmoid=sigmoid(
            "    with np.errstate(over='ignore', invalid='ignore'):\n"
            "        return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)),\n"
            "                        np.exp(z) / (1.0 + np.exp(z)))"
        ),
    ),
    # ---- sigmoid: mistakes
    mistake("sigmoid_naive_overflows", {SIG}, sigmoid=NAIVE_SIGMOID),
    mistake(
        "sigmoid_where_both_branches_overflow",
        {SIG},
        sigmoid=sigmoid(
            "    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)),\n"
            "                    np.exp(z) / (1.0 + np.exp(z)))"
        ),
    ),
    mistake(
        "sigmoid_exp_over_one_plus_exp_nan",
        {SIG},
        sigmoid=sigmoid("    return np.exp(z) / (1.0 + np.exp(z))"),
    ),
    mistake("sigmoid_sign_error", {SIG}, sigmoid=sigmoid("    return 1.0 / (1.0 + np.exp(z))")),
    mistake(
        "sigmoid_exp_abs_without_branch",
        {SIG},
        sigmoid=sigmoid("    e = np.exp(-np.abs(z))\n    return 1.0 / (1.0 + e)"),
    ),
    mistake(
        "sigmoid_tanh_without_half",
        {SIG},
        sigmoid=sigmoid("    return 0.5 * (1.0 + np.tanh(z))"),
    ),
    mistake(
        "sigmoid_clip_too_tight",
        {SIG},
        sigmoid=sigmoid("    return 1.0 / (1.0 + np.exp(-np.clip(z, -10.0, 10.0)))"),
    ),
    mistake(
        "sigmoid_float32_overflows",
        {SIG},
        sigmoid=sigmoid("    z32 = np.asarray(z, dtype=np.float32)\n"
                        "    return 1.0 / (1.0 + np.exp(-z32))"),
    ),
    mistake(
        "sigmoid_python_math_exp",
        {SIG},
        sigmoid=sigmoid(
            "    import math\n"
            "    z = np.asarray(z, dtype=float)\n"
            "    return np.array([1.0 / (1.0 + math.exp(-v)) for v in z.ravel()]).reshape(z.shape)"
        ),
    ),
    mistake(
        "sigmoid_in_place",
        {SIG},
        sigmoid=sigmoid(
            "    z = np.asarray(z)\n"
            "    pos = z >= 0\n"
            "    e = np.exp(-np.abs(z))\n"
            "    z[pos] = 1.0 / (1.0 + e[pos])\n"
            "    z[~pos] = e[~pos] / (1.0 + e[~pos])\n"
            "    return z"
        ),
    ),
    mistake(
        "sigmoid_epsilon_fudge",
        {SIG},
        sigmoid=sigmoid(
            "    e = np.exp(-np.abs(z))\n"
            "    return np.where(z >= 0, 1.0 / (1.0 + e + 1e-9), e / (1.0 + e + 1e-9))"
        ),
    ),
    mistake(
        "sigmoid_1d_loop_only",
        {SIG},
        sigmoid=sigmoid(
            "    out = np.zeros(len(z))\n"
            "    for i in range(len(z)):\n"
            "        e = np.exp(-abs(z[i]))\n"
            "        out[i] = 1 / (1 + e) if z[i] >= 0 else e / (1 + e)\n"
            "    return out"
        ),
    ),
    mistake(
        "sigmoid_returns_nothing",
        {SIG},
        sigmoid=sigmoid("    from scipy.special import expit\n    expit(z)"),
    ),
    # ---- sigmoid_grad: correct alternatives
    correct(
        "sigmoid_grad_from_sigmoid",
        sigmoid_grad=sigmoid_grad("    s = sigmoid(z)\n    return s * (1.0 - s)"),
    ),
    correct(
        "sigmoid_grad_s_minus_s_squared",
        sigmoid_grad=sigmoid_grad("    s = sigmoid(z)\n    return s - s**2"),
    ),
    correct(
        "sigmoid_grad_sigmoid_of_minus_z",
        sigmoid_grad=sigmoid_grad("    return sigmoid(z) * sigmoid(-z)"),
    ),
    correct(
        "sigmoid_grad_expit",
        sigmoid_grad=sigmoid_grad(
            "    from scipy.special import expit\n    return expit(z) * (1.0 - expit(z))"
        ),
    ),
    correct(
        "sigmoid_grad_exp_abs",
        sigmoid_grad=sigmoid_grad("    e = np.exp(-np.abs(z))\n    return e / (1.0 + e) ** 2"),
    ),
    correct(
        "sigmoid_grad_via_tanh",
        sigmoid_grad=sigmoid_grad("    return 0.25 * (1.0 - np.tanh(z / 2.0) ** 2)"),
    ),
    correct(
        "sigmoid_grad_cosh",
        sigmoid_grad=sigmoid_grad("    return 0.25 / np.cosh(z / 2.0) ** 2"),
    ),
    # Built on the naive sigmoid: warns at z = -1000 but its values are right and finite.
    correct(
        "sigmoid_grad_on_naive_sigmoid",
        sigmoid_grad=sigmoid_grad(
            "    s = 1.0 / (1.0 + np.exp(-z))\n    return s * (1.0 - s)"
        ),
    ),
    # Formulas whose intermediate exp overflows (a warning) but whose result is a finite 0.0.
    correct(
        "sigmoid_grad_reciprocal_of_exp_sum",
        sigmoid_grad=sigmoid_grad("    return 1.0 / (np.exp(z) + 2.0 + np.exp(-z))"),
    ),
    # A naive sigmoid loses the sigmoid's points only; a sigmoid_grad built on it is right.
    mistake(
        "naive_sigmoid_with_grad_built_on_it",
        {SIG},
        sigmoid=NAIVE_SIGMOID,
        sigmoid_grad=sigmoid_grad("    s = sigmoid(z)\n    return s * (1.0 - s)"),
    ),
    mistake(
        "clipped_sigmoid_with_grad_built_on_it",
        {SIG, SIG_GRAD},
        sigmoid=sigmoid("    return 1.0 / (1.0 + np.exp(-np.clip(z, -10.0, 10.0)))"),
        sigmoid_grad=sigmoid_grad("    s = sigmoid(z)\n    return s * (1.0 - s)"),
    ),
    # ---- sigmoid_grad: mistakes
    mistake(
        "sigmoid_grad_naive_exp_nan",
        {SIG_GRAD},
        sigmoid_grad=sigmoid_grad("    return np.exp(-z) / (1.0 + np.exp(-z)) ** 2"),
    ),
    mistake(
        "sigmoid_grad_output_formula_on_input",
        {SIG_GRAD},
        sigmoid_grad=sigmoid_grad("    return z * (1.0 - z)"),
    ),
    mistake(
        "sigmoid_grad_missing_one_minus",
        {SIG_GRAD},
        sigmoid_grad=sigmoid_grad("    return sigmoid(z) ** 2"),
    ),
    mistake(
        "sigmoid_grad_tanh_formula",
        {SIG_GRAD},
        sigmoid_grad=sigmoid_grad("    return 1.0 - sigmoid(z) ** 2"),
    ),
    mistake(
        "sigmoid_grad_mixed_input_output",
        {SIG_GRAD},
        sigmoid_grad=sigmoid_grad("    return sigmoid(z) * (1.0 - z)"),
    ),
    mistake(
        "sigmoid_grad_plus_sign",
        {SIG_GRAD},
        sigmoid_grad=sigmoid_grad("    s = sigmoid(z)\n    return s * (1.0 + s)"),
    ),
    mistake(
        "sigmoid_grad_returns_sigmoid",
        {SIG_GRAD},
        sigmoid_grad=sigmoid_grad("    return sigmoid(z)"),
    ),
    mistake(
        "sigmoid_grad_factor_four",
        {SIG_GRAD},
        sigmoid_grad=sigmoid_grad("    return 1.0 - np.tanh(z / 2.0) ** 2"),
    ),
    mistake(
        "sigmoid_grad_exp_over_square_positive_branch",
        {SIG_GRAD},
        sigmoid_grad=sigmoid_grad("    return np.exp(z) / (1.0 + np.exp(z)) ** 2"),
    ),
    mistake(
        "sigmoid_grad_forward_difference",
        {SIG_GRAD},
        sigmoid_grad=sigmoid_grad("    h = 1e-4\n    return (sigmoid(z + h) - sigmoid(z)) / h"),
    ),
    mistake(
        "sigmoid_grad_in_place",
        {SIG_GRAD},
        sigmoid_grad=sigmoid_grad(
            "    z = np.asarray(z)\n"
            "    e = np.exp(-np.abs(z))\n"
            "    z[...] = e / (1.0 + e) ** 2\n"
            "    return z"
        ),
    ),
    # ---- tanh_grad: correct alternatives
    correct(
        "tanh_grad_one_minus_t_times_one_plus_t",
        tanh_grad=tanh_grad("    t = np.tanh(z)\n    return (1.0 - t) * (1.0 + t)"),
    ),
    # 1 / cosh(1000)**2 overflows in cosh (a warning) but returns a finite 0.0.
    correct("tanh_grad_sech_squared", tanh_grad=tanh_grad("    return 1.0 / np.cosh(z) ** 2")),
    correct(
        "tanh_grad_four_sigmoid_grad",
        tanh_grad=tanh_grad(
            "    from scipy.special import expit\n"
            "    return 4.0 * expit(2.0 * z) * expit(-2.0 * z)"
        ),
    ),
    correct(
        "tanh_grad_power",
        tanh_grad=tanh_grad("    return 1.0 - np.power(np.tanh(z), 2)"),
    ),
    correct(
        "tanh_grad_exp_abs",
        tanh_grad=tanh_grad(
            "    e = np.exp(-2.0 * np.abs(z))\n    return 4.0 * e / (1.0 + e) ** 2"
        ),
    ),
    correct(
        "tanh_grad_square_method",
        tanh_grad=tanh_grad("    return 1.0 - np.square(np.tanh(z))"),
    ),
    correct(
        "tanh_grad_exp_sum_squared",
        tanh_grad=tanh_grad("    return 4.0 / (np.exp(z) + np.exp(-z)) ** 2"),
    ),
    # ---- tanh_grad: mistakes
    mistake(
        "tanh_grad_missing_square",
        {TANH_GRAD},
        tanh_grad=tanh_grad("    return 1.0 - np.tanh(z)"),
    ),
    mistake(
        "tanh_grad_input_instead_of_output",
        {TANH_GRAD},
        tanh_grad=tanh_grad("    return 1.0 - z ** 2"),
    ),
    mistake(
        "tanh_grad_tanh_squared", {TANH_GRAD}, tanh_grad=tanh_grad("    return np.tanh(z) ** 2")
    ),
    mistake(
        "tanh_grad_square_inside",
        {TANH_GRAD},
        tanh_grad=tanh_grad("    return 1.0 - np.tanh(z ** 2)"),
    ),
    mistake(
        "tanh_grad_sech_not_squared",
        {TANH_GRAD},
        tanh_grad=tanh_grad("    return 1.0 / np.cosh(z)"),
    ),
    mistake(
        "tanh_grad_naive_exp_tanh_nan",
        {TANH_GRAD},
        tanh_grad=tanh_grad(
            "    t = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))\n    return 1.0 - t ** 2"
        ),
    ),
    mistake(
        "tanh_grad_sigmoid_grad_unscaled",
        {TANH_GRAD},
        tanh_grad=tanh_grad(
            "    from scipy.special import expit\n    return expit(2 * z) * expit(-2 * z)"
        ),
    ),
    mistake(
        "tanh_grad_in_place",
        {TANH_GRAD},
        tanh_grad=tanh_grad("    np.tanh(z, out=z)\n    z **= 2\n    return 1.0 - z"),
    ),
    mistake(
        "tanh_grad_float32",
        {TANH_GRAD},
        tanh_grad=tanh_grad("    return 1.0 - np.tanh(np.asarray(z, dtype=np.float32)) ** 2"),
    ),
    # ---- relu_grad: correct alternatives
    correct("relu_grad_where", relu_grad=relu_grad("    return np.where(z > 0, 1.0, 0.0)")),
    correct("relu_grad_heaviside", relu_grad=relu_grad("    return np.heaviside(z, 0.0)")),
    correct("relu_grad_times_one", relu_grad=relu_grad("    return (z > 0) * 1.0")),
    correct(
        "relu_grad_greater_astype",
        relu_grad=relu_grad("    return np.greater(z, 0).astype(np.float64)"),
    ),
    correct(
        "relu_grad_sign_clipped",
        relu_grad=relu_grad("    return np.maximum(np.sign(z), 0.0)"),
    ),
    correct(
        "relu_grad_zeros_then_assign",
        relu_grad=relu_grad("    out = np.zeros_like(z, dtype=float)\n    out[z > 0] = 1.0\n"
                            "    return out"),
    ),
    correct("relu_grad_float32", relu_grad=relu_grad("    return (z > 0).astype(np.float32)")),
    correct(
        "relu_grad_python_loop",
        relu_grad=relu_grad(
            "    z = np.asarray(z)\n"
            "    return np.array([1.0 if v > 0 else 0.0 for v in z.ravel()]).reshape(z.shape)"
        ),
    ),
    # Divides 0 / 0 in the branch np.where throws away: a warning, but the right values.
    correct(
        "relu_grad_where_z_over_z",
        relu_grad=relu_grad("    return np.where(z > 0, z / z, 0.0)"),
    ),
    # ---- relu_grad: mistakes
    mistake("relu_grad_boolean", {RELU_GRAD}, relu_grad=relu_grad("    return z > 0")),
    mistake(
        "relu_grad_integer", {RELU_GRAD}, relu_grad=relu_grad("    return (z > 0).astype(int)")
    ),
    mistake(
        "relu_grad_where_integers",
        {RELU_GRAD},
        relu_grad=relu_grad("    return np.where(z > 0, 1, 0)"),
    ),
    mistake(
        "relu_grad_one_at_zero",
        {RELU_GRAD},
        relu_grad=relu_grad("    return (z >= 0).astype(float)"),
    ),
    mistake(
        "relu_grad_half_at_zero",
        {RELU_GRAD},
        relu_grad=relu_grad("    return np.heaviside(z, 0.5)"),
    ),
    mistake("relu_grad_sign", {RELU_GRAD}, relu_grad=relu_grad("    return np.sign(z)")),
    mistake(
        "relu_grad_returns_relu", {RELU_GRAD}, relu_grad=relu_grad("    return np.maximum(z, 0.0)")
    ),
    mistake(
        "relu_grad_divide_by_z",
        {RELU_GRAD},
        relu_grad=relu_grad("    return np.maximum(z, 0.0) / z"),
    ),
    mistake(
        "relu_grad_in_place",
        {RELU_GRAD},
        relu_grad=relu_grad("    z[z > 0] = 1.0\n    z[z <= 0] = 0.0\n    return z"),
    ),
    mistake(
        "relu_grad_ones_like",
        {RELU_GRAD},
        relu_grad=relu_grad("    return np.ones_like(z)"),
    ),
    mistake(
        "relu_grad_flattens",
        {RELU_GRAD},
        relu_grad=relu_grad("    return (np.ravel(z) > 0).astype(float)"),
    ),
    mistake(
        "relu_grad_2d_loops",
        {RELU_GRAD},
        relu_grad=relu_grad(
            "    out = np.zeros(z.shape)\n"
            "    for i in range(z.shape[0]):\n"
            "        for j in range(z.shape[1]):\n"
            "            out[i, j] = 1.0 if z[i, j] > 0 else 0.0\n"
            "    return out"
        ),
    ),
    mistake(
        "relu_grad_epsilon_threshold",
        {RELU_GRAD},
        relu_grad=relu_grad("    return (z > 1e-12).astype(float)"),
    ),
    mistake(
        "relu_grad_soft_step",
        {RELU_GRAD},
        relu_grad=relu_grad("    return np.clip(z * 1e6, 0.0, 1.0)"),
    ),
    mistake(
        "relu_grad_rows_of_2d_only",
        {RELU_GRAD},
        relu_grad=relu_grad(
            "    rows = [[1.0 if v > 0 else 0.0 for v in row] for row in np.atleast_2d(z)]\n"
            "    return np.array(rows).reshape(np.shape(z))"
        ),
    ),
    # ---- softmax: correct alternatives
    correct(
        "softmax_scipy",
        softmax=softmax("    from scipy.special import softmax as sm\n    return sm(Z, axis=-1)"),
    ),
    correct(
        "softmax_logsumexp",
        softmax=softmax(
            "    from scipy.special import logsumexp\n"
            "    return np.exp(Z - logsumexp(Z, axis=-1, keepdims=True))"
        ),
    ),
    correct(
        "softmax_max_newaxis",
        softmax=softmax(
            "    E = np.exp(Z - np.max(Z, axis=-1)[..., np.newaxis])\n"
            "    return E / np.sum(E, axis=-1)[..., np.newaxis]"
        ),
    ),
    correct(
        "softmax_branch_on_ndim",
        softmax=softmax(
            "    if Z.ndim == 1:\n"
            "        e = np.exp(Z - Z.max())\n"
            "        return e / e.sum()\n"
            "    E = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
            "    return E / E.sum(axis=1, keepdims=True)"
        ),
    ),
    correct(
        "softmax_loop_over_rows",
        softmax=softmax(
            "    Z2 = np.atleast_2d(Z)\n"
            "    out = np.empty(Z2.shape)\n"
            "    for i, row in enumerate(Z2):\n"
            "        e = np.exp(row - row.max())\n"
            "        out[i] = e / e.sum()\n"
            "    return out.reshape(Z.shape)"
        ),
    ),
    correct(
        "softmax_transpose_axis0",
        softmax=softmax(
            "    T = np.atleast_2d(Z).T\n"
            "    E = np.exp(T - T.max(axis=0))\n"
            "    return (E / E.sum(axis=0)).T.reshape(Z.shape)"
        ),
    ),
    correct(
        "softmax_apply_along_axis",
        softmax=softmax(
            "    def one(z):\n"
            "        e = np.exp(z - np.max(z))\n"
            "        return e / np.sum(e)\n"
            "    return np.apply_along_axis(one, -1, Z)"
        ),
    ),
    correct(
        "softmax_log_softmax_route",
        softmax=softmax(
            "    m = Z.max(axis=-1, keepdims=True)\n"
            "    lse = m + np.log(np.exp(Z - m).sum(axis=-1, keepdims=True))\n"
            "    return np.exp(Z - lse)"
        ),
    ),
    correct(
        "softmax_copy_then_in_place",
        softmax=softmax(
            "    P = np.array(Z, dtype=float, copy=True)\n"
            "    P -= P.max(axis=-1, keepdims=True)\n"
            "    np.exp(P, out=P)\n"
            "    P /= P.sum(axis=-1, keepdims=True)\n"
            "    return P"
        ),
    ),
    # ---- softmax: mistakes
    mistake(
        "softmax_naive_overflows",
        {SOFTMAX},
        softmax=softmax("    E = np.exp(Z)\n    return E / E.sum(axis=-1, keepdims=True)"),
    ),
    mistake(
        "softmax_global_max",
        {SOFTMAX},
        softmax=softmax(
            "    E = np.exp(Z - Z.max())\n    return E / E.sum(axis=-1, keepdims=True)"
        ),
    ),
    mistake(
        "softmax_missing_keepdims",
        {SOFTMAX},
        softmax=softmax(
            "    E = np.exp(Z - Z.max(axis=-1))\n    return E / E.sum(axis=-1, keepdims=True)"
        ),
    ),
    mistake(
        "softmax_missing_keepdims_in_sum",
        {SOFTMAX},
        softmax=softmax(
            "    E = np.exp(Z - Z.max(axis=-1, keepdims=True))\n    return E / E.sum(axis=-1)"
        ),
    ),
    mistake(
        "softmax_over_columns",
        {SOFTMAX},
        softmax=softmax(
            "    E = np.exp(Z - Z.max(axis=0, keepdims=True))\n"
            "    return E / E.sum(axis=0, keepdims=True)"
        ),
    ),
    mistake(
        "softmax_whole_matrix",
        {SOFTMAX},
        softmax=softmax("    E = np.exp(Z - Z.max())\n    return E / E.sum()"),
    ),
    mistake(
        "softmax_axis1_breaks_1d",
        {SOFTMAX},
        softmax=softmax(
            "    E = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
            "    return E / E.sum(axis=1, keepdims=True)"
        ),
    ),
    mistake(
        "softmax_subtract_row_mean",
        {SOFTMAX},
        softmax=softmax(
            "    E = np.exp(Z - Z.mean(axis=-1, keepdims=True))\n"
            "    return E / E.sum(axis=-1, keepdims=True)"
        ),
    ),
    mistake(
        "softmax_subtract_row_min",
        {SOFTMAX},
        softmax=softmax(
            "    E = np.exp(Z - Z.min(axis=-1, keepdims=True))\n"
            "    return E / E.sum(axis=-1, keepdims=True)"
        ),
    ),
    mistake(
        "softmax_clip_logits",
        {SOFTMAX},
        softmax=softmax(
            "    E = np.exp(np.clip(Z, -500.0, 500.0))\n"
            "    return E / E.sum(axis=-1, keepdims=True)"
        ),
    ),
    mistake(
        "softmax_in_place_shift",
        {SOFTMAX},
        softmax=softmax(
            "    Z -= Z.max(axis=-1, keepdims=True)\n"
            "    E = np.exp(Z)\n"
            "    return E / E.sum(axis=-1, keepdims=True)"
        ),
    ),
    mistake(
        "softmax_not_normalised",
        {SOFTMAX},
        softmax=softmax("    return np.exp(Z - Z.max(axis=-1, keepdims=True))"),
    ),
    mistake(
        "softmax_returns_log_softmax",
        {SOFTMAX},
        softmax=softmax(
            "    S = Z - Z.max(axis=-1, keepdims=True)\n"
            "    return S - np.log(np.exp(S).sum(axis=-1, keepdims=True))"
        ),
    ),
    mistake(
        "softmax_elementwise_sigmoid",
        {SOFTMAX},
        softmax=softmax("    from scipy.special import expit\n    return expit(Z)"),
    ),
    mistake(
        "softmax_divide_by_max",
        {SOFTMAX},
        softmax=softmax(
            "    E = np.exp(Z / np.abs(Z).max(axis=-1, keepdims=True))\n"
            "    return E / E.sum(axis=-1, keepdims=True)"
        ),
    ),
    mistake(
        "softmax_1d_only",
        {SOFTMAX},
        softmax=softmax("    e = np.exp(Z - np.max(Z))\n    return e / np.sum(e)"),
    ),
    mistake(
        "softmax_transposed_result",
        {SOFTMAX},
        softmax=softmax(
            "    E = np.exp(Z - Z.max(axis=-1, keepdims=True))\n"
            "    return (E / E.sum(axis=-1, keepdims=True)).T"
        ),
    ),
    mistake(
        "softmax_squeezes",
        {SOFTMAX},
        softmax=softmax(
            "    E = np.exp(Z - Z.max(axis=-1, keepdims=True))\n"
            "    return np.squeeze(E / E.sum(axis=-1, keepdims=True))"
        ),
    ),
]
