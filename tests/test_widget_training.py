"""The live training view: its compute core (Trainer) driven headless through
step(), checked against dlcourse.mlp.train and against its own bookkeeping, and
the view redrawing in place when it trains, when a control changes and when the
clock ticks (Agg backend)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # headless: no display, no ipympl

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse import mlp
from dlcourse.widgets.training import HISTORY_KEYS, Trainer, TrainingView, moons_split


@pytest.fixture(scope="module")
def data():
    return moons_split(n=120, noise=0.2, seed=1)


def test_moons_split_is_standardised_and_deterministic() -> None:
    X_tr, y_tr, X_val, y_val = moons_split(n=200, val_fraction=0.3, seed=0)
    assert X_tr.shape == (140, 2) and X_val.shape == (60, 2)
    assert y_tr.shape == (140,) and set(np.unique(y_tr)) == {0, 1}
    np.testing.assert_allclose(X_tr.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(X_tr.std(axis=0), 1.0)
    again = moons_split(n=200, val_fraction=0.3, seed=0)
    np.testing.assert_array_equal(again[0], X_tr)
    with pytest.raises(ValueError, match="val_fraction"):
        moons_split(val_fraction=1.0)


def test_step_is_gradient_descent_as_in_mlp_train(data) -> None:
    X_tr, y_tr, X_val, y_val = data
    t = Trainer(X_tr, y_tr, X_val, y_val, hidden=12, lr=0.3, activation="tanh", seed=4)
    h = t.step(40)
    params, losses = mlp.train(X_tr, y_tr, hidden=12, lr=0.3, epochs=40, seed=4,
                               activation="tanh", init="he")
    np.testing.assert_allclose(h["train_loss"], losses, rtol=1e-12)
    for name in params:
        np.testing.assert_allclose(t.params[name], params[name], rtol=1e-12)
    assert t.epoch == 40 and h["epoch"].tolist() == list(range(40))


def test_history_bookkeeping(data) -> None:
    X_tr, y_tr, X_val, y_val = data
    t = Trainer(X_tr, y_tr, X_val, y_val)
    first = t.step(5)
    assert set(first) == set(HISTORY_KEYS)
    assert all(len(v) == 5 for v in first.values())
    h = t.step(295)
    assert all(len(v) == 300 for v in h.values())
    np.testing.assert_array_equal(h["train_loss"][:5], first["train_loss"])
    # The values at step 0 are those of the initial weights.
    init = mlp.init_params(2, 16, 2, seed=0, init="he")
    logits0, cache0 = mlp.forward(init, X_tr)
    loss0, d0 = mlp.softmax_cross_entropy(logits0, y_tr)
    g0 = mlp.backward(init, cache0, d0)
    assert h["train_loss"][0] == pytest.approx(loss0)
    assert h["val_loss"][0] == pytest.approx(
        mlp.softmax_cross_entropy(mlp.forward(init, X_val)[0], y_val)[0])
    assert h["grad_norm_1"][0] == pytest.approx(np.linalg.norm(g0["W1"]))
    assert h["grad_norm_2"][0] == pytest.approx(np.linalg.norm(g0["W2"]))
    assert h["train_acc"][0] == pytest.approx(np.mean(logits0.argmax(1) == y_tr))
    # Training works: the loss falls and the network separates the moons.
    assert h["train_loss"][-1] < 0.5 * h["train_loss"][0]
    assert h["train_acc"][-1] >= 0.9 and h["val_acc"][-1] >= 0.85
    assert t.step(0)["epoch"].shape == (300,)


def test_lr_change_applies_from_next_step_and_reset_restarts(data) -> None:
    X_tr, y_tr, X_val, y_val = data
    t = Trainer(X_tr, y_tr, X_val, y_val, lr=0.5)
    t.step(3)
    params, grads = t.params, mlp.loss_and_gradients(t.params, X_tr, y_tr)[1]
    t.lr = 0.01
    t.step(1)
    for name in params:
        np.testing.assert_allclose(t.params[name], params[name] - 0.01 * grads[name])
    t.reset()
    assert t.epoch == 0 and all(len(v) == 0 for v in t.history.values())
    init = mlp.init_params(2, 16, 2, seed=0, init="he")
    np.testing.assert_array_equal(t.params["W1"], init["W1"])
    t.reset(seed=5)
    assert not np.allclose(t.params["W1"], init["W1"])
    with pytest.raises(ValueError, match="lr must be a positive number"):
        t.lr = 0.0


def test_huge_learning_rate_does_not_raise(data) -> None:
    t = Trainer(*data, lr=1e4)
    h = t.step(20)
    assert len(h["train_loss"]) == 20  # recorded, whatever the values


def test_probability_grid_orientation(data) -> None:
    t = Trainer(*data)
    t.step(50)
    gx, gy = np.linspace(-2, 2, 7), np.linspace(-1, 3, 5)
    P = t.probability_grid(gx, gy)
    assert P.shape == (5, 7)
    point = np.array([[gx[6], gy[1]]])
    assert P[1, 6] == pytest.approx(mlp.predict_proba(t.params, point)[0, 1])
    assert np.all((P >= 0) & (P <= 1))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"activation": "softplus"}, "activation must be one of"),
     ({"hidden": 0}, "hidden must be a positive integer"),
     ({"lr": -1.0}, "lr must be a positive number")],
)
def test_bad_settings_are_rejected_by_name(data, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Trainer(*data, **kwargs)


def test_bad_data_and_steps_are_rejected_by_name(data) -> None:
    X_tr, y_tr, X_val, y_val = data
    with pytest.raises(ValueError, match="labels of X_train"):
        Trainer(X_tr, y_tr[:-1], X_val, y_val)
    with pytest.raises(ValueError, match="X_val must have 2 columns"):
        Trainer(X_tr, y_tr, X_val[:, :1], y_val)
    with pytest.raises(ValueError, match="n_steps must be a non-negative integer"):
        Trainer(*data).step(-1)


def artist_count(view: TrainingView) -> int:
    return sum(len(ax.get_children()) for ax in view.fig.axes)


def test_view_advance_redraws_in_place(data) -> None:
    import ipywidgets

    view = TrainingView(Trainer(*data), epochs_per_tick=5)
    assert isinstance(view.widget, ipywidgets.VBox)
    fig, image, n = view.fig, view.image, artist_count(view)
    image_before = np.array(image.get_array(), copy=True)
    h = view.advance()
    assert view.fig is fig and view.image is image and artist_count(view) == n
    assert len(h["epoch"]) == 5
    np.testing.assert_allclose(np.asarray(image.get_array()),
                               view.trainer.probability_grid(view.gx, view.gy))
    assert not np.allclose(np.asarray(image.get_array()), image_before)
    np.testing.assert_allclose(view.train_line.get_ydata(), h["train_loss"])
    np.testing.assert_allclose(view.val_line.get_ydata(), h["val_loss"])
    np.testing.assert_allclose(view.grad1_line.get_ydata(), h["grad_norm_1"])
    assert "Epoch 5" in view.title.get_text()
    view.update(lr=0.05)                        # applies from the next step; the title shows it
    assert view.trainer.lr == 0.05 and "lr 0.05" in view.title.get_text()
    view.advance(20)
    assert view.trainer.epoch == 25 and view.ax_l.get_xlim() == (0.0, 25.0)
    plt.close(fig)


def test_view_controls_clock_and_buttons(data) -> None:
    view = TrainingView(Trainer(*data), epochs_per_tick=3)
    n = artist_count(view)
    view.run_button.value = True  # start: the clock plays (its ticks come from the browser)
    assert view.clock.playing and view.run_button.description == "pause"
    view.clock.value = 1  # a tick of the Play clock trains one chunk
    assert view.trainer.epoch == 3
    view.clock.playing = False  # the clock stops itself at max_ticks: the button follows
    assert not view.run_button.value and view.run_button.description == "start"
    view.run_button.value = True
    view.clock.value = 2
    view.step_button.click()
    assert view.trainer.epoch == 9
    view.controls["lr"].value = 0.1  # live: no restart
    assert view.trainer.lr == pytest.approx(0.1) and view.trainer.epoch == 9
    view.controls["hidden"].value = 5  # a new network: the run restarts
    assert view.trainer.params["W1"].shape == (5, 2) and view.trainer.epoch == 0
    assert view.clock.value == 0 and not view.clock.playing and not view.run_button.value
    view.clock.value = 1
    view.controls["activation"].value = "tanh"
    assert view.trainer.activation == "tanh" and view.trainer.epoch == 0
    view.step_button.click()
    view.reset_button.click()
    assert view.trainer.epoch == 0 and len(view.train_line.get_xdata()) == 0
    assert artist_count(view) == n
    with pytest.raises(ValueError, match="activation must be one of"):
        view.update(activation="softplus")
    plt.close(view.fig)


def test_view_needs_two_dimensional_binary_data() -> None:
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 3)), rng.integers(0, 2, 30)
    with pytest.raises(ValueError, match="2-D inputs and two classes"):
        TrainingView(Trainer(X, y, X, y))
