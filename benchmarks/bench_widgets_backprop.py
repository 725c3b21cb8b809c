"""Widgets of lesson 03: update latency of the descent explorer and the training view.

Each row is compute plus a full Agg redraw, as in the kernel.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from benchmarks.widgets import latency_rows  # noqa: E402


def descent() -> list[dict]:
    from dlcourse.widgets.descent import SURFACES, DescentExplorer

    ex = DescentExplorer()
    rng = np.random.default_rng(0)
    names = list(SURFACES)
    settings = [
        (10 ** rng.uniform(-3, 0), tuple(rng.uniform(-3, 3, size=2)), int(rng.integers(1, 501)),
         names[i % len(names)])
        for i in range(60)
    ]
    return latency_rows("descent explorer", ex.fig, lambda s: ex.update(*s), settings)


def training() -> list[dict]:
    from dlcourse.widgets.training import Trainer, TrainingView, moons_split

    view = TrainingView(Trainer(*moons_split()), epochs_per_tick=10)
    # One tick of the live run: 10 epochs of training, then the redraw.
    rows = latency_rows("training view, chunk of 10 epochs", view.fig,
                        lambda _s: view.advance(), list(range(60)))
    rng = np.random.default_rng(1)
    acts = ["relu", "tanh", "sigmoid", "identity"]
    # Control changes: a new hidden size or activation rebuilds the network.
    changes = [(int(rng.integers(1, 65)), 10 ** rng.uniform(-3, 1), acts[i % 4])
               for i in range(40)]

    def change(s: tuple) -> None:
        view.update(*s)
        view.advance()  # and a first chunk of training, as the clock would do next

    rows += latency_rows("training view, control change + chunk", view.fig, change, changes)
    return rows


def run() -> list[dict]:
    return descent() + training()
