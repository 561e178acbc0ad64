"""Gradients checked by hand: the numerical derivative that backpropagation must agree with.

Previewed in ``notebooks/01_history.ipynb`` (one weight of a tiny network, backpropagation
against the finite difference) and developed in ``notebooks/04_fully_connected.ipynb``:
backpropagation by hand against ``tf.GradientTape`` (:func:`max_abs_differences`) and against
the finite difference, weight by weight (:func:`check_with_finite_differences`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

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


def max_abs_differences(ours: Mapping[str, np.ndarray],
                        theirs: Mapping[str, np.ndarray]) -> dict[str, float]:
    """Largest |ours − theirs| for every gradient array, keyed like ``ours``.

    Both map names to arrays of the same shapes (e.g. backpropagation by hand against
    ``tf.GradientTape``); a missing name or a shape mismatch raises ``ValueError``.
    """
    missing = sorted(set(ours) ^ set(theirs))
    if missing:
        raise ValueError(f"the two sets of gradients differ in {missing}: compare the same weights")
    result = {}
    for name, value in ours.items():
        a, b = np.asarray(value, dtype=np.float64), np.asarray(theirs[name], dtype=np.float64)
        if a.shape != b.shape:
            raise ValueError(f"{name}: shapes {a.shape} and {b.shape} differ (a transposed kernel?)")
        result[name] = float(np.max(np.abs(a - b))) if a.size else 0.0
    return result


def check_with_finite_differences(
    loss: Callable[[Mapping[str, np.ndarray]], float], params: Mapping[str, np.ndarray],
    gradients: Mapping[str, np.ndarray], entries: Sequence[tuple[str, tuple[int, ...]]],
    eps: float = 1e-6,
) -> list[tuple[str, tuple[int, ...], float, float]]:
    """Backpropagation against :func:`finite_difference`, one weight at a time.

    loss: a function of a parameter dict; params: float64 arrays by name; gradients: the
    backpropagated gradients by name; entries: (name, index) of the weights to nudge.
    Returns (name, index, backpropagated, numerical) for every entry; params are not changed.
    """
    rows = []
    for name, index in entries:
        if name not in params:
            raise ValueError(f"no parameter {name!r}; the parameters are {sorted(params)}")

        def loss_of(values, name=name):
            return loss({**params, name: values})

        numeric = finite_difference(loss_of, np.asarray(params[name]), index, eps)
        rows.append((name, tuple(index), float(np.asarray(gradients[name])[index]), numeric))
    return rows
