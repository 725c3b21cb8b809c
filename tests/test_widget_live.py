"""canvas_view (dlcourse/widgets/live.py): how a figure is placed in a widget layout.

An ipympl canvas shown inside a box must carry its size before the browser sees it:
ipympl sets the size only for a figure displayed on its own, and the browser view of a
canvas that starts at 0 x 0 depends on a later resize message to become visible.
"""

from __future__ import annotations

import ipywidgets as W
import pytest
from ipympl.backend_nbagg import Canvas
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dlcourse.widgets.live import canvas_view


@pytest.mark.parametrize(("figsize", "dpi"), [((11.0, 3.5), 100), ((6.0, 4.0), 72)])
def test_ipympl_canvas_is_live_and_sized_in_css_pixels(figsize: tuple, dpi: int) -> None:
    fig = Figure(figsize=figsize, dpi=dpi)
    canvas = Canvas(fig)
    assert tuple(canvas._size) == (0, 0)  # what ipympl leaves to the browser round trip
    live, view = canvas_view(fig)
    assert live and view is canvas
    assert not canvas.header_visible
    assert tuple(canvas._size) == pytest.approx((figsize[0] * dpi, figsize[1] * dpi))


def test_a_size_the_browser_already_set_is_kept() -> None:
    fig = Figure(figsize=(4.0, 3.0), dpi=100)
    canvas = Canvas(fig)
    canvas._size = (640.0, 480.0)  # e.g. the student dragged the resize handle
    canvas_view(fig)
    assert tuple(canvas._size) == (640.0, 480.0)


def test_agg_canvas_gets_an_empty_output_and_is_not_live() -> None:
    fig = Figure()
    FigureCanvasAgg(fig)
    live, view = canvas_view(fig)
    assert not live
    assert isinstance(view, W.Output) and view.outputs == ()
