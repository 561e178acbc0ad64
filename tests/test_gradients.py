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
