"""A deep fully connected network in NumPy, configurable for the experiments of lesson 06.

Lesson 03's two-layer network (:mod:`dlcourse.mlp`) grown to any depth, with the
settings whose effects lesson 06 measures: the activation, the initialisation of
the weights, batch normalisation, inverted dropout and an L2 penalty; per-layer
gradient norms and activation statistics; plain SGD and Adam. Conventions as
everywhere in the course: a batch is rows, ``X`` has shape ``(n, d_0)``; layer
``l`` stores ``W{l}`` with shape ``(d_l, d_{l-1})``. With ``sizes = (d_0, ...,
d_L)`` the network has ``L`` dense layers; for a hidden layer ``l < L``::

    Z_l = A_{l-1} @ W_l.T + b_l                     (n, d_l)   pre-activation
    Y_l = BN(Z_l) = gamma_l * (Z_l - mean) / sqrt(var + eps) + beta_l   (batch norm only)
    H_l = f(Y_l)                                    (n, d_l)   activation
    A_l = H_l * mask_l                              (n, d_l)   (dropout only)

with ``A_0 = X``, and the output layer gives the logits ``Z_L = A_{L-1} @ W_L.T + b_L``.
Parameters live in one dict: ``W1 .. WL`` and ``b1 .. bL``; with batch norm the
hidden layers have ``gamma{l}`` and ``beta{l}`` instead of ``b{l}`` (the shift
``beta`` does the bias's job, and a bias before batch norm would be subtracted
away with the mean). The L2 penalty applies to the keys that start with ``"W"``.

Batch norm here always normalises with the statistics of the batch it is given
(training mode); real implementations keep running averages for evaluation.
Every function returns new arrays; none modifies its inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from threadpoolctl import ThreadpoolController

from dlcourse.mlp import ACTIVATIONS, softmax_cross_entropy

Params = dict[str, np.ndarray]

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "Adam",
    "Cache",
    "LayerStats",
    "SGD",
    "backward",
    "batchnorm_backward",
    "batchnorm_forward",
    "dropout_mask",
    "early_stopping_epoch",
    "evaluate",
    "fit",
    "forward",
    "init_params",
    "init_std",
    "l2_penalty",
    "layer_statistics",
    "loss_and_gradients",
    "n_layers",
    "one_blas_thread",
    "step_decay",
    "train_epoch",
]

#: Named initialisations: the standard deviation of ``N(0, std**2)`` for a layer
#: with ``d_in`` inputs and ``d_out`` outputs.
INITS: dict[str, Callable[[int, int], float]] = {
    "he": lambda d_in, d_out: float(np.sqrt(2.0 / d_in)),
    "xavier": lambda d_in, d_out: float(np.sqrt(2.0 / (d_in + d_out))),
    "small": lambda d_in, d_out: 0.01,
    "large": lambda d_in, d_out: 1.0,
}


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the enclosed NumPy code with a single BLAS thread.

    The matrices of these networks are small: one thread multiplies them as fast
    as several, and does not slow down by orders of magnitude when the cores are
    busy with other work (threads of a multi-threaded BLAS then wait for each
    other). Training loops and widgets run inside this context.
    """
    global _CONTROLLER
    if _CONTROLLER is None:  # finding the BLAS libraries takes milliseconds: do it once
        _CONTROLLER = ThreadpoolController()
    with _CONTROLLER.limit(limits=1, user_api="blas"):
        yield


_CONTROLLER: ThreadpoolController | None = None


def init_std(init: str | float, d_in: int, d_out: int) -> float:
    """Standard deviation of the initial weights of a ``(d_out, d_in)`` layer.

    Parameters
    ----------
    init : {"he", "xavier", "small", "large"} or float
        ``"he"``: ``sqrt(2 / d_in)``; ``"xavier"`` (Glorot normal):
        ``sqrt(2 / (d_in + d_out))``; ``"small"``: 0.01; ``"large"``: 1.0; a
        positive number: that standard deviation.
    d_in, d_out : int
        Fan-in and fan-out of the layer.

    Returns
    -------
    float
    """
    if isinstance(init, str):
        if init not in INITS:
            raise ValueError(f"init must be one of {list(INITS)} or a positive number, "
                             f"got {init!r}")
        return INITS[init](d_in, d_out)
    std = float(init)
    if not (np.isfinite(std) and std > 0):
        raise ValueError(f"init must be one of {list(INITS)} or a positive number, got {init!r}")
    return std


def n_layers(params: Params) -> int:
    """Number of dense layers ``L`` of a parameter dict (the ``W`` keys ``W1 .. WL``)."""
    L = 0
    while f"W{L + 1}" in params:
        L += 1
    if L == 0:
        raise ValueError("params must hold the weights W1, W2, ...; found none")
    return L


def init_params(
    sizes: Sequence[int], init: str | float = "he", seed: int = 0, batchnorm: bool = False
) -> Params:
    """Random weights from ``N(0, std**2)``, zero biases, and ``gamma = 1, beta = 0``.

    Parameters
    ----------
    sizes : sequence of int
        ``(d_0, d_1, ..., d_L)``: inputs, the widths of the hidden layers, outputs.
        At least two entries.
    init : str or float, default "he"
        See :func:`init_std`; the same rule for every layer.
    seed : int, default 0
        Seed of the ``numpy.random.Generator`` that draws the weights.
    batchnorm : bool, default False
        Give the hidden layers ``gamma{l}`` (ones) and ``beta{l}`` (zeros), shape
        ``(d_l,)``, instead of a bias.

    Returns
    -------
    dict
        ``W{l}`` of shape ``(d_l, d_{l-1})`` for ``l = 1 .. L``; ``b{l}`` of shape
        ``(d_l,)`` (the output layer, and every layer without batch norm);
        ``gamma{l}``, ``beta{l}`` with batch norm.
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must hold at least two positive integers, got {sizes}")
    rng = np.random.default_rng(seed)
    L = len(sizes) - 1
    params: Params = {}
    for i in range(1, L + 1):
        d_in, d_out = sizes[i - 1], sizes[i]
        params[f"W{i}"] = rng.normal(0.0, init_std(init, d_in, d_out), size=(d_out, d_in))
        if batchnorm and i < L:
            params[f"gamma{i}"] = np.ones(d_out)
            params[f"beta{i}"] = np.zeros(d_out)
        else:
            params[f"b{i}"] = np.zeros(d_out)
    return params


# ---------------------------------------------------------------- layers


def batchnorm_forward(
    Z: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Training-mode batch normalisation of each column of ``Z``.

    Parameters
    ----------
    Z : ndarray of shape (n, d)
    gamma, beta : ndarray of shape (d,)
        Scale and shift applied after normalising.
    eps : float, default 1e-5
        Added to the variance inside the square root.

    Returns
    -------
    Y : ndarray of shape (n, d)
        ``gamma * (Z - mean) / sqrt(var + eps) + beta`` with the mean and the
        biased variance (``ddof=0``) of each column, over the batch axis 0.
    cache : tuple
        ``(Z_hat, inv_std)``: the normalised ``Z`` (n, d) and ``1 / sqrt(var + eps)`` (d,).
    """
    mean = Z.mean(axis=0)
    inv_std = 1.0 / np.sqrt(Z.var(axis=0) + eps)
    Z_hat = (Z - mean) * inv_std
    return gamma * Z_hat + beta, (Z_hat, inv_std)


def batchnorm_backward(
    dY: np.ndarray, gamma: np.ndarray, cache: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients through :func:`batchnorm_forward`.

    Parameters
    ----------
    dY : ndarray of shape (n, d)
        Gradient of the loss w.r.t. the output ``Y``.
    gamma : ndarray of shape (d,)
    cache : tuple
        From :func:`batchnorm_forward`.

    Returns
    -------
    dZ : ndarray of shape (n, d)
    dgamma, dbeta : ndarray of shape (d,)
    """
    Z_hat, inv_std = cache
    n = dY.shape[0]
    dgamma = (dY * Z_hat).sum(axis=0)
    dbeta = dY.sum(axis=0)
    dZ_hat = dY * gamma
    # The mean and the variance depend on every row: their paths add two terms.
    dZ = inv_std / n * (n * dZ_hat - dZ_hat.sum(axis=0) - Z_hat * (dZ_hat * Z_hat).sum(axis=0))
    return dZ, dgamma, dbeta


def dropout_mask(shape: tuple[int, ...], p_drop: float, rng: np.random.Generator) -> np.ndarray:
    """Inverted-dropout mask: 0 with probability ``p_drop``, else ``1 / (1 - p_drop)``.

    Multiplying by it keeps the expected value of every entry unchanged.

    Parameters
    ----------
    shape : tuple of int
    p_drop : float
        Probability of dropping, in ``[0, 1)``.
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of the given shape
    """
    if not 0.0 <= p_drop < 1.0:
        raise ValueError(f"p_drop must be in [0, 1), got {p_drop}")
    return (rng.random(shape) >= p_drop) / (1.0 - p_drop)


def l2_penalty(params: Params, lam: float) -> tuple[float, Params]:
    """The L2 penalty ``lam / 2 * sum of squared weights`` and its gradients.

    Parameters
    ----------
    params : dict
        Only the arrays whose key starts with ``"W"`` are penalised.
    lam : float
        Strength of the penalty (``alpha`` in scikit-learn's ``MLPClassifier``).

    Returns
    -------
    penalty : float
    grads : dict
        ``lam * W`` for each penalised key (and no other key).
    """
    weights = {k: v for k, v in params.items() if k.startswith("W")}
    penalty = 0.5 * lam * sum(float(np.sum(w * w)) for w in weights.values())
    return penalty, {k: lam * w for k, w in weights.items()}


# ---------------------------------------------------------------- the network


@dataclass(frozen=True)
class Cache:
    """What the backward pass needs from the forward pass; lists indexed by hidden layer.

    Attributes
    ----------
    inputs : list of ndarray
        ``A_{l-1}``, the input of layer ``l``, for ``l = 1 .. L`` (``inputs[0]`` is ``X``).
    pre : list of ndarray
        ``Y_l``, the input of the activation, for the hidden layers ``l = 1 .. L-1``
        (``Z_l``, or its batch-normalised version).
    bn : list of tuple or None
        Batch-norm caches of the hidden layers (``None`` without batch norm).
    masks : list of ndarray or None
        Dropout masks of the hidden layers (``None`` where no dropout was applied).
    activation : str
        A key of ``ACTIVATIONS``.
    """

    inputs: list
    pre: list
    bn: list
    masks: list
    activation: str


def _check_activation(activation: str) -> None:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")


def forward(
    params: Params,
    X: np.ndarray,
    activation: str = "relu",
    dropout: float = 0.0,
    rng: np.random.Generator | None = None,
    training: bool = True,
    eps: float = 1e-5,
) -> tuple[np.ndarray, Cache]:
    """Forward pass: the logits and what the backward pass needs.

    Parameters
    ----------
    params : dict
        From :func:`init_params`; batch norm is used where ``gamma{l}`` is present.
    X : ndarray of shape (n, d_0)
    activation : str, default "relu"
        A key of ``ACTIVATIONS``, used by every hidden layer.
    dropout : float, default 0.0
        Probability of dropping each hidden activation (inverted dropout), in
        ``[0, 1)``; applied only when ``training`` is true and ``dropout > 0``.
    rng : numpy.random.Generator, optional
        Draws the dropout masks; required when dropout is applied.
    training : bool, default True
        False: no dropout (evaluation).
    eps : float, default 1e-5
        Batch norm's ``eps``.

    Returns
    -------
    logits : ndarray of shape (n, d_L)
    cache : Cache
    """
    _check_activation(activation)
    L = n_layers(params)
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != params["W1"].shape[1]:
        raise ValueError(f"X must have shape (n, {params['W1'].shape[1]}) to match W1 of shape "
                         f"{params['W1'].shape}, got {X.shape}")
    drop = training and dropout > 0
    if drop and rng is None:
        raise ValueError("rng must be a numpy Generator when dropout is applied")
    f = ACTIVATIONS[activation].f
    inputs, pre, bns, masks = [X], [], [], []
    A = X
    for i in range(1, L):
        Z = A @ params[f"W{i}"].T
        if f"gamma{i}" in params:
            Y, bn = batchnorm_forward(Z, params[f"gamma{i}"], params[f"beta{i}"], eps)
        else:
            Y, bn = Z + params[f"b{i}"], None
        A = f(Y)
        mask = dropout_mask(A.shape, dropout, rng) if drop else None
        if mask is not None:
            A = A * mask
        pre.append(Y)
        bns.append(bn)
        masks.append(mask)
        inputs.append(A)
    logits = A @ params[f"W{L}"].T + params[f"b{L}"]
    return logits, Cache(inputs, pre, bns, masks, activation)


def _backward(params: Params, cache: Cache, d_logits: np.ndarray) -> tuple[Params, list]:
    """Gradients of every parameter, and ``dZ_l`` (the gradient w.r.t. each layer's
    pre-activation ``Z_l``, before batch norm) for ``l = 1 .. L``."""
    L = len(cache.inputs)
    df = ACTIVATIONS[cache.activation].df
    grads: Params = {}
    dZ = np.asarray(d_logits, dtype=float)
    deltas = [dZ]
    grads[f"W{L}"] = dZ.T @ cache.inputs[L - 1]
    grads[f"b{L}"] = dZ.sum(axis=0)
    for i in range(L - 1, 0, -1):
        dA = dZ @ params[f"W{i + 1}"]
        if cache.masks[i - 1] is not None:
            dA = dA * cache.masks[i - 1]
        dY = dA * df(cache.pre[i - 1])
        if cache.bn[i - 1] is not None:
            dZ, grads[f"gamma{i}"], grads[f"beta{i}"] = batchnorm_backward(
                dY, params[f"gamma{i}"], cache.bn[i - 1])
        else:
            dZ = dY
            grads[f"b{i}"] = dZ.sum(axis=0)
        grads[f"W{i}"] = dZ.T @ cache.inputs[i - 1]
        deltas.append(dZ)
    return grads, deltas[::-1]


def backward(params: Params, cache: Cache, d_logits: np.ndarray) -> Params:
    """Backward pass: the gradient of the loss w.r.t. every parameter.

    Parameters
    ----------
    params : dict
        The parameters of the forward pass that produced ``cache``.
    cache : Cache
        From :func:`forward`.
    d_logits : ndarray of shape (n, d_L)
        Gradient of the loss w.r.t. the logits.

    Returns
    -------
    dict
        Same keys and shapes as ``params``.
    """
    return _backward(params, cache, d_logits)[0]


def loss_and_gradients(
    params: Params,
    X: np.ndarray,
    y: np.ndarray,
    activation: str = "relu",
    l2: float = 0.0,
    dropout: float = 0.0,
    rng: np.random.Generator | None = None,
) -> tuple[float, Params]:
    """Softmax cross-entropy plus the L2 penalty, and its gradients (training mode).

    Parameters
    ----------
    params : dict
    X : ndarray of shape (n, d_0)
    y : ndarray of shape (n,)
        Integer labels ``0 .. d_L - 1``.
    activation : str, default "relu"
    l2 : float, default 0.0
        Strength of the penalty ``l2 / 2 * sum of squared weights``.
    dropout : float, default 0.0
    rng : numpy.random.Generator, optional
        For the dropout masks.

    Returns
    -------
    loss : float
        Cross-entropy plus penalty.
    grads : dict
        Same keys and shapes as ``params``.
    """
    logits, cache = forward(params, X, activation, dropout, rng, training=True)
    loss, d_logits = softmax_cross_entropy(logits, y)
    grads = backward(params, cache, d_logits)
    if l2:
        penalty, g2 = l2_penalty(params, l2)
        loss += penalty
        for k, g in g2.items():
            grads[k] = grads[k] + g
    return loss, grads


@dataclass(frozen=True)
class LayerStats:
    """Per-layer statistics of one forward and backward pass on a batch.

    Attributes
    ----------
    grad_W : ndarray of shape (L,)
        ``||dL/dW_l||`` (Frobenius norm) for ``l = 1 .. L``.
    grad_Z : ndarray of shape (L,)
        ``||dL/dZ_l||``, the backward signal reaching layer ``l`` (Frobenius norm
        over the batch); Nielsen's ``delta``.
    act_std, act_mean : ndarray of shape (L - 1,)
        Standard deviation and mean of every hidden layer's activations ``H_l``.
    pre_std : ndarray of shape (L - 1,)
        Standard deviation of the input of each activation, ``Y_l``.
    activations : list of ndarray
        ``H_l`` of shape ``(n, d_l)`` for the hidden layers.
    loss : float
        The cross-entropy of the batch.
    """

    grad_W: np.ndarray
    grad_Z: np.ndarray
    act_std: np.ndarray
    act_mean: np.ndarray
    pre_std: np.ndarray
    activations: list
    loss: float


def layer_statistics(
    params: Params, X: np.ndarray, y: np.ndarray, activation: str = "relu"
) -> LayerStats:
    """Gradient norms and activation statistics of every layer, for one batch.

    No dropout is applied. Overflow in a badly scaled network gives inf or nan
    entries, without warnings.

    Parameters
    ----------
    params : dict
    X : ndarray of shape (n, d_0)
    y : ndarray of shape (n,)
    activation : str, default "relu"

    Returns
    -------
    LayerStats
    """
    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
        logits, cache = forward(params, X, activation, training=False)
        loss, d_logits = softmax_cross_entropy(logits, y)
        grads, deltas = _backward(params, cache, d_logits)
        L = n_layers(params)
        hidden = cache.inputs[1:]  # no dropout: A_l = H_l
        return LayerStats(
            grad_W=np.array([np.linalg.norm(grads[f"W{i}"]) for i in range(1, L + 1)]),
            grad_Z=np.array([np.linalg.norm(d) for d in deltas]),
            act_std=np.array([h.std() for h in hidden]),
            act_mean=np.array([h.mean() for h in hidden]),
            pre_std=np.array([y_.std() for y_ in cache.pre]),
            activations=list(hidden),
            loss=float(loss),
        )


# ---------------------------------------------------------------- optimisers


class SGD:
    """Stochastic gradient descent, optionally with momentum.

    Parameters
    ----------
    lr : float, default 0.1
        Learning rate; may be changed between steps (a schedule does).
    momentum : float, default 0.0
        ``v <- momentum * v + g``, ``p <- p - lr * v``.
    """

    def __init__(self, lr: float = 0.1, momentum: float = 0.0) -> None:
        self.lr, self.momentum = float(lr), float(momentum)
        self.velocity: Params = {}

    def step(self, params: Params, grads: Params) -> Params:
        """One update; returns new parameters (``params`` and ``grads`` are unchanged)."""
        new = {}
        for k, p in params.items():
            g = grads[k]
            if self.momentum:
                g = self.momentum * self.velocity.get(k, 0.0) + g
                self.velocity[k] = g
            new[k] = p - self.lr * g
        return new


class Adam:
    """Adam (Kingma and Ba, 2015): steps scaled per parameter by running moments.

    For every parameter array, with ``t`` the number of steps taken so far::

        m <- beta1 * m + (1 - beta1) * g           v <- beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)                  v_hat = v / (1 - beta2**t)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    Parameters
    ----------
    lr : float, default 1e-3
    beta1, beta2 : float, default 0.9, 0.999
    eps : float, default 1e-8
    """

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        self.lr, self.beta1, self.beta2, self.eps = float(lr), beta1, beta2, eps
        self.m: Params = {}
        self.v: Params = {}
        self.t = 0

    def step(self, params: Params, grads: Params) -> Params:
        """One update; returns new parameters (``params`` and ``grads`` are unchanged)."""
        self.t += 1
        b1, b2, t = self.beta1, self.beta2, self.t
        new = {}
        for k, p in params.items():
            g = grads[k]
            self.m[k] = b1 * self.m.get(k, 0.0) + (1 - b1) * g
            self.v[k] = b2 * self.v.get(k, 0.0) + (1 - b2) * g * g
            m_hat = self.m[k] / (1 - b1**t)
            v_hat = self.v[k] / (1 - b2**t)
            new[k] = p - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        return new


# ---------------------------------------------------------------- training


def evaluate(
    params: Params, X: np.ndarray, y: np.ndarray, activation: str = "relu"
) -> tuple[float, float]:
    """Cross-entropy and accuracy on ``(X, y)`` in evaluation mode (no dropout, no penalty)."""
    with np.errstate(over="ignore", invalid="ignore"):
        logits, _ = forward(params, X, activation, training=False)
        loss, _ = softmax_cross_entropy(logits, y)
    return float(loss), float(np.mean(logits.argmax(axis=1) == np.asarray(y)))


def train_epoch(
    params: Params,
    X: np.ndarray,
    y: np.ndarray,
    optimizer: SGD | Adam,
    rng: np.random.Generator,
    activation: str = "relu",
    batch_size: int | None = None,
    l2: float = 0.0,
    dropout: float = 0.0,
) -> tuple[Params, float]:
    """One pass over the training set in shuffled mini-batches.

    Parameters
    ----------
    params : dict
    X : ndarray of shape (n, d_0)
    y : ndarray of shape (n,)
    optimizer : SGD or Adam
        Its ``step`` makes each update.
    rng : numpy.random.Generator
        Shuffles the samples and draws the dropout masks.
    activation : str, default "relu"
    batch_size : int, optional
        Samples per step; ``None`` (default): the whole set in one step, unshuffled.
    l2, dropout : float, default 0.0
        See :func:`loss_and_gradients`.

    Returns
    -------
    params : dict
        The parameters after the epoch.
    loss : float
        Mean of the training objective over the steps.
    """
    n = len(y)
    if batch_size is None or batch_size >= n:
        batches = [np.arange(n)]
    else:
        order = rng.permutation(n)
        batches = [order[i:i + batch_size] for i in range(0, n, int(batch_size))]
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for idx in batches:
            loss, grads = loss_and_gradients(params, X[idx], y[idx], activation, l2,
                                             dropout, rng)
            params = optimizer.step(params, grads)
            losses.append(loss)
    return params, float(np.mean(losses))


def fit(
    params: Params,
    X: np.ndarray,
    y: np.ndarray,
    optimizer: SGD | Adam,
    epochs: int,
    activation: str = "relu",
    batch_size: int | None = None,
    l2: float = 0.0,
    dropout: float = 0.0,
    seed: int = 0,
    X_val: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
    schedule: Callable[[int], float] | None = None,
) -> tuple[Params, dict[str, np.ndarray]]:
    """Train for ``epochs`` epochs and record the losses after each one.

    Parameters
    ----------
    params : dict
        Initial parameters (left unchanged).
    X, y : ndarray of shape (n, d_0) and (n,)
        Training data.
    optimizer : SGD or Adam
    epochs : int
    activation, batch_size, l2, dropout
        See :func:`train_epoch`.
    seed : int, default 0
        Seed of the shuffling and of the dropout masks.
    X_val, y_val : ndarray, optional
        Validation data, evaluated after each epoch.
    schedule : callable, optional
        ``schedule(epoch)`` gives the learning rate of epoch ``0, 1, ...``; it is
        written to ``optimizer.lr`` before each epoch.

    Returns
    -------
    params : dict
        The trained parameters.
    history : dict of ndarray
        ``epoch`` (0 .. epochs), ``train_loss``, ``train_acc`` (and ``val_loss``,
        ``val_acc`` with validation data), measured in evaluation mode at the
        initial parameters (entry 0) and after each epoch; ``lr`` (epochs,), the
        learning rate of each epoch.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    rng = np.random.default_rng(seed)
    keys = ["train_loss", "train_acc"] + (["val_loss", "val_acc"] if X_val is not None else [])
    hist: dict[str, list] = {k: [] for k in keys}
    hist["lr"] = []

    def record() -> None:
        loss, acc = evaluate(params, X, y, activation)
        hist["train_loss"].append(loss)
        hist["train_acc"].append(acc)
        if X_val is not None:
            loss, acc = evaluate(params, X_val, y_val, activation)
            hist["val_loss"].append(loss)
            hist["val_acc"].append(acc)

    with one_blas_thread():
        record()
        for epoch in range(int(epochs)):
            if schedule is not None:
                optimizer.lr = float(schedule(epoch))
            hist["lr"].append(optimizer.lr)
            params, _ = train_epoch(params, X, y, optimizer, rng, activation, batch_size, l2,
                                    dropout)
            record()
    history = {k: np.array(v, dtype=float) for k, v in hist.items()}
    history["epoch"] = np.arange(int(epochs) + 1)
    return params, history


def early_stopping_epoch(val_losses: Sequence[float], patience: int) -> int:
    """Index of the best epoch, as early stopping with ``patience`` would pick it.

    Walk the losses in order; stop after ``patience`` consecutive epochs without a
    loss strictly lower than the best so far; return the index of the best loss
    seen until then.

    Parameters
    ----------
    val_losses : sequence of float
        One validation loss per epoch; at least one.
    patience : int
        At least 1.

    Returns
    -------
    int
    """
    if int(patience) < 1:
        raise ValueError(f"patience must be a positive integer, got {patience}")
    if len(val_losses) == 0:
        raise ValueError("val_losses must hold at least one loss")
    best, best_loss, waited = 0, float(val_losses[0]), 0
    for i in range(1, len(val_losses)):
        if val_losses[i] < best_loss:
            best, best_loss, waited = i, float(val_losses[i]), 0
        else:
            waited += 1
            if waited >= patience:
                break
    return best


def step_decay(lr0: float, epoch: int, drop: float = 0.5, every: int = 10) -> float:
    """Step decay: ``lr0 * drop ** (epoch // every)``, the rate dropping every ``every`` epochs."""
    return lr0 * drop ** (int(epoch) // int(every))
