"""helpers.evaluation.multiclass: macro one-vs-rest AUC, accuracy, per-class sensitivity, the
confusion matrix and bootstrap intervals of a K-class classifier."""

import numpy as np
import pytest

from helpers import evaluation as ev

# 3 classes, 6 cases; argmax predicts 0, 1, 1, 1, 2, 0
Y3 = np.array([0, 0, 1, 1, 2, 2])
P3 = np.array([[0.7, 0.2, 0.1], [0.3, 0.6, 0.1], [0.2, 0.7, 0.1],
               [0.1, 0.5, 0.4], [0.1, 0.2, 0.7], [0.5, 0.1, 0.4]])


def noisy_three_classes(n: int = 300, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    logits = 1.5 * np.eye(3)[y] + rng.normal(0, 1, (n, 3))
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return y, p


def test_confusion_accuracy_and_sensitivity_by_hand():
    r = ev.evaluate_multiclass(Y3, P3, label_names=["a", "b", "c"], n_boot=0)
    assert r["confusion"] == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    assert r["accuracy"] == pytest.approx(4 / 6)
    assert r["sensitivity"] == pytest.approx([0.5, 1.0, 0.5])
    assert r["balanced_accuracy"] == pytest.approx(2 / 3)
    assert r["n"] == 6 and r["n_per_class"] == [2, 2, 2] and r["task"] == "multi-class"
    assert "auc_ci_low" not in r


def test_macro_auc_is_the_mean_of_one_vs_rest_aucs_as_in_scikit_learn():
    from sklearn.metrics import roc_auc_score

    y, p = noisy_three_classes()
    r = ev.evaluate_multiclass(y, p, n_boot=0)
    assert r["auc"] == pytest.approx(roc_auc_score(y, p, multi_class="ovr", average="macro"))
    by_hand = [ev.compute_auc(y == k, p[:, k]) for k in range(3)]
    assert r["auc_per_class"] == pytest.approx(by_hand)
    assert r["label_names"] == ["class 0", "class 1", "class 2"]


def test_bootstrap_intervals_contain_the_estimate_and_are_seeded():
    y, p = noisy_three_classes()
    r = ev.evaluate_multiclass(y, p, n_boot=100, seed=1)
    for name in ("auc", "accuracy"):
        assert r[f"{name}_ci_low"] <= r[name] <= r[f"{name}_ci_high"]
    again = ev.evaluate_multiclass(y, p, n_boot=100, seed=1)
    assert again["auc_ci_low"] == r["auc_ci_low"]


def test_absent_class_gives_nan_sensitivity_not_an_error():
    r = ev.evaluate_multiclass(np.array([0, 0, 1, 1]), np.tile([0.5, 0.3, 0.2], (4, 1)),
                               n_boot=0)
    assert np.isnan(r["sensitivity"][2]) and np.isnan(r["auc_per_class"][2])
    assert r["sensitivity"][:2] == [1.0, 0.0]


def test_format_report_dispatches_to_the_multiclass_text():
    text = ev.format_report(ev.evaluate_multiclass(Y3, P3, label_names=["a", "b", "c"],
                                                   n_boot=20), "val")
    lines = text.splitlines()
    assert lines[0] == "val" and "AUC (macro)" in text and "95 % CI" in text
    assert "confusion (rows: true class, columns: predicted)" in text
    assert lines[-1].split() == ["c", "1", "0", "1"]


@pytest.mark.parametrize(("y", "p", "match"), [
    (Y3, P3[:5], "6 labels but y_proba has 5"),
    (Y3 + 1, P3, "class indices 0..2"),
    (Y3, P3[:, 0], "K >= 2 columns"),
    (Y3, np.where(P3 > 0.6, np.nan, P3), "NaN"),
    (Y3[:0], P3[:0], "empty"),
])
def test_bad_inputs_are_refused(y, p, match):
    with pytest.raises(ValueError, match=match):
        ev.evaluate_multiclass(y, p)


def test_label_names_must_match_the_columns():
    with pytest.raises(ValueError, match="one name per column"):
        ev.evaluate_multiclass(Y3, P3, label_names=["a", "b"])
