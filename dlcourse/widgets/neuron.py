"""A single neuron on 2-D data: sliders for its weights and bias, a choice of
activation; shows the output surface, the decision boundary and where the data
falls on the activation curve.

The compute part (:func:`neuron_response`) is a pure function of plain
parameters; :class:`NeuronExplorer` only wires sliders to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from scipy.special import expit

from dlcourse.widgets.live import canvas_view

ACTIVATIONS = {
    "identity": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": expit,
    "tanh": np.tanh,
}

# The activation panel shows z in [-Z_MIN_RANGE, Z_MIN_RANGE], widened when data lies beyond.
Z_MIN_RANGE = 8.0


def _panel_limits(activation: str, z_max: float) -> tuple[float, float]:
    """y limits of the activation panel when it shows z in [-z_max, z_max]."""
    if activation == "sigmoid":
        return (-0.1, 1.1)
    if activation == "tanh":
        return (-1.1, 1.1)
    if activation == "relu":
        return (-0.06 * z_max, 1.06 * z_max)
    return (-1.06 * z_max, 1.06 * z_max)  # identity


def _color_limits(activation: str, output: np.ndarray) -> tuple[float, float]:
    """Colour limits of the output surface, centred on f(0).

    With a diverging colour map the neutral colour then marks z = 0 for every
    activation; bounded activations use their full range, so that saturation
    (large weights) shows as strong colours over most of the plane.
    """
    if activation == "sigmoid":
        return (0.0, 1.0)
    if activation == "tanh":
        return (-1.0, 1.0)
    m = float(np.max(np.abs(output)))  # identity and relu: f(0) = 0
    return (-m, m) if m > 0 else (-1.0, 1.0)


@dataclass(frozen=True)
class NeuronResponse:
    """What the neuron widget draws for one setting of its parameters.

    Attributes
    ----------
    grid_x, grid_y : ndarray of shape (resolution,)
        Coordinates of the evaluation grid along each input axis.
    output : ndarray of shape (resolution, resolution)
        Activation of the neuron at each grid point; row i is ``grid_y[i]``.
    boundary : ndarray of shape (2, 2) or (0, 2)
        End points of the decision boundary ``w . x + b = 0`` clipped to the
        plot extent, or no points when the line misses the extent or ``w = 0``.
    z_data : ndarray of shape (n,)
        Pre-activation of each data point.
    accuracy : float or None
        Fraction of data points with ``(z > 0) == y``; None without labels.
    """

    grid_x: np.ndarray
    grid_y: np.ndarray
    output: np.ndarray
    boundary: np.ndarray
    z_data: np.ndarray
    accuracy: float | None


def _boundary(w: np.ndarray, b: float, extent: tuple[float, float, float, float]) -> np.ndarray:
    """Clip the line ``w[0] x + w[1] y + b = 0`` to a rectangle; (0, 2) if it misses."""
    x0, x1, y0, y1 = extent
    pts = []
    if abs(w[1]) > 1e-12:  # intersections with the vertical edges x = x0, x = x1
        for x in (x0, x1):
            y = -(w[0] * x + b) / w[1]
            if y0 <= y <= y1:
                pts.append((x, y))
    if abs(w[0]) > 1e-12:  # intersections with the horizontal edges y = y0, y = y1
        for y in (y0, y1):
            x = -(w[1] * y + b) / w[0]
            if x0 <= x <= x1:
                pts.append((x, y))
    if len(pts) < 2:
        return np.empty((0, 2))
    pts_arr = np.unique(np.round(np.array(pts), 12), axis=0)
    if len(pts_arr) < 2:
        return np.empty((0, 2))
    # The two points farthest apart are the segment's end points.
    d = ((pts_arr[:, None, :] - pts_arr[None, :, :]) ** 2).sum(-1)
    i, j = np.unravel_index(int(np.argmax(d)), d.shape)
    return pts_arr[[i, j]]


def neuron_response(
    w1: float,
    w2: float,
    b: float,
    activation: str = "sigmoid",
    X: np.ndarray | None = None,
    y: np.ndarray | None = None,
    *,
    extent: tuple[float, float, float, float] = (-3.0, 3.0, -3.0, 3.0),
    resolution: int = 81,
) -> NeuronResponse:
    """Evaluate one neuron ``a = f(w1 x1 + w2 x2 + b)`` on a grid and on data.

    Parameters
    ----------
    w1, w2 : float
        The weights of the two inputs.
    b : float
        The bias.
    activation : {"identity", "relu", "sigmoid", "tanh"}, default "sigmoid"
        The activation function ``f``.
    X : ndarray of shape (n, 2), optional
        Data points to place on the activation curve.
    y : ndarray of shape (n,), optional
        Labels 0/1 of ``X``, to report the accuracy of the rule ``z > 0``.
    extent : tuple of 4 floats, default (-3, 3, -3, 3)
        ``(x_min, x_max, y_min, y_max)`` of the grid.
    resolution : int, default 81
        Grid points per axis.

    Returns
    -------
    NeuronResponse
        Output surface of shape (resolution, resolution), boundary end points,
        pre-activations of the data and accuracy.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution}")
    if len(extent) != 4 or not (extent[0] < extent[1] and extent[2] < extent[3]):
        raise ValueError(
            f"extent must be (x_min, x_max, y_min, y_max) with x_min < x_max and "
            f"y_min < y_max, got {extent}"
        )
    if y is not None and X is None:
        raise ValueError("y was given without X; pass the data points X of shape (n, 2) too")
    w = np.array([w1, w2], dtype=float)
    f = ACTIVATIONS[activation]
    gx = np.linspace(extent[0], extent[1], resolution)
    gy = np.linspace(extent[2], extent[3], resolution)
    # z on the grid: broadcasting a row of x values against a column of y values.
    z_grid = w[0] * gx[None, :] + w[1] * gy[:, None] + b
    if X is None:
        z_data = np.empty(0)
    else:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(f"X must have shape (n, 2), got {X.shape}")
        z_data = X @ w + b
    accuracy = None
    if y is not None:
        y = np.asarray(y)
        if y.shape != z_data.shape:
            raise ValueError(f"y must have shape ({len(z_data)},), got {y.shape}")
        accuracy = float(np.mean((z_data > 0) == (y == 1)))
    return NeuronResponse(gx, gy, f(z_grid), _boundary(w, b, extent), z_data, accuracy)


class NeuronExplorer:
    """Sliders for ``w1, w2, b`` and a menu of activations driving two panels:
    the neuron's output over the input plane (with the data and the decision
    boundary) and the activation curve with each data point's pre-activation.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
        The data points.
    y : ndarray of shape (n,)
        Their labels, 0 or 1.
    w1, w2, b : float
        Initial parameters.
    activation : str
        Initial activation, a key of ``ACTIVATIONS``.

    Notes
    -----
    Use in a notebook with ``%matplotlib widget`` (ipympl) and display
    ``.widget``. With any other backend the figure canvas is not a widget:
    ``.widget`` then holds the controls and an empty output area, while
    ``.fig`` and ``update`` still work (this is how the tests run headless).
    ``update`` redraws in place and is what the benchmarks time.
    """

    def __init__(
        self,
        X: np.ndarray,
        y: np.ndarray,
        w1: float = 1.0,
        w2: float = 1.0,
        b: float = 0.0,
        activation: str = "sigmoid",
    ) -> None:
        import ipywidgets as W
        import matplotlib.pyplot as plt

        self.X, self.y = np.asarray(X, dtype=float), np.asarray(y)
        r = neuron_response(w1, w2, b, activation, self.X, self.y)
        self.extent = (r.grid_x[0], r.grid_x[-1], r.grid_y[0], r.grid_y[-1])

        with plt.ioff():
            self.fig, (ax_in, ax_f) = plt.subplots(1, 2, figsize=(9.5, 4.0))
        self.image = ax_in.imshow(
            r.output, origin="lower", extent=self.extent, cmap="RdBu_r", aspect="auto"
        )
        self.fig.colorbar(self.image, ax=ax_in, label="neuron output a = f(z)")
        ax_in.scatter(*self.X[self.y == 0].T, c="tab:blue", edgecolor="k", s=18, label="class 0")
        ax_in.scatter(*self.X[self.y == 1].T, c="tab:red", edgecolor="k", s=18, label="class 1")
        (self.boundary_line,) = ax_in.plot(*r.boundary.T, "k--", lw=2, label="z = 0")
        ax_in.set(
            xlim=self.extent[:2],
            ylim=self.extent[2:],
            xlabel="input $x_1$ (standardised)",
            ylabel="input $x_2$ (standardised)",
        )
        ax_in.legend(loc="lower right", fontsize=8)
        self.title = ax_in.set_title("")

        (self.curve,) = ax_f.plot([], [], "k-", lw=2)
        self.points = ax_f.scatter(
            np.zeros(len(self.X)),
            np.zeros(len(self.X)),
            c=self.y,
            cmap="coolwarm",
            edgecolor="k",
            s=18,
            zorder=3,
        )
        ax_f.axvline(0, color="grey", lw=0.8)
        ax_f.set(
            xlabel="pre-activation z = w·x + b",
            ylabel="activation a = f(z)",
            title="where the data sits on f",
        )
        self.ax_f = ax_f
        self._draw(r, activation)
        self.fig.tight_layout()

        self.sliders = {
            "w1": W.FloatSlider(value=w1, min=-4, max=4, step=0.1, description="w1"),
            "w2": W.FloatSlider(value=w2, min=-4, max=4, step=0.1, description="w2"),
            "b": W.FloatSlider(value=b, min=-4, max=4, step=0.1, description="b"),
        }
        self.menu = W.Dropdown(
            options=list(ACTIVATIONS), value=activation, description="activation"
        )
        for control in (*self.sliders.values(), self.menu):
            control.observe(self._on_change, names="value")
        # Agg's draw_idle renders at once, for nobody: only a live canvas is asked to redraw
        # (tests and benchmarks draw an Agg canvas themselves).
        self._live = type(self.fig.canvas) is not FigureCanvasAgg
        _, view = canvas_view(self.fig)
        self.widget = W.VBox([W.HBox([*self.sliders.values(), self.menu]), view])

    def _draw(self, r: NeuronResponse, activation: str) -> None:
        """Move the existing artists to show ``r``; no artist or figure is created."""
        f = ACTIVATIONS[activation]
        self.image.set_data(r.output)
        self.image.set_clim(*_color_limits(activation, r.output))
        self.boundary_line.set_data(*r.boundary.T)
        # Widen the z axis when data lies beyond the default range, so that no
        # point leaves the panel when the weights grow (that is when saturation shows).
        z_max = max(Z_MIN_RANGE, 1.05 * float(np.max(np.abs(r.z_data), initial=0.0)))
        zs = np.linspace(-z_max, z_max, 201)
        self.curve.set_data(zs, f(zs))
        self.points.set_offsets(np.column_stack([r.z_data, f(r.z_data)]))
        self.ax_f.set_xlim(-z_max, z_max)
        self.ax_f.set_ylim(*_panel_limits(activation, z_max))
        accuracy = "" if r.accuracy is None else f", accuracy of z > 0: {r.accuracy:.1%}"
        self.title.set_text(f"{activation} neuron{accuracy}")

    def _on_change(self, _change: object) -> None:
        self.update(**{k: s.value for k, s in self.sliders.items()}, activation=self.menu.value)

    def update(self, w1: float, w2: float, b: float, activation: str) -> NeuronResponse:
        """Recompute and redraw in place for new parameters; returns the response.

        The sliders and the menu are not moved: ``update`` is what they call.
        """
        r = neuron_response(w1, w2, b, activation, self.X, self.y)
        self._draw(r, activation)
        if self._live:
            self.fig.canvas.draw_idle()
        return r
