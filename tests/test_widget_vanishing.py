"""The vanishing-gradient explorer: its compute function (gradient_profile) checked
against dlcourse.deepnet and against the lesson's claims, and the view redrawing in
place when a control changes (Agg backend)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # headless: no display, no ipympl

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse import deepnet
from dlcourse.widgets.vanishing import (
    FLOOR,
    HIST_RANGES,
    INIT_LABELS,
    VanishingExplorer,
    digits_batch,
    gradient_profile,
)


def test_digits_batch_is_standardised_fixed_and_read_only() -> None:
    X, y = digits_batch(256)
    assert X.shape == (256, 64) and y.shape == (256,) and set(np.unique(y)) <= set(range(10))
    assert abs(X.mean()) < 0.1 and 0.8 < X.std() < 1.1
    X2, _ = digits_batch(256)
    np.testing.assert_array_equal(X, X2)
    with pytest.raises(ValueError):
        X[0, 0] = 1.0
    with pytest.raises(ValueError, match="n must be between"):
        digits_batch(0)


def test_profile_is_deepnets_layer_statistics() -> None:
    p = gradient_profile(6, "tanh", "xavier", bins=20)
    X, y = digits_batch(256)
    params = deepnet.init_params([64, 64, 64, 64, 64, 64, 10], "xavier", 0)
    stats = deepnet.layer_statistics(params, X, y, "tanh")
    np.testing.assert_allclose(p.grad_W, stats.grad_W)
    np.testing.assert_allclose(p.grad_Z, stats.grad_Z)
    np.testing.assert_allclose(p.act_std, stats.act_std)
    assert p.loss == pytest.approx(stats.loss)
    assert p.hist.shape == (5, 20) and p.hist_range == HIST_RANGES["tanh"]
    np.testing.assert_allclose(p.hist.sum(axis=1), 1.0)
    # row 2 is the histogram of hidden layer 3, its values clipped into the range
    counts, _ = np.histogram(np.clip(stats.activations[2], -1, 1), bins=20, range=(-1, 1))
    np.testing.assert_allclose(p.hist[2], counts / counts.sum())


def test_profiles_show_the_lessons_claims() -> None:
    sig = gradient_profile(20, "sigmoid", "xavier")
    assert sig.grad_W[0] < 1e-8 * sig.grad_W[-1]  # vanishing towards the input
    he = gradient_profile(20, "relu", "he")
    assert 0.5 <= he.act_std[-1] / he.act_std[0] <= 2
    assert 0.1 <= he.grad_W[0] / he.grad_W[-1] <= 10
    small = gradient_profile(20, "relu", "small")
    assert small.act_std[-1] / small.act_std[0] < 1e-3
    assert small.hist[-1, 0] == pytest.approx(1.0)  # every activation in the bin at 0
    large = gradient_profile(20, "relu", "large")
    assert large.act_std[-1] / large.act_std[0] > 1e6
    assert large.grad_Z[0] > 1e6 * large.grad_Z[-1]  # exploding towards the input
    assert large.hist[-1, -1] > 0.4  # beyond the range: counted in the last bin
    tanh_large = gradient_profile(20, "tanh", "large")
    assert tanh_large.hist[-1, [0, -1]].sum() > 0.5  # saturated at -1 and +1
    fixed = gradient_profile(20, "relu", "small", batchnorm=True)
    assert 0.5 <= fixed.act_std[-1] / fixed.act_std[0] <= 2
    assert gradient_profile(20, "sigmoid", "xavier", True).grad_W[0] > 1e-3 * sig.grad_W[-1]


def test_profile_depends_on_seed_only_through_the_weights() -> None:
    a = gradient_profile(5, "relu", "he", seed=0)
    b = gradient_profile(5, "relu", "he", seed=0)
    c = gradient_profile(5, "relu", "he", seed=1)
    np.testing.assert_array_equal(a.grad_W, b.grad_W)
    assert not np.allclose(a.grad_W, c.grad_W)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"depth": 1}, "depth must be an integer from 2 to 30"),
    ({"depth": 31}, "depth must be an integer from 2 to 30"),
    ({"depth": 4.5}, "depth must be an integer"),
    ({"activation": "softplus"}, "activation must be one of"),
    ({"init": "glorot"}, "init must be one of"),
    ({"width": 0}, "width must be a positive integer"),
    ({"bins": 1}, "bins must be at least 2"),
])
def test_bad_settings_are_rejected_by_name(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        gradient_profile(**kwargs)


def artist_count(ex: VanishingExplorer) -> int:
    return sum(len(ax.get_children()) for ax in ex.fig.axes)


def test_view_updates_in_place() -> None:
    import ipywidgets

    ex = VanishingExplorer(depth=8, activation="sigmoid", init="xavier")
    assert isinstance(ex.widget, ipywidgets.VBox)
    fig, image, n = ex.fig, ex.image, artist_count(ex)
    p = ex.update(12, "relu", "small", False)
    assert ex.fig is fig and ex.image is image and artist_count(ex) == n
    np.testing.assert_allclose(ex.grad_W_line.get_xdata(), np.arange(1, 13))
    np.testing.assert_allclose(ex.grad_W_line.get_ydata(), np.maximum(p.grad_W, FLOOR))
    np.testing.assert_allclose(ex.grad_Z_line.get_ydata(), np.maximum(p.grad_Z, FLOOR))
    np.testing.assert_allclose(ex.std_line.get_ydata(), p.act_std)
    np.testing.assert_allclose(np.asarray(image.get_array()), p.hist)
    assert image.get_extent() == [0.0, 3.0, 0.5, 11.5]
    lo, hi = ex.ax_g.get_ylim()
    assert lo <= np.maximum(p.grad_W, FLOOR).min() and hi >= p.grad_Z.max()
    assert "layer 1 / layer 12" in ex.title_g.get_text()
    fig.canvas.draw()  # renders without error
    plt.close(fig)


def test_view_controls_drive_updates() -> None:
    ex = VanishingExplorer()
    n = artist_count(ex)
    ex.controls["depth"].value = 4
    assert len(ex.profile.grad_W) == 4
    ex.controls["activation"].value = "tanh"
    ex.controls["init"].value = "large"
    assert ex.image.get_extent()[:2] == [-1.0, 1.0]
    before = ex.profile.act_std.copy()
    ex.controls["batchnorm"].value = True
    assert not np.allclose(ex.profile.act_std, before)
    assert set(dict(ex.controls["init"].options).values()) == set(INIT_LABELS)
    assert artist_count(ex) == n
    plt.close(ex.fig)
