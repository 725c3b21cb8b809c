"""The single-neuron widget: its pure compute function, tested headless against
values computed independently here, and its view, driven with the Agg backend to
check that it redraws in place."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # headless: no display, no ipympl

import numpy as np
import pytest

from dlcourse.data import two_blobs
from dlcourse.widgets.neuron import ACTIVATIONS, NeuronExplorer, neuron_response

EXTENT = (-3.0, 3.0, -3.0, 3.0)
# A hand-chosen good neuron for two_blobs() (class 1 lies towards +x1, +x2).
GOOD = (2.0, 0.5, -0.2)


def reference_activation(name: str, z: float) -> float:
    """The activations written out from their definitions, independent of the module."""
    if name == "identity":
        return z
    if name == "relu":
        return z if z > 0 else 0.0
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
    raise AssertionError(f"unknown activation {name}")


def on_border(p: np.ndarray, extent: tuple[float, float, float, float]) -> bool:
    """True when point p lies inside the rectangle and on one of its edges."""
    x0, x1, y0, y1 = extent
    inside = x0 - 1e-9 <= p[0] <= x1 + 1e-9 and y0 - 1e-9 <= p[1] <= y1 + 1e-9
    edge = min(abs(p[0] - x0), abs(p[0] - x1), abs(p[1] - y0), abs(p[1] - y1)) < 1e-9
    return inside and edge


@pytest.mark.parametrize("resolution", [2, 17, 81])
def test_output_shape_and_grid(resolution: int) -> None:
    r = neuron_response(1.0, -0.5, 0.3, "tanh", extent=EXTENT, resolution=resolution)
    assert r.output.shape == (resolution, resolution)
    assert r.grid_x.shape == r.grid_y.shape == (resolution,)
    assert r.grid_x[0] == EXTENT[0] and r.grid_x[-1] == EXTENT[1]
    assert r.grid_y[0] == EXTENT[2] and r.grid_y[-1] == EXTENT[3]


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_output_is_activation_of_affine_map_at_grid_points(activation: str) -> None:
    # Different weights on x1 and x2, and a non-square extent, so that swapping
    # rows and columns of the output (row i must be grid_y[i]) would be caught.
    w1, w2, b = 1.3, -0.7, 0.4
    extent = (-2.0, 4.0, -1.0, 1.0)
    r = neuron_response(w1, w2, b, activation, extent=extent, resolution=31)
    for i, j in [(0, 0), (0, 30), (30, 0), (7, 22), (15, 15), (29, 3)]:
        x, y = r.grid_x[j], r.grid_y[i]
        expected = reference_activation(activation, w1 * x + w2 * y + b)
        assert r.output[i, j] == pytest.approx(expected, rel=1e-12, abs=1e-12), (i, j)


def test_pre_activation_and_accuracy_of_data() -> None:
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0], [2.0, -3.0], [0.5, 1.0]])
    y = np.array([1, 0, 0, 1, 1])
    r = neuron_response(1.0, -1.0, 0.5, "relu", X, y)
    np.testing.assert_allclose(r.z_data, [1.5, -0.5, 0.5, 5.5, 0.0])
    # The rule z > 0 predicts [1, 0, 1, 1, 0] (a point on the line is class 0): 3 of 5 right.
    assert r.accuracy == pytest.approx(0.6)
    assert neuron_response(1.0, -1.0, 0.5, "relu", X).accuracy is None


@pytest.mark.parametrize(
    ("w1", "w2", "b"),
    [(1.0, 1.0, 0.0), (2.0, 0.5, -0.2), (0.0, 1.0, 1.5), (1.0, 0.0, -2.0), (-0.3, 2.0, 1.0)],
)
def test_boundary_end_points_are_on_the_line_and_the_border(w1: float, w2: float, b: float) -> None:
    r = neuron_response(w1, w2, b, "sigmoid", extent=EXTENT)
    assert r.boundary.shape == (2, 2)
    p, q = r.boundary
    assert np.linalg.norm(p - q) > 1e-6, "the two end points coincide"
    for point in (p, q):
        assert w1 * point[0] + w2 * point[1] + b == pytest.approx(0.0, abs=1e-9)
        assert on_border(point, EXTENT), point


def test_boundary_through_a_corner_is_a_full_diagonal() -> None:
    r = neuron_response(1.0, 1.0, 0.0, extent=EXTENT)
    ends = {tuple(pt) for pt in np.round(r.boundary, 9)}
    assert ends == {(-3.0, 3.0), (3.0, -3.0)}


@pytest.mark.parametrize(
    ("w1", "w2", "b"),
    [(0.0, 0.0, 0.0), (0.0, 0.0, 1.0), (1.0, 1.0, 10.0), (1.0, 0.0, -3.5), (0.0, 2.0, 7.0)],
    ids=["w=0,b=0", "w=0", "misses corner", "misses right", "misses bottom"],
)
def test_boundary_empty_without_weights_or_when_line_misses(w1: float, w2: float, b: float) -> None:
    r = neuron_response(w1, w2, b, extent=EXTENT)
    assert r.boundary.shape == (0, 2)


def test_boundary_and_accuracy_do_not_depend_on_activation() -> None:
    X, y = two_blobs()
    responses = [neuron_response(*GOOD, a, X, y) for a in sorted(ACTIVATIONS)]
    for r in responses[1:]:
        np.testing.assert_array_equal(r.boundary, responses[0].boundary)
        np.testing.assert_array_equal(r.z_data, responses[0].z_data)
        assert r.accuracy == responses[0].accuracy
    # ... while the surfaces themselves differ.
    assert not np.allclose(responses[0].output, responses[1].output)


def test_good_weights_classify_two_blobs_and_their_negation_does_not() -> None:
    X, y = two_blobs()
    good = neuron_response(*GOOD, "sigmoid", X, y)
    flipped = neuron_response(*(-v for v in GOOD), "sigmoid", X, y)
    assert good.accuracy is not None and good.accuracy >= 0.95
    assert flipped.accuracy is not None and flipped.accuracy <= 0.05
    # Flipping (w, b) keeps the line and swaps the sides.
    assert good.accuracy + flipped.accuracy == pytest.approx(1.0)
    np.testing.assert_allclose(np.sort(good.boundary, axis=0), np.sort(flipped.boundary, axis=0))


def test_does_not_modify_inputs() -> None:
    X, y = two_blobs(n=20)
    X_before, y_before = X.copy(), y.copy()
    neuron_response(*GOOD, "relu", X, y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def test_unknown_activation_is_rejected_by_name() -> None:
    with pytest.raises(ValueError, match=r"activation must be one of .*'softplus'"):
        neuron_response(1.0, 1.0, 0.0, "softplus")


@pytest.mark.parametrize("shape", [(10,), (10, 3), (2, 10), (1, 2, 2)])
def test_wrong_shape_of_X_is_rejected_by_name(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        neuron_response(1.0, 1.0, 0.0, "sigmoid", np.zeros(shape))


def test_wrong_shape_of_y_is_rejected_by_name() -> None:
    X, y = two_blobs(n=10)
    with pytest.raises(ValueError, match=r"y must have shape \(10,\)"):
        neuron_response(1.0, 1.0, 0.0, "sigmoid", X, y[:-1])
    with pytest.raises(ValueError, match="y was given without X"):
        neuron_response(1.0, 1.0, 0.0, "sigmoid", None, y)


@pytest.mark.parametrize("extent", [(1.0, -1.0, -1.0, 1.0), (0.0, 1.0, 2.0, 2.0), (0.0, 1.0, 2.0)])
def test_bad_extent_or_resolution_is_rejected_by_name(extent: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match="extent must be"):
        neuron_response(1.0, 1.0, 0.0, extent=extent)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="resolution must be"):
        neuron_response(1.0, 1.0, 0.0, resolution=1)


def test_explorer_updates_artists_in_place() -> None:
    import ipywidgets  # importable and usable without a display or a kernel

    X, y = two_blobs()
    explorer = NeuronExplorer(X, y, w1=1.0, w2=1.0, b=0.0, activation="sigmoid")
    assert isinstance(explorer.widget, ipywidgets.VBox)
    assert set(explorer.sliders) == {"w1", "w2", "b"}
    assert explorer.menu.value == "sigmoid"

    fig, image, line, curve = explorer.fig, explorer.image, explorer.boundary_line, explorer.curve
    n_artists = len(fig.axes[0].get_children()) + len(fig.axes[1].get_children())
    image_before = np.array(image.get_array(), copy=True)
    line_before = np.column_stack(line.get_data())
    curve_before = np.column_stack(curve.get_data())
    points_before = np.array(explorer.points.get_offsets(), copy=True)

    r = explorer.update(*GOOD, "tanh")

    # Same figure and artists, nothing added...
    assert explorer.fig is fig and explorer.image is image
    assert explorer.boundary_line is line and explorer.curve is curve
    assert len(fig.axes[0].get_children()) + len(fig.axes[1].get_children()) == n_artists
    # ... but their data changed, to what the compute function returns.
    assert not np.allclose(np.asarray(image.get_array()), image_before)
    np.testing.assert_allclose(np.asarray(image.get_array()), r.output)
    assert not np.allclose(np.column_stack(line.get_data()), line_before)
    np.testing.assert_allclose(np.column_stack(line.get_data()), r.boundary)
    assert not np.allclose(np.column_stack(curve.get_data())[:, 1], curve_before[:, 1])
    assert not np.allclose(explorer.points.get_offsets(), points_before)
    np.testing.assert_allclose(np.asarray(explorer.points.get_offsets())[:, 0], r.z_data)
    assert image.get_clim() == (-1.0, 1.0)  # tanh's range, centred on tanh(0) = 0
    assert "tanh" in explorer.title.get_text()
    assert f"{r.accuracy:.1%}" in explorer.title.get_text()

    # A setting whose boundary misses the plane empties the line without error.
    explorer.update(0.0, 0.0, 1.0, "identity")
    assert len(line.get_xdata()) == 0
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_explorer_sliders_drive_update() -> None:
    import matplotlib.pyplot as plt

    X, y = two_blobs(n=40)
    explorer = NeuronExplorer(X, y)
    line_before = np.column_stack(explorer.boundary_line.get_data())
    explorer.sliders["b"].value = 1.0  # moves the line w·x + b = 0 parallel to itself
    line_after = np.column_stack(explorer.boundary_line.get_data())
    assert not np.allclose(line_after, line_before)
    np.testing.assert_allclose(line_after @ np.array([1.0, 1.0]) + 1.0, 0.0, atol=1e-9)
    explorer.menu.value = "relu"
    assert explorer.title.get_text().startswith("relu")
    plt.close(explorer.fig)
