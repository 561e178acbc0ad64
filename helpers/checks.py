"""The small framework behind the auto-checked exercises.

An exercise checker is a function that receives the learner's answer and returns a
:class:`CheckResult`. It compares the answer with the correct one *and* with the typical wrong
answers, so that a wrong answer gets a hint about the likely mistake. It never shows the answer.

Lesson-specific checkers live next to this module (one module per lesson) and use
:func:`passed`, :func:`failed` and :func:`check_number` from here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one exercise check: ``ok`` and a message for the learner."""

    ok: bool
    exercise: str
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        mark = "✅ Correct" if self.ok else "❌ Not yet"
        return f"{mark} ({self.exercise}): {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = "#1b7837" if self.ok else "#b2182b"
        mark = "✅ Correct" if self.ok else "❌ Not yet"
        return (
            f'<div style="border-left:4px solid {colour};padding:4px 10px">'
            f"<b>{mark}</b> ({html.escape(self.exercise)}): {html.escape(self.message)}</div>"
        )


def passed(exercise: str, message: str = "well done.") -> CheckResult:
    return CheckResult(True, exercise, message)


def failed(exercise: str, hint: str) -> CheckResult:
    return CheckResult(False, exercise, hint)


def _close(a, b, rtol: float, atol: float) -> bool:
    try:
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def check_number(
    exercise: str,
    answer,
    correct,
    mistakes: Iterable[tuple[object, str]] = (),
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    fallback_hint: str = "that is not it yet; re-read the formula above and try again.",
) -> CheckResult:
    """Check a numeric answer (a number or an array) against the correct value.

    ``mistakes`` pairs the value each typical mistake produces with the hint for it; they are
    tried in order when the answer is wrong. The correct value is never shown.
    """
    if answer is None or answer is Ellipsis:
        return failed(exercise, "no answer yet: replace the ... with your answer and run the cell.")
    if isinstance(answer, float) and math.isnan(answer):
        return failed(exercise, "your answer is NaN: look for a division by zero or a log of 0.")
    if _close(answer, correct, rtol, atol):
        return passed(exercise)
    correct_shape = np.shape(correct)
    if np.shape(answer) != correct_shape:
        return failed(
            exercise,
            f"your answer has shape {np.shape(answer)}, expected shape {correct_shape}.",
        )
    for wrong_value, hint in mistakes:
        if _close(answer, wrong_value, rtol, atol):
            return failed(exercise, hint)
    return failed(exercise, fallback_hint)


def check_function(
    exercise: str,
    function: Callable,
    cases: Iterable[tuple[tuple, object]],
    mistakes: Iterable[tuple[Callable, str]] = (),
    *,
    rtol: float = 1e-5,
    atol: float = 1e-7,
) -> CheckResult:
    """Check a learner's function on test inputs.

    ``cases`` are ``(args, expected)`` pairs. ``mistakes`` pairs a function that commits a
    typical mistake with its hint: when the learner's outputs match a mistaken function on
    every case, that hint is given.
    """
    if not callable(function):
        return failed(exercise, f"expected a function, got {type(function).__name__}.")
    cases = list(cases)
    outputs = []
    for args, _ in cases:
        try:
            outputs.append(function(*args))
        except NotImplementedError:
            return failed(exercise, "the function is not written yet (it raises NotImplementedError).")
        except Exception as error:  # the learner's code: report, do not crash the notebook
            return failed(exercise, f"calling it raised {type(error).__name__}: {error}")
    if all(_close(out, expected, rtol, atol) for out, (_, expected) in zip(outputs, cases, strict=True)):
        return passed(exercise)
    for mistaken, hint in mistakes:
        wrong = [mistaken(*args) for args, _ in cases]
        if all(_close(out, w, rtol, atol) for out, w in zip(outputs, wrong, strict=True)):
            return failed(exercise, hint)
    if any(out is None for out in outputs):
        return failed(exercise, "the function returns None: did you forget the `return` line?")
    for out, (_, expected) in zip(outputs, cases, strict=True):
        if np.shape(out) != np.shape(expected):
            return failed(
                exercise, f"output shape {np.shape(out)} where {np.shape(expected)} was expected."
            )
    return failed(exercise, "some outputs differ from the expected values; test it on a tiny input.")


# --------------------------------------------------------------------------- notebook 00


def check_output_size(answer) -> CheckResult:
    """Exercise 00.1: side length of the output of a 3×3 convolution (no padding, stride 1)
    on a 28×28 image."""
    n, k = 28, 3
    return check_number(
        "output size",
        answer,
        n - k + 1,
        mistakes=[
            (n, "that is the size with 'same' padding; here there is no padding, so the kernel "
                "cannot be centred on the border pixels."),
            (n - k, "off by one: count the positions where the kernel fits, including the first."),
            (n - k + 2, "off by one: count the positions where the kernel fits completely."),
            ((n - k + 1) ** 2, "asked for the side length, not the number of output pixels."),
        ],
    )
