"""helpers.checks: results, numeric and function checkers, and the exercise of notebook 00."""

import numpy as np

from helpers import checks


def test_check_result_is_truthy_and_renders():
    good, bad = checks.passed("ex", "fine"), checks.failed("ex", "look again <here>")
    assert good and not bad
    assert str(good).startswith("✅") and str(bad).startswith("❌")
    assert "&lt;here&gt;" in bad._repr_html_()


def test_check_number_passes_the_correct_value_and_names_known_mistakes():
    mistakes = [(4, "forgot the bias")]
    assert checks.check_number("ex", 5, 5, mistakes)
    assert checks.check_number("ex", 4, 5, mistakes).message == "forgot the bias"
    assert "re-read" in checks.check_number("ex", 9, 5, mistakes).message


def test_check_number_handles_missing_answers_shapes_and_nan():
    assert "no answer yet" in checks.check_number("ex", ..., 5).message
    assert "NaN" in checks.check_number("ex", float("nan"), 5).message
    assert "shape" in checks.check_number("ex", np.zeros(3), np.zeros(4)).message


def test_check_number_never_reveals_the_answer():
    for answer in (0, 25, 27, 28, 676, 1000, "text"):
        assert "26" not in checks.check_output_size(answer).message


def test_check_function_recognises_a_typical_mistake():
    cases = [((np.array([1.0, -2.0]),), np.array([1.0, 0.0]))]
    mistakes = [(lambda x: np.abs(x), "you took the absolute value")]
    assert checks.check_function("relu", lambda x: np.maximum(x, 0), cases, mistakes)
    assert checks.check_function("relu", np.abs, cases, mistakes).message == "you took the absolute value"


def test_check_function_reports_errors_instead_of_crashing():
    def broken(x):
        raise ZeroDivisionError("oops")

    def unwritten(x):
        raise NotImplementedError

    cases = [((1.0,), 1.0)]
    assert "ZeroDivisionError" in checks.check_function("f", broken, cases).message
    assert "not written yet" in checks.check_function("f", unwritten, cases).message
    assert "expected a function" in checks.check_function("f", 3, cases).message


def test_output_size_exercise():
    assert checks.check_output_size(26)
    assert "'same' padding" in checks.check_output_size(28).message
    assert "off by one" in checks.check_output_size(25).message
    assert "side length" in checks.check_output_size(676).message
