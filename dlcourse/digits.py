"""The digits problem shared by lessons 04 (Keras) and 05 (PyTorch), so that the
two notebooks differ only in the framework: same data, split, seeds and network.

Data: scikit-learn's bundled 8x8 digits (1,797 images, 64 pixel features with
values 0..16, 10 classes). Nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 0


@dataclass(frozen=True)
class MLPSpec:
    """The 64-32-softmax network and its training settings, for both frameworks.

    Attributes
    ----------
    d_in : int
        Input features (64 pixels).
    hidden : int
        Units of the hidden ReLU layer.
    n_classes : int
        Output units (softmax over the 10 digits).
    epochs : int
        Passes over the training set.
    batch_size : int
        Samples per gradient step.
    learning_rate : float
        Adam's step size.
    """

    d_in: int = 64
    hidden: int = 32
    n_classes: int = 10
    epochs: int = 30
    batch_size: int = 32
    learning_rate: float = 1e-3


SPEC = MLPSpec()


def digits_split(
    test_size: float = 0.25, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The digits, split into train and test sets stratified by class.

    Parameters
    ----------
    test_size : float, default 0.25
        Fraction of the samples held out.
    seed : int, default 0
        Seed of the split.

    Returns
    -------
    X_train : ndarray of shape (n_train, 64), float32
    X_test : ndarray of shape (n_test, 64), float32
        Raw pixel values 0..16 (scale them in a pipeline).
    y_train : ndarray of shape (n_train,), int64
    y_test : ndarray of shape (n_test,), int64
        Digit labels 0..9.
    """
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be between 0 and 1, got {test_size}")
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X.astype(np.float32),
        y.astype(np.int64),
        test_size=test_size,
        stratify=y,
        random_state=seed,
    )
    return X_train, X_test, y_train, y_test


def make_imbalanced(
    X: np.ndarray,
    y: np.ndarray,
    minority: tuple[int, ...] = (3, 8),
    keep: float = 0.1,
    seed: int = SEED,
) -> tuple[np.ndarray, np.ndarray]:
    """Keep only a fraction ``keep`` of the samples of the ``minority`` classes.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    y : ndarray of shape (n,)
    minority : tuple of int, default (3, 8)
        The classes made rare.
    keep : float, default 0.1
        Fraction of their samples kept (at least one per class).
    seed : int, default 0
        Seed of the subsampling.

    Returns
    -------
    X_imb : ndarray of shape (m, d)
    y_imb : ndarray of shape (m,)
        The other classes unchanged, in the original order.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]} labels")
    if not 0.0 < keep <= 1.0:
        raise ValueError(f"keep must be in (0, 1], got {keep}")
    rng = np.random.default_rng(seed)
    mask = np.ones(len(y), dtype=bool)
    for c in minority:
        idx = np.flatnonzero(y == c)
        if idx.size == 0:
            raise ValueError(f"class {c} does not occur in y")
        n_keep = max(1, int(round(keep * idx.size)))
        mask[rng.choice(idx, size=idx.size - n_keep, replace=False)] = False
    return X[mask], y[mask]
