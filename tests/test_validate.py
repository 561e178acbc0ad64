"""helpers.validate: one home for the argument checks every module makes."""

import numpy as np
import pytest

from helpers import validate


@pytest.mark.parametrize("value", [1, 7, np.int64(3)])
def test_whole_numbers_pass_as_int(value):
    assert validate.whole_number(value, "stride") == int(value)
    assert type(validate.whole_number(value, "stride")) is int


@pytest.mark.parametrize(("value", "kwargs", "words"), [
    (0, {}, "positive integer"),
    (2.0, {}, "positive integer"),
    (True, {}, "positive integer"),
    ("2", {}, "positive integer"),
    (-1, {"minimum": 0}, "non-negative integer"),
    (9, {"maximum": 8}, "from 1 to 8"),
    (1, {"minimum": 3}, "at least 3"),
])
def test_bad_whole_numbers_say_what_is_wanted(value, kwargs, words):
    with pytest.raises(ValueError, match=words):
        validate.whole_number(value, "size", **kwargs)


def test_the_hint_follows_the_rule():
    with pytest.raises(ValueError, match=r"positive integer \(1, 2, \.\.\.\) or None"):
        validate.whole_number(0, "stride", hint="or None")


def test_numbers():
    assert validate.positive_number(0.5, "sigma") == 0.5
    with pytest.raises(ValueError, match="positive number of pixels"):
        validate.positive_number(0, "width", unit="pixels")
    with pytest.raises(ValueError, match="finite"):
        validate.real_number(float("inf"), "angle")
    with pytest.raises(TypeError, match="must be a number"):
        validate.real_number("45", "angle")
    assert validate.one_of("max", ("max", "average"), "kind") == "max"
    with pytest.raises(ValueError, match="'max', 'average'"):
        validate.one_of("min", ("max", "average"), "kind")


def test_probabilities_outside_0_1_name_the_logits():
    validate.probabilities(np.array([0.0, 0.5, 1.0]))
    with pytest.raises(ValueError, match=r"from -2 to 3: pass the sigmoid output, not the logits"):
        validate.probabilities(np.array([-2.0, 0.5, 3.0]))
