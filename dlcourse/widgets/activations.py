"""Activation explorer: an activation function ``f`` and its derivative ``f'``
drawn together, with a fixed sample of pre-activations ``z = scale * x + shift``
(``x`` standard normal) and the fraction of them in saturation.

**Saturation** (the definition used here, in the lesson and in the readout):
an input ``z`` is *saturated* for the activation ``f`` when

    |f'(z)| < SATURATION_LEVEL * max_t |f'(t)|,   with SATURATION_LEVEL = 0.05,

that is, when the slope at ``z`` is less than 5 % of the largest slope the
activation has anywhere (0.25 for the sigmoid, 1 for tanh, ReLU and leaky
ReLU, about 1.129 for GELU). A gradient passing back through a saturated unit
is multiplied by that small slope, so saturated units learn slowly. By this
definition ReLU's negative half (slope exactly 0) and leaky ReLU's (slope 0.01)
are saturated; the readout also reports the fraction of inputs whose slope is
exactly zero, where no gradient passes at all. GELU's slope crosses zero near
z = -0.75, so a narrow band around that point counts as saturated too.

The compute part (:func:`activation_profile`) is a pure function of plain
parameters; :class:`ActivationExplorer` only wires a menu and sliders to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit, ndtr

from dlcourse.widgets.live import canvas_view

__all__ = [
    "ACTIVATIONS",
    "SATURATION_LEVEL",
    "Activation",
    "ActivationExplorer",
    "ActivationProfile",
    "activation_profile",
    "standard_sample",
]

SATURATION_LEVEL = 0.05
LEAKY_SLOPE = 0.01  # PyTorch's default negative_slope for nn.LeakyReLU
# The plots show z in [-Z_MIN_RANGE, Z_MIN_RANGE], widened when inputs lie beyond.
Z_MIN_RANGE = 6.0
_SQRT_2PI = np.sqrt(2.0 * np.pi)


def _normal_pdf(z: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * np.square(z)) / _SQRT_2PI


def _gelu(z: np.ndarray) -> np.ndarray:
    return z * ndtr(z)  # exact GELU: z * Phi(z), Phi the standard normal CDF


def _gelu_grad(z: np.ndarray) -> np.ndarray:
    return ndtr(z) + z * _normal_pdf(z)


@dataclass(frozen=True)
class Activation:
    """An elementwise activation with its derivative.

    Attributes
    ----------
    name : str
        Key in ``ACTIVATIONS``.
    f, df : callable
        The function and its derivative, elementwise on arrays of any shape;
        both are numerically stable (no overflow) for any finite input.
    max_slope : float
        ``max_z |f'(z)|``, the reference for the saturation threshold.
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    max_slope: float


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        # sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)) = sigmoid(z) sigmoid(-z), largest at z = 0.
        Activation("sigmoid", expit, lambda z: expit(z) * expit(-z), 0.25),
        Activation("tanh", np.tanh, lambda z: 1.0 - np.tanh(z) ** 2, 1.0),
        Activation("relu", lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float), 1.0),
        Activation(
            "leaky_relu",
            lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
            lambda z: np.where(z > 0, 1.0, LEAKY_SLOPE),
            1.0,
        ),
        # GELU'' = phi(z) (2 - z^2) vanishes at z = sqrt(2): the largest slope is there.
        Activation("gelu", _gelu, _gelu_grad, float(_gelu_grad(np.sqrt(2.0)))),
    ]
}


def standard_sample(n: int = 2000, seed: int = 0) -> np.ndarray:
    """A fixed sample of ``n`` standard normal numbers (the same for the same seed).

    Returns
    -------
    ndarray of shape (n,)
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    return np.random.default_rng(seed).standard_normal(n)


@dataclass(frozen=True)
class ActivationProfile:
    """What the activation explorer draws for one setting.

    Attributes
    ----------
    z_grid : ndarray of shape (resolution,)
        Evenly spaced points of the plotted range ``[-z_max, z_max]``.
    f_grid, df_grid : ndarray of shape (resolution,)
        ``f`` and ``f'`` on ``z_grid``.
    z : ndarray of shape (n,)
        The inputs ``scale * x + shift``.
    saturated : ndarray of bool, shape (n,)
        ``|f'(z)| < threshold`` for each input.
    threshold : float
        ``SATURATION_LEVEL * max_slope`` of the activation.
    saturated_fraction : float
        Fraction of inputs that are saturated, ``saturated.mean()``.
    zero_fraction : float
        Fraction of inputs where ``f'(z) == 0`` exactly (no gradient at all).
    edges : ndarray of shape (bins + 1,)
        Histogram bin edges, spanning ``[-z_max, z_max]``.
    counts, counts_saturated : ndarray of shape (bins,)
        Number of inputs, and of saturated inputs, in each bin.
    """

    z_grid: np.ndarray
    f_grid: np.ndarray
    df_grid: np.ndarray
    z: np.ndarray
    saturated: np.ndarray
    threshold: float
    saturated_fraction: float
    zero_fraction: float
    edges: np.ndarray
    counts: np.ndarray
    counts_saturated: np.ndarray

    @property
    def z_max(self) -> float:
        """Half-width of the plotted range."""
        return float(self.z_grid[-1])


def activation_profile(
    activation: str = "sigmoid",
    scale: float = 1.0,
    shift: float = 0.0,
    x: np.ndarray | None = None,
    *,
    bins: int = 40,
    resolution: int = 401,
) -> ActivationProfile:
    """Evaluate an activation and its derivative, and the saturation of a sample of inputs.

    Parameters
    ----------
    activation : {"sigmoid", "tanh", "relu", "leaky_relu", "gelu"}, default "sigmoid"
        Which activation, a key of ``ACTIVATIONS``.
    scale : float, default 1.0
        Positive factor applied to the sample: the spread of the pre-activations.
    shift : float, default 0.0
        Added after scaling (a bias): ``z = scale * x + shift``.
    x : ndarray of shape (n,), optional
        The base sample; ``standard_sample()`` (2000 standard normal numbers,
        seed 0) by default.
    bins : int, default 40
        Number of histogram bins over the plotted range.
    resolution : int, default 401
        Number of points of the curves.

    Returns
    -------
    ActivationProfile
        Curves on ``[-z_max, z_max]`` (``z_max`` is ``Z_MIN_RANGE`` or just
        beyond the largest ``|z|``), the inputs, which of them are saturated
        (``|f'(z)| < SATURATION_LEVEL * max |f'|``), the saturated fraction and
        the histograms.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive finite number, got {scale!r}")
    if not np.isfinite(shift):
        raise ValueError(f"shift must be a finite number, got {shift!r}")
    if bins < 1:
        raise ValueError(f"bins must be at least 1, got {bins}")
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution}")
    x = standard_sample() if x is None else np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D array of shape (n,), got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("x must hold finite numbers only (no nan or inf)")

    act = ACTIVATIONS[activation]
    z = scale * x + shift
    dz = act.df(z)
    threshold = SATURATION_LEVEL * act.max_slope
    saturated = np.abs(dz) < threshold

    z_max = max(Z_MIN_RANGE, 1.05 * float(np.max(np.abs(z))))
    z_grid = np.linspace(-z_max, z_max, resolution)
    edges = np.linspace(-z_max, z_max, bins + 1)
    counts, _ = np.histogram(z, edges)
    counts_saturated, _ = np.histogram(z[saturated], edges)
    return ActivationProfile(
        z_grid=z_grid,
        f_grid=act.f(z_grid),
        df_grid=act.df(z_grid),
        z=z,
        saturated=saturated,
        threshold=threshold,
        saturated_fraction=float(np.mean(saturated)),
        zero_fraction=float(np.mean(dz == 0)),
        edges=edges,
        counts=counts,
        counts_saturated=counts_saturated,
    )


def _f_limits(activation: str, z_max: float) -> tuple[float, float]:
    """y limits of the f(z) panel when it shows z in [-z_max, z_max]."""
    if activation == "sigmoid":
        return (-0.05, 1.05)
    if activation == "tanh":
        return (-1.1, 1.1)
    return (-0.1 * z_max, 1.05 * z_max)  # relu, leaky_relu, gelu: unbounded above


def _readout(activation: str, scale: float, shift: float, p: ActivationProfile) -> str:
    zero = f", slope exactly 0: {p.zero_fraction:.1%}" if p.zero_fraction > 0 else ""
    return (
        f"{activation}, z = {scale:.2g}·x {'+' if shift >= 0 else '−'} {abs(shift):.2g}: "
        f"saturated {p.saturated_fraction:.1%} (|f′(z)| < {p.threshold:.3g}){zero}"
    )


class ActivationExplorer:
    """A menu of activations and sliders for the scale and shift of the inputs,
    driving three panels that share the z axis: ``f(z)``, ``f'(z)`` with the
    saturation threshold, and the histogram of the inputs with the saturated
    ones highlighted. The title reports the saturated fraction.

    Parameters
    ----------
    activation : str, default "sigmoid"
        Initial activation, a key of ``ACTIVATIONS``.
    scale, shift : float
        Initial ``z = scale * x + shift``.
    n_samples, seed : int
        Size and seed of the fixed standard normal sample ``x``.

    Notes
    -----
    Use in a notebook with ``%matplotlib widget`` (ipympl) and display
    ``.widget``. With any other backend the canvas is not a widget: ``.widget``
    then holds the controls and an empty output area, while ``.fig`` and
    ``update`` still work (this is how the tests run headless). ``update``
    redraws in place and is what the benchmarks time.
    """

    def __init__(
        self,
        activation: str = "sigmoid",
        scale: float = 1.0,
        shift: float = 0.0,
        *,
        n_samples: int = 2000,
        seed: int = 0,
    ) -> None:
        import ipywidgets as W
        import matplotlib.pyplot as plt
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.x = standard_sample(n_samples, seed)
        p = activation_profile(activation, scale, shift, self.x)

        with plt.ioff():
            self.fig, (ax_f, ax_d, ax_h) = plt.subplots(
                3, 1, figsize=(7.0, 5.6), sharex=True, height_ratios=[1.0, 1.0, 0.8]
            )
        (self.f_line,) = ax_f.plot([], [], color="tab:blue", lw=2)
        ax_f.set(ylabel="f(z)")
        self.title = ax_f.set_title("", fontsize=10)
        # Plain text labels instead of legends: they are cheaper to redraw.
        (self.df_line,) = ax_d.plot([], [], color="tab:orange", lw=2)
        self.threshold_line = ax_d.axhline(0.0, color="tab:red", ls="--", lw=1)
        self.threshold_label = ax_d.text(
            0.99, 0.0, "saturation threshold", color="tab:red", fontsize=8, ha="right",
            va="bottom", transform=ax_d.get_yaxis_transform(),
        )
        ax_d.set(ylabel="slope f′(z)")
        self.hist_all = ax_h.stairs(np.zeros(1), np.array([0.0, 1.0]), fill=True, color="0.75")
        self.hist_saturated = ax_h.stairs(
            np.zeros(1), np.array([0.0, 1.0]), fill=True, color="tab:red"
        )
        ax_h.text(0.01, 0.95, "grey: all inputs, red: saturated", fontsize=8, va="top",
                  transform=ax_h.transAxes)
        ax_h.set(xlabel="pre-activation z = scale · x + shift", ylabel="number of inputs")
        for ax in (ax_f, ax_d):
            ax.axvline(0.0, color="grey", lw=0.8)
        self.axes = (ax_f, ax_d, ax_h)
        self._draw(p, activation, scale, shift)
        self.fig.tight_layout()

        self.menu = W.Dropdown(options=list(ACTIVATIONS), value=activation, description="f")
        self.sliders = {
            "scale": W.FloatLogSlider(
                value=scale, base=10, min=-1, max=np.log10(20), step=0.02, description="scale"
            ),
            "shift": W.FloatSlider(value=shift, min=-5, max=5, step=0.1, description="shift"),
        }
        for control in (self.menu, *self.sliders.values()):
            control.observe(self._on_change, names="value")
        self._live = type(self.fig.canvas) is not FigureCanvasAgg  # see update
        _, view = canvas_view(self.fig)
        self.widget = W.VBox([W.HBox([self.menu, *self.sliders.values()]), view])

    def _draw(self, p: ActivationProfile, activation: str, scale: float, shift: float) -> None:
        """Move the existing artists to show ``p``; no artist or figure is created."""
        ax_f, ax_d, ax_h = self.axes
        self.f_line.set_data(p.z_grid, p.f_grid)
        self.df_line.set_data(p.z_grid, p.df_grid)
        self.threshold_line.set_ydata([p.threshold, p.threshold])
        self.threshold_label.set_y(p.threshold)
        self.hist_all.set_data(p.counts, p.edges)
        self.hist_saturated.set_data(p.counts_saturated, p.edges)
        ax_f.set_xlim(-p.z_max, p.z_max)  # shared by the three panels
        ax_f.set_ylim(*_f_limits(activation, p.z_max))
        max_slope = ACTIVATIONS[activation].max_slope
        ax_d.set_ylim(-0.15 * max_slope, 1.15 * max_slope)
        ax_h.set_ylim(0.0, 1.3 * max(1, int(p.counts.max())))
        self.title.set_text(_readout(activation, scale, shift, p))

    def _on_change(self, _change: object) -> None:
        self.update(self.menu.value, **{k: s.value for k, s in self.sliders.items()})

    def update(self, activation: str, scale: float, shift: float = 0.0) -> ActivationProfile:
        """Recompute and redraw in place for new settings; returns the profile.

        The menu and sliders are not moved: ``update`` is what they call. A live
        canvas (ipympl, or any GUI backend) is asked for one deferred redraw with
        ``draw_idle``. A plain Agg canvas (tests, benchmarks) shows nothing live and
        its ``draw_idle`` would render at once, so it is left to whoever draws it:
        either way one render per change, as in the notebook.
        """
        p = activation_profile(activation, scale, shift, self.x)
        self._draw(p, activation, scale, shift)
        if self._live:
            self.fig.canvas.draw_idle()
        return p
