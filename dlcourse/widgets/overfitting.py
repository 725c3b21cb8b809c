"""Live overfitting explorer: a one-hidden-layer network learns the 8x8 digits while
the training and validation curves are drawn, with the early-stopping point marked.
Capacity (hidden units), L2 penalty, dropout, training-set size and label noise
are the controls.

The compute part, :class:`OverfitTrainer`, is plain NumPy (:mod:`dlcourse.deepnet`):
full-batch Adam, one step per epoch; ``step(n_epochs)`` trains and returns the whole
history as a dict of arrays; it is unit-tested headless. :class:`OverfitView` wires
controls to it and moves existing artists (``set_data``).

The live run is driven as in :mod:`dlcourse.widgets.training`: an ``ipywidgets.Play``
widget is the clock; each tick (a widget message from the browser) trains a few
epochs and redraws, so the kernel is idle between ticks, no thread is involved and
the run stops by itself after ``max_ticks`` ticks. A control change starts a new run
with the new settings; the previous run's validation curve stays on the plot, in
grey, for comparison.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from sklearn.datasets import load_digits

from dlcourse import deepnet
from dlcourse.mlp import softmax_cross_entropy
from dlcourse.widgets.live import RunControls, canvas_view

__all__ = [
    "HIDDEN_CHOICES",
    "HISTORY_KEYS",
    "L2_CHOICES",
    "N_TRAIN_CHOICES",
    "OverfitTrainer",
    "OverfitView",
    "digits_data",
]

HISTORY_KEYS = ("epoch", "train_loss", "val_loss", "train_acc", "val_acc")
HIDDEN_CHOICES = (4, 8, 16, 32, 64, 128, 256)
N_TRAIN_CHOICES = (50, 100, 200, 500, 1000)
L2_CHOICES = (0.0, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1)
N_CLASSES = 10


@lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


def digits_data(
    n_train: int = 200, label_noise: float = 0.0, n_val: int = 500, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Digits split into a small training set and a fixed validation set.

    Parameters
    ----------
    n_train : int, default 200
        Training samples, at most ``1797 - n_val``. With the same seed, a smaller
        training set is part of every larger one.
    label_noise : float, default 0.0
        Fraction of the training labels replaced by another, random, class
        (``round(label_noise * n_train)`` of them); the validation labels stay clean.
    n_val : int, default 500
        Validation samples.
    seed : int, default 0
        Seed of the split and of the noise.

    Returns
    -------
    X_train : ndarray of shape (n_train, 64)
    y_train : ndarray of shape (n_train,)
    X_val : ndarray of shape (n_val, 64)
    y_val : ndarray of shape (n_val,)
        Pixels scaled to [0, 1] (divided by 16); labels 0..9.
    """
    X, y = _digits()
    if not 1 <= n_val < len(y):
        raise ValueError(f"n_val must be between 1 and {len(y) - 1}, got {n_val}")
    if not 1 <= n_train <= len(y) - n_val:
        raise ValueError(f"n_train must be between 1 and {len(y) - n_val}, got {n_train}")
    if not 0.0 <= label_noise <= 1.0:
        raise ValueError(f"label_noise must be between 0 and 1, got {label_noise}")
    order = np.random.default_rng(seed).permutation(len(y))
    val, train = order[:n_val], order[n_val:n_val + n_train]
    y_train = y[train].copy()
    rng = np.random.default_rng([seed, 1])
    noisy = rng.choice(n_train, size=int(round(label_noise * n_train)), replace=False)
    y_train[noisy] = (y_train[noisy] + rng.integers(1, N_CLASSES, size=noisy.size)) % N_CLASSES
    return X[train], y_train, X[val], y[val]


class OverfitTrainer:
    """A 64-hidden-10 ReLU network trained by full-batch Adam, one epoch at a time.

    Parameters
    ----------
    hidden : int, default 256
        Hidden units: the capacity.
    l2 : float, default 0.0
        Strength of the penalty ``l2 / 2 * sum of squared weights``.
    dropout : float, default 0.0
        Probability of dropping each hidden unit during training (inverted dropout).
    n_train : int, default 200
    label_noise : float, default 0.0
        See :func:`digits_data`.
    lr : float, default 0.01
        Adam's learning rate.
    patience : int, default 20
        Patience of the early-stopping rule that marks the best epoch.
    seed : int, default 0
        Seed of the data split, the weights and the dropout masks.

    Attributes
    ----------
    params : dict
        The current parameters ``W1, b1, W2, b2``.
    epoch : int
        Epochs (full-batch steps) trained since the last reset.
    """

    def __init__(
        self,
        hidden: int = 256,
        l2: float = 0.0,
        dropout: float = 0.0,
        n_train: int = 200,
        label_noise: float = 0.0,
        lr: float = 0.01,
        patience: int = 20,
        seed: int = 0,
    ) -> None:
        if int(hidden) < 1:
            raise ValueError(f"hidden must be a positive integer, got {hidden}")
        if not (np.isfinite(l2) and l2 >= 0):
            raise ValueError(f"l2 must be a non-negative number, got {l2}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}")
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"lr must be a positive number, got {lr}")
        if int(patience) < 1:
            raise ValueError(f"patience must be a positive integer, got {patience}")
        self.X_train, self.y_train, self.X_val, self.y_val = digits_data(
            int(n_train), label_noise, seed=seed)
        self.hidden, self.l2, self.dropout = int(hidden), float(l2), float(dropout)
        self.n_train, self.label_noise = int(n_train), float(label_noise)
        self.lr, self.patience, self.seed = float(lr), int(patience), seed
        self.reset()

    def reset(self) -> None:
        """New initial weights (He normal, zero biases), a fresh Adam, an empty history."""
        self.params = deepnet.init_params([64, self.hidden, N_CLASSES], "he", self.seed)
        self.optimizer = deepnet.Adam(self.lr)
        self.rng = np.random.default_rng([self.seed, 2])
        self.epoch = 0
        self._history: dict[str, list[float]] = {k: [] for k in HISTORY_KEYS}

    def step(self, n_epochs: int = 1) -> dict[str, np.ndarray]:
        """Train ``n_epochs`` epochs (one Adam step on the whole training set each).

        Before each step, the training and validation losses and accuracies are
        measured at the current parameters in evaluation mode (no dropout; the
        losses are cross-entropies, without the L2 penalty).

        Parameters
        ----------
        n_epochs : int, default 1
            At least 0.

        Returns
        -------
        dict of ndarray
            The whole history since the last reset, one entry per epoch: ``epoch``
            (steps taken before it), ``train_loss``, ``val_loss``, ``train_acc``,
            ``val_acc``.
        """
        if int(n_epochs) != n_epochs or n_epochs < 0:
            raise ValueError(f"n_epochs must be a non-negative integer, got {n_epochs}")
        h = self._history
        X, y = self.X_train, self.y_train
        with deepnet.one_blas_thread(), np.errstate(over="ignore", invalid="ignore"):
            for _ in range(int(n_epochs)):
                logits, cache = deepnet.forward(self.params, X, "relu", self.dropout, self.rng)
                loss, d_logits = softmax_cross_entropy(logits, y)
                grads = deepnet.backward(self.params, cache, d_logits)
                if self.l2:
                    for k, g in deepnet.l2_penalty(self.params, self.l2)[1].items():
                        grads[k] = grads[k] + g
                if self.dropout:  # the loss above saw dropped units: measure without them,
                    # from the same pre-activations (no need to redo the first layer)
                    hidden = np.maximum(cache.pre[0], 0.0)
                    logits = hidden @ self.params["W2"].T + self.params["b2"]
                    loss, _ = softmax_cross_entropy(logits, y)
                train_acc = float(np.mean(logits.argmax(axis=1) == y))
                val_loss, val_acc = deepnet.evaluate(self.params, self.X_val, self.y_val)
                h["epoch"].append(self.epoch)
                h["train_loss"].append(float(loss))
                h["val_loss"].append(val_loss)
                h["train_acc"].append(train_acc)
                h["val_acc"].append(val_acc)
                self.params = self.optimizer.step(self.params, grads)
                self.epoch += 1
        return self.history

    @property
    def history(self) -> dict[str, np.ndarray]:
        """The history since the last reset, as arrays of equal length (see ``step``)."""
        return {k: np.array(v, dtype=int if k == "epoch" else float)
                for k, v in self._history.items()}

    @property
    def best_epoch(self) -> int | None:
        """The epoch early stopping picks from the validation losses so far (walking
        them with ``patience``); None before the first epoch."""
        losses = self._history["val_loss"]
        return deepnet.early_stopping_epoch(losses, self.patience) if losses else None

    @property
    def stop_epoch(self) -> int | None:
        """The epoch at which early stopping would have stopped the run (``patience``
        epochs after the best one without improvement), or None if it has not yet."""
        best = self.best_epoch
        if best is None or best + self.patience >= len(self._history["val_loss"]):
            return None
        return best + self.patience


class OverfitView(RunControls):
    """Start, pause, step and reset controls, and sliders for the hidden units, the
    L2 penalty, dropout, the training-set size and the label noise, driving two
    panels: the training and validation losses (with the early-stopping point) and
    the accuracies.

    Parameters
    ----------
    trainer : OverfitTrainer, optional
        The run to show; default ``OverfitTrainer()``.
    epochs_per_tick : int, default 4
        Epochs trained per tick of the clock and per press of "step".
    max_ticks : int, default 100
        The clock stops after this many ticks (a bounded run).

    Notes
    -----
    ``advance`` (one chunk of training plus a redraw) and ``update`` (new settings,
    a new run) are what the controls call and what the benchmarks time. With a
    non-widget backend (Agg in the tests) ``.widget`` holds the controls and an
    empty output area.
    """

    def __init__(
        self, trainer: OverfitTrainer | None = None, epochs_per_tick: int = 4,
        max_ticks: int = 100
    ) -> None:
        import ipywidgets as W
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        self.trainer = OverfitTrainer() if trainer is None else trainer
        self.epochs_per_tick, self.max_ticks = int(epochs_per_tick), int(max_ticks)
        self.span = self.epochs_per_tick * self.max_ticks
        with plt.ioff():
            self.fig, (ax_l, ax_a) = plt.subplots(1, 2, figsize=(10.0, 3.4))
        (self.prev_line,) = ax_l.plot([], [], color="0.7", lw=1.2, label="previous run, val.")
        (self.train_line,) = ax_l.plot([], [], color="tab:blue", label="training")
        (self.val_line,) = ax_l.plot([], [], color="tab:orange", label="validation")
        self.best_vline = ax_l.axvline(0, color="tab:red", ls="--", lw=1, visible=False)
        (self.best_point,) = ax_l.plot([], [], "o", color="tab:red", ms=6,
                                       label="early-stopping point")
        ax_l.set(xlabel="epoch", ylabel="cross-entropy loss", xlim=(0, self.span))
        ax_l.legend(fontsize=7, loc="upper right")
        (self.train_acc_line,) = ax_a.plot([], [], color="tab:blue", label="training")
        (self.val_acc_line,) = ax_a.plot([], [], color="tab:orange", label="validation")
        ax_a.set(xlabel="epoch", ylabel="accuracy (colours as on the left)",
                 xlim=(0, self.span), ylim=(0.0, 1.02))
        for ax in (ax_l, ax_a):
            ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(6))
        # Titles at a fixed height: no search for a free position at every redraw.
        self.title_l = ax_l.set_title("", fontsize=9, y=1.0)
        self.title_a = ax_a.set_title("", fontsize=9, y=1.0)
        self.ax_l, self.ax_a = ax_l, ax_a
        self.fig.subplots_adjust(left=0.07, right=0.99, bottom=0.15, top=0.9, wspace=0.22)

        run_row = self._build_run_controls(self.max_ticks, reset_tooltip="start this run again")
        t = self.trainer
        slider = {"continuous_update": False, "style": {"description_width": "initial"}}
        self.controls = {
            "hidden": W.SelectionSlider(options=_with(HIDDEN_CHOICES, t.hidden),
                                        value=t.hidden, description="hidden units", **slider),
            "l2": W.SelectionSlider(options=_with(L2_CHOICES, t.l2), value=t.l2,
                                    description="L2", **slider),
            "dropout": W.FloatSlider(value=t.dropout, min=0.0, max=0.8, step=0.1,
                                     description="dropout", **slider),
            "n_train": W.SelectionSlider(options=_with(N_TRAIN_CHOICES, t.n_train),
                                         value=t.n_train, description="training set",
                                         **slider),
            "label_noise": W.FloatSlider(value=t.label_noise, min=0.0, max=0.5, step=0.05,
                                         description="label noise", **slider),
        }
        for control in self.controls.values():
            control.observe(self._on_control, names="value")
        self.live, view = canvas_view(self.fig)
        self.widget = W.VBox([
            run_row,
            W.HBox(list(self.controls.values())[:3]),
            W.HBox(list(self.controls.values())[3:]),
            view,
        ])
        self._draw()

    def _draw(self) -> None:
        """Move the existing artists to the trainer's state; nothing is created."""
        t = self.trainer
        h = t.history
        epochs = h["epoch"]
        self.train_line.set_data(epochs, h["train_loss"])
        self.val_line.set_data(epochs, h["val_loss"])
        self.train_acc_line.set_data(epochs, h["train_acc"])
        self.val_acc_line.set_data(epochs, h["val_acc"])
        right = max(self.span, t.epoch)
        self.ax_l.set_xlim(0, right)
        self.ax_a.set_xlim(0, right)
        losses = np.concatenate([h["train_loss"], h["val_loss"], self.prev_line.get_ydata()])
        losses = losses[np.isfinite(losses)]
        self.ax_l.set_ylim(0, 1.05 * losses.max() if losses.size else 2.5)
        best = t.best_epoch
        if best is None:
            self.best_point.set_data([], [])
            self.best_vline.set_visible(False)
            self.title_l.set_text(f"early stopping (patience {t.patience}): no epoch yet")
            # Before the first step the settings are all there is to show.
            self.title_a.set_text(f"{t.hidden} hidden, L2 {t.l2:g}, dropout {t.dropout:g}, "
                                  f"{t.n_train} rows, noise {t.label_noise:.0%}: press start")
            return
        self.best_point.set_data([best], [h["val_loss"][best]])
        self.best_vline.set_xdata([best, best])
        self.best_vline.set_visible(True)
        stop = t.stop_epoch
        when = f", would stop at {stop}" if stop is not None else ""
        self.title_l.set_text(f"early stopping (patience {t.patience}): best epoch {best}{when}")
        self.title_a.set_text(f"validation accuracy {h['val_acc'][-1]:.1%} now, "
                              f"{h['val_acc'][best]:.1%} at the best epoch")

    def update(
        self,
        hidden: int | None = None,
        l2: float | None = None,
        dropout: float | None = None,
        n_train: int | None = None,
        label_noise: float | None = None,
    ) -> None:
        """Start a new run with new settings (arguments left out keep theirs) and redraw.

        The current run's validation curve becomes the grey "previous run" curve.
        """
        t = self.trainer
        new = OverfitTrainer(
            hidden=t.hidden if hidden is None else hidden,
            l2=t.l2 if l2 is None else l2,
            dropout=t.dropout if dropout is None else dropout,
            n_train=t.n_train if n_train is None else n_train,
            label_noise=t.label_noise if label_noise is None else label_noise,
            lr=t.lr, patience=t.patience, seed=t.seed)
        if t.epoch:
            h = t.history
            self.prev_line.set_data(h["epoch"], h["val_loss"])
        self.trainer = new
        self._restart_clock()
        self._draw()
        self._redraw()

    def _on_control(self, _change: object) -> None:
        c = self.controls
        self.update(c["hidden"].value, c["l2"].value, c["dropout"].value, c["n_train"].value,
                    c["label_noise"].value)


def _with(choices: tuple, value: float) -> list:
    """The slider's choices, with ``value`` added in order if it is not one of them."""
    return sorted(set(choices) | {value})
