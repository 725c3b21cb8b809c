"""Activation explorer: update latency per control change (compute plus redraw, Agg backend)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from benchmarks.widgets import latency_rows  # noqa: E402


def activation_explorer() -> list[dict]:
    from dlcourse.widgets.activations import ACTIVATIONS, ActivationExplorer

    ex = ActivationExplorer()
    rng = np.random.default_rng(0)
    acts = list(ACTIVATIONS)
    # Random settings over the sliders' ranges: log-uniform scale in [0.1, 20], shift in [-5, 5].
    settings = [
        (acts[i % len(acts)], float(10 ** rng.uniform(-1, np.log10(20))), rng.uniform(-5, 5))
        for i in range(60)
    ]
    return latency_rows("activation explorer", ex.fig, lambda s: ex.update(*s), settings)


def run() -> list[dict]:
    return activation_explorer()
