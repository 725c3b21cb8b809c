"""Small, deterministic datasets for lessons and widgets (nothing is downloaded)."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_blobs


def two_blobs(n: int = 120, seed: int = 0, spread: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Two standardised Gaussian blobs in 2-D, a linearly separable toy problem.

    Parameters
    ----------
    n : int, default 120
        Number of points, split evenly between the classes.
    seed : int, default 0
        Random seed; the same seed gives the same data.
    spread : float, default 1.0
        Standard deviation of each blob before standardisation.

    Returns
    -------
    X : ndarray of shape (n, 2)
        Standardised features (mean 0, standard deviation 1 per column).
    y : ndarray of shape (n,)
        Integer labels 0 or 1.
    """
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    X, y = make_blobs(
        n_samples=n, centers=[(-1.5, -1.0), (1.5, 1.0)], cluster_std=spread, random_state=seed
    )
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y.astype(int)
