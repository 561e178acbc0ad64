"""The exercise framework: checkers that accept every correct answer and name the typical mistakes.

An exercise checker is a function that receives the learner's answer and returns a
:class:`CheckResult`. It compares the answer with the correct one *and* with the typical wrong
answers, so that a wrong answer gets a hint about the likely mistake. It never shows the answer.

This module handles what every exercise has in common, so that a lesson's checker module
(``helpers/checks/<notebook slug>.py``, e.g. ``checks/convolution.py`` for
``notebooks/02_convolution.ipynb``) holds only its cases and its typical mistakes:

- no answer yet (``...`` or ``None``), a function where a value was asked for and the reverse;
- text, NaN or other values that are not numbers;
- a function that is not written yet (``NotImplementedError``), raises, or returns nothing;
- a correct answer however it is written: an int or a float, a list, a tuple or an array, or a
  decimal rounded to three significant digits (:data:`SIGNIFICANT_DIGITS`);
- the learner's progress: a checker decorated with :func:`exercise` records a passed check
  under its notebook (:mod:`helpers.progress`), and the decorated checkers of a module are
  that notebook's exercises (:func:`exercises_of`).

The lesson's quiz sits beside its checkers, as ``QUIZ`` (a :class:`helpers.quiz.Quiz`).
"""

from __future__ import annotations

import functools
import html
import math
import numbers
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

import numpy as np

#: A decimal answer passes when it equals the correct value rounded to this many significant
#: digits (whole-number answers such as sizes and counts must be exact).
SIGNIFICANT_DIGITS = 3

NO_ANSWER = "no answer yet: replace the ... with your answer and run the cell."


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


# --------------------------------------------------------------------------- exercises and progress


def exercise(checker: Callable[..., CheckResult]) -> Callable[..., CheckResult]:
    """Make ``checker`` one of its notebook's exercises (a decorator for the checkers of
    ``helpers/checks/<slug>.py``): a passed check is recorded in the learner's progress under
    ``<slug>``, the checker module's name, and the exercise's name is the checker's name."""
    notebook = checker.__module__.rsplit(".", 1)[-1]

    @functools.wraps(checker)
    def checked(*args, **kwargs) -> CheckResult:
        result = checker(*args, **kwargs)
        if result.ok:
            from helpers import progress  # progress counts the exercises of this module

            progress.record(notebook, "exercise", checker.__name__)
        return result

    checked.notebook = notebook
    return checked


def exercises_of(module: ModuleType) -> list[str]:
    """The names of the exercises of a checker module (its :func:`exercise` checkers), in the
    order they are defined."""
    slug = module.__name__.rsplit(".", 1)[-1]
    return [name for name, value in vars(module).items()
            if callable(value) and getattr(value, "notebook", None) == slug]


# --------------------------------------------------------------------------- comparing values


def as_numbers(value) -> np.ndarray | None:
    """``value`` as a float64 array, or None when it is not made of real numbers
    (text, None, a dict, a function, complex numbers ...)."""
    if value is None or value is Ellipsis or isinstance(value, str | bytes | dict) or callable(value):
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def _rounding_tolerance(correct: np.ndarray, digits: int | None) -> np.ndarray:
    """Half a unit of the last kept significant digit of each non-integer entry of ``correct``;
    0 for whole numbers, which must be given exactly."""
    if digits is None:
        return np.zeros_like(correct)
    magnitude = np.abs(correct)
    whole = np.isclose(correct, np.round(correct), rtol=0.0, atol=1e-12) | (magnitude == 0)
    exponent = np.floor(np.log10(np.where(whole, 1.0, magnitude)))
    return np.where(whole, 0.0, 0.5 * 10.0 ** (exponent - (digits - 1)) * (1 + 1e-9))


def matches(answer, correct, *, rtol: float = 1e-6, atol: float = 1e-9,
            digits: int | None = None) -> bool:
    """True when ``answer`` has the shape of ``correct`` and the same values, within
    ``rtol``/``atol`` or, with ``digits``, rounded to that many significant digits."""
    a, c = as_numbers(answer), as_numbers(correct)
    if a is None or c is None or a.shape != c.shape:
        return False
    if not np.all(np.isfinite(a)):
        return bool(np.array_equal(a, c, equal_nan=True))
    close = np.isclose(a, c, rtol=rtol, atol=atol)
    return bool(np.all(close | (np.abs(a - c) <= _rounding_tolerance(c, digits))))


def _describe(value) -> str:
    if callable(value):
        return "a function"
    return f"a {type(value).__name__}"


def value_problem(exercise: str, answer, correct) -> CheckResult | None:
    """A failed result when ``answer`` cannot be compared with ``correct`` at all (no answer,
    a function, text, NaN, the wrong shape); None when it can."""
    if answer is None or answer is Ellipsis:
        return failed(exercise, NO_ANSWER)
    if callable(answer):
        return failed(exercise, "you gave a function: call it and give the value it returns "
                                "(add the brackets and arguments).")
    if isinstance(answer, str | bytes):
        return failed(exercise, "your answer is text (in quotes): give the number itself, "
                                "without quotes.")
    values = as_numbers(answer)
    if values is None:
        return failed(exercise, f"expected a number or an array of numbers, got "
                                f"{_describe(answer)}.")
    if np.isnan(values).any():
        return failed(exercise, "your answer contains NaN: look for a division by zero or a "
                                "log of 0.")
    expected_shape = np.shape(correct)
    if values.shape != expected_shape:
        if values.size == 1 and not expected_shape:
            return None  # [5] for 5 is compared as a number below
        return failed(exercise, f"your answer has shape {values.shape}, expected shape "
                                f"{expected_shape}.")
    return None


def check_number(
    exercise: str,
    answer,
    correct,
    mistakes: Iterable[tuple[object, str]] = (),
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    digits: int | None = SIGNIFICANT_DIGITS,
    fallback_hint: str = "that is not it yet; re-read the formula above and try again.",
) -> CheckResult:
    """Check a numeric answer (a number, a list or an array) against the correct value.

    A decimal answer rounded to ``digits`` significant digits passes (``digits=None``: only
    ``rtol``/``atol``). ``mistakes`` pairs the value each typical mistake produces with the hint
    for it; they are tried in order when the answer is wrong. The correct value is never shown.
    """
    problem = value_problem(exercise, answer, correct)
    if problem is not None:
        return problem
    values = as_numbers(answer).reshape(np.shape(correct))
    if matches(values, correct, rtol=rtol, atol=atol, digits=digits):
        return passed(exercise)
    for wrong_value, hint in mistakes:
        if matches(values, wrong_value, rtol=rtol, atol=atol, digits=digits):
            return failed(exercise, hint)
    return failed(exercise, fallback_hint)


# --------------------------------------------------------------------------- checking functions


class _Unusable(Exception):
    """The learner's function cannot be checked; ``result`` says why."""

    def __init__(self, result: CheckResult):
        super().__init__(result.message)
        self.result = result


def _call(exercise: str, function: Callable, args: tuple):
    try:
        return function(*args)
    except NotImplementedError:
        raise _Unusable(failed(exercise, "the function is not written yet (it raises "
                                         "NotImplementedError).")) from None
    except Exception as error:  # the learner's code: report, do not crash the notebook
        raise _Unusable(failed(exercise, f"calling it raised {type(error).__name__}: "
                                         f"{error}")) from None


def _output_problem(exercise: str, output, expected) -> CheckResult | None:
    if output is None:
        return failed(exercise, "the function returns None: did you forget the `return` line?")
    if output is Ellipsis:
        return failed(exercise, "the function returns `...`: replace the ... with your code and "
                                "return the result.")
    if as_numbers(output) is None and as_numbers(expected) is not None:
        return failed(exercise, f"the function returns {_describe(output)}; it should return "
                                "a number or an array of numbers.")
    return None


def _all_match(outputs, expected, rtol: float, atol: float) -> bool:
    return all(matches(out, exp, rtol=rtol, atol=atol)
               for out, exp in zip(outputs, expected, strict=True))


def _outputs_of(function: Callable, cases) -> list | None:
    """Outputs of a reference (or mistaken) function on every case; None when it fails."""
    try:
        return [function(*args) for args, _ in cases]
    except Exception:  # a mistaken function may not apply to every case
        return None


def check_function(
    exercise: str,
    function: Callable,
    cases: Iterable[tuple[tuple, object]],
    mistakes: Iterable[tuple[Callable, str]] = (),
    *,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    fallback_hint: str = "some outputs differ from the expected values; test it on a tiny input.",
) -> CheckResult:
    """Check a learner's function on test inputs.

    ``cases`` are ``(args, expected)`` pairs; each case gets copies of its arguments, so a
    function that changes its input in place cannot spoil the next comparison. ``mistakes``
    pairs a function that commits a typical mistake with its hint: when the learner's outputs
    match a mistaken function on every case, that hint is given.
    """
    if function is None or function is Ellipsis:
        return failed(exercise, NO_ANSWER)
    if not callable(function):
        return failed(exercise, f"expected a function, got {_describe(function)}: pass the "
                                "function's name without brackets.")
    cases = list(cases)
    try:
        outputs = [_call(exercise, function, _copied(args)) for args, _ in cases]
    except _Unusable as unusable:
        return unusable.result
    expected = [exp for _, exp in cases]
    for out, exp in zip(outputs, expected, strict=True):
        problem = _output_problem(exercise, out, exp)
        if problem is not None:
            return problem
    if _all_match(outputs, expected, rtol, atol):
        return passed(exercise)
    for mistaken, hint in mistakes:
        wrong = _outputs_of(mistaken, [(_copied(args), exp) for args, exp in cases])
        if wrong is not None and _all_match(outputs, wrong, rtol, atol):
            return failed(exercise, hint)
    for out, exp in zip(outputs, expected, strict=True):
        if np.shape(out) != np.shape(exp):
            return failed(exercise, f"output shape {np.shape(out)} where {np.shape(exp)} was "
                                    "expected.")
    return failed(exercise, fallback_hint)


def _copied(args: tuple) -> tuple:
    return tuple(arg.copy() if isinstance(arg, np.ndarray) else arg for arg in args)


def is_real_number(value) -> bool:
    """True for an int or float (NumPy's included), False for bools and everything else."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and \
        math.isfinite(float(value))
