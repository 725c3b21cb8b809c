"""Widgets: update latency per control change (compute plus redraw, Agg backend)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from benchmarks.widgets import latency_rows  # noqa: E402


def neuron() -> list[dict]:
    from dlcourse.data import two_blobs
    from dlcourse.widgets.neuron import ACTIVATIONS, NeuronExplorer

    X, y = two_blobs()
    ex = NeuronExplorer(X, y)
    rng = np.random.default_rng(0)
    acts = list(ACTIVATIONS)
    settings = [(*rng.uniform(-4, 4, size=3), acts[i % len(acts)]) for i in range(60)]
    return latency_rows("neuron explorer", ex.fig, lambda s: ex.update(*s), settings)


def run() -> list[dict]:
    return neuron()
