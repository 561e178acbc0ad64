"""helpers.gradients: the numerical gradient check."""

import numpy as np
import pytest

from helpers import gradients


def test_finite_difference_of_a_known_function():
    weights = np.array([[1.0, 2.0], [3.0, -1.0]])
    gradient = gradients.finite_difference(lambda w: float(np.sum(w**3)), weights, (1, 0))
    assert gradient == pytest.approx(27.0, rel=1e-6)
    assert weights[1, 0] == 3.0  # unchanged


def test_finite_difference_explains_bad_input():
    with pytest.raises(TypeError, match="floating"):
        gradients.finite_difference(lambda w: 0.0, np.array([1, 2]), (0,))
    with pytest.raises(ValueError, match="eps must be a positive number"):
        gradients.finite_difference(lambda w: 0.0, np.array([1.0, 2.0]), (0,), eps=0.0)


def test_max_abs_differences_per_array():
    ours = {"w": np.array([[1.0, 2.0]]), "b": np.array([0.5])}
    theirs = {"w": np.array([[1.0, 2.5]]), "b": np.array([0.25])}
    assert gradients.max_abs_differences(ours, theirs) == {"w": 0.5, "b": 0.25}


def test_max_abs_differences_explains_mismatches():
    with pytest.raises(ValueError, match="differ in"):
        gradients.max_abs_differences({"w": np.ones(2)}, {"v": np.ones(2)})
    with pytest.raises(ValueError, match="transposed"):
        gradients.max_abs_differences({"w": np.ones((1, 3))}, {"w": np.ones((3, 1))})


def test_check_with_finite_differences_compares_weight_by_weight():
    params = {"w": np.array([1.0, -2.0]), "b": np.array([0.5])}

    def loss(p):
        return float(np.sum(p["w"] ** 2) + 3 * p["b"][0])

    analytic = {"w": 2 * params["w"], "b": np.array([3.0])}
    rows = gradients.check_with_finite_differences(loss, params, analytic, [("w", (1,)), ("b", (0,))])
    assert [(name, index) for name, index, _, _ in rows] == [("w", (1,)), ("b", (0,))]
    for _, _, backprop, numeric in rows:
        assert backprop == pytest.approx(numeric, rel=1e-6)
    assert params["w"][1] == -2.0  # unchanged
    with pytest.raises(ValueError, match="no parameter 'v'"):
        gradients.check_with_finite_differences(loss, params, analytic, [("v", (0,))])
