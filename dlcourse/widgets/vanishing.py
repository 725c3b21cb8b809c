"""Vanishing-gradient explorer: depth, activation, initialisation and batch norm of a
deep network -> the gradient norm of every layer (log scale), the standard deviation
of every hidden layer's activations, and their histograms, layer by layer.

The network is :mod:`dlcourse.deepnet`'s, ``width`` units per hidden layer, on a
fixed batch of standardised digits (64 pixels, 10 classes), at initialisation:
nothing is trained, so what the panels show is what the very first gradient step
would see. The compute part (:func:`gradient_profile`) is a pure function of plain
parameters; :class:`VanishingExplorer` only wires controls to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.datasets import load_digits

from dlcourse import deepnet
from dlcourse.widgets.live import canvas_view

__all__ = [
    "ACTIVATIONS",
    "HIST_RANGES",
    "INIT_LABELS",
    "GradientProfile",
    "VanishingExplorer",
    "digits_batch",
    "gradient_profile",
]

ACTIVATIONS = ("relu", "tanh", "sigmoid")
#: Menu labels of the initialisations of :data:`dlcourse.deepnet.INITS`.
INIT_LABELS = {
    "he": "He  N(0, 2/d_in)",
    "xavier": "Xavier  N(0, 2/(d_in+d_out))",
    "small": "N(0, 0.01²)",
    "large": "N(0, 1)",
}
#: Range of the activation histograms; values beyond it count in the edge bins.
HIST_RANGES = {"relu": (0.0, 3.0), "tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0),
               "identity": (-3.0, 3.0)}
MAX_DEPTH = 30
# A gradient that is exactly 0 (or underflows) is drawn at this floor on the log axes.
FLOOR = 1e-30


@lru_cache(maxsize=4)
def digits_batch(n: int = 256, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A fixed batch of ``n`` digits, each pixel standardised over the whole data set.

    Parameters
    ----------
    n : int, default 256
        Batch size (at most 1797).
    seed : int, default 0
        Which samples.

    Returns
    -------
    X : ndarray of shape (n, 64)
        Pixels with mean 0 and standard deviation 1 over the data set (pixels that
        are always 0 stay 0). Read-only: shared between calls.
    y : ndarray of shape (n,)
        Digit labels 0..9.
    """
    X, y = load_digits(return_X_y=True)
    if not 1 <= n <= len(y):
        raise ValueError(f"n must be between 1 and {len(y)}, got {n}")
    std = X.std(axis=0)
    X = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
    idx = np.random.default_rng(seed).choice(len(y), size=n, replace=False)
    X, y = X[idx], y[idx]
    X.flags.writeable = False
    y.flags.writeable = False
    return X, y


@dataclass(frozen=True)
class GradientProfile:
    """What the explorer draws for one network.

    Attributes
    ----------
    grad_W : ndarray of shape (depth,)
        ``||dL/dW_l||`` for layers ``l = 1 .. depth`` (layer ``depth`` is the output).
    grad_Z : ndarray of shape (depth,)
        ``||dL/dZ_l||``, the backward signal reaching each layer.
    act_std : ndarray of shape (depth - 1,)
        Standard deviation of each hidden layer's activations.
    hist : ndarray of shape (depth - 1, bins)
        Fraction of each hidden layer's activations in each bin of ``hist_range``
        (values outside the range are counted in the first or last bin); rows sum to 1.
    hist_range : tuple of float
        ``(lo, hi)`` of the histogram bins.
    loss : float
        Cross-entropy of the batch at initialisation (about ``log 10 = 2.3`` for a
        network that has not yet learnt anything and is not badly scaled).
    """

    grad_W: np.ndarray
    grad_Z: np.ndarray
    act_std: np.ndarray
    hist: np.ndarray
    hist_range: tuple[float, float]
    loss: float


def _histograms(activations: list, lo: float, hi: float, bins: int) -> np.ndarray:
    """Per-layer histograms of fractions, values clipped into [lo, hi]; shape (layers, bins)."""
    A = np.stack([a.ravel() for a in activations])  # (layers, n * width)
    with np.errstate(invalid="ignore"):
        idx = np.floor((np.nan_to_num(A, nan=lo) - lo) / (hi - lo) * bins)
    idx = np.clip(idx, 0, bins - 1).astype(np.int64)
    offsets = (np.arange(len(activations)) * bins)[:, None]
    counts = np.bincount((idx + offsets).ravel(), minlength=len(activations) * bins)
    return counts.reshape(len(activations), bins) / A.shape[1]


def gradient_profile(
    depth: int = 10,
    activation: str = "relu",
    init: str | float = "he",
    batchnorm: bool = False,
    *,
    width: int = 64,
    n: int = 256,
    seed: int = 0,
    bins: int = 40,
) -> GradientProfile:
    """Gradient norms and activation statistics of every layer of a deep network at
    initialisation, on a batch of digits.

    Parameters
    ----------
    depth : int, default 10
        Number of dense layers, 2 to 30: ``depth - 1`` hidden layers and the output.
    activation : {"relu", "tanh", "sigmoid"}, default "relu"
        Activation of every hidden layer.
    init : str or float, default "he"
        A key of ``dlcourse.deepnet.INITS`` (``"he"``, ``"xavier"``, ``"small"``:
        ``N(0, 0.01**2)``, ``"large"``: ``N(0, 1)``) or a standard deviation.
    batchnorm : bool, default False
        Batch-normalise every hidden layer's pre-activations.
    width : int, default 64
        Units per hidden layer.
    n : int, default 256
        Batch size.
    seed : int, default 0
        Seed of the weights (the batch is always the same).
    bins : int, default 40
        Bins of the activation histograms.

    Returns
    -------
    GradientProfile
    """
    if int(depth) != depth or not 2 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be an integer from 2 to {MAX_DEPTH}, got {depth}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {list(ACTIVATIONS)}, got {activation!r}")
    if int(width) < 1:
        raise ValueError(f"width must be a positive integer, got {width}")
    if int(bins) < 2:
        raise ValueError(f"bins must be at least 2, got {bins}")
    X, y = digits_batch(n)
    sizes = [X.shape[1]] + [int(width)] * (int(depth) - 1) + [10]
    params = deepnet.init_params(sizes, init, seed, batchnorm=batchnorm)
    with deepnet.one_blas_thread():
        stats = deepnet.layer_statistics(params, X, y, activation)
    lo, hi = HIST_RANGES[activation]
    return GradientProfile(
        grad_W=stats.grad_W,
        grad_Z=stats.grad_Z,
        act_std=stats.act_std,
        hist=_histograms(stats.activations, lo, hi, int(bins)),
        hist_range=(lo, hi),
        loss=stats.loss,
    )


def _log_limits(values: np.ndarray, min_decades: float = 2.0) -> tuple[float, float]:
    """Limits of a log axis showing every finite value, with a margin, spanning at
    least ``min_decades`` decades (so that at least two ticks are labelled)."""
    v = values[np.isfinite(values)]
    if not v.size:
        return (1e-3, 1e3)
    lo, hi = np.log10(max(float(v.min()), FLOOR)), np.log10(max(float(v.max()), FLOOR))
    pad = max(0.25, (min_decades - (hi - lo)) / 2)
    return (10 ** (lo - pad), 10 ** (hi + pad))


class VanishingExplorer:
    """Controls for depth, activation, initialisation and batch norm, driving three
    panels: the gradient norm of every layer, the standard deviation of every hidden
    layer's activations (both on log scales), and the activation histograms, one row
    per hidden layer.

    Parameters
    ----------
    depth : int, default 10
    activation : str, default "sigmoid"
    init : str, default "xavier"
        A key of ``INIT_LABELS``.
    batchnorm : bool, default False
    bins : int, default 40

    Notes
    -----
    Use in a notebook with ``%matplotlib widget`` (ipympl) and display ``.widget``.
    With any other backend the canvas is not a widget: ``.widget`` then holds the
    controls and an empty output area, while ``.fig`` and ``update`` still work
    (this is how the tests run headless). ``update`` redraws in place and is what
    the benchmarks time.
    """

    def __init__(
        self,
        depth: int = 10,
        activation: str = "sigmoid",
        init: str = "xavier",
        batchnorm: bool = False,
        bins: int = 40,
    ) -> None:
        import ipywidgets as W
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

        self.bins = int(bins)
        with plt.ioff():
            self.fig, (ax_g, ax_s, ax_h) = plt.subplots(
                1, 3, figsize=(11.0, 3.4), gridspec_kw={"width_ratios": [1.1, 1.0, 1.0]})
        (self.grad_W_line,) = ax_g.semilogy([], [], "o-", ms=3, color="tab:blue",
                                            label="weights ‖∂L/∂W_l‖")
        (self.grad_Z_line,) = ax_g.semilogy([], [], "s--", ms=3, color="tab:orange",
                                            label="signal ‖∂L/∂Z_l‖")
        ax_g.set(xlabel="layer l (1 = input side)", ylabel="gradient norm (log scale)")
        ax_g.legend(fontsize=7, loc="best")
        (self.std_line,) = ax_s.semilogy([], [], "o-", ms=3, color="tab:green")
        ax_s.set(xlabel="hidden layer l", ylabel="std of activations (log scale)")
        self.image = ax_h.imshow(np.zeros((1, self.bins)), origin="lower", aspect="auto",
                                 cmap="magma_r", vmin=0.0, vmax=0.25, interpolation="nearest")
        ax_h.set(xlabel="activation value", ylabel="hidden layer l")
        # Text is what costs most per redraw: few ticks, plain (not mathtext) labels, and
        # titles at a fixed height (no search for a position above the tick labels).
        plain = FuncFormatter(lambda v, _pos: f"{v:.0e}".replace("e-0", "e-").replace("e+0", "e"))
        for ax in (ax_g, ax_s):
            ax.yaxis.set_major_locator(LogLocator(base=10, numticks=5))
            ax.yaxis.set_major_formatter(plain)
            ax.yaxis.set_minor_locator(NullLocator())
        for ax in (ax_g, ax_s, ax_h):
            ax.xaxis.set_major_locator(MaxNLocator(6, integer=ax is not ax_h))
        ax_h.yaxis.set_major_locator(MaxNLocator(6, integer=True))
        self.title_g = ax_g.set_title("", fontsize=9, y=1.0)
        ax_s.set_title("activation spread per layer", fontsize=9, y=1.0)
        self.title_h = ax_h.set_title("", fontsize=9, y=1.0)
        self.ax_g, self.ax_s, self.ax_h = ax_g, ax_s, ax_h
        # Fixed margins (tight_layout would fit the empty axes of the first draw).
        self.fig.subplots_adjust(left=0.075, right=0.99, bottom=0.15, top=0.9, wspace=0.4)

        self.controls = {
            "depth": W.IntSlider(value=depth, min=2, max=MAX_DEPTH, description="depth",
                                 continuous_update=False),
            "activation": W.Dropdown(options=list(ACTIVATIONS), value=activation,
                                     description="activation"),
            "init": W.Dropdown(options=[(label, key) for key, label in INIT_LABELS.items()],
                               value=init, description="init"),
            "batchnorm": W.Checkbox(value=batchnorm, description="batch norm"),
        }
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.live, view = canvas_view(self.fig)
        self.widget = W.VBox([W.HBox(list(self.controls.values())), view])
        self.profile = self.update(depth, activation, init, batchnorm)

    def _draw(self, p: GradientProfile, depth: int, activation: str) -> None:
        """Move the existing artists to show ``p``; nothing is created."""
        layers = np.arange(1, depth + 1)
        gW, gZ = np.maximum(p.grad_W, FLOOR), np.maximum(p.grad_Z, FLOOR)
        self.grad_W_line.set_data(layers, gW)
        self.grad_Z_line.set_data(layers, gZ)
        self.ax_g.set_xlim(0.5, depth + 0.5)
        self.ax_g.set_ylim(*_log_limits(np.concatenate([gW, gZ])))
        ratio = gW[0] / gW[-1]
        self.title_g.set_text(f"gradient norms; layer 1 / layer {depth}: {ratio:.1e}")
        hidden = np.arange(1, depth)
        act_std = np.maximum(p.act_std, FLOOR)
        self.std_line.set_data(hidden, act_std)
        self.ax_s.set_xlim(0.5, depth - 0.5)
        self.ax_s.set_ylim(*_log_limits(act_std))
        lo, hi = p.hist_range
        self.image.set_data(p.hist)
        self.image.set_extent((lo, hi, 0.5, depth - 0.5))
        self.ax_h.set_xlim(lo, hi)
        self.ax_h.set_ylim(0.5, depth - 0.5)
        self.title_h.set_text(f"{activation}: histogram of each layer")

    def update(
        self,
        depth: int | None = None,
        activation: str | None = None,
        init: str | None = None,
        batchnorm: bool | None = None,
    ) -> GradientProfile:
        """Recompute and redraw in place; arguments left out keep the controls' values.

        The controls are not moved: ``update`` is what they call. Returns the profile.
        """
        c = self.controls
        depth = c["depth"].value if depth is None else int(depth)
        activation = c["activation"].value if activation is None else activation
        init = c["init"].value if init is None else init
        batchnorm = c["batchnorm"].value if batchnorm is None else bool(batchnorm)
        p = gradient_profile(depth, activation, init, batchnorm, bins=self.bins)
        self._draw(p, depth, activation)
        self.profile = p
        if self.live:
            self.fig.canvas.draw_idle()
        return p

    def _on_change(self, _change: object) -> None:
        self.update()
