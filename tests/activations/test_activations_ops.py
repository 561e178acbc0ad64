"""helpers.activations.ops (notebook 06): the formulas, their derivatives, the entry's misprints,
and the agreement with Keras and autodiff."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import activations, course

GRID = np.linspace(-40, 40, 801)


def test_sigmoid_and_tanh_follow_their_formulas_without_overflow():
    x = np.linspace(-20, 20, 81)
    assert np.allclose(activations.sigmoid(x), 1 / (1 + np.exp(-x)))
    assert np.allclose(activations.tanh(x), (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)))
    with np.errstate(over="raise"):  # no overflow warning even for huge inputs
        assert activations.sigmoid([-1000.0, 1000.0]).tolist() == [0.0, 1.0]
        assert activations.tanh([-1000.0, 1000.0]).tolist() == [-1.0, 1.0]
    assert activations.sigmoid(0.0) == 0.5 and activations.tanh(0.0) == 0.0


def test_derivatives_equal_finite_differences():
    x, h = np.linspace(-5, 5, 41) + 0.013, 1e-6  # avoid the kink of ReLU at 0
    for name in activations.ACTIVATIONS:
        numeric = (activations.apply_activation(name, x + h) - activations.apply_activation(name, x - h)) / (2 * h)
        assert np.allclose(activations.apply_derivative(name, x), numeric, atol=1e-6), name


def test_relu_family_at_and_around_zero():
    x = np.array([-2.0, 0.0, 3.0])
    assert activations.relu(x).tolist() == [0.0, 0.0, 3.0]
    assert activations.relu_derivative(x).tolist() == [0.0, 0.0, 1.0]
    assert activations.leaky_relu(x, 0.1).tolist() == [-0.2, 0.0, 3.0]
    assert activations.leaky_relu_derivative(x, 0.1).tolist() == [0.1, 0.1, 1.0]
    assert np.array_equal(activations.leaky_relu(x, 0.0), activations.relu(x))
    for bad in (-0.1, 1.0):
        with pytest.raises(ValueError, match=r"slope must be in \[0, 1\)"):
            activations.leaky_relu(x, bad)


def test_softmax_is_stable_and_sums_to_one_along_the_last_axis():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -1000.0]])
    s = activations.softmax(z)
    assert np.allclose(s.sum(axis=1), 1) and np.all(np.isfinite(s))
    assert np.allclose(s[0], s[1]) and np.allclose(s[2], 1 / 3)
    assert np.allclose(activations.softmax(z.T, axis=0), s.T)
    assert np.isnan(activations.softmax_naive(z[1])).all()
    assert np.allclose(activations.softmax_naive(z[0]), s[0])


def test_softmax_jacobian_matches_finite_differences():
    z, h = np.array([0.3, -1.2, 2.0, 0.0]), 1e-6
    numeric = np.stack([(activations.softmax(z + h * e) - activations.softmax(z - h * e)) / (2 * h)
                        for e in np.eye(4)], axis=1)
    assert np.allclose(activations.softmax_jacobian(z), numeric, atol=1e-8)


def test_the_misprinted_formulas_behave_as_the_lesson_says():
    x = np.array([-2.0, 0.0, 2.0])
    assert np.allclose(activations.sigmoid_as_printed(x), np.exp(x))
    assert activations.sigmoid_as_printed(2.0) > 1
    printed_tanh = activations.tanh_as_printed(x)
    assert np.isnan(printed_tanh[1]) and printed_tanh[0] == printed_tanh[2] == 1.0
    z = np.array([5.0, -1.0, 0.3, 2.0])
    assert np.allclose(activations.softmax_as_printed(z), 0.25)


def test_collapse_linear_stack_equals_the_stack():
    rng = np.random.default_rng(0)
    sizes = [4, 6, 3, 2]
    weights = [rng.normal(size=(m, n)) for m, n in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [rng.normal(size=n) for n in sizes[1:]]
    x = rng.normal(size=(10, 4))
    w, b = activations.collapse_linear_stack(weights, biases)
    assert w.shape == (4, 2) and b.shape == (2,)
    assert np.allclose(activations.forward_stack(x, weights, biases), x @ w + b)
    assert not np.allclose(activations.forward_stack(x, weights, biases, "relu"), x @ w + b)
    with pytest.raises(ValueError, match="one bias per weight"):
        activations.collapse_linear_stack(weights, biases[:-1])
    with pytest.raises(ValueError, match="do not chain"):
        activations.collapse_linear_stack([weights[0], weights[0]], biases[:2])


def test_unknown_activation_names_say_what_to_choose():
    with pytest.raises(ValueError, match="activation must be one of"):
        activations.apply_activation("swish", [1.0])


def test_keras_and_autodiff_agree_with_the_formulas():
    course.import_tensorflow_quietly()
    for name in activations.ACTIVATIONS:
        assert np.allclose(activations.apply_activation(name, GRID),
                           activations.keras_activation(name, GRID), atol=1e-7), name
        assert np.allclose(activations.apply_derivative(name, GRID),
                           activations.autodiff_derivative(name, GRID), atol=1e-7), name
    z = np.array([2.0, -1.0, 0.5])
    assert np.allclose(activations.softmax(z), activations.keras_activation("softmax", z))
    assert np.allclose(activations.softmax_jacobian(z), activations.autodiff_softmax_jacobian(z))
