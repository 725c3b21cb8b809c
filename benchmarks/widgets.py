"""Shared timing of widget updates: compute plus a full redraw, as in the kernel."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np

P95_BUDGET_MS = 100.0


def latency_rows(name: str, fig, update: Callable[[object], object], settings: Sequence,
                 warmup: int = 3) -> list[dict]:
    """Time ``update(setting)`` followed by ``fig.canvas.draw()`` for each setting.

    ``draw()`` renders with Agg for real (``draw_idle`` would defer it), so the
    figure is the cost of compute plus redraw of one control change.
    Returns rows for the median and the 95th percentile, in milliseconds.
    """
    for s in settings[:warmup]:
        update(s)
        fig.canvas.draw()
    times = []
    for s in settings:
        t0 = time.perf_counter()
        update(s)
        fig.canvas.draw()
        times.append(1e3 * (time.perf_counter() - t0))
    return [
        {"name": f"{name} median update", "value": float(np.median(times)), "unit": "ms"},
        {"name": f"{name} p95 update", "value": float(np.percentile(times, 95)), "unit": "ms",
         "budget": P95_BUDGET_MS},
    ]
