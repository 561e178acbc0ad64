"""helpers.fully_connected.ops (notebook 04): the dense layer, activations and losses from scratch
agree with Keras, and the shift experiment separates a dense layer from conv + global max."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import fully_connected

RNG = np.random.default_rng(0)


def test_dense_forward_is_w_x_plus_b_for_one_example_and_a_batch():
    w, b = RNG.normal(size=(3, 5)), RNG.normal(size=3)
    x = RNG.normal(size=(4, 5))
    assert np.allclose(fully_connected.dense_forward(w, x[0], b), w @ x[0] + b)
    assert np.allclose(fully_connected.dense_forward(w, x, b), x @ w.T + b)
    assert np.allclose(fully_connected.dense_forward(w, x[0]), w @ x[0])


def test_dense_forward_explains_bad_shapes():
    with pytest.raises(ValueError, match="expect n_in = 5"):
        fully_connected.dense_forward(np.ones((3, 5)), np.ones(4))
    with pytest.raises(ValueError, match="one per output"):
        fully_connected.dense_forward(np.ones((3, 5)), np.ones(5), np.ones(5))
    with pytest.raises(ValueError, match="matrix"):
        fully_connected.dense_forward(np.ones(5), np.ones(5))


def test_dense_and_losses_agree_with_keras():
    w, b, x = RNG.normal(size=(2, 7)), RNG.normal(size=2), RNG.normal(size=7)
    assert np.allclose(fully_connected.dense_with_keras(w, x, b), w @ x + b, atol=1e-10)
    y, p = np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.9, 0.2, 0.3, 0.6])
    assert fully_connected.binary_cross_entropy(y, p) == pytest.approx(
        fully_connected.loss_with_keras("binary", y, p), rel=1e-6)
    onehot = np.eye(3)[[2, 0]]
    probs = fully_connected.softmax(RNG.normal(size=(2, 3)))
    assert fully_connected.categorical_cross_entropy(onehot, probs) == pytest.approx(
        fully_connected.loss_with_keras("categorical", onehot, probs), rel=1e-6)


def test_binary_cross_entropy_known_values_and_clipping():
    assert fully_connected.binary_cross_entropy([1.0], [0.5]) == pytest.approx(np.log(2))
    assert fully_connected.binary_cross_entropy([0.0], [0.9]) == pytest.approx(-np.log(0.1))
    assert fully_connected.binary_cross_entropy([1.0], [0.0]) == pytest.approx(-np.log(1e-7))
    with pytest.raises(ValueError, match="sigmoid"):
        fully_connected.binary_cross_entropy([1.0], [1.5])
    with pytest.raises(ValueError, match="same shape"):
        fully_connected.binary_cross_entropy([1.0, 0.0], [0.5])


def test_categorical_cross_entropy_two_classes_is_binary():
    y, p = np.array([1.0, 0.0]), np.array([0.7, 0.4])
    two = fully_connected.categorical_cross_entropy(np.stack([1 - y, y], 1), np.stack([1 - p, p], 1))
    assert two == pytest.approx(fully_connected.binary_cross_entropy(y, p))
    with pytest.raises(ValueError, match="sum to 1"):
        fully_connected.categorical_cross_entropy([1.0, 0.0], [0.5, 0.6])


def test_sigmoid_and_softmax_are_stable_and_related():
    z = np.array([-800.0, -1.0, 0.0, 1.0, 800.0])
    s = fully_connected.sigmoid(z)
    assert np.all(np.isfinite(s)) and s[2] == 0.5 and s[0] == 0.0 and s[-1] == 1.0
    scores = np.array([0.3, 1.1])
    assert fully_connected.softmax(scores)[1] == pytest.approx(fully_connected.sigmoid(0.8))
    assert fully_connected.softmax(np.array([1000.0, 1000.0])) == pytest.approx([0.5, 0.5])


def test_flatten_and_parameter_count():
    m = np.arange(2 * 3 * 4).reshape(2, 3, 4)
    assert fully_connected.flatten(m)[(1 * 3 + 2) * 4 + 3] == m[1, 2, 3]
    assert fully_connected.count_dense_parameters(784, 16) == 12_560
    assert fully_connected.count_dense_parameters(784, 16, use_bias=False) == 12_544
    with pytest.raises(ValueError):
        fully_connected.count_dense_parameters(0, 3)


def test_shift_experiment_global_max_is_invariant_and_dense_is_not():
    image = np.zeros((20, 20))
    image[5:12, 6:14] = RNG.random((7, 8))
    changes = fully_connected.measure_dense_shift(image, [0, 1, 2, 3], seed=1)
    assert list(changes) == list(fully_connected.SHIFT_LAYERS)
    assert all(values[0] == 0 for values in changes.values())
    assert np.all(changes["conv + ReLU + global max"] < 1e-12)
    assert np.all(changes["dense"][1:] > 0.01)
    with pytest.raises(ValueError, match="shift"):
        fully_connected.measure_dense_shift(image, [6], margin=5)
