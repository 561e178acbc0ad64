"""helpers.checks.transfer_learning: the exercise checkers of notebook 08 accept the right answers
however they are written, name the typical mistakes, and never reveal the answer."""

from __future__ import annotations

import numpy as np
import pytest
from quiz_keys import assert_answer_key

from helpers.checks import transfer_learning as check_transfer


def _assert_fails_with(result, hint):
    assert not result.ok
    assert hint in result.message, result.message


# --------------------------------------------------------------------------- exercise 1


def test_malignant_sensitivity_accepts_every_correct_form():
    confusion = np.array(check_transfer.BREAST_CONFUSION)
    assert check_transfer.check_malignant_sensitivity(confusion[0, 0] / confusion[0].sum()).ok
    assert check_transfer.check_malignant_sensitivity(15 / 21).ok
    assert check_transfer.check_malignant_sensitivity(0.714).ok
    assert check_transfer.check_malignant_sensitivity([0.714]).ok


@pytest.mark.parametrize("wrong, hint", [
    (48 / 57, "took class 1 as the positive class"),
    (15 / 24, "positive predictive value"),
    (63 / 78, "accuracy"),
    (6 / 21, "missed"),
    (9 / 57, "1 − specificity"),
    (0.5, "row 0"),
    (..., "no answer yet"),
    ("0.714", "text"),
])
def test_malignant_sensitivity_names_mistakes(wrong, hint):
    result = check_transfer.check_malignant_sensitivity(wrong)
    _assert_fails_with(result, hint)
    assert "0.714" not in result.message


# --------------------------------------------------------------------------- exercise 2


def test_trainable_after_freezing_accepts_the_answer_and_agrees_with_keras():
    from helpers import models
    from helpers.transfer import count_trainable

    model = models.build_figure3_cnn((28, 28, 1), filters=check_transfer.FIGURE3_FILTERS)
    model.get_layer("conv1").trainable = False
    assert check_transfer.check_trainable_after_freezing(count_trainable(model)).ok
    assert check_transfer.check_trainable_after_freezing((3 * 3 * 8 * 16 + 16) + (7 * 7 * 16 + 1)).ok
    assert check_transfer.check_trainable_after_freezing(1953.0).ok


@pytest.mark.parametrize("wrong, hint", [
    (2033, "every weight of the model"),
    (80, "*frozen* weights"),
    (1168, "forgot the dense output layer"),
    (785, "forgot the second convolution"),
    (1152 + 784, "forgot the biases"),
    (1168 + 28 * 28 * 16 + 1, "not 28×28×16"),
    (1000, "not frozen"),
])
def test_trainable_after_freezing_names_mistakes(wrong, hint):
    _assert_fails_with(check_transfer.check_trainable_after_freezing(wrong), hint)


# --------------------------------------------------------------------------- exercise 3


def test_images_per_category_accepts_the_division_and_a_rounded_value():
    assert check_transfer.check_images_per_category(14_197_122 / 21_841).ok
    assert check_transfer.check_images_per_category(650).ok
    assert check_transfer.check_images_per_category(np.float32(650.02)).ok


@pytest.mark.parametrize("wrong, hint", [
    (1_281_167 / 1000, "ILSVRC-2012"),
    (14_197_122 / 1000, "more than 1,000 categories"),
    (21_841 / 14_197_122, "upside down"),
    (600, "divide the entry's number of images"),
])
def test_images_per_category_names_mistakes(wrong, hint):
    _assert_fails_with(check_transfer.check_images_per_category(wrong), hint)


# --------------------------------------------------------------------------- exercise 4


def test_intervals_overlap_accepts_correct_functions():
    assert check_transfer.check_intervals_overlap(lambda a, b: max(a[0], b[0]) <= min(a[1], b[1])).ok
    assert check_transfer.check_intervals_overlap(lambda a, b: not (a[1] < b[0] or b[1] < a[0])).ok
    assert check_transfer.check_intervals_overlap(
        lambda a, b: bool(np.maximum(a[0], b[0]) <= np.minimum(a[1], b[1]))).ok


@pytest.mark.parametrize("wrong, hint", [
    (lambda a, b: a[1] >= b[0], "b must end after a starts"),
    (lambda a, b: max(a[0], b[0]) < min(a[1], b[1]), "use <=, not <"),
    (lambda a, b: (b[0] <= a[0] <= b[1]) or (b[0] <= a[1] <= b[1]), "enclosing"),
    (lambda a, b: (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1]), "inside"),
    (lambda a, b: max(a[0], b[0]) > min(a[1], b[1]), "swapped"),
    (lambda a, b: int(max(a[0], b[0]) <= min(a[1], b[1])), "return True or False"),
    (lambda a, b: None, "returns None"),
    (True, "expected a function"),
])
def test_intervals_overlap_names_mistakes(wrong, hint):
    _assert_fails_with(check_transfer.check_intervals_overlap(wrong), hint)


def test_the_quiz_answer_key():
    assert_answer_key(check_transfer.QUIZ, "transfer_learning")
