"""The deep NumPy network of dlcourse.deepnet: initialisation scales, gradients
against centred differences (with batch norm and dropout) and against torch,
batch norm and Adam against torch, dropout statistics, the L2 penalty, training,
early stopping and step decay."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from dlcourse import deepnet, mlp


def numeric_grad(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Centred differences of the scalar f() w.r.t. every entry of x (modified, then restored)."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        fp = f()
        x[idx] = old - h
        fm = f()
        x[idx] = old
        grad[idx] = (fp - fm) / (2 * h)
    return grad


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """Relative error; 0 when both are zero up to rounding (e.g. the shift of a batch-norm
    layer that another batch norm follows, without a nonlinearity between them)."""
    if np.abs(a - b).max() < 1e-8 and max(np.abs(a).max(), np.abs(b).max()) < 1e-8:
        return 0.0
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), 1e-300))


def problem(sizes=(4, 6, 5, 3), n: int = 9, seed: int = 0, batchnorm: bool = False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, sizes[-1], size=n)
    params = deepnet.init_params(sizes, "xavier", seed, batchnorm=batchnorm)
    # move gamma, beta and the biases away from 1 and 0 so that every path is exercised
    params = {k: v + 0.3 * rng.normal(size=v.shape) for k, v in params.items()}
    return X, y, params


# ---------------------------------------------------------------- initialisation


def test_init_shapes_keys_and_scales() -> None:
    p = deepnet.init_params([400, 300, 200, 3], "he", seed=1)
    assert {k: v.shape for k, v in p.items()} == {
        "W1": (300, 400), "b1": (300,), "W2": (200, 300), "b2": (200,), "W3": (3, 200),
        "b3": (3,)}
    assert p["W1"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert p["W2"].std() == pytest.approx(np.sqrt(2 / 300), rel=0.02)
    assert abs(p["W1"].mean()) < 0.002 and not p["b1"].any()
    xavier = deepnet.init_params([400, 300, 3], "xavier", seed=1)
    assert xavier["W1"].std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    assert deepnet.init_params([400, 300, 3], "small")["W1"].std() == pytest.approx(0.01, rel=0.02)
    assert deepnet.init_params([400, 300, 3], "large")["W1"].std() == pytest.approx(1.0, rel=0.02)
    assert deepnet.init_params([400, 300, 3], 0.2)["W1"].std() == pytest.approx(0.2, rel=0.02)
    np.testing.assert_array_equal(deepnet.init_params([4, 5, 2], seed=3)["W1"],
                                  deepnet.init_params([4, 5, 2], seed=3)["W1"])
    assert not np.allclose(deepnet.init_params([4, 5, 2], seed=3)["W1"],
                           deepnet.init_params([4, 5, 2], seed=4)["W1"])


def test_batchnorm_params_replace_hidden_biases() -> None:
    p = deepnet.init_params([5, 4, 3, 2], batchnorm=True)
    assert sorted(p) == ["W1", "W2", "W3", "b3", "beta1", "beta2", "gamma1", "gamma2"]
    np.testing.assert_array_equal(p["gamma2"], np.ones(3))
    np.testing.assert_array_equal(p["beta1"], np.zeros(4))
    assert deepnet.n_layers(p) == 3


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"sizes": [5]}, "sizes must hold at least two"),
    ({"sizes": [5, 0, 2]}, "sizes must hold at least two positive"),
    ({"sizes": [5, 2], "init": "glorot"}, "init must be one of"),
    ({"sizes": [5, 2], "init": -1.0}, "init must be one of"),
])
def test_bad_init_arguments_are_rejected_by_name(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        deepnet.init_params(**kwargs)


# ---------------------------------------------------------------- forward and backward


def test_two_layers_are_lesson_03s_network() -> None:
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(8, 3)), rng.integers(0, 4, size=8)
    params = deepnet.init_params([3, 6, 4], "he", seed=2)
    for activation in ("relu", "tanh", "sigmoid"):
        loss_d, grads_d = deepnet.loss_and_gradients(params, X, y, activation)
        loss_m, grads_m = mlp.loss_and_gradients(params, X, y, activation)
        assert loss_d == pytest.approx(loss_m, rel=1e-12)
        for k in params:
            np.testing.assert_allclose(grads_d[k], grads_m[k], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
@pytest.mark.parametrize("batchnorm", [False, True])
def test_gradients_match_centred_differences(activation: str, batchnorm: bool) -> None:
    X, y, params = problem(batchnorm=batchnorm)
    _, grads = deepnet.loss_and_gradients(params, X, y, activation)
    assert set(grads) == set(params)
    for k in params:
        num = numeric_grad(lambda: deepnet.loss_and_gradients(params, X, y, activation)[0],
                           params[k])
        assert rel_error(grads[k], num) < 1e-6, (k, rel_error(grads[k], num))


def test_gradients_with_dropout_and_l2_match_centred_differences() -> None:
    X, y, params = problem(sizes=(4, 7, 6, 3), batchnorm=True)

    def loss() -> float:  # the same seed: the same masks at every evaluation
        return deepnet.loss_and_gradients(params, X, y, "tanh", l2=0.1, dropout=0.4,
                                          rng=np.random.default_rng(11))[0]

    _, grads = deepnet.loss_and_gradients(params, X, y, "tanh", l2=0.1, dropout=0.4,
                                          rng=np.random.default_rng(11))
    for k in params:
        assert rel_error(grads[k], numeric_grad(loss, params[k])) < 1e-6, k


def test_gradients_match_torch_autograd() -> None:
    X, y, params = problem(sizes=(5, 6, 4, 3), n=10, batchnorm=True)
    _, grads = deepnet.loss_and_gradients(params, X, y, "sigmoid", l2=0.05)
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    A = torch.tensor(X)
    for i in (1, 2):
        Z = A @ tp[f"W{i}"].T
        Zn = torch.nn.functional.batch_norm(Z, None, None, tp[f"gamma{i}"], tp[f"beta{i}"],
                                            training=True, eps=1e-5)
        A = torch.sigmoid(Zn)
    logits = A @ tp["W3"].T + tp["b3"]
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(y))
    loss = loss + 0.05 / 2 * sum((tp[k] ** 2).sum() for k in tp if k.startswith("W"))
    loss.backward()
    for k in params:
        np.testing.assert_allclose(grads[k], tp[k].grad.numpy(), rtol=1e-9, atol=1e-12)


def test_batchnorm_forward_matches_torch_and_normalises() -> None:
    rng = np.random.default_rng(3)
    Z = 5 + 3 * rng.normal(size=(16, 4))
    gamma, beta = rng.normal(size=4), rng.normal(size=4)
    Y, (Z_hat, inv_std) = deepnet.batchnorm_forward(Z, gamma, beta)
    expected = torch.nn.functional.batch_norm(torch.tensor(Z), None, None, torch.tensor(gamma),
                                              torch.tensor(beta), training=True, eps=1e-5)
    np.testing.assert_allclose(Y, expected.numpy(), rtol=1e-12)
    np.testing.assert_allclose(Z_hat.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z_hat.std(axis=0), 1, rtol=1e-5)
    np.testing.assert_allclose(inv_std, 1 / np.sqrt(Z.var(axis=0) + 1e-5))


def test_forward_validates_and_leaves_inputs_unchanged() -> None:
    X, y, params = problem()
    copies = X.copy(), {k: v.copy() for k, v in params.items()}
    deepnet.loss_and_gradients(params, X, y, "relu", l2=0.1, dropout=0.3,
                               rng=np.random.default_rng(0))
    np.testing.assert_array_equal(X, copies[0])
    for k in params:
        np.testing.assert_array_equal(params[k], copies[1][k])
    with pytest.raises(ValueError, match=r"X must have shape \(n, 4\)"):
        deepnet.forward(params, X[:, :3])
    with pytest.raises(ValueError, match="activation must be one of"):
        deepnet.forward(params, X, "softplus")
    with pytest.raises(ValueError, match="rng must be a numpy Generator"):
        deepnet.forward(params, X, dropout=0.5)
    with pytest.raises(ValueError, match="W1, W2"):
        deepnet.forward({"b1": np.zeros(3)}, X)


def test_dropout_is_inverted_and_off_in_evaluation() -> None:
    rng = np.random.default_rng(0)
    mask = deepnet.dropout_mask((400, 500), 0.3, rng)
    assert np.mean(mask == 0) == pytest.approx(0.3, abs=0.005)
    np.testing.assert_allclose(mask[mask != 0], 1 / 0.7)
    assert mask.mean() == pytest.approx(1.0, abs=0.01)  # the expected value is preserved
    np.testing.assert_array_equal(deepnet.dropout_mask((3, 4), 0.0, rng), np.ones((3, 4)))
    with pytest.raises(ValueError, match="p_drop must be in"):
        deepnet.dropout_mask((2, 2), 1.0, rng)
    X, _, params = problem()
    eval_logits, cache = deepnet.forward(params, X, dropout=0.5, rng=rng, training=False)
    np.testing.assert_array_equal(eval_logits, deepnet.forward(params, X)[0])
    assert all(m is None for m in cache.masks)
    train_logits, cache = deepnet.forward(params, X, dropout=0.5, rng=rng)
    assert all(m is not None for m in cache.masks)
    assert not np.allclose(train_logits, eval_logits)


def test_l2_penalty_only_on_weights() -> None:
    params = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([5.0]), "W2": np.array([[3.0]]),
              "gamma1": np.array([4.0])}
    penalty, grads = deepnet.l2_penalty(params, 0.1)
    assert penalty == pytest.approx(0.05 * (1 + 4 + 9))
    assert sorted(grads) == ["W1", "W2"]
    np.testing.assert_allclose(grads["W1"], [[0.1, 0.2]])


# ---------------------------------------------------------------- statistics


def test_layer_statistics_he_relu_stable_small_collapses() -> None:
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(256, 64)), rng.integers(0, 10, size=256)
    sizes = [64] + [64] * 19 + [10]
    he = deepnet.layer_statistics(deepnet.init_params(sizes, "he"), X, y, "relu")
    assert he.grad_W.shape == he.grad_Z.shape == (20,)
    assert he.act_std.shape == he.pre_std.shape == he.act_mean.shape == (19,)
    assert len(he.activations) == 19 and he.activations[0].shape == (256, 64)
    assert 0.5 <= he.act_std[-1] / he.act_std[0] <= 2
    assert 0.1 <= he.grad_W[0] / he.grad_W[-1] <= 10
    small = deepnet.layer_statistics(deepnet.init_params(sizes, "small"), X, y, "relu")
    assert small.act_std[-1] / small.act_std[0] < 1e-3
    assert small.grad_Z[0] < 1e-10 * small.grad_Z[-1]
    bn = deepnet.layer_statistics(deepnet.init_params(sizes, "small", batchnorm=True), X, y,
                                  "relu")
    # gamma = 1, beta = 0: std 1, a little less where eps is not negligible next to the
    # variance of the tiny pre-activations of N(0, 0.01**2) weights
    np.testing.assert_allclose(bn.pre_std, 1.0, rtol=0.01)
    assert 0.5 <= bn.act_std[-1] / bn.act_std[0] <= 2
    sig = deepnet.layer_statistics(deepnet.init_params(sizes, "xavier"), X, y, "sigmoid")
    assert sig.grad_W[0] < 1e-6 * sig.grad_W[-1]
    assert he.loss == pytest.approx(deepnet.evaluate(deepnet.init_params(sizes, "he"), X, y)[0])


def test_layer_statistics_of_exploding_network_is_silent() -> None:
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(64, 64)), rng.integers(0, 10, size=64)
    params = deepnet.init_params([64] + [64] * 29 + [10], "large")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stats = deepnet.layer_statistics(params, X, y, "relu")
    assert stats.act_std[-1] > 1e15 * stats.act_std[0]


# ---------------------------------------------------------------- optimisers and training


def test_sgd_and_momentum() -> None:
    params, grads = {"w": np.array([1.0, 2.0])}, {"w": np.array([0.5, -1.0])}
    new = deepnet.SGD(lr=0.1).step(params, grads)
    np.testing.assert_allclose(new["w"], [0.95, 2.1])
    np.testing.assert_array_equal(params["w"], [1.0, 2.0])
    opt = deepnet.SGD(lr=0.1, momentum=0.9)
    p1 = opt.step(params, grads)
    p2 = opt.step(p1, grads)
    np.testing.assert_allclose(p2["w"], p1["w"] - 0.1 * (0.9 * grads["w"] + grads["w"]))


def test_adam_matches_torch() -> None:
    rng = np.random.default_rng(2)
    w0 = rng.normal(size=(3, 4))
    grads = [rng.normal(size=(3, 4)) * 10 ** rng.uniform(-3, 1) for _ in range(6)]
    opt = deepnet.Adam(lr=0.01)
    params = {"W": w0}
    for g in grads:
        params = opt.step(params, {"W": g})
    tw = torch.tensor(w0, requires_grad=True)
    topt = torch.optim.Adam([tw], lr=0.01)
    for g in grads:
        tw.grad = torch.tensor(g)
        topt.step()
    np.testing.assert_allclose(params["W"], tw.detach().numpy(), rtol=1e-10, atol=1e-12)
    # the first step moves every entry by about lr, whatever the size of its gradient
    first = deepnet.Adam(lr=0.01).step({"W": w0}, {"W": grads[0]})["W"] - w0
    np.testing.assert_allclose(np.abs(first), 0.01, rtol=1e-4)


def test_fit_records_history_schedule_and_is_deterministic() -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(60, 5))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    params = deepnet.init_params([5, 8, 2], seed=1)
    before = {k: v.copy() for k, v in params.items()}

    def schedule(epoch: int) -> float:
        return deepnet.step_decay(0.5, epoch, 0.5, 3)

    trained, h = deepnet.fit(params, X, y, deepnet.SGD(), 7, batch_size=16, seed=3,
                             X_val=X[:20], y_val=y[:20], schedule=schedule)
    assert set(h) == {"epoch", "lr", "train_loss", "train_acc", "val_loss", "val_acc"}
    assert h["epoch"].tolist() == list(range(8)) and len(h["train_loss"]) == 8
    np.testing.assert_allclose(h["lr"], [0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125])
    assert h["train_loss"][0] == pytest.approx(deepnet.evaluate(params, X, y)[0])
    assert h["train_loss"][-1] == pytest.approx(deepnet.evaluate(trained, X, y)[0])
    assert h["train_loss"][-1] < 0.5 * h["train_loss"][0] and h["train_acc"][-1] > 0.9
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])
    again, h2 = deepnet.fit(params, X, y, deepnet.SGD(), 7, batch_size=16, seed=3,
                            schedule=schedule)
    np.testing.assert_array_equal(again["W1"], trained["W1"])
    other, _ = deepnet.fit(params, X, y, deepnet.SGD(0.5), 7, batch_size=16, seed=4)
    assert not np.allclose(other["W1"], trained["W1"])
    assert "val_loss" not in h2


def test_full_batch_epoch_is_one_gradient_step() -> None:
    X, y, params = problem()
    new, loss = deepnet.train_epoch(params, X, y, deepnet.SGD(0.1), np.random.default_rng(0),
                                    "tanh", l2=0.01)
    loss0, grads = deepnet.loss_and_gradients(params, X, y, "tanh", l2=0.01)
    assert loss == pytest.approx(loss0)
    for k in params:
        np.testing.assert_allclose(new[k], params[k] - 0.1 * grads[k])


def test_one_blas_thread_limits_blas() -> None:
    from threadpoolctl import threadpool_info

    with deepnet.one_blas_thread():
        blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
        assert blas and all(i["num_threads"] == 1 for i in blas)


# ---------------------------------------------------------------- early stopping, schedules


@pytest.mark.parametrize(("losses", "patience", "best"), [
    ([3.0, 2.0, 1.0, 1.5, 1.6, 0.5], 2, 2),   # patience runs out before the later minimum
    ([3.0, 2.0, 1.0, 1.5, 1.6, 0.5], 3, 5),   # three epochs of patience: it is reached
    ([1.0, 1.0, 1.0, 0.5], 3, 3),             # ties are not improvements, but 3 is enough
    ([1.0, 1.0, 1.0, 0.5], 2, 0),             # ... 2 is not
    ([0.1, 0.2, 0.3], 5, 0),                  # the first is best; never exhausted
    ([5.0, 4.0, 3.0, 2.0], 1, 3),             # always improving
    ([2.0], 1, 0),
])
def test_early_stopping_epoch(losses: list, patience: int, best: int) -> None:
    assert deepnet.early_stopping_epoch(losses, patience) == best
    assert deepnet.early_stopping_epoch(np.array(losses), patience) == best


def test_early_stopping_and_step_decay_arguments() -> None:
    with pytest.raises(ValueError, match="patience must be a positive integer"):
        deepnet.early_stopping_epoch([1.0], 0)
    with pytest.raises(ValueError, match="val_losses must hold at least one"):
        deepnet.early_stopping_epoch([], 3)
    assert [deepnet.step_decay(0.1, e) for e in (0, 9, 10, 19, 20, 35)] == pytest.approx(
        [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125])
    assert deepnet.step_decay(1.0, 7, drop=0.1, every=3) == pytest.approx(0.01)
