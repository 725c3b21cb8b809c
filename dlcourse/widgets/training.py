"""Live training of the from-scratch two-layer network, TensorFlow-Playground style:
the decision boundary, the train and validation losses and the gradient norm of
each layer, updated as the network trains.

The compute part, :class:`Trainer`, is plain NumPy (``dlcourse.mlp``): its
``step(n_steps)`` runs full-batch gradient-descent steps and returns the whole
history as a dict of arrays; it is unit-tested headless. :class:`TrainingView`
wires controls to it and moves existing artists (``set_data``).

How the live run is driven
--------------------------
An ``ipywidgets.Play`` widget is the clock. Its timer runs in the browser: every
``interval`` milliseconds it increments its value, and each increment reaches the
kernel as an ordinary widget message, which trains one chunk of epochs and
redraws. Between two ticks the kernel is idle, so other cells still run and the
pause, step and reset buttons respond; no thread and no loop in the kernel is
involved, which is what makes this safe in JupyterLab with ipympl. The run is
bounded: the Play widget stops by itself after ``max_ticks`` ticks. A "start" /
"pause" toggle button is linked to the clock's ``playing`` state (the Play
widget's own buttons do the same); "step" trains one chunk and "reset" draws new
initial weights.
"""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_moons

from dlcourse import mlp
from dlcourse.widgets.live import RunControls, canvas_view

HISTORY_KEYS = ("epoch", "train_loss", "val_loss", "train_acc", "val_acc",
                "grad_norm_1", "grad_norm_2")


def moons_split(
    n: int = 200, noise: float = 0.25, val_fraction: float = 0.3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two interleaved half-moons, standardised, split into training and validation sets.

    Parameters
    ----------
    n : int, default 200
        Number of points in total.
    noise : float, default 0.25
        Standard deviation of the Gaussian noise of ``make_moons``.
    val_fraction : float, default 0.3
        Fraction of the points held out for validation.
    seed : int, default 0
        Seed of the data and of the split.

    Returns
    -------
    X_train : ndarray of shape (n_train, 2)
    y_train : ndarray of shape (n_train,)
    X_val : ndarray of shape (n_val, 2)
    y_val : ndarray of shape (n_val,)
        Features standardised with the training set's mean and standard deviation.
    """
    if n < 4:
        raise ValueError(f"n must be at least 4, got {n}")
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction}")
    X, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    order = np.random.default_rng(seed).permutation(n)
    n_val = max(1, int(round(val_fraction * n)))
    val, train = order[:n_val], order[n_val:]
    mean, std = X[train].mean(axis=0), X[train].std(axis=0)
    X = (X - mean) / std
    return X[train], y[train], X[val], y[val]


class Trainer:
    """Full-batch gradient descent on a dense-activation-dense network, one step at a time.

    Parameters
    ----------
    X_train : ndarray of shape (n, d_in)
    y_train : ndarray of shape (n,)
        Integer labels ``0 .. k-1``.
    X_val : ndarray of shape (m, d_in)
    y_val : ndarray of shape (m,)
    hidden : int, default 16
        Hidden units.
    lr : float, default 0.5
        Learning rate; may be changed between steps (``trainer.lr = ...``).
    activation : str, default "relu"
        A key of ``dlcourse.mlp.ACTIVATIONS``.
    seed : int, default 0
        Seed of the initial weights.

    Attributes
    ----------
    params : dict
        The current parameters ``W1, b1, W2, b2``.
    epoch : int
        Steps taken since the last reset.
    """

    def __init__(
        self,
        X_train: np.ndarray,
        y_train: np.ndarray,
        X_val: np.ndarray,
        y_val: np.ndarray,
        hidden: int = 16,
        lr: float = 0.5,
        activation: str = "relu",
        seed: int = 0,
    ) -> None:
        self.X_train = np.asarray(X_train, dtype=float)
        self.y_train = np.asarray(y_train).astype(int)
        self.X_val = np.asarray(X_val, dtype=float)
        self.y_val = np.asarray(y_val).astype(int)
        for name, X, y in (("X_train", self.X_train, self.y_train),
                           ("X_val", self.X_val, self.y_val)):
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError(f"{name} must have shape (n, d_in) with n >= 1, got {X.shape}")
            if y.shape != (X.shape[0],):
                raise ValueError(f"the labels of {name} must have shape ({X.shape[0]},), "
                                 f"got {y.shape}")
        if self.X_val.shape[1] != self.X_train.shape[1]:
            raise ValueError(f"X_val must have {self.X_train.shape[1]} columns like X_train, "
                             f"got {self.X_val.shape[1]}")
        if activation not in mlp.ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(mlp.ACTIVATIONS)}, "
                             f"got {activation!r}")
        if int(hidden) < 1:
            raise ValueError(f"hidden must be a positive integer, got {hidden}")
        self.n_classes = int(max(self.y_train.max(), self.y_val.max())) + 1
        self.hidden, self.activation, self.seed = int(hidden), activation, seed
        self.lr = lr
        self.reset()

    @property
    def lr(self) -> float:
        """The learning rate used by the next step."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"lr must be a positive number, got {value}")
        self._lr = float(value)

    def reset(self, seed: int | None = None) -> None:
        """New initial weights (He normal, zero biases) and an empty history."""
        if seed is not None:
            self.seed = seed
        self.params = mlp.init_params(self.X_train.shape[1], self.hidden, self.n_classes,
                                      self.seed, "he")
        self.epoch = 0
        self._history: dict[str, list[float]] = {k: [] for k in HISTORY_KEYS}

    def step(self, n_steps: int = 1) -> dict[str, np.ndarray]:
        """Take ``n_steps`` gradient-descent steps on the whole training set.

        Before each step the training loss and the gradient come from one
        forward and backward pass; the validation loss and both accuracies are
        measured at the same parameters. Steps that would make the loss nan or
        infinite (a learning rate far too large) are still taken, and recorded.

        Parameters
        ----------
        n_steps : int, default 1
            Number of steps, at least 0.

        Returns
        -------
        dict of ndarray
            The whole history since the last reset, one entry per step:
            ``epoch`` (steps taken before it), ``train_loss``, ``val_loss``,
            ``train_acc``, ``val_acc``, and ``grad_norm_1``, ``grad_norm_2``,
            the Frobenius norms of the gradients of ``W1`` and ``W2``.
        """
        if int(n_steps) != n_steps or n_steps < 0:
            raise ValueError(f"n_steps must be a non-negative integer, got {n_steps}")
        h = self._history
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for _ in range(int(n_steps)):
                logits, cache = mlp.forward(self.params, self.X_train, self.activation)
                loss, d_logits = mlp.softmax_cross_entropy(logits, self.y_train)
                grads = mlp.backward(self.params, cache, d_logits)
                val_logits, _ = mlp.forward(self.params, self.X_val, self.activation)
                h["epoch"].append(self.epoch)
                h["train_loss"].append(loss)
                h["val_loss"].append(mlp.softmax_cross_entropy(val_logits, self.y_val)[0])
                h["train_acc"].append(float(np.mean(logits.argmax(axis=1) == self.y_train)))
                h["val_acc"].append(float(np.mean(val_logits.argmax(axis=1) == self.y_val)))
                h["grad_norm_1"].append(float(np.linalg.norm(grads["W1"])))
                h["grad_norm_2"].append(float(np.linalg.norm(grads["W2"])))
                self.params = mlp.sgd_step(self.params, grads, self.lr)
                self.epoch += 1
        return self.history

    @property
    def history(self) -> dict[str, np.ndarray]:
        """The history since the last reset, as arrays of equal length (see ``step``)."""
        return {k: np.array(v, dtype=int if k == "epoch" else float)
                for k, v in self._history.items()}

    def probability_grid(self, gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
        """Probability of class 1 on a grid, shape (len(gy), len(gx)); row i is ``gy[i]``."""
        xx, yy = np.meshgrid(gx, gy)
        grid = np.column_stack([xx.ravel(), yy.ravel()])
        with np.errstate(over="ignore", invalid="ignore"):
            proba = mlp.predict_proba(self.params, grid, self.activation)
        return proba[:, 1].reshape(len(gy), len(gx))


class TrainingView(RunControls):
    """Start, pause, step and reset controls, hidden size, learning rate and
    activation, driving three panels: the class-1 probability over the plane with
    the data, the train and validation losses, and the gradient norm of each layer.

    Parameters
    ----------
    trainer : Trainer
        The network to train, on 2-D data with two classes.
    epochs_per_tick : int, default 10
        Epochs trained per tick of the clock and per press of "step".
    max_ticks : int, default 200
        The clock stops after this many ticks (a bounded run).
    resolution : int, default 60
        Grid points per axis of the probability image.

    Notes
    -----
    See the module docstring for how the run is driven (an ``ipywidgets.Play``
    clock, no kernel thread). ``advance`` (one chunk of training plus a redraw)
    and ``update`` (a control change plus a redraw) are what the controls call and
    what the benchmarks time. With a non-widget backend (Agg in the tests)
    ``.widget`` holds the controls and an empty output area.
    """

    def __init__(
        self,
        trainer: Trainer,
        epochs_per_tick: int = 10,
        max_ticks: int = 200,
        resolution: int = 60,
    ) -> None:
        import ipywidgets as W
        import matplotlib.pyplot as plt
        from matplotlib.ticker import NullLocator

        if trainer.X_train.shape[1] != 2 or trainer.n_classes != 2:
            raise ValueError("TrainingView needs 2-D inputs and two classes")
        self.trainer, self.epochs_per_tick = trainer, int(epochs_per_tick)
        X_all = np.vstack([trainer.X_train, trainer.X_val])
        lo, hi = X_all.min(axis=0) - 0.5, X_all.max(axis=0) + 0.5
        self.gx = np.linspace(lo[0], hi[0], resolution)
        self.gy = np.linspace(lo[1], hi[1], resolution)

        with plt.ioff():
            self.fig, (ax_b, ax_l, ax_g) = plt.subplots(1, 3, figsize=(11.0, 3.5))
        self.image = ax_b.imshow(trainer.probability_grid(self.gx, self.gy), origin="lower",
                                 extent=(lo[0], hi[0], lo[1], hi[1]), cmap="RdBu_r",
                                 vmin=0.0, vmax=1.0, aspect="auto")
        for X, y, filled, label in ((trainer.X_train, trainer.y_train, True, "train"),
                                    (trainer.X_val, trainer.y_val, False, "validation")):
            colours = np.where(y == 1, "tab:red", "tab:blue")
            if filled:
                ax_b.scatter(*X.T, c=colours, edgecolor="k", s=14, lw=0.5, label=label)
            else:
                ax_b.scatter(*X.T, facecolor="none", edgecolor=colours, s=18, lw=1.0,
                             label=label)
        ax_b.set(xlabel="$x_1$ (standardised)", ylabel="$x_2$ (standardised)")
        ax_b.legend(loc="lower right", fontsize=7)
        # No colour bar (text is what costs most per redraw): the title says it.
        self.title = ax_b.set_title("", fontsize=9)

        (self.train_line,) = ax_l.plot([], [], color="tab:blue", label="train")
        (self.val_line,) = ax_l.plot([], [], color="tab:orange", label="validation")
        ax_l.set(xlabel="epoch", ylabel="cross-entropy loss", title="loss")
        ax_l.legend(fontsize=8)
        (self.grad1_line,) = ax_g.semilogy([], [], color="tab:green", label="layer 1 ($W_1$)")
        (self.grad2_line,) = ax_g.semilogy([], [], color="tab:purple", label="layer 2 ($W_2$)")
        ax_g.set(xlabel="epoch", ylabel="gradient norm (log scale)", title="gradient norms")
        ax_g.legend(fontsize=8)
        ax_g.yaxis.set_minor_locator(NullLocator())  # fewer tick labels, faster redraws
        self.ax_l, self.ax_g = ax_l, ax_g
        self.fig.tight_layout()

        run_row = self._build_run_controls(max_ticks, reset_tooltip="new initial weights")
        self.controls = {
            "hidden": W.IntSlider(value=trainer.hidden, min=1, max=64, description="hidden"),
            "lr": W.FloatLogSlider(value=trainer.lr, base=10, min=-3, max=1, step=0.1,
                                   description="lr", readout_format=".3g"),
            "activation": W.Dropdown(options=list(mlp.ACTIVATIONS), value=trainer.activation,
                                     description="activation"),
        }
        for control in self.controls.values():
            control.observe(self._on_control, names="value")
        self.live, view = canvas_view(self.fig)
        self.widget = W.VBox([
            run_row,
            W.HBox(list(self.controls.values())),
            view,
        ])
        self._draw()

    def _draw(self) -> None:
        """Move the existing artists to the trainer's state; nothing is created."""
        t = self.trainer
        h = t.history
        self.image.set_data(t.probability_grid(self.gx, self.gy))
        epochs = h["epoch"]
        self.train_line.set_data(epochs, h["train_loss"])
        self.val_line.set_data(epochs, h["val_loss"])
        floor = 1e-12  # a dead layer's gradient is exactly 0; keep it on the log axis
        self.grad1_line.set_data(epochs, np.maximum(h["grad_norm_1"], floor))
        self.grad2_line.set_data(epochs, np.maximum(h["grad_norm_2"], floor))
        right = max(10, t.epoch)
        self.ax_l.set_xlim(0, right)
        self.ax_g.set_xlim(0, right)
        losses = np.concatenate([h["train_loss"], h["val_loss"]])
        losses = losses[np.isfinite(losses)]
        self.ax_l.set_ylim(0, 1.05 * losses.max() if losses.size else 1.0)
        norms = np.maximum(np.concatenate([h["grad_norm_1"], h["grad_norm_2"]]), floor)
        norms = norms[np.isfinite(norms)]
        if norms.size:
            self.ax_g.set_ylim(norms.min() / 2, norms.max() * 2)
        # The learning rate is in the title: a new one applies from the next step only,
        # so the title is where moving its slider shows at once.
        if len(epochs):
            self.title.set_text(f"P(class 1), red = 1. Epoch {t.epoch}, lr {t.lr:.3g}: train "
                                f"acc {h['train_acc'][-1]:.0%}, val acc {h['val_acc'][-1]:.0%}")
        else:
            self.title.set_text(f"P(class 1), red = 1. Epoch 0: {t.activation}, "
                                f"{t.hidden} hidden units, lr {t.lr:.3g}")

    def update(
        self, hidden: int | None = None, lr: float | None = None, activation: str | None = None
    ) -> None:
        """Apply new settings and redraw. A new learning rate applies from the next step;
        a new hidden size or activation builds a new network (the run restarts)."""
        t = self.trainer
        if lr is not None:
            t.lr = lr
        rebuild = (hidden is not None and hidden != t.hidden) or (
            activation is not None and activation != t.activation)
        if rebuild:
            if activation is not None and activation not in mlp.ACTIVATIONS:
                raise ValueError(f"activation must be one of {sorted(mlp.ACTIVATIONS)}, "
                                 f"got {activation!r}")
            if hidden is not None and int(hidden) < 1:
                raise ValueError(f"hidden must be a positive integer, got {hidden}")
            t.hidden = t.hidden if hidden is None else int(hidden)
            t.activation = t.activation if activation is None else activation
            self._restart_clock()
            t.reset()
        self._draw()
        self._redraw()

    def _on_control(self, _change: object) -> None:
        c = self.controls
        self.update(c["hidden"].value, c["lr"].value, c["activation"].value)
