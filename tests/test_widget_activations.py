"""The activation explorer: its activations and derivatives against independent
references (definitions written out with the math module, centred finite
differences), its pure compute function tested headless, and its view driven
with the Agg backend to check that it redraws in place."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")  # headless: no display, no ipympl

import numpy as np
import pytest

from dlcourse.widgets.activations import (
    ACTIVATIONS,
    SATURATION_LEVEL,
    ActivationExplorer,
    activation_profile,
    standard_sample,
)

NAMES = sorted(ACTIVATIONS)


def reference(name: str, z: float) -> float:
    """Each activation written out from its definition, for moderate z."""
    if name == "sigmoid":
        return 1.0 / (1.0 + math.exp(-z))
    if name == "tanh":
        return (math.exp(z) - math.exp(-z)) / (math.exp(z) + math.exp(-z))
    if name == "relu":
        return z if z > 0 else 0.0
    if name == "leaky_relu":
        return z if z > 0 else 0.01 * z
    if name == "gelu":
        return z * 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))
    raise AssertionError(f"unknown activation {name}")


def numerical_slope(name: str, z: float, h: float = 1e-5) -> float:
    return (reference(name, z + h) - reference(name, z - h)) / (2 * h)


# Points away from the kink of relu and leaky relu at 0 (the finite difference straddles it).
POINTS = [-7.5, -3.0, -1.3, -0.75, -0.2, 0.3, 1.0, np.sqrt(2.0), 2.5, 6.0]


@pytest.mark.parametrize("name", NAMES)
def test_function_matches_its_definition(name: str) -> None:
    f = ACTIVATIONS[name].f
    for z in [*POINTS, 0.0]:
        assert float(f(np.array(z))) == pytest.approx(reference(name, z), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_centred_finite_difference(name: str) -> None:
    df = ACTIVATIONS[name].df
    got = df(np.array(POINTS))
    expected = [numerical_slope(name, z) for z in POINTS]
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)


def test_derivatives_at_zero() -> None:
    # sigmoid'(0) = 1/4, tanh'(0) = 1, relu'(0) = 0 by convention, leaky relu'(0) = 0.01,
    # gelu'(0) = Phi(0) = 1/2.
    expected = {"sigmoid": 0.25, "tanh": 1.0, "relu": 0.0, "leaky_relu": 0.01, "gelu": 0.5}
    for name, value in expected.items():
        assert float(ACTIVATIONS[name].df(np.array(0.0))) == pytest.approx(value, abs=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_max_slope_is_the_largest_slope_on_a_fine_grid(name: str) -> None:
    grid = np.linspace(-20, 20, 400_001)
    slopes = np.abs(ACTIVATIONS[name].df(grid))
    assert slopes.max() <= ACTIVATIONS[name].max_slope + 1e-12
    assert slopes.max() == pytest.approx(ACTIVATIONS[name].max_slope, abs=1e-8)


def test_gelu_max_slope_closed_form() -> None:
    # GELU'(z) = Phi(z) + z phi(z) is largest at z = sqrt(2).
    r2 = math.sqrt(2.0)
    value = 0.5 * (1 + math.erf(1.0)) + r2 * math.exp(-1.0) / math.sqrt(2 * math.pi)
    assert ACTIVATIONS["gelu"].max_slope == pytest.approx(value, rel=1e-14)


@pytest.mark.parametrize("name", NAMES)
def test_stable_for_huge_inputs(name: str) -> None:
    z = np.array([-1e4, -1e3, -50.0, 50.0, 1e3, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        f, df = ACTIVATIONS[name].f(z), ACTIVATIONS[name].df(z)
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(df))


@pytest.mark.parametrize("name", NAMES)
def test_elementwise_on_any_shape(name: str) -> None:
    z = np.random.default_rng(3).normal(size=(3, 4, 2))
    act = ACTIVATIONS[name]
    assert act.f(z).shape == z.shape and act.df(z).shape == z.shape
    np.testing.assert_allclose(act.df(z).ravel(), act.df(z.ravel()))


def test_standard_sample_is_fixed_by_its_seed() -> None:
    a, b, c = standard_sample(500, 1), standard_sample(500, 1), standard_sample(500, 2)
    assert a.shape == (500,)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    np.testing.assert_array_equal(activation_profile().z, standard_sample())
    with pytest.raises(ValueError, match="n must be at least 1"):
        standard_sample(0)


def test_inputs_are_scaled_and_shifted_sample() -> None:
    x = standard_sample(300, 5)
    x_before = x.copy()
    p = activation_profile("tanh", 2.5, -1.0, x)
    np.testing.assert_allclose(p.z, 2.5 * x - 1.0)
    np.testing.assert_array_equal(x, x_before)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("scale", "shift"), [(0.1, 0.0), (1.0, 0.0), (4.0, -2.0), (20.0, 5.0)])
def test_saturated_is_small_slope_by_definition(name: str, scale: float, shift: float) -> None:
    x = standard_sample(400, 7)
    p = activation_profile(name, scale, shift, x)
    z = scale * x + shift
    # The definition, with slopes from finite differences of the written-out functions
    # (capped to moderate z, where math.exp does not overflow; beyond, sigmoid and tanh
    # are saturated and relu-like slopes are constant).
    zc = np.clip(z, -30, 30)
    slopes = np.array([abs(numerical_slope(name, v)) for v in zc])
    level = SATURATION_LEVEL * ACTIVATIONS[name].max_slope
    assert p.threshold == pytest.approx(level)
    clear = np.abs(slopes - level) > 1e-6  # leave out points sitting on the threshold
    np.testing.assert_array_equal(p.saturated[clear], (slopes < level)[clear])
    assert p.saturated_fraction == pytest.approx(np.mean(p.saturated))
    assert p.zero_fraction == pytest.approx(np.mean(ACTIVATIONS[name].df(z) == 0))


def test_saturation_boundaries_of_sigmoid_and_tanh() -> None:
    # sigmoid' < 0.05 * 0.25 for |z| > 4.36...; tanh' < 0.05 for |z| > atanh(sqrt(0.95)) = 2.18...
    x = np.array([0.0, 4.3, 4.45, -4.3, -4.45, 100.0])
    sig = activation_profile("sigmoid", 1.0, 0.0, x)
    np.testing.assert_array_equal(sig.saturated, [False, False, True, False, True, True])
    assert sig.saturated_fraction == pytest.approx(0.5)
    edge = math.atanh(math.sqrt(1 - SATURATION_LEVEL))
    x = np.array([0.0, edge - 0.01, edge + 0.01, -edge + 0.01, -edge - 0.01])
    tanh = activation_profile("tanh", 1.0, 0.0, x)
    np.testing.assert_array_equal(tanh.saturated, [False, False, True, False, True])
    assert tanh.zero_fraction == 0.0


def test_relu_is_saturated_exactly_where_not_positive_and_leaky_relu_keeps_a_slope() -> None:
    x = np.array([-2.0, -0.1, 0.0, 0.1, 3.0])
    relu = activation_profile("relu", 1.0, 0.0, x)
    np.testing.assert_array_equal(relu.saturated, [True, True, True, False, False])
    assert relu.saturated_fraction == pytest.approx(0.6)
    assert relu.zero_fraction == pytest.approx(0.6)
    leaky = activation_profile("leaky_relu", 1.0, 0.0, x)
    # A slope of 0.01 is below 5 % of 1, so saturated too, but never exactly zero.
    np.testing.assert_array_equal(leaky.saturated, relu.saturated)
    assert leaky.zero_fraction == 0.0


def test_sigmoid_saturation_grows_with_the_scale_and_relu_does_not_depend_on_it() -> None:
    scales = [0.1, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0]
    sig = [activation_profile("sigmoid", s).saturated_fraction for s in scales]
    assert all(a <= b for a, b in zip(sig, sig[1:], strict=False))
    assert sig[0] == 0.0 and sig[-1] > 0.7
    relu = {activation_profile("relu", s).saturated_fraction for s in scales}
    assert relu == {float(np.mean(standard_sample() <= 0))}


def test_shift_kills_relu_units() -> None:
    # A large negative bias pushes (almost) every input below 0: no gradient passes.
    assert activation_profile("relu", 1.0, -5.0).zero_fraction > 0.99
    assert activation_profile("relu", 1.0, 5.0).zero_fraction < 0.01


@pytest.mark.parametrize(("scale", "bins", "resolution"), [(0.5, 10, 2), (3.0, 40, 401)])
def test_curves_and_histograms(scale: float, bins: int, resolution: int) -> None:
    x = standard_sample(1000, 11)
    p = activation_profile("sigmoid", scale, 0.7, x, bins=bins, resolution=resolution)
    assert p.z_grid.shape == p.f_grid.shape == p.df_grid.shape == (resolution,)
    assert p.z_grid[0] == -p.z_max and p.z_grid[-1] == p.z_max
    assert p.z_max >= 6.0 and p.z_max >= np.abs(p.z).max()
    np.testing.assert_allclose(p.f_grid, ACTIVATIONS["sigmoid"].f(p.z_grid))
    np.testing.assert_allclose(p.df_grid, ACTIVATIONS["sigmoid"].df(p.z_grid))
    assert p.edges.shape == (bins + 1,) and p.counts.shape == p.counts_saturated.shape == (bins,)
    assert p.edges[0] == -p.z_max and p.edges[-1] == p.z_max
    assert p.counts.sum() == 1000  # every input falls inside the plotted range
    assert p.counts_saturated.sum() == p.saturated.sum()
    assert np.all(p.counts_saturated <= p.counts)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "softmax"}, r"activation must be one of .*'softmax'"),
        ({"scale": 0.0}, "scale must be a positive finite number"),
        ({"scale": -1.0}, "scale must be a positive finite number"),
        ({"scale": float("inf")}, "scale must be a positive finite number"),
        ({"shift": float("nan")}, "shift must be a finite number"),
        ({"x": np.zeros((3, 2))}, r"x must be a non-empty 1-D array of shape \(n,\)"),
        ({"x": np.zeros(0)}, r"x must be a non-empty 1-D array"),
        ({"x": np.array([0.0, np.nan])}, "x must hold finite numbers"),
        ({"bins": 0}, "bins must be at least 1"),
        ({"resolution": 1}, "resolution must be at least 2"),
    ],
)
def test_bad_arguments_are_rejected_by_name(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        activation_profile(**kwargs)


def test_explorer_updates_artists_in_place() -> None:
    import ipywidgets
    import matplotlib.pyplot as plt

    explorer = ActivationExplorer("sigmoid", scale=1.0, n_samples=500)
    assert isinstance(explorer.widget, ipywidgets.VBox)
    assert set(explorer.sliders) == {"scale", "shift"}
    assert explorer.menu.value == "sigmoid" and set(explorer.menu.options) == set(ACTIVATIONS)

    fig = explorer.fig
    artists = (explorer.f_line, explorer.df_line, explorer.hist_all, explorer.hist_saturated)
    n_children = sum(len(ax.get_children()) for ax in fig.axes)
    f_before = np.array(explorer.f_line.get_ydata(), copy=True)
    sat_before = np.array(explorer.hist_saturated.get_data().values, copy=True)
    assert "saturated 0.0%" in explorer.title.get_text()

    p = explorer.update("tanh", 5.0, 0.5)

    # Same figure and artists, nothing added ...
    assert explorer.fig is fig
    assert (explorer.f_line, explorer.df_line, explorer.hist_all, explorer.hist_saturated) == (
        artists
    )
    assert sum(len(ax.get_children()) for ax in fig.axes) == n_children
    # ... but their data changed, to what the compute function returns.
    assert not np.allclose(explorer.f_line.get_ydata(), f_before)
    np.testing.assert_allclose(explorer.f_line.get_xdata(), p.z_grid)
    np.testing.assert_allclose(explorer.f_line.get_ydata(), p.f_grid)
    np.testing.assert_allclose(explorer.df_line.get_ydata(), p.df_grid)
    np.testing.assert_allclose(explorer.threshold_line.get_ydata(), [p.threshold] * 2)
    assert explorer.threshold_label.get_position()[1] == pytest.approx(p.threshold)
    np.testing.assert_array_equal(explorer.hist_all.get_data().values, p.counts)
    np.testing.assert_array_equal(explorer.hist_saturated.get_data().values, p.counts_saturated)
    np.testing.assert_allclose(explorer.hist_all.get_data().edges, p.edges)
    assert explorer.hist_saturated.get_data().values.sum() > sat_before.sum()
    assert fig.axes[0].get_xlim() == pytest.approx((-p.z_max, p.z_max))
    text = explorer.title.get_text()
    assert text.startswith("tanh") and f"saturated {p.saturated_fraction:.1%}" in text

    # ReLU reports the inputs with no gradient at all.
    p = explorer.update("relu", 1.0, -1.0)
    assert f"slope exactly 0: {p.zero_fraction:.1%}" in explorer.title.get_text()
    fig.canvas.draw()  # renders without error
    plt.close(fig)


def test_explorer_controls_drive_update() -> None:
    import matplotlib.pyplot as plt

    explorer = ActivationExplorer("sigmoid", n_samples=300)
    explorer.sliders["scale"].value = 10.0
    expected = activation_profile("sigmoid", 10.0, 0.0, explorer.x)
    np.testing.assert_array_equal(explorer.hist_saturated.get_data().values,
                                  expected.counts_saturated)
    assert f"saturated {expected.saturated_fraction:.1%}" in explorer.title.get_text()
    explorer.menu.value = "gelu"
    assert explorer.title.get_text().startswith("gelu")
    explorer.sliders["shift"].value = -2.0
    expected = activation_profile("gelu", 10.0, -2.0, explorer.x)
    np.testing.assert_allclose(explorer.f_line.get_ydata(), expected.f_grid)
    plt.close(explorer.fig)


def test_update_asks_only_a_live_canvas_for_a_redraw(monkeypatch: pytest.MonkeyPatch) -> None:
    # With plain Agg, draw_idle would render at once, doubling the cost of a change;
    # live canvases (ipympl, GUI backends) get one deferred redraw per change.
    import matplotlib.pyplot as plt

    explorer = ActivationExplorer(n_samples=100)
    calls: list[int] = []
    monkeypatch.setattr(explorer.fig.canvas, "draw_idle", lambda: calls.append(1))
    assert not explorer._live
    explorer.update("tanh", 2.0)
    assert calls == []
    explorer._live = True
    explorer.update("tanh", 3.0)
    assert calls == [1]
    plt.close(explorer.fig)
