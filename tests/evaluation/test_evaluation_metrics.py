"""helpers.evaluation.metrics: hand-computed cases, scikit-learn as a reference, edge cases."""

import math

import numpy as np
import pytest
from evaluation_cases import S, Y
from sklearn import metrics as skm

from helpers import evaluation as ev


def test_confusion_matrix_by_hand():
    np.testing.assert_array_equal(ev.compute_confusion(Y, S, 0.5), [[3, 1], [2, 4]])
    # a case exactly at the threshold counts as positive
    np.testing.assert_array_equal(ev.compute_confusion([0, 1], [0.5, 0.5], 0.5), [[0, 1], [0, 1]])


def test_rates_by_hand():
    m = ev.compute_binary_metrics(Y, S, 0.5)
    assert (m["tn"], m["fp"], m["fn"], m["tp"], m["n"]) == (3, 1, 2, 4, 10)
    assert m["sensitivity"] == pytest.approx(4 / 6)
    assert m["specificity"] == pytest.approx(3 / 4)
    assert m["ppv"] == pytest.approx(4 / 5)
    assert m["npv"] == pytest.approx(3 / 5)
    assert m["accuracy"] == pytest.approx(7 / 10)
    assert all(type(m[k]) is float for k in ev.RATE_NAMES)


def test_auc_by_hand_counts_pairs_and_ties():
    # 24 positive-negative pairs; the positive scores higher in 18 of them
    assert ev.compute_auc(Y, S) == pytest.approx(18 / 24)
    # one tie out of four pairs counts one half
    assert ev.compute_auc([0, 0, 1, 1], [0.2, 0.5, 0.5, 0.9]) == pytest.approx(3.5 / 4)


def test_metrics_agree_with_scikit_learn(noisy_scores):
    y, s = noisy_scores
    assert ev.compute_auc(y, s) == pytest.approx(skm.roc_auc_score(y, s))
    fpr, tpr, _ = ev.compute_roc(y, s)
    assert np.trapezoid(tpr, fpr) == pytest.approx(skm.roc_auc_score(y, s))
    pred = (s >= 0.5).astype(int)
    np.testing.assert_array_equal(ev.compute_confusion(y, s, 0.5), skm.confusion_matrix(y, pred))
    m = ev.compute_binary_metrics(y, s, 0.5)
    assert m["sensitivity"] == pytest.approx(skm.recall_score(y, pred))
    assert m["specificity"] == pytest.approx(skm.recall_score(y, pred, pos_label=0))
    assert m["ppv"] == pytest.approx(skm.precision_score(y, pred))
    assert m["npv"] == pytest.approx(skm.precision_score(y, pred, pos_label=0))
    assert m["accuracy"] == pytest.approx(skm.accuracy_score(y, pred))
    assert ev.compute_brier(y, s) == pytest.approx(skm.brier_score_loss(y, s))


def test_single_class_gives_clear_errors_or_nan():
    with pytest.raises(ValueError, match="both classes"):
        ev.compute_auc([1, 1, 1], [0.2, 0.5, 0.9])
    with pytest.raises(ValueError, match="both classes"):
        ev.choose_threshold([0, 0], [0.2, 0.3])
    with pytest.warns(RuntimeWarning, match="specificity"):
        m = ev.compute_binary_metrics([1, 1, 1], [0.2, 0.5, 0.9], 0.5)
    assert math.isnan(m["specificity"]) and m["sensitivity"] == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("y", "s", "match"),
    [
        ([0, 1, 2], [0.1, 0.2, 0.3], "only 0"),
        ([0, 1], [0.1], "2 labels but y_score has 1"),
        ([], [], "empty"),
        ([0, 1], [0.1, np.nan], "NaN"),
        (np.zeros((3, 2)), np.zeros((3, 2)), "1-D"),
    ],
)
def test_bad_inputs_are_explained(y, s, match):
    with pytest.raises(ValueError, match=match):
        ev.compute_confusion(y, s)


def test_column_vectors_are_accepted():
    m = ev.compute_binary_metrics(Y[:, None], S[:, None], 0.5)
    assert m["accuracy"] == pytest.approx(0.7)


# --------------------------------------------------------------------------- predictive values


def test_predictive_values_by_hand():
    # se 0.9, sp 0.8 at 10 % prevalence: of 1,000 people 90 TP, 180 FP, 720 TN, 10 FN
    ppv, npv = ev.predictive_values(0.9, 0.8, 0.1)
    assert (ppv, npv) == (pytest.approx(90 / 270), pytest.approx(720 / 730))
    assert type(ppv) is float and type(npv) is float


def test_predictive_values_at_the_data_prevalence_are_the_counted_ones(noisy_scores):
    y, s = noisy_scores
    for threshold in (0.2, 0.5, 0.8):
        m = ev.compute_binary_metrics(y, s, threshold)
        ppv, npv = ev.predictive_values(m["sensitivity"], m["specificity"], y.mean())
        assert (ppv, npv) == (pytest.approx(m["ppv"]), pytest.approx(m["npv"]))


def test_predictive_values_are_vectorised_and_move_with_prevalence():
    prevalence = np.linspace(0.01, 0.99, 50)
    ppv, npv = ev.predictive_values(0.9, 0.8, prevalence)
    assert ppv.shape == npv.shape == (50,)
    assert np.all(np.diff(ppv) > 0) and np.all(np.diff(npv) < 0)
    table = ev.predictive_values(np.array([0.7, 0.9]), np.array([0.95, 0.8]), prevalence[:, None])
    assert table[0].shape == (50, 2)
    assert table[0][10, 1] == pytest.approx(ev.predictive_values(0.9, 0.8, prevalence[10])[0])


def test_predictive_values_are_nan_where_undefined_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ppv, npv = ev.predictive_values([0.0, 1.0, 0.5], [1.0, 0.0, 0.5], [0.3, 0.3, np.nan])
    np.testing.assert_array_equal(np.isnan(ppv), [True, False, True])  # no one called positive
    np.testing.assert_array_equal(np.isnan(npv), [False, True, True])  # no one called negative
    assert ev.predictive_values(0.9, 0.8, 0.0) == (pytest.approx(0.0), pytest.approx(1.0))


@pytest.mark.parametrize(("se", "sp", "p", "match"), [
    (0.9, 0.8, 5, "prevalence must lie in \\[0, 1\\].*0.05 for 5 %"),
    (90, 0.8, 0.1, "sensitivity"),
    (0.9, [0.8, -0.1], 0.1, "specificity"),
])
def test_predictive_values_refuse_percentages(se, sp, p, match):
    with pytest.raises(ValueError, match=match):
        ev.predictive_values(se, sp, p)
