"""Widgets of lesson 06: update latency of the vanishing-gradient explorer and the live
overfitting explorer.

Each row is compute plus a full Agg redraw, as in the kernel.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from benchmarks.widgets import latency_rows  # noqa: E402


def vanishing() -> list[dict]:
    from dlcourse.widgets.vanishing import ACTIVATIONS, INIT_LABELS, VanishingExplorer

    ex = VanishingExplorer()
    rng = np.random.default_rng(0)
    inits = list(INIT_LABELS)
    # Random settings over the controls' ranges, depth up to the maximum of 30.
    settings = [(int(rng.integers(2, 31)), ACTIVATIONS[i % 3], inits[i % 4], bool(i % 5 == 0))
                for i in range(60)]
    return latency_rows("vanishing-gradient explorer", ex.fig, lambda s: ex.update(*s),
                        settings)


def overfitting() -> list[dict]:
    from dlcourse.widgets.overfitting import OverfitTrainer, OverfitView

    # The most expensive settings of the sliders: the largest network and training set,
    # with dropout (which costs an extra evaluation pass per epoch).
    view = OverfitView(OverfitTrainer(hidden=256, n_train=1000, dropout=0.5))
    rows = latency_rows("overfitting explorer, tick of 4 epochs (largest)", view.fig,
                        lambda _s: view.advance(), list(range(60)))
    rng = np.random.default_rng(1)
    changes = [dict(hidden=int(rng.choice([16, 64, 256])), l2=float(rng.choice([0, 1e-3, 1e-2])),
                    dropout=float(rng.choice([0.0, 0.5])), n_train=int(rng.choice([100, 1000])),
                    label_noise=float(rng.choice([0.0, 0.2]))) for _ in range(40)]

    def change(s: dict) -> None:
        view.update(**s)  # a new run: new data split and network
        view.advance()  # and its first tick, as the clock would do next

    rows += latency_rows("overfitting explorer, control change + tick", view.fig, change,
                         changes)
    return rows


def run() -> list[dict]:
    return vanishing() + overfitting()
