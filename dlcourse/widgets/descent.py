"""Gradient descent on a 2-D loss surface: a learning-rate slider (log scale), a
start point and a number of steps; shows the trajectory over the contours of the
loss and the loss per step, so that the three regimes (slow, converging,
diverging) can be seen.

The compute part (:func:`descent_path`) is a pure function of plain parameters;
:class:`DescentExplorer` only wires controls to it. The contours of every
surface are drawn once, when the explorer is built; an update moves two lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dlcourse.widgets.live import canvas_view

# A run is stopped (and the remaining steps left as nan) once the loss exceeds this.
DIVERGED_LOSS = 1e8
# A run has converged when its final loss is below this fraction of the initial loss.
CONVERGED_FRACTION = 1e-3


def _rotation(degrees: float) -> np.ndarray:
    t = np.deg2rad(degrees)
    return np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])


@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface with its gradient.

    Attributes
    ----------
    name : str
    f : callable
        ``f(x, y)`` for arrays of the same shape, elementwise.
    grad : callable
        ``grad(x, y) -> (df/dx, df/dy)`` at one point.
    hessian_at_min : ndarray of shape (2, 2)
        Second derivatives at the minimum; its largest eigenvalue is the curvature ``L``.
    minimum : tuple of 2 floats
    extent : tuple of 4 floats
        ``(x_min, x_max, y_min, y_max)`` of the plot.
    start : tuple of 2 floats
        Default start point.
    """

    name: str
    f: Callable[[np.ndarray, np.ndarray], np.ndarray]
    grad: Callable[[float, float], tuple[float, float]]
    hessian_at_min: np.ndarray
    minimum: tuple[float, float]
    extent: tuple[float, float, float, float]
    start: tuple[float, float]

    @property
    def curvature(self) -> float:
        """Largest eigenvalue ``L`` of the Hessian at the minimum."""
        return float(np.linalg.eigvalsh(self.hessian_at_min).max())


# An elongated bowl: f(p) = p^T A p / 2 with A's eigenvalues 1 and 10, turned by 30 degrees.
_R = _rotation(30.0)
BOWL_HESSIAN = _R @ np.diag([1.0, 10.0]) @ _R.T


def _bowl_f(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    a = BOWL_HESSIAN
    return 0.5 * (a[0, 0] * x * x + 2.0 * a[0, 1] * x * y + a[1, 1] * y * y)


def _bowl_grad(x: float, y: float) -> tuple[float, float]:
    g = BOWL_HESSIAN @ np.array([x, y])
    return float(g[0]), float(g[1])


# A Rosenbrock-like valley, f = (1 - x)^2 + 10 (y - x^2)^2, minimum at (1, 1).
def _valley_f(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (1.0 - x) ** 2 + 10.0 * (y - x * x) ** 2


def _valley_grad(x: float, y: float) -> tuple[float, float]:
    return -2.0 * (1.0 - x) - 40.0 * x * (y - x * x), 20.0 * (y - x * x)


SURFACES: dict[str, Surface] = {
    "bowl": Surface("bowl", _bowl_f, _bowl_grad, BOWL_HESSIAN, (0.0, 0.0),
                    (-3.0, 3.0, -3.0, 3.0), (-2.5, 1.0)),
    "valley": Surface("valley", _valley_f, _valley_grad, np.array([[82.0, -40.0], [-40.0, 20.0]]),
                      (1.0, 1.0), (-2.0, 2.0, -1.0, 3.0), (-1.5, 2.5)),
}


@dataclass(frozen=True)
class DescentPath:
    """A gradient-descent run.

    Attributes
    ----------
    points : ndarray of shape (n_steps + 1, 2)
        The start point and the point after each step; nan after a divergence stop.
    losses : ndarray of shape (n_steps + 1,)
        The loss at each point; nan after a divergence stop.
    steps_run : int
        Steps actually taken (``n_steps`` unless the run diverged first).
    diverged : bool
        True when the loss exceeded ``DIVERGED_LOSS`` or stopped being finite.
    regime : str
        ``"diverging"``, ``"converging"`` (final loss below ``CONVERGED_FRACTION``
        of the initial loss) or ``"slow"`` (neither).
    """

    points: np.ndarray
    losses: np.ndarray
    steps_run: int
    diverged: bool
    regime: str


def descent_path(
    lr: float,
    start: tuple[float, float] | None = None,
    n_steps: int = 40,
    surface: str = "bowl",
) -> DescentPath:
    """Run ``p <- p - lr * grad f(p)`` from ``start`` for ``n_steps`` steps.

    Parameters
    ----------
    lr : float
        Learning rate, positive.
    start : tuple of 2 floats, optional
        Start point; the surface's default when omitted.
    n_steps : int, default 40
        Number of steps, from 1 to 10,000.
    surface : {"bowl", "valley"}, default "bowl"
        The loss surface, a key of ``SURFACES``.

    Returns
    -------
    DescentPath
        Points of shape (n_steps + 1, 2), losses of shape (n_steps + 1,), and the regime.
    """
    if surface not in SURFACES:
        raise ValueError(f"surface must be one of {sorted(SURFACES)}, got {surface!r}")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr}")
    if int(n_steps) != n_steps or not 1 <= n_steps <= 10_000:
        raise ValueError(f"n_steps must be an integer from 1 to 10000, got {n_steps}")
    s = SURFACES[surface]
    p0 = np.asarray(s.start if start is None else start, dtype=float)
    if p0.shape != (2,) or not np.all(np.isfinite(p0)):
        raise ValueError(f"start must be two finite numbers (x, y), got {start}")
    n_steps = int(n_steps)
    points = np.full((n_steps + 1, 2), np.nan)
    losses = np.full(n_steps + 1, np.nan)
    points[0], losses[0] = p0, float(s.f(p0[0], p0[1]))
    steps_run, diverged = 0, False
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, n_steps + 1):
            g = np.array(s.grad(*points[t - 1]))
            p = points[t - 1] - lr * g
            loss = float(s.f(p[0], p[1]))
            if not np.isfinite(loss) or loss > DIVERGED_LOSS:
                diverged = True
                break
            points[t], losses[t], steps_run = p, loss, t
    final = losses[steps_run]
    if diverged or final > losses[0]:
        regime = "diverging"
    elif final <= CONVERGED_FRACTION * losses[0]:
        regime = "converging"
    else:
        regime = "slow"
    return DescentPath(points, losses, steps_run, diverged, regime)


def surface_grid(surface: str, resolution: int = 101) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The loss on a grid over the surface's extent, for contour plots.

    Returns
    -------
    gx : ndarray of shape (resolution,)
    gy : ndarray of shape (resolution,)
    values : ndarray of shape (resolution, resolution)
        Row i is ``gy[i]``.
    """
    if surface not in SURFACES:
        raise ValueError(f"surface must be one of {sorted(SURFACES)}, got {surface!r}")
    s = SURFACES[surface]
    gx = np.linspace(s.extent[0], s.extent[1], resolution)
    gy = np.linspace(s.extent[2], s.extent[3], resolution)
    return gx, gy, s.f(gx[None, :], gy[:, None])


class DescentExplorer:
    """Learning rate (log slider), start point, number of steps and surface driving
    two panels: the trajectory over the loss contours, and the loss per step.

    Parameters
    ----------
    surface : str, default "bowl"
        Initial surface, a key of ``SURFACES``.
    lr : float, default 0.05
    start : tuple of 2 floats, optional
        Initial start point; the surface's default when omitted.
    n_steps : int, default 40

    Notes
    -----
    Use with ``%matplotlib widget`` (ipympl) and display ``.widget``; clicking on
    the contour panel moves the start point there. The contours of every surface
    are drawn once here, and switching surface only shows and hides them; an
    update moves the trajectory and loss lines (``set_data``) and redraws. With
    another backend the canvas is not a widget: ``.widget`` then holds the
    controls and an empty output area, and ``update`` still works (the tests run
    headless this way).
    """

    def __init__(
        self,
        surface: str = "bowl",
        lr: float = 0.05,
        start: tuple[float, float] | None = None,
        n_steps: int = 40,
    ) -> None:
        import ipywidgets as W
        import matplotlib.pyplot as plt

        start = SURFACES[surface].start if start is None else start
        with plt.ioff():
            self.fig, (self.ax_c, self.ax_l) = plt.subplots(1, 2, figsize=(9.0, 3.8))
        self.contours = {}
        for name in SURFACES:
            gx, gy, values = surface_grid(name, 101)
            levels = np.geomspace(max(values.min(), 1e-2), values.max(), 14)
            cs = self.ax_c.contour(gx, gy, values, levels=levels, cmap="viridis",
                                   linewidths=0.8)
            cs.set_visible(name == surface)
            self.contours[name] = cs
        (self.minimum_marker,) = self.ax_c.plot([], [], "k*", ms=12, label="minimum")
        (self.path_line,) = self.ax_c.plot([], [], "o-", color="tab:red", ms=3, lw=1.2,
                                           label="trajectory")
        (self.start_marker,) = self.ax_c.plot([], [], "s", color="tab:red", ms=7, label="start")
        self.ax_c.set(xlabel="parameter $w_1$", ylabel="parameter $w_2$")
        self.ax_c.legend(loc="lower right", fontsize=8)
        self.title = self.ax_c.set_title("", fontsize=10)
        (self.loss_line,) = self.ax_l.semilogy([], [], "o-", color="tab:red", ms=3, lw=1.2)
        self.ax_l.set(xlabel="step", ylabel="loss f(w) (log scale)", title="loss per step")
        self.ax_l.grid(True, which="major", alpha=0.3)
        self.fig.tight_layout()

        self.controls = {
            "lr": W.FloatLogSlider(value=lr, base=10, min=-3, max=0, step=0.05,
                                   description="lr", readout_format=".3g"),
            "x0": W.FloatSlider(value=start[0], min=-3, max=3, step=0.1, description="start w1"),
            "y0": W.FloatSlider(value=start[1], min=-3, max=3, step=0.1, description="start w2"),
            "n_steps": W.IntSlider(value=n_steps, min=1, max=500, description="steps"),
            "surface": W.Dropdown(options=list(SURFACES), value=surface, description="surface"),
        }
        self._holding = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.fig.canvas.mpl_connect("button_press_event", self._on_click)
        self.live, view = canvas_view(self.fig)
        c = self.controls
        self.widget = W.VBox([W.HBox([c["lr"], c["n_steps"], c["surface"]]),
                              W.HBox([c["x0"], c["y0"]]), view])
        self.surface = surface
        self._draw(descent_path(lr, start, n_steps, surface), surface, lr)

    def _draw(self, path: DescentPath, surface: str, lr: float) -> None:
        """Move the existing artists to show ``path``; nothing is created."""
        s = SURFACES[surface]
        if surface != self.surface:
            for name, cs in self.contours.items():
                cs.set_visible(name == surface)
            self.surface = surface
        self.ax_c.set_xlim(*s.extent[:2])
        self.ax_c.set_ylim(*s.extent[2:])
        self.minimum_marker.set_data([s.minimum[0]], [s.minimum[1]])
        self.path_line.set_data(path.points[:, 0], path.points[:, 1])
        self.start_marker.set_data(path.points[:1, 0], path.points[:1, 1])
        steps = np.arange(len(path.losses))
        shown = np.maximum(path.losses, 1e-20)  # log axis: keep exact zeros on the plot
        self.loss_line.set_data(steps, shown)
        finite = shown[np.isfinite(shown)]
        self.ax_l.set_xlim(0, max(len(steps) - 1, 1))
        self.ax_l.set_ylim(finite.min() / 3, finite.max() * 3)
        stop = f", stopped after {path.steps_run} steps" if path.diverged else ""
        self.title.set_text(f"{surface}: lr = {lr:.3g}, 2/L = {2 / s.curvature:.3g} "
                            f"→ {path.regime}{stop}")

    def _redraw(self) -> None:
        """Ask a live (ipympl) canvas to redraw when the kernel is idle. Other canvases
        are not on screen; Agg's draw_idle would render at once, for nobody."""
        if self.live:
            self.fig.canvas.draw_idle()

    def _on_change(self, change: object) -> None:
        if self._holding:
            return
        c = self.controls
        if getattr(change, "get", None) and change.get("owner") is c["surface"]:
            # A new surface: start from its default point, inside its extent.
            self._holding = True
            try:
                c["x0"].value, c["y0"].value = SURFACES[c["surface"].value].start
            finally:
                self._holding = False
        self.update(c["lr"].value, (c["x0"].value, c["y0"].value), c["n_steps"].value,
                    c["surface"].value)

    def _on_click(self, event: object) -> None:
        """Move the start point to a click on the contour panel."""
        if getattr(event, "inaxes", None) is not self.ax_c or event.xdata is None:
            return
        self._holding = True
        try:
            self.controls["x0"].value = float(np.clip(event.xdata, -3, 3))
            self.controls["y0"].value = float(np.clip(event.ydata, -3, 3))
        finally:
            self._holding = False
        self._on_change(None)

    def update(
        self,
        lr: float,
        start: tuple[float, float] | None = None,
        n_steps: int = 40,
        surface: str = "bowl",
    ) -> DescentPath:
        """Recompute the run and redraw in place; returns it. The controls are not moved."""
        path = descent_path(lr, start, n_steps, surface)
        self._draw(path, surface, lr)
        self._redraw()
        return path
