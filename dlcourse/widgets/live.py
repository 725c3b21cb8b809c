"""What the live widgets share: showing a figure, and driving a training run from the browser.

* :func:`canvas_view` puts a figure in a widget layout: an ipympl canvas (``%matplotlib
  widget``) is itself a widget and is redrawn live; any other canvas (Agg in tests and
  benchmarks, or the inline backend) is not on screen, so it gets an empty ``Output``.
* :class:`RunControls` is the start/pause, step and reset row of a view that trains a
  model as you watch. An ``ipywidgets.Play`` widget is the clock: its timer runs in the
  browser, and each tick is a widget message that trains one chunk of epochs and redraws
  (no kernel thread). The start/pause toggle is linked to the clock's ``playing`` state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # ipywidgets is imported when a view is built, not with the compute code
    import ipywidgets as W
    from matplotlib.figure import Figure


def canvas_view(fig: Figure) -> tuple[bool, W.Widget]:
    """The widget that shows ``fig``, and whether it is live.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The view's figure.

    Returns
    -------
    live : bool
        True for an ipympl canvas, which the view asks to redraw after each change.
    view : ipywidgets.Widget
        The canvas itself (live), or an empty ``Output`` placeholder.
    """
    import ipywidgets as W

    canvas = fig.canvas
    if isinstance(canvas, W.DOMWidget):  # ipympl: a live canvas
        canvas.header_visible = False
        # Give the canvas its size in CSS pixels now, as ipympl does for a figure displayed
        # on its own (its _repr_mimebundle_). A canvas shown inside a box skips that and
        # starts at 0 x 0 until the browser's "initialized" round trip resizes it, so the
        # browser view no longer depends on that round trip to get a size.
        if tuple(canvas._size) == (0, 0):
            ratio = getattr(canvas, "device_pixel_ratio", 1.0) or 1.0
            width, height = fig.get_size_inches() * fig.get_dpi() / ratio
            canvas._size = (float(width), float(height))
        return True, canvas
    return False, W.Output()  # Agg (tests) or inline: the canvas is not a widget


class RunControls:
    """Start/pause, step and reset for a view that trains ``self.trainer`` live.

    A view using it sets ``fig``, ``live``, ``trainer`` (with ``step(n_epochs)`` and
    ``reset()``) and ``epochs_per_tick``, defines ``_draw()`` (move the artists to the
    trainer's state), and calls :meth:`_build_run_controls` once.
    """

    fig: Figure
    live: bool
    trainer: Any
    epochs_per_tick: int

    def _build_run_controls(self, max_ticks: int, reset_tooltip: str) -> W.HBox:
        """Create the clock and the buttons, wire them, and return them as one row."""
        import ipywidgets as W

        self.clock = W.Play(value=0, min=0, max=max_ticks, step=1, interval=150,
                            show_repeat=False, description="run")
        self.run_button = W.ToggleButton(value=False, description="start", icon="play",
                                         tooltip="start or pause the live run")
        W.link((self.run_button, "value"), (self.clock, "playing"))
        self.run_button.observe(self._on_run_toggle, names="value")
        self.step_button = W.Button(description="step", tooltip="train one chunk of epochs")
        self.reset_button = W.Button(description="reset", tooltip=reset_tooltip)
        self.clock.observe(self._on_tick, names="value")
        self.step_button.on_click(lambda _b: self.advance())
        self.reset_button.on_click(lambda _b: self._reset())
        return W.HBox([self.run_button, self.step_button, self.reset_button, self.clock])

    def advance(self, n_epochs: int | None = None) -> dict:
        """Train ``n_epochs`` (default ``epochs_per_tick``) and redraw; returns the history."""
        history = self.trainer.step(self.epochs_per_tick if n_epochs is None else n_epochs)
        self._draw()
        self._redraw()
        return history

    def _redraw(self) -> None:
        """Ask a live (ipympl) canvas to redraw when the kernel is idle. Other canvases
        are not on screen; Agg's draw_idle would render at once, for nobody."""
        if self.live:
            self.fig.canvas.draw_idle()

    def _restart_clock(self) -> None:
        self.clock.playing = False
        self.clock.value = 0  # a decrease: ignored by _on_tick

    def _reset(self) -> None:
        self._restart_clock()
        self.trainer.reset()
        self._draw()
        self._redraw()

    def _on_run_toggle(self, change: dict) -> None:
        self.run_button.description = "pause" if change["new"] else "start"
        self.run_button.icon = "pause" if change["new"] else "play"

    def _on_tick(self, change: dict) -> None:
        if change["new"] > change["old"]:
            self.advance()
