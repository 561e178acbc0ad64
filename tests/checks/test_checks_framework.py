"""helpers.checks: results, and the common cases every checker gets from the framework."""

import numpy as np
import pytest

from helpers import checks


def test_check_result_is_truthy_and_renders():
    good, bad = checks.passed("ex", "fine"), checks.failed("ex", "look again <here>")
    assert good and not bad
    assert str(good).startswith("✅") and str(bad).startswith("❌")
    assert "&lt;here&gt;" in bad._repr_html_()


# --------------------------------------------------------------------------- values


def test_check_number_passes_the_correct_value_and_names_known_mistakes():
    mistakes = [(4, "forgot the bias")]
    assert checks.check_number("ex", 5, 5, mistakes)
    assert checks.check_number("ex", 4, 5, mistakes).message == "forgot the bias"
    assert "re-read" in checks.check_number("ex", 9, 5, mistakes).message


@pytest.mark.parametrize("answer", [26, 26.0, np.int64(26), np.float32(26), [26], np.array(26)])
def test_a_whole_number_passes_however_it_is_written(answer):
    assert checks.check_number("ex", answer, 26)


@pytest.mark.parametrize("answer", [(31, 31, 32), [31, 31, 32], np.array([31.0, 31.0, 32.0])])
def test_a_shape_passes_as_a_tuple_a_list_or_an_array(answer):
    assert checks.check_number("ex", answer, [31, 31, 32])


def test_a_decimal_rounded_to_three_significant_digits_passes():
    correct = 2 / 13  # 0.153846...
    for answer in (0.154, 0.1538, 0.15385, correct):
        assert checks.check_number("ex", answer, correct), answer
    for answer in (0.15, 0.155, 0.153):
        assert not checks.check_number("ex", answer, correct), answer
    assert checks.check_number("ex", 1540.0, 1538.46)
    assert not checks.check_number("ex", 0.154, correct, digits=None)


def test_whole_numbers_must_be_exact_even_with_rounding_allowed():
    assert not checks.check_number("ex", 26.4, 26)
    assert not checks.check_number("ex", 1300, 1296)


def test_rounding_applies_to_every_entry_of_an_array():
    correct = np.array([0.5, 1 / 3, 2 / 3])
    assert checks.check_number("ex", [0.5, 0.333, 0.667], correct)
    assert not checks.check_number("ex", [0.5, 0.33, 0.67], correct)


@pytest.mark.parametrize(("answer", "words"), [
    (..., "no answer yet"),
    (None, "no answer yet"),
    (float("nan"), "NaN"),
    ([1.0, float("nan")], "NaN"),
    ("26", "text"),
    ({"size": 26}, "a dict"),
    (len, "you gave a function"),
    (np.zeros(3), "shape"),
])
def test_check_number_says_what_is_wrong_with_an_unusable_answer(answer, words):
    result = checks.check_number("ex", answer, np.zeros(4) if words == "shape" else 26)
    assert not result and words in result.message


def test_a_mistake_is_recognised_after_rounding_too():
    correct, mistake = 1 / 7, 1 / 6
    result = checks.check_number("ex", 0.167, correct, [(mistake, "you used 6")])
    assert result.message == "you used 6"


# --------------------------------------------------------------------------- functions


def relu_cases():
    return [((np.array([1.0, -2.0]),), np.array([1.0, 0.0])),
            ((np.array([[-1.0, 3.0]]),), np.array([[0.0, 3.0]]))]


def test_check_function_recognises_a_typical_mistake():
    mistakes = [(lambda x: np.abs(x), "you took the absolute value")]
    assert checks.check_function("relu", lambda x: np.maximum(x, 0), relu_cases(), mistakes)
    assert checks.check_function("relu", np.abs, relu_cases(), mistakes).message == \
        "you took the absolute value"


def test_check_function_accepts_a_library_call_and_a_list():
    assert checks.check_function("relu", lambda x: np.clip(x, 0, None), relu_cases())
    assert checks.check_function("relu", lambda x: [max(v, 0.0) for v in x.ravel()]
                                 if x.ndim == 1 else [[max(v, 0.0) for v in x.ravel()]],
                                 relu_cases())


def test_check_function_reports_errors_instead_of_crashing():
    def broken(x):
        raise ZeroDivisionError("oops")

    def unwritten(x):
        raise NotImplementedError

    cases = [((1.0,), 1.0)]
    assert "ZeroDivisionError" in checks.check_function("f", broken, cases).message
    assert "not written yet" in checks.check_function("f", unwritten, cases).message
    assert "expected a function" in checks.check_function("f", 3, cases).message
    assert "no answer yet" in checks.check_function("f", ..., cases).message


def test_a_function_that_returns_nothing_is_named_before_any_mistake():
    def forgot_return(x):
        np.maximum(x, 0)

    # a mistaken function that also returns None must not win: "no return" is the hint
    mistakes = [(lambda x: None, "some other mistake")]
    result = checks.check_function("relu", forgot_return, relu_cases(), mistakes)
    assert "returns None" in result.message


def test_a_function_that_returns_text_is_named():
    result = checks.check_function("relu", lambda x: "0, 1", relu_cases())
    assert "returns a str" in result.message


def test_a_function_that_changes_its_input_does_not_spoil_the_comparison():
    def in_place(x):
        x[x < 0] = 0.0
        return x

    assert checks.check_function("relu", in_place, relu_cases(),
                                 [(np.abs, "you took the absolute value")])


def test_a_mistaken_function_that_fails_on_a_case_is_skipped():
    def picky(x):
        if x.ndim > 1:
            raise ValueError("1-D only")
        return np.abs(x)

    result = checks.check_function("relu", np.abs, relu_cases(), [(picky, "picky"),
                                                                   (np.abs, "absolute")])
    assert result.message == "absolute"


def test_wrong_output_shape_is_named():
    result = checks.check_function("relu", lambda x: np.maximum(x, 0).ravel()[:1], relu_cases())
    assert "output shape" in result.message
