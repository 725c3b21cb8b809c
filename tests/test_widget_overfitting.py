"""The live overfitting explorer: the digits split, its compute core (OverfitTrainer)
driven headless through step() and checked against dlcourse.deepnet, the lesson's
claims about label noise, L2 and early stopping, and the view redrawing in place
when it trains, when a control changes and when the clock ticks (Agg backend)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # headless: no display, no ipympl

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse import deepnet
from dlcourse.mlp import softmax_cross_entropy
from dlcourse.widgets.overfitting import (
    HISTORY_KEYS,
    OverfitTrainer,
    OverfitView,
    digits_data,
)


def test_digits_data_split_and_noise() -> None:
    X_tr, y_tr, X_val, y_val = digits_data(200, 0.0, n_val=500, seed=0)
    assert X_tr.shape == (200, 64) and X_val.shape == (500, 64)
    assert X_tr.min() >= 0 and X_tr.max() <= 1
    bigger = digits_data(1000, 0.0, seed=0)
    np.testing.assert_array_equal(bigger[0][:200], X_tr)  # nested training sets
    np.testing.assert_array_equal(bigger[2], X_val)  # the same validation set
    noisy = digits_data(200, 0.25, seed=0)
    changed = noisy[1] != y_tr
    assert changed.sum() == 50  # exactly a quarter, each to another class
    np.testing.assert_array_equal(noisy[3], y_val)  # validation labels stay clean
    np.testing.assert_array_equal(noisy[0], X_tr)
    assert not np.array_equal(digits_data(200, seed=1)[0], X_tr)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_train": 0}, "n_train must be between 1 and 1297"),
    ({"n_train": 1298}, "n_train must be between"),
    ({"label_noise": 1.5}, "label_noise must be between 0 and 1"),
    ({"n_val": 0}, "n_val must be between"),
])
def test_digits_data_rejects_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        digits_data(**kwargs)


def test_step_is_full_batch_adam_with_l2() -> None:
    t = OverfitTrainer(hidden=16, l2=0.01, n_train=100, lr=0.02, seed=3)
    h = t.step(6)
    params = deepnet.init_params([64, 16, 10], "he", 3)
    opt = deepnet.Adam(0.02)
    losses = []
    for _ in range(6):
        loss, grads = deepnet.loss_and_gradients(params, t.X_train, t.y_train, l2=0.01)
        losses.append(loss - deepnet.l2_penalty(params, 0.01)[0])  # recorded without penalty
        params = opt.step(params, grads)
    np.testing.assert_allclose(h["train_loss"], losses, rtol=1e-10)
    for k in params:
        np.testing.assert_allclose(t.params[k], params[k], rtol=1e-10)
    assert t.epoch == 6 and h["epoch"].tolist() == list(range(6))


def test_history_bookkeeping_and_evaluation_mode() -> None:
    t = OverfitTrainer(hidden=32, dropout=0.5, n_train=100)
    first = t.step(3)
    assert set(first) == set(HISTORY_KEYS) and all(len(v) == 3 for v in first.values())
    init = deepnet.init_params([64, 32, 10], "he", 0)
    # entry 0: the initial weights, measured without dropout
    assert first["train_loss"][0] == pytest.approx(deepnet.evaluate(init, t.X_train, t.y_train)[0])
    val_loss, val_acc = deepnet.evaluate(init, t.X_val, t.y_val)
    assert first["val_loss"][0] == pytest.approx(val_loss)
    assert first["val_acc"][0] == pytest.approx(val_acc)
    h = t.step(2)
    np.testing.assert_array_equal(h["val_loss"][:3], first["val_loss"])
    assert t.step(0)["epoch"].shape == (5,)
    t.reset()
    assert t.epoch == 0 and t.best_epoch is None and t.stop_epoch is None
    np.testing.assert_array_equal(t.params["W1"], init["W1"])
    with pytest.raises(ValueError, match="n_epochs must be a non-negative integer"):
        t.step(-1)


def test_dropout_masks_are_seeded() -> None:
    a = OverfitTrainer(hidden=16, dropout=0.5, n_train=50).step(4)
    b = OverfitTrainer(hidden=16, dropout=0.5, n_train=50).step(4)
    c = OverfitTrainer(hidden=16, dropout=0.5, n_train=50, seed=1).step(4)
    np.testing.assert_array_equal(a["val_loss"], b["val_loss"])
    assert not np.allclose(a["val_loss"], c["val_loss"])


def test_label_noise_overfits_and_l2_and_early_stopping_help() -> None:
    noisy = OverfitTrainer(hidden=128, n_train=200, label_noise=0.2)
    h = noisy.step(200)
    best = noisy.best_epoch
    assert best == deepnet.early_stopping_epoch(h["val_loss"], noisy.patience)
    assert noisy.stop_epoch == best + noisy.patience
    assert h["train_acc"][-1] > 0.99  # the noisy labels are memorised
    assert h["val_loss"][-1] > h["val_loss"][best] + 0.2  # ... and validation suffers
    assert h["val_acc"][best] > h["val_acc"][-1]
    reg = OverfitTrainer(hidden=128, n_train=200, label_noise=0.2, l2=0.01).step(200)
    assert reg["val_loss"][-1] < h["val_loss"][-1] - 0.2
    assert reg["train_acc"][-1] < 0.95  # L2 stops it from memorising every noisy label


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"hidden": 0}, "hidden must be a positive integer"),
    ({"l2": -1.0}, "l2 must be a non-negative number"),
    ({"dropout": 1.0}, "dropout must be in"),
    ({"lr": 0.0}, "lr must be a positive number"),
    ({"patience": 0}, "patience must be a positive integer"),
    ({"label_noise": -0.1}, "label_noise must be between"),
])
def test_bad_settings_are_rejected_by_name(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OverfitTrainer(**kwargs)


def artist_count(view: OverfitView) -> int:
    return sum(len(ax.get_children()) for ax in view.fig.axes)


def test_view_advance_redraws_in_place() -> None:
    import ipywidgets

    view = OverfitView(OverfitTrainer(hidden=32, n_train=100, label_noise=0.3))
    assert isinstance(view.widget, ipywidgets.VBox)
    assert not view.best_vline.get_visible()
    assert "32 hidden" in view.title_a.get_text()  # before any step, the title shows settings
    view.update(l2=0.01)
    assert "L2 0.01" in view.title_a.get_text() and view.trainer.epoch == 0
    fig, n = view.fig, artist_count(view)
    h = view.advance()
    assert view.fig is fig and artist_count(view) == n and len(h["epoch"]) == 4
    np.testing.assert_allclose(view.train_line.get_ydata(), h["train_loss"])
    np.testing.assert_allclose(view.val_line.get_ydata(), h["val_loss"])
    np.testing.assert_allclose(view.val_acc_line.get_ydata(), h["val_acc"])
    h = view.advance(95)
    best = view.trainer.best_epoch
    assert view.best_vline.get_visible() and list(view.best_vline.get_xdata()) == [best, best]
    np.testing.assert_allclose(view.best_point.get_ydata(), [h["val_loss"][best]])
    assert f"best epoch {best}" in view.title_l.get_text()
    assert view.ax_l.get_xlim() == (0.0, 400.0)  # the run's span: the curves grow into it
    fig.canvas.draw()
    plt.close(fig)


def test_view_controls_clock_and_buttons() -> None:
    view = OverfitView(OverfitTrainer(hidden=16, n_train=50), epochs_per_tick=3)
    n = artist_count(view)
    view.run_button.value = True  # start: the clock plays (its ticks come from the browser)
    assert view.clock.playing and view.run_button.description == "pause"
    view.clock.value = 1  # a tick of the Play clock trains one chunk
    assert view.trainer.epoch == 3
    view.clock.playing = False
    assert not view.run_button.value and view.run_button.description == "start"
    view.step_button.click()
    assert view.trainer.epoch == 6
    old_val = view.trainer.history["val_loss"]
    view.controls["l2"].value = 0.01  # a new run; the old validation curve turns grey
    assert view.trainer.l2 == 0.01 and view.trainer.epoch == 0 and view.trainer.hidden == 16
    np.testing.assert_allclose(view.prev_line.get_ydata(), old_val)
    assert view.clock.value == 0 and not view.clock.playing
    view.controls["n_train"].value = 200
    assert view.trainer.X_train.shape == (200, 64)
    view.controls["label_noise"].value = 0.2
    view.controls["dropout"].value = 0.5
    view.controls["hidden"].value = 64
    t = view.trainer
    assert (t.hidden, t.dropout, t.label_noise, t.n_train, t.l2) == (64, 0.5, 0.2, 200, 0.01)
    view.step_button.click()
    view.reset_button.click()
    assert view.trainer.epoch == 0 and len(view.train_line.get_xdata()) == 0
    assert artist_count(view) == n
    plt.close(view.fig)


def test_cross_entropy_reference() -> None:
    # the trainer's losses are the course's softmax cross-entropy of the logits
    t = OverfitTrainer(hidden=8, n_train=60)
    h = t.step(1)
    logits, _ = deepnet.forward(deepnet.init_params([64, 8, 10], "he", 0), t.X_val,
                                training=False)
    assert h["val_loss"][0] == pytest.approx(softmax_cross_entropy(logits, t.y_val)[0])
