"""Tests of helpers.evaluation: hand-computed cases, scikit-learn as a reference, edge cases."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn import metrics as skm  # noqa: E402

from helpers import evaluation as ev  # noqa: E402

# 4 negatives, 6 positives; at threshold 0.5: TN 3, FP 1, FN 2, TP 4
Y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
S = np.array([0.1, 0.3, 0.45, 0.6, 0.2, 0.4, 0.55, 0.7, 0.8, 0.9])


@pytest.fixture
def noisy_scores():
    rng = np.random.default_rng(3)
    y = (rng.random(400) < 0.7).astype(int)
    s = 1 / (1 + np.exp(-(2.0 * y - 1.0 + rng.normal(0, 1.2, y.size))))
    return y, s


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- hand-computed


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


# --------------------------------------------------------------------------- edge cases


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


def test_probabilities_outside_unit_interval_are_refused():
    with pytest.raises(ValueError, match="logits"):
        ev.compute_brier([0, 1], [-2.0, 3.0])
    with pytest.raises(ValueError, match="logits"):
        ev.compute_calibration([0, 1], [0.2, 1.5])


def test_column_vectors_are_accepted():
    m = ev.compute_binary_metrics(Y[:, None], S[:, None], 0.5)
    assert m["accuracy"] == pytest.approx(0.7)


# --------------------------------------------------------------------------- thresholds


@pytest.mark.filterwarnings("ignore:npv undefined")
def test_youden_threshold_by_hand():
    # no cut point has a larger sensitivity + specificity - 1 than the chosen threshold
    t = ev.choose_threshold(Y, S, "youden")
    m = ev.compute_binary_metrics(Y, S, t)
    j = m["sensitivity"] + m["specificity"] - 1
    for cut in np.unique(S):
        other = ev.compute_binary_metrics(Y, S, cut)
        assert j >= other["sensitivity"] + other["specificity"] - 1 - 1e-12
    # the threshold sits between two scores, not on one
    assert not np.any(np.isclose(S, t))


def test_threshold_lies_half_way_between_scores():
    y = np.array([0, 0, 1, 1])
    s = np.array([0.1, 0.2, 0.6, 0.8])
    assert ev.choose_threshold(y, s, "youden") == pytest.approx(0.4)
    assert ev.choose_threshold(y, s, "equal_error") == pytest.approx(0.4)
    assert ev.choose_threshold(y, s, "max_accuracy") == pytest.approx(0.4)


def test_max_accuracy_depends_on_prevalence_but_youden_does_not():
    from scipy.stats import norm

    def scores(n, mean):  # evenly spread quantiles of a normal distribution, sd 0.12
        return norm.ppf((np.arange(n) + 0.5) / n, loc=mean, scale=0.12)

    balanced = np.r_[np.zeros(300), np.ones(300)], np.r_[scores(300, 0.35), scores(300, 0.65)]
    skewed = np.r_[np.zeros(30), np.ones(300)], np.r_[scores(30, 0.35), scores(300, 0.65)]
    # equal spreads: the best balanced cut is half-way, 0.5, whatever the prevalence
    assert ev.choose_threshold(*balanced, "youden") == pytest.approx(0.5, abs=0.02)
    assert ev.choose_threshold(*skewed, "youden") == pytest.approx(0.5, abs=0.03)
    # with ten positives per negative, accuracy is best when more cases are called positive
    assert ev.choose_threshold(*skewed, "max_accuracy") < 0.45


def test_sensitivity_target_threshold():
    t = ev.choose_threshold(Y, S, "sensitivity", target_sensitivity=1.0)
    assert ev.compute_binary_metrics(Y, S, t)["sensitivity"] == 1.0
    assert 0.1 < t < 0.2  # the highest threshold that still catches the 0.2 positive
    with pytest.raises(ValueError, match="target_sensitivity"):
        ev.choose_threshold(Y, S, "sensitivity", target_sensitivity=1.5)


def test_unknown_method():
    with pytest.raises(ValueError, match="youden"):
        ev.choose_threshold(Y, S, "best")


def test_threshold_is_chosen_on_validation_and_applied_to_test(noisy_scores):
    """The workflow: choose on val, report on test; the test labels never enter the choice."""
    y, s = noisy_scores
    y_val, s_val, y_test, s_test = y[:200], s[:200], y[200:], s[200:]
    t = ev.choose_threshold(y_val, s_val)
    flipped = 1 - y_test  # whatever the test labels are, the threshold is the same
    assert ev.choose_threshold(y_val, s_val) == t
    assert ev.compute_binary_metrics(y_test, s_test, t)["n"] == 200
    assert ev.compute_binary_metrics(flipped, s_test, t)["threshold"] == t


# --------------------------------------------------------------------------- bootstrap


def test_bootstrap_contains_estimate_and_is_seeded(noisy_scores):
    y, s = noisy_scores
    auc = ev.compute_auc(y, s)
    low, high = ev.bootstrap_ci(y, s, ev.metric_at("auc"), n_boot=300, seed=1)
    assert low < auc < high
    assert (low, high) == ev.bootstrap_ci(y, s, ev.metric_at("auc"), n_boot=300, seed=1)
    assert (low, high) != ev.bootstrap_ci(y, s, ev.metric_at("auc"), n_boot=300, seed=2)
    narrow = ev.bootstrap_ci(y, s, ev.metric_at("auc"), n_boot=300, level=0.5, seed=1)
    assert low < narrow[0] < narrow[1] < high


def test_bootstrap_of_rates_contains_estimate(noisy_scores):
    y, s = noisy_scores
    for name in ev.RATE_NAMES:
        value = ev.compute_binary_metrics(y, s, 0.5)[name]
        low, high = ev.bootstrap_ci(y, s, ev.metric_at(name, 0.5), n_boot=200, seed=0)
        assert low <= value <= high, name


def test_bootstrap_rejects_bad_settings():
    with pytest.raises(ValueError, match="n_boot"):
        ev.bootstrap_ci(Y, S, ev.metric_at("auc"), n_boot=3)
    with pytest.raises(ValueError, match="level"):
        ev.bootstrap_ci(Y, S, ev.metric_at("auc"), level=95)
    with pytest.raises(ValueError, match="unknown metric"):
        ev.metric_at("f1")


def test_evaluate_binary_report(noisy_scores):
    y, s = noisy_scores
    r = ev.evaluate_binary(y, s, 0.6, n_boot=100, seed=0)
    for key in ("auc", "accuracy", "accuracy_at_0.5", "sensitivity", "specificity", "ppv", "npv",
                "threshold", "n", "brier", "auc_ci_low", "auc_ci_high"):
        assert key in r, key
    assert r["threshold"] == 0.6 and r["n"] == 400
    assert r["auc_ci_low"] <= r["auc"] <= r["auc_ci_high"]
    assert "auc_ci_low" not in ev.evaluate_binary(y, s, 0.6, n_boot=0)


# --------------------------------------------------------------------------- calibration


def test_calibration_bins_by_hand():
    y = np.array([0, 1, 0, 1, 1, 1])
    p = np.array([0.05, 0.15, 0.55, 0.6, 0.95, 1.0])
    bins = ev.compute_calibration(y, p, n_bins=2)
    np.testing.assert_allclose(bins.edges, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(bins.counts, [2, 4])
    np.testing.assert_allclose(bins.mean_predicted, [0.1, 0.775])
    np.testing.assert_allclose(bins.fraction_positive, [0.5, 0.75])
    assert bins.expected_calibration_error() == pytest.approx((2 * 0.4 + 4 * 0.025) / 6)


def test_calibration_empty_bins_are_nan_and_perfect_model_is_calibrated():
    bins = ev.compute_calibration([0, 1], [0.05, 0.95], n_bins=10)
    assert bins.counts.sum() == 2 and np.isnan(bins.mean_predicted[5])
    rng = np.random.default_rng(0)
    p = rng.random(20000)
    y = (rng.random(20000) < p).astype(int)
    assert ev.compute_calibration(y, p).expected_calibration_error() < 0.02
    assert ev.compute_brier(y, p) == pytest.approx(1 / 6, abs=0.01)  # E[p(1-p)] for uniform p


# --------------------------------------------------------------------------- benchmark table


def test_benchmark_table_holds_the_published_numbers():
    rows = ev.benchmark_table()
    by_name = {r["method"]: (r["auc"], r["acc"]) for r in rows}
    assert by_name["ResNet-18 (28)"] == (0.944, 0.854)
    assert by_name["Google AutoML Vision"] == (0.991, 0.946)
    assert len(rows) == 6 and all("Yang" in r["source"] for r in rows)
    extended = ev.benchmark_table([("our CNN", 0.97, 0.91)])
    assert extended[-1]["method"] == "our CNN" and extended[-1]["source"] == "this course"
    table = ev.format_table(extended)
    assert table.splitlines()[0] == "| method | auc | acc |" and "| our CNN | 0.970 | 0.910 |" in table
    with pytest.raises(ValueError, match="triples"):
        ev.benchmark_table([("x", 0.9)])


# --------------------------------------------------------------------------- plots


def test_plots_draw_on_given_axes_and_return_them(noisy_scores):
    y, s = noisy_scores
    fig, axes = plt.subplots(1, 3)
    assert ev.plot_roc(y, s, threshold=0.5, ax=axes[0]) is axes[0]
    assert ev.plot_confusion(y, s, 0.5, ax=axes[1]) is axes[1]
    assert ev.plot_calibration(y, s, ax=axes[2]) is axes[2]
    assert "AUC = " in axes[0].get_legend().get_texts()[0].get_text()
    assert axes[1].images[0].get_cmap().name == "viridis"
    assert len(fig.axes) == 4  # the three panels and the confusion matrix's colorbar


def test_plots_create_axes_when_none_given(noisy_scores):
    y, s = noisy_scores
    for draw in (ev.plot_roc, ev.plot_confusion, ev.plot_calibration):
        ax = draw(y, s)
        assert ax.figure is not None
    with pytest.raises(ValueError, match="two classes"):
        ev.plot_confusion(y, s, class_names=("a", "b", "c"))
