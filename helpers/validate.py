"""Argument checks shared by every module: a bad value raises an error that says what to change.

    stride = validate.whole_number(stride, "stride")                 # 1, 2, ...
    padding = validate.whole_number(padding, "padding", minimum=0)   # 0, 1, ...
    sigma = validate.positive_number(sigma, "sigma")
    validate.probabilities(scores)                                   # all in [0, 1]
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def whole_number(value, name: str, *, minimum: int = 1, maximum: int | None = None,
                 hint: str = "") -> int:
    """``value`` as an int when it is a whole number from ``minimum`` to ``maximum``.

    bools, floats (even 2.0) and text are refused with ``ValueError``; ``hint`` is appended to
    the message (e.g. "or None for stride = pool_size")."""
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)
    if ok and value >= minimum and (maximum is None or value <= maximum):
        return int(value)
    if maximum is not None:
        wanted = f"a whole number from {minimum} to {maximum}"
    elif minimum == 1:
        wanted = "a positive integer (1, 2, ...)"
    elif minimum == 0:
        wanted = "a non-negative integer (0, 1, ...)"
    else:
        wanted = f"a whole number of at least {minimum}"
    raise ValueError(f"{name} must be {wanted}{' ' + hint if hint else ''}, got {value!r}")


def real_number(value, name: str) -> float:
    """``value`` as a float when it is a finite real number (not a bool); else an error."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return float(value)


def positive_number(value, name: str, *, unit: str = "") -> float:
    """``value`` as a float when it is a finite number greater than 0; else ``ValueError``."""
    number = real_number(value, name)
    if not number > 0:
        what = f"a positive number{' of ' + unit if unit else ''}"
        raise ValueError(f"{name} must be {what}, got {value}")
    return number


def one_of(value, options, name: str):
    """``value`` when it is one of ``options``; else ``ValueError`` listing them."""
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}, got {value!r}")
    return value


def probabilities(p: np.ndarray) -> None:
    """``ValueError`` unless every value of the array ``p`` lies in [0, 1]; the message names
    the usual cause (a model's logits instead of its sigmoid output)."""
    if p.min() < 0.0 or p.max() > 1.0:
        raise ValueError(
            f"probabilities must lie in [0, 1], got values from {p.min():g} to {p.max():g}: "
            "pass the sigmoid output, not the logits"
        )
