"""Tests of the exercise checkers of notebook 09: the correct answer passes, and each typical
mistake fails with the hint that names it (and never with the answer)."""

import numpy as np
import pytest

from helpers import evaluation
from helpers.checks import chest_xray_classifier as check_classifier

# --------------------------------------------------------------------------- exercise 1


def sens_spec(confusion):
    (tn, fp), (fn, tp) = confusion
    return tp / (tp + fn), tn / (tn + fp)


def test_sensitivity_specificity_accepts_the_correct_function():
    assert check_classifier.check_sensitivity_specificity(sens_spec).ok


def test_sensitivity_specificity_also_accepts_the_course_helper():
    def with_helper(confusion):
        rates = evaluation.rates_from_confusion(confusion)
        return rates["sensitivity"], rates["specificity"]

    assert check_classifier.check_sensitivity_specificity(with_helper).ok


@pytest.mark.parametrize("wrong, hint", [
    (lambda c: (c[1, 1] / c[:, 1].sum(), c[0, 0] / c[:, 0].sum()), "swap rows and columns"),
    (lambda c: (c[1, 1] / (c[1, 1] + c[0, 1]), c[0, 0] / (c[0, 0] + c[0, 1])), "is the PPV"),
    (lambda c: sens_spec(c)[::-1], "wrong way round"),
    (lambda c: (c[1, 1] / c[1].sum(), c[0, 0] / (c[0, 0] + c[1, 0])), "is the NPV"),
    (lambda c: tuple(100 * v for v in sens_spec(c)), "percentages"),
    (lambda c: (c[1, 1] / c.sum(), c[0, 0] / c.sum()), "divided by all cases"),
    (lambda c: None, "returns None"),
    (lambda c: 1 / 0, "ZeroDivisionError"),
])
def test_sensitivity_specificity_names_the_mistake(wrong, hint):
    result = check_classifier.check_sensitivity_specificity(wrong)
    assert not result.ok
    assert hint in result.message


# --------------------------------------------------------------------------- exercise 2

SE, SP, P = (check_classifier.SCREENING_TEST[k] for k in ("sensitivity", "specificity",
                                                          "prevalence"))
CORRECT_PPV = SE * P / (SE * P + (1 - SP) * (1 - P))


def test_ppv_accepts_bayes_rule_and_natural_frequencies():
    assert check_classifier.check_ppv_at_prevalence(CORRECT_PPV).ok
    people = 100_000  # the same by counting people
    ill = P * people
    true_pos, false_pos = SE * ill, (1 - SP) * (people - ill)
    assert check_classifier.check_ppv_at_prevalence(true_pos / (true_pos + false_pos)).ok


@pytest.mark.parametrize("wrong, hint", [
    (SE / (SE + (1 - SP)), "left out the prevalence"),
    (SE * 0.625 / (SE * 0.625 + (1 - SP) * 0.375), "study's prevalence"),
    (SE, "that is the sensitivity"),
    (SE * P / (SE * P + SP * (1 - P)), "not by the specificity"),
    (SP * (1 - P) / (SP * (1 - P) + (1 - SE) * P), "that is the NPV"),
    (100 * CORRECT_PPV, "not a percentage"),
    (..., "no answer yet"),
])
def test_ppv_names_the_mistake(wrong, hint):
    result = check_classifier.check_ppv_at_prevalence(wrong)
    assert not result.ok
    assert hint in result.message
    assert f"{CORRECT_PPV:.2f}" not in result.message and f"{CORRECT_PPV:.3f}" not in result.message


# --------------------------------------------------------------------------- exercise 3


@pytest.fixture(scope="module")
def exercise():
    return check_classifier.make_threshold_exercise()


def youden_on(part, method="youden"):
    return evaluation.choose_threshold(part["labels"], part["scores"], method)


def test_threshold_exercise_data_is_deterministic_and_valid(exercise):
    again = check_classifier.make_threshold_exercise()
    for name in ("train", "val", "test"):
        np.testing.assert_array_equal(exercise[name]["scores"], again[name]["scores"])
        assert set(np.unique(exercise[name]["labels"])) == {0, 1}
        assert exercise[name]["scores"].min() >= 0 and exercise[name]["scores"].max() <= 1
    # the mistakes give different thresholds, so the hints can tell them apart
    values = [youden_on(exercise[s]) for s in ("train", "val", "test")] + [0.5]
    assert len({round(v, 6) for v in values}) == 4


def test_threshold_accepts_youden_on_validation(exercise):
    assert check_classifier.check_threshold_choice(youden_on(exercise["val"])).ok
    # a NumPy float (e.g. from float32 arithmetic) is checked like a Python float
    assert check_classifier.check_threshold_choice(np.float64(youden_on(exercise["val"]))).ok


def test_threshold_accepts_any_threshold_with_the_best_validation_j(exercise):
    val = exercise["val"]
    best = youden_on(val)
    scores = np.sort(val["scores"])
    above = scores[scores >= best].min()
    below = scores[scores < best].max()
    # any threshold strictly between the two neighbouring scores takes the same decisions
    assert check_classifier.check_threshold_choice(below + 0.9 * (above - below)).ok


@pytest.mark.parametrize("make, hint", [
    (lambda ex: youden_on(ex["test"]), "chosen on the test split"),
    (lambda ex: youden_on(ex["train"]), "training split"),
    (lambda ex: 0.5, "0.5 is a convention"),
    (lambda ex: youden_on(ex["val"], "max_accuracy"), "best accuracy"),
    (lambda ex: evaluation.choose_threshold(
        np.concatenate([ex["val"]["labels"], ex["test"]["labels"]]),
        np.concatenate([ex["val"]["scores"], ex["test"]["scores"]])), "pooled"),
    (lambda ex: 0.01, "not the threshold asked for"),
])
def test_threshold_names_the_mistake(exercise, make, hint):
    result = check_classifier.check_threshold_choice(make(exercise))
    assert not result.ok
    assert hint in result.message


def test_threshold_on_test_is_caught_even_when_nudged(exercise):
    test = exercise["test"]
    best = youden_on(test)
    scores = np.sort(test["scores"])
    above = scores[scores >= best].min()
    below = scores[scores < best].max()
    result = check_classifier.check_threshold_choice(below + 0.8 * (above - below))
    assert not result.ok and "test split" in result.message


# --------------------------------------------------------------------------- exercise 4


def test_first_conv_parameters_matches_keras():
    from helpers import models

    conv1 = models.build_figure3_cnn().get_layer("conv1")
    assert check_classifier.check_first_conv_parameters(conv1.count_params()).ok


@pytest.mark.parametrize("wrong, hint", [
    (72, "forgot the biases"),
    (73, "its own bias"),
    (10, "one filter"),
    (28 * 28 * 8, "counts the outputs"),
    (1168, "second convolutional layer"),
    (224, "grey, one channel"),
])
def test_first_conv_parameters_names_the_mistake(wrong, hint):
    result = check_classifier.check_first_conv_parameters(wrong)
    assert not result.ok
    assert hint in result.message
    assert "80" not in result.message
