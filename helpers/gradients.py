"""Gradients checked by hand: the numerical derivative that backpropagation must agree with.

Taught in ``notebooks/01_history.ipynb`` (one weight of a tiny network, backpropagation against
the finite difference); lesson 04 (backpropagation) grows this module.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers import validate


def finite_difference(
    loss: Callable[[np.ndarray], float], weights: np.ndarray, index: tuple[int, ...],
    eps: float = 1e-6,
) -> float:
    """Central difference (L(w + ε) − L(w − ε)) / (2ε) for the entry ``index`` of ``weights``.

    ``loss`` takes an array shaped like ``weights`` and returns a number; ``weights`` is not
    changed. Use float64 weights: in float32 the rounding error swamps small ε.
    """
    weights = np.asarray(weights)
    if not np.issubdtype(weights.dtype, np.floating):
        raise TypeError(f"weights must be floating point, got {weights.dtype}")
    eps = validate.positive_number(eps, "eps")
    plus, minus = weights.copy(), weights.copy()
    plus[index] += eps
    minus[index] -= eps
    return (float(loss(plus)) - float(loss(minus))) / (2.0 * eps)
