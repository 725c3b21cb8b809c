"""The gradient-descent explorer: its runs against the closed form of gradient
descent on a quadratic, the three regimes around lr = 2/L, the surfaces' gradients
against centred differences, and the view redrawing in place (Agg backend)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # headless: no display, no ipympl

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse.widgets.descent import (
    BOWL_HESSIAN,
    DIVERGED_LOSS,
    SURFACES,
    DescentExplorer,
    descent_path,
    surface_grid,
)


def numeric_grad(f, p: np.ndarray, h: float = 1e-6) -> np.ndarray:
    e = np.eye(2) * h
    return np.array([(f(*(p + e[i])) - f(*(p - e[i]))) / (2 * h) for i in range(2)])


def test_bowl_run_is_the_closed_form() -> None:
    # On f(p) = p^T A p / 2 one step is p <- (I - lr A) p, so p_t = (I - lr A)^t p_0.
    lr, start = 0.07, np.array([-2.0, 1.5])
    path = descent_path(lr, tuple(start), n_steps=25, surface="bowl")
    M = np.eye(2) - lr * BOWL_HESSIAN
    expected = np.array([np.linalg.matrix_power(M, t) @ start for t in range(26)])
    np.testing.assert_allclose(path.points, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(path.losses, 0.5 * np.einsum("ti,ij,tj->t", expected,
                                                            BOWL_HESSIAN, expected))
    assert path.steps_run == 25 and not path.diverged


def test_bowl_curvature_is_its_largest_eigenvalue() -> None:
    assert SURFACES["bowl"].curvature == pytest.approx(10.0)
    np.testing.assert_allclose(np.linalg.eigvalsh(BOWL_HESSIAN), [1.0, 10.0])


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_gradients_and_hessians_match_finite_differences(name: str) -> None:
    s = SURFACES[name]
    rng = np.random.default_rng(0)
    for _ in range(5):
        p = rng.uniform(-1.5, 1.5, size=2)
        np.testing.assert_allclose(s.grad(*p), numeric_grad(s.f, p), rtol=1e-6, atol=1e-6)
    # The Hessian at the minimum, column by column, from differences of the gradient.
    m, h = np.array(s.minimum), 1e-5
    H = np.column_stack([(np.array(s.grad(*(m + h * e))) - np.array(s.grad(*(m - h * e))))
                         / (2 * h) for e in np.eye(2)])
    np.testing.assert_allclose(H, s.hessian_at_min, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(s.grad(*m), [0.0, 0.0], atol=1e-12)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_three_regimes_around_two_over_L(name: str) -> None:
    s = SURFACES[name]
    L = s.curvature
    # Start near the minimum, where the curvature is L, so that 2/L is the threshold.
    start = tuple(np.array(s.minimum) + np.array([0.05, -0.03]))
    fast = descent_path(0.9 * 2 / L, start, 400, name)
    over = descent_path(1.1 * 2 / L, start, 400, name)
    far_over = descent_path(2.0 * 2 / L, start, 400, name)
    slow = descent_path(0.002 / L, start, 400, name)
    assert fast.regime == "converging"
    if name == "bowl":  # a quadratic: 2/L is the exact threshold
        assert over.regime == "diverging" and over.diverged and over.steps_run < 400
    else:  # the valley's curvature falls away from the minimum: just above 2/L it stalls
        assert over.regime != "converging"
    assert far_over.regime == "diverging" and far_over.diverged
    assert slow.regime == "slow"
    assert np.all(np.diff(slow.losses) <= 0)


def test_divergence_stops_and_pads_with_nan() -> None:
    path = descent_path(1.0, (-2.5, 1.0), 100, "bowl")
    assert path.diverged and path.regime == "diverging"
    k = path.steps_run
    assert 0 < k < 100
    assert np.all(np.isfinite(path.losses[: k + 1])) and np.all(np.isnan(path.losses[k + 1:]))
    assert np.all(np.isnan(path.points[k + 1:]))
    assert path.losses[k] <= DIVERGED_LOSS
    assert path.points.shape == (101, 2) and path.losses.shape == (101,)


def test_default_start_and_grid_orientation() -> None:
    path = descent_path(0.01, None, 3, "valley")
    np.testing.assert_array_equal(path.points[0], SURFACES["valley"].start)
    gx, gy, values = surface_grid("valley", 31)
    assert values.shape == (31, 31)
    assert values[4, 20] == pytest.approx(SURFACES["valley"].f(gx[20], gy[4]))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"lr": 0.0}, "lr must be a positive number"),
     ({"lr": -0.1}, "lr must be a positive number"),
     ({"lr": float("nan")}, "lr must be a positive number"),
     ({"lr": 0.1, "n_steps": 0}, "n_steps must be an integer"),
     ({"lr": 0.1, "n_steps": 2.5}, "n_steps must be an integer"),
     ({"lr": 0.1, "surface": "saddle"}, "surface must be one of"),
     ({"lr": 0.1, "start": (1.0, 2.0, 3.0)}, "start must be two finite numbers"),
     ({"lr": 0.1, "start": (1.0, float("inf"))}, "start must be two finite numbers")],
)
def test_bad_arguments_are_rejected_by_name(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        descent_path(**kwargs)


def test_explorer_updates_lines_in_place_and_keeps_contours() -> None:
    import ipywidgets

    ex = DescentExplorer("bowl", lr=0.05, n_steps=20)
    assert isinstance(ex.widget, ipywidgets.VBox)
    n_children = len(ex.ax_c.get_children()) + len(ex.ax_l.get_children())
    contours = dict(ex.contours)
    line, loss_line = ex.path_line, ex.loss_line
    before = np.column_stack(line.get_data()).copy()

    path = ex.update(0.15, (1.0, -2.0), 30, "bowl")
    assert ex.path_line is line and ex.loss_line is loss_line and ex.contours == contours
    assert len(ex.ax_c.get_children()) + len(ex.ax_l.get_children()) == n_children
    after = np.column_stack(line.get_data())
    assert after.shape == (31, 2) and not np.allclose(after[: len(before)], before)
    np.testing.assert_allclose(after, path.points)
    np.testing.assert_allclose(loss_line.get_ydata(), np.maximum(path.losses, 1e-20))
    assert "converging" in ex.title.get_text()

    ex.update(0.01, None, 50, "valley")
    assert ex.contours["valley"].get_visible() and not ex.contours["bowl"].get_visible()
    assert ex.ax_c.get_xlim() == SURFACES["valley"].extent[:2]
    ex.update(0.5, (2.0, 2.0), 50, "bowl")  # diverges: the title says so
    assert "diverging" in ex.title.get_text() and "stopped after" in ex.title.get_text()
    plt.close(ex.fig)


def test_explorer_controls_and_click_drive_update() -> None:
    ex = DescentExplorer("bowl", lr=0.05, n_steps=10)
    ex.controls["lr"].value = 0.3
    assert "lr = 0.3" in ex.title.get_text() and "diverging" in ex.title.get_text()
    ex.controls["surface"].value = "valley"  # the start moves to the valley's default
    assert (ex.controls["x0"].value, ex.controls["y0"].value) == SURFACES["valley"].start
    np.testing.assert_allclose(ex.start_marker.get_xydata()[0], SURFACES["valley"].start)

    class Click:
        inaxes, xdata, ydata = ex.ax_c, 0.5, -0.5

    ex._on_click(Click())
    np.testing.assert_allclose(ex.path_line.get_xydata()[0], [0.5, -0.5])
    plt.close(ex.fig)
