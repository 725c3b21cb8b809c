"""The from-scratch two-layer network of dlcourse.mlp: its gradients against
centred differences written here and against torch.autograd, its loss against
values worked out by hand, and its training on make_moons."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.datasets import make_blobs, make_moons

from dlcourse import mlp


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
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), 1e-300))


def random_problem(n: int = 7, d_in: int = 3, hidden: int = 5, k: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d_in))
    y = rng.integers(0, k, size=n)
    params = mlp.init_params(d_in, hidden, k, seed=seed)
    params = {name: p + 0.1 * rng.normal(size=p.shape) for name, p in params.items()}
    return X, y, params


def test_init_shapes_and_scales() -> None:
    p = mlp.init_params(400, 300, 3, seed=1, init="he")
    assert {k: v.shape for k, v in p.items()} == {"W1": (300, 400), "b1": (300,),
                                                  "W2": (3, 300), "b2": (3,)}
    assert p["W1"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert not p["b1"].any() and not p["b2"].any()
    assert mlp.init_params(400, 300, 3, seed=1, init="xavier")["W1"].std() == pytest.approx(
        np.sqrt(2 / 700), rel=0.02)
    assert mlp.init_params(400, 300, 3, seed=1, init="small")["W1"].std() == pytest.approx(
        0.1, rel=0.02)
    np.testing.assert_array_equal(mlp.init_params(4, 5, 2, seed=3)["W1"],
                                  mlp.init_params(4, 5, 2, seed=3)["W1"])
    assert not np.allclose(mlp.init_params(4, 5, 2, seed=3)["W1"],
                           mlp.init_params(4, 5, 2, seed=4)["W1"])


def test_forward_is_dense_activation_dense() -> None:
    X, _, params = random_problem()
    logits, cache = mlp.forward(params, X, "tanh")
    expected = np.tanh(X @ params["W1"].T + params["b1"]) @ params["W2"].T + params["b2"]
    np.testing.assert_allclose(logits, expected)
    assert cache.Z1.shape == cache.A1.shape == (7, 5)
    np.testing.assert_allclose(cache.A1, np.tanh(cache.Z1))


def test_softmax_rows_are_probabilities_even_for_huge_logits() -> None:
    Z = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0], [-1e4, -1e4, -1e4]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is fine
        P = mlp.softmax(Z)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_allclose(P[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(P[1], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())
    np.testing.assert_allclose(P[2], 1 / 3)


def test_cross_entropy_values_by_hand() -> None:
    # Equal logits: every class has probability 1/k, the loss is log k.
    loss, d = mlp.softmax_cross_entropy(np.zeros((4, 3)), np.array([0, 1, 2, 0]))
    assert loss == pytest.approx(np.log(3))
    np.testing.assert_allclose(d.sum(axis=1), 0.0, atol=1e-15)
    np.testing.assert_allclose(d[0], [(1 / 3 - 1) / 4, 1 / 12, 1 / 12])
    # Huge logits: the wrong class wins by 1000, so each loss is 1000; no overflow.
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        loss, d = mlp.softmax_cross_entropy(np.array([[1000.0, 0.0], [0.0, 1000.0]]),
                                            np.array([1, 0]))
    assert loss == pytest.approx(1000.0)
    np.testing.assert_allclose(d, [[0.5, -0.5], [-0.5, 0.5]])


def test_cross_entropy_gradient_is_numerical_gradient() -> None:
    rng = np.random.default_rng(5)
    logits, y = rng.normal(size=(6, 4)) * 3, rng.integers(0, 4, size=6)
    _, d = mlp.softmax_cross_entropy(logits, y)
    num = numeric_grad(lambda: mlp.softmax_cross_entropy(logits, y)[0], logits)
    assert rel_error(d, num) < 1e-7


@pytest.mark.parametrize("activation", sorted(mlp.ACTIVATIONS))
@pytest.mark.parametrize(("n", "d_in", "hidden", "k"), [(7, 3, 5, 4), (4, 4, 4, 4), (5, 2, 8, 5)])
def test_backward_is_numerical_gradient(activation: str, n: int, d_in: int, hidden: int,
                                        k: int) -> None:
    X, y, params = random_problem(n, d_in, hidden, k, seed=n + hidden)
    _, grads = mlp.loss_and_gradients(params, X, y, activation)
    assert grads.keys() == params.keys()
    for name, p in params.items():
        num = numeric_grad(lambda: mlp.loss_and_gradients(params, X, y, activation)[0], p)
        assert grads[name].shape == p.shape
        assert rel_error(grads[name], num) < 1e-6, name


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_backward_matches_torch_autograd(activation: str) -> None:
    X, y, params = random_problem(9, 3, 6, 3, seed=11)
    loss, grads = mlp.loss_and_gradients(params, X, y, activation)
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    act = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}[activation]
    logits = act(torch.tensor(X) @ t["W1"].T + t["b1"]) @ t["W2"].T + t["b2"]
    t_loss = torch.nn.functional.cross_entropy(logits, torch.tensor(y))
    t_loss.backward()
    assert loss == pytest.approx(t_loss.item(), rel=1e-12)
    for name in params:
        np.testing.assert_allclose(grads[name], t[name].grad.numpy(), rtol=1e-10, atol=1e-12)


def test_relu_gradient_is_zero_at_zero() -> None:
    assert mlp.ACTIVATIONS["relu"].df(np.array([-1.0, 0.0, 2.0])).tolist() == [0.0, 0.0, 1.0]


def test_sgd_step_returns_new_arrays_and_leaves_inputs() -> None:
    X, y, params = random_problem()
    _, grads = mlp.loss_and_gradients(params, X, y)
    before = {k: v.copy() for k, v in params.items()}
    grads_before = {k: v.copy() for k, v in grads.items()}
    new = mlp.sgd_step(params, grads, 0.1)
    for name in params:
        np.testing.assert_allclose(new[name], before[name] - 0.1 * grads_before[name])
        np.testing.assert_array_equal(params[name], before[name])
        np.testing.assert_array_equal(grads[name], grads_before[name])
        assert new[name] is not params[name]


def test_train_fits_moons_and_is_deterministic() -> None:
    X, y = make_moons(n_samples=200, noise=0.1, random_state=0)
    params, losses = mlp.train(X, y)
    assert np.mean(mlp.predict(params, X) == y) >= 0.95
    assert losses.shape == (500,) and losses[-1] < 0.2 * losses[0]
    again, _ = mlp.train(X, y)
    for name in params:
        np.testing.assert_array_equal(params[name], again[name])
    # Predictions are the argmax of the probabilities, as integers.
    pred = mlp.predict(params, X)
    assert np.issubdtype(pred.dtype, np.integer)
    np.testing.assert_array_equal(pred, mlp.predict_proba(params, X).argmax(axis=1))


def test_train_three_classes_and_identity_activation_is_linear() -> None:
    X, y = make_blobs(n_samples=150, centers=3, random_state=2)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    params, _ = mlp.train(X, y, hidden=8)
    assert params["W2"].shape == (3, 8)
    assert np.mean(mlp.predict(params, X) == y) >= 0.9
    # Without a nonlinearity the logits are an affine function of X.
    lin, _ = mlp.train(X, y, hidden=8, activation="identity", epochs=20)
    logits = mlp.forward(lin, X, "identity")[0]
    X1 = np.column_stack([X, np.ones(len(X))])
    coef, *_ = np.linalg.lstsq(X1, logits, rcond=None)
    np.testing.assert_allclose(X1 @ coef, logits, atol=1e-9)


def test_bad_inputs_are_rejected_by_name() -> None:
    X, y, params = random_problem()
    with pytest.raises(ValueError, match="activation must be one of"):
        mlp.forward(params, X, "softplus")
    with pytest.raises(ValueError, match=r"X must have shape \(n, 3\)"):
        mlp.forward(params, X[:, :2])
    with pytest.raises(ValueError, match="missing"):
        mlp.forward({"W1": params["W1"]}, X)
    with pytest.raises(ValueError, match=r"y must have shape \(7,\)"):
        mlp.softmax_cross_entropy(np.zeros((7, 4)), y[:3])
    with pytest.raises(ValueError, match="labels in 0..3"):
        mlp.softmax_cross_entropy(np.zeros((7, 4)), y + 4)
    with pytest.raises(ValueError, match="hidden must be a positive integer"):
        mlp.init_params(3, 0, 2)
    with pytest.raises(ValueError, match="init must be one of"):
        mlp.init_params(3, 4, 2, init="zeros")
