"""A two-layer network (dense, activation, dense) written from scratch in NumPy.

This is the network of lesson 03, in one place so that the lesson and the live
training widget share it. Conventions as everywhere in the course: a batch is
rows, ``X`` has shape ``(n, d_in)``; a dense layer stores ``W`` with shape
``(d_out, d_in)`` and ``b`` with shape ``(d_out,)``; parameters live in a dict
``{"W1", "b1", "W2", "b2"}``. With ``h`` hidden units and ``k`` classes::

    Z1 = X @ W1.T + b1        (n, h)      dW2 = dZ2.T @ A1          (k, h)
    A1 = f(Z1)                (n, h)      db2 = dZ2.sum(axis=0)     (k,)
    Z2 = A1 @ W2.T + b2       (n, k)      dA1 = dZ2 @ W2            (n, h)
    loss = CE(softmax(Z2), y)  scalar     dZ1 = dA1 * f'(Z1)        (n, h)
    dZ2 = (softmax(Z2) - onehot(y)) / n   dW1 = dZ1.T @ X           (h, d_in)
                                          db1 = dZ1.sum(axis=0)     (h,)

Every function returns new arrays; none modifies its inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy.special import expit

Params = dict[str, np.ndarray]

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "Cache",
    "backward",
    "forward",
    "init_params",
    "loss_and_gradients",
    "predict",
    "predict_proba",
    "sgd_step",
    "softmax",
    "softmax_cross_entropy",
    "train",
]


@dataclass(frozen=True)
class Activation:
    """An elementwise activation ``f`` and its derivative ``df``, both taking ``Z``."""

    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]


def _sigmoid_grad(z: np.ndarray) -> np.ndarray:
    s = expit(z)
    return s * (1.0 - s)


ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation(lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "tanh": Activation(np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "sigmoid": Activation(expit, _sigmoid_grad),
    "identity": Activation(lambda z: np.array(z, dtype=float), np.ones_like),
}

INITS = ("he", "xavier", "small")


class Cache(NamedTuple):
    """What the backward pass needs from the forward pass.

    Attributes
    ----------
    X : ndarray of shape (n, d_in)
    Z1 : ndarray of shape (n, h)
        Hidden pre-activations.
    A1 : ndarray of shape (n, h)
        Hidden activations ``f(Z1)``.
    activation : str
        Name of ``f``, a key of ``ACTIVATIONS``.
    """

    X: np.ndarray
    Z1: np.ndarray
    A1: np.ndarray
    activation: str


def _check_activation(activation: str) -> Activation:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
    return ACTIVATIONS[activation]


def _check_X(params: Params, X: np.ndarray) -> np.ndarray:
    missing = {"W1", "b1", "W2", "b2"} - set(params)
    if missing:
        raise ValueError(f"params must hold W1, b1, W2 and b2; missing {sorted(missing)}")
    X = np.asarray(X, dtype=float)
    d_in = params["W1"].shape[1]
    if X.ndim != 2 or X.shape[1] != d_in:
        raise ValueError(f"X must have shape (n, {d_in}) to match W1 of shape "
                         f"{params['W1'].shape}, got {X.shape}")
    return X


def init_params(d_in: int, hidden: int, d_out: int, seed: int = 0, init: str = "he") -> Params:
    """Random weights and zero biases for a dense-activation-dense network.

    Parameters
    ----------
    d_in, hidden, d_out : int
        Sizes of the input, the hidden layer and the output (number of classes).
    seed : int, default 0
        Seed of the ``numpy.random.Generator`` that draws the weights.
    init : {"he", "xavier", "small"}, default "he"
        ``N(0, 2 / fan_in)``, ``N(0, 2 / (fan_in + fan_out))`` or ``N(0, 0.1**2)``.

    Returns
    -------
    dict
        ``W1`` (hidden, d_in), ``b1`` (hidden,), ``W2`` (d_out, hidden), ``b2`` (d_out,).
    """
    for name, value in (("d_in", d_in), ("hidden", hidden), ("d_out", d_out)):
        if int(value) < 1:
            raise ValueError(f"{name} must be a positive integer, got {value}")
    if init not in INITS:
        raise ValueError(f"init must be one of {list(INITS)}, got {init!r}")
    rng = np.random.default_rng(seed)

    def weights(fan_out: int, fan_in: int) -> np.ndarray:
        std = {"he": np.sqrt(2.0 / fan_in), "xavier": np.sqrt(2.0 / (fan_in + fan_out)),
               "small": 0.1}[init]
        return rng.normal(0.0, std, size=(fan_out, fan_in))

    return {"W1": weights(hidden, d_in), "b1": np.zeros(hidden),
            "W2": weights(d_out, hidden), "b2": np.zeros(d_out)}


def forward(params: Params, X: np.ndarray, activation: str = "relu") -> tuple[np.ndarray, Cache]:
    """Forward pass: the logits and what the backward pass needs.

    Parameters
    ----------
    params : dict
        ``W1`` (h, d_in), ``b1`` (h,), ``W2`` (k, h), ``b2`` (k,).
    X : ndarray of shape (n, d_in)
    activation : str, default "relu"
        A key of ``ACTIVATIONS``.

    Returns
    -------
    logits : ndarray of shape (n, k)
    cache : Cache
    """
    act = _check_activation(activation)
    X = _check_X(params, X)
    Z1 = X @ params["W1"].T + params["b1"]
    A1 = act.f(Z1)
    logits = A1 @ params["W2"].T + params["b2"]
    return logits, Cache(X, Z1, A1, activation)


def softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large logits.

    Parameters
    ----------
    Z : ndarray of shape (n, k)

    Returns
    -------
    ndarray of shape (n, k)
        Positive rows summing to 1.
    """
    shifted = Z - Z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of the softmax of ``logits`` and its gradient.

    Parameters
    ----------
    logits : ndarray of shape (n, k)
    y : ndarray of shape (n,)
        Integer labels in ``0 .. k-1``.

    Returns
    -------
    loss : float
        ``mean_i -log softmax(logits)[i, y[i]]``, computed with the log-sum-exp
        trick so that logits of magnitude 1e3 give finite values.
    d_logits : ndarray of shape (n, k)
        ``(softmax(logits) - onehot(y)) / n``.
    """
    logits = np.asarray(logits, dtype=float)
    y = np.asarray(y)
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (n, k), got {logits.shape}")
    n, k = logits.shape
    if y.shape != (n,):
        raise ValueError(f"y must have shape ({n},) to match logits, got {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= k):
        raise ValueError(f"y must hold labels in 0..{k - 1}, "
                         f"got values from {y.min()} to {y.max()}")
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_p = shifted - log_sum
    rows = np.arange(n)
    loss = float(-log_p[rows, y].mean())
    d_logits = np.exp(log_p)
    d_logits[rows, y] -= 1.0
    return loss, d_logits / n


def backward(params: Params, cache: Cache, d_logits: np.ndarray) -> Params:
    """Backward pass: gradients of the loss w.r.t. every parameter.

    Parameters
    ----------
    params : dict
        The parameters used in the forward pass that produced ``cache``.
    cache : Cache
        From :func:`forward`.
    d_logits : ndarray of shape (n, k)
        Gradient of the loss w.r.t. the logits.

    Returns
    -------
    dict
        ``W1`` (h, d_in), ``b1`` (h,), ``W2`` (k, h), ``b2`` (k,): same keys and
        shapes as ``params``.
    """
    X, Z1, A1, activation = cache
    dZ2 = np.asarray(d_logits, dtype=float)
    if dZ2.shape != (X.shape[0], params["W2"].shape[0]):
        raise ValueError(f"d_logits must have shape {(X.shape[0], params['W2'].shape[0])}, "
                         f"got {dZ2.shape}")
    dA1 = dZ2 @ params["W2"]
    dZ1 = dA1 * ACTIVATIONS[activation].df(Z1)
    return {"W1": dZ1.T @ X, "b1": dZ1.sum(axis=0),
            "W2": dZ2.T @ A1, "b2": dZ2.sum(axis=0)}


def loss_and_gradients(
    params: Params, X: np.ndarray, y: np.ndarray, activation: str = "relu"
) -> tuple[float, Params]:
    """Forward pass, softmax cross-entropy and backward pass in one call.

    Parameters
    ----------
    params : dict
        ``W1``, ``b1``, ``W2``, ``b2``.
    X : ndarray of shape (n, d_in)
    y : ndarray of shape (n,)
        Integer labels.
    activation : str, default "relu"

    Returns
    -------
    loss : float
    grads : dict
        Same keys and shapes as ``params``.
    """
    logits, cache = forward(params, X, activation)
    loss, d_logits = softmax_cross_entropy(logits, y)
    return loss, backward(params, cache, d_logits)


def sgd_step(params: Params, grads: Params, lr: float) -> Params:
    """One gradient-descent step, ``p - lr * g`` for every parameter, as a new dict.

    Parameters
    ----------
    params, grads : dict
        Same keys and shapes.
    lr : float
        Learning rate.

    Returns
    -------
    dict
        New arrays; ``params`` and ``grads`` are left unchanged.
    """
    return {name: p - lr * grads[name] for name, p in params.items()}


def predict_proba(params: Params, X: np.ndarray, activation: str = "relu") -> np.ndarray:
    """Class probabilities, shape (n, k): the softmax of the logits."""
    return softmax(forward(params, X, activation)[0])


def predict(params: Params, X: np.ndarray, activation: str = "relu") -> np.ndarray:
    """Predicted class labels, integers of shape (n,): the argmax of the logits."""
    return forward(params, X, activation)[0].argmax(axis=1)


def train(
    X: np.ndarray,
    y: np.ndarray,
    hidden: int = 16,
    lr: float = 0.5,
    epochs: int = 500,
    seed: int = 0,
    activation: str = "relu",
    init: str = "he",
) -> tuple[Params, np.ndarray]:
    """Full-batch gradient descent on softmax cross-entropy.

    Parameters
    ----------
    X : ndarray of shape (n, d_in)
    y : ndarray of shape (n,)
        Integer labels ``0 .. k-1``; ``k = y.max() + 1``.
    hidden : int, default 16
    lr : float, default 0.5
    epochs : int, default 500
        Number of gradient steps (one per epoch: the batch is the whole data set).
    seed : int, default 0
        Seed of the initial weights.
    activation, init : str
        See :func:`forward` and :func:`init_params`.

    Returns
    -------
    params : dict
        The trained parameters.
    losses : ndarray of shape (epochs,)
        The loss before each step.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    params = init_params(X.shape[1], hidden, int(y.max()) + 1, seed, init)
    losses = np.empty(epochs)
    for epoch in range(epochs):
        losses[epoch], grads = loss_and_gradients(params, X, y, activation)
        params = sgd_step(params, grads, lr)
    return params, losses
