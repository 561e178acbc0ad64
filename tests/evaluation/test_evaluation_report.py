"""helpers.evaluation.report: the full report, its text form, and the published results."""

import pytest

from helpers import evaluation as ev


def test_evaluate_binary_report(noisy_scores):
    y, s = noisy_scores
    r = ev.evaluate_binary(y, s, 0.6, n_boot=100, seed=0)
    for key in ("auc", "accuracy", "accuracy_at_0.5", "sensitivity", "specificity", "ppv", "npv",
                "threshold", "n", "brier", "auc_ci_low", "auc_ci_high"):
        assert key in r, key
    assert r["threshold"] == 0.6 and r["n"] == 400
    assert r["auc_ci_low"] <= r["auc"] <= r["auc_ci_high"]
    assert "auc_ci_low" not in ev.evaluate_binary(y, s, 0.6, n_boot=0)


def test_benchmark_table_holds_the_published_numbers():
    """MedMNIST v2 (Yang et al. 2023), PneumoniaMNIST test split: (AUC, ACC) of every method."""
    rows = ev.benchmark_table()
    by_name = {r["method"]: (r["auc"], r["acc"]) for r in rows}
    assert by_name == {
        "ResNet-18 (28)": (0.944, 0.854), "ResNet-18 (224)": (0.956, 0.864),
        "ResNet-50 (28)": (0.948, 0.854), "ResNet-50 (224)": (0.962, 0.884),
        "auto-sklearn": (0.942, 0.855), "AutoKeras": (0.947, 0.878),
        "Google AutoML Vision": (0.991, 0.946),
    }
    assert len(rows) == 7 and all("Yang" in r["source"] for r in rows)
    extended = ev.benchmark_table([("our CNN", 0.97, 0.91)])
    assert extended[-1]["method"] == "our CNN" and extended[-1]["source"] == "this course"
    assert extended[-1]["input"] == "28×28"
    assert ev.benchmark_table([("ours", 0.9, 0.8, "28×28, stand-in test")])[-1]["input"] == \
        "28×28, stand-in test"
    table = ev.format_table(extended)
    assert table.splitlines()[0] == "| method | auc | acc |" and "| our CNN | 0.970 | 0.910 |" in table
    with pytest.raises(ValueError, match="triples"):
        ev.benchmark_table([("x", 0.9)])


def test_every_published_model_saw_the_same_28_pixel_images():
    """MedMNIST's experiment code enlarges the 28×28 images for the "224" ResNets and AutoML
    Vision: no row saw more detail, and the table says so."""
    assert set(ev.BENCHMARK_INPUTS) == {m for m, _, _ in ev.PNEUMONIAMNIST_BENCHMARK}
    for method, given in ev.BENCHMARK_INPUTS.items():
        assert given.startswith("28×28"), method
        assert ("224" in method) == ("enlarged to 224×224" in given) or method.startswith("Google")
    assert "enlarged to 224×224" in ev.BENCHMARK_INPUTS["Google AutoML Vision"]
    rows = ev.benchmark_table()
    assert all(r["input"] == ev.BENCHMARK_INPUTS[r["method"]] for r in rows)


def test_format_report_shows_intervals_only_when_computed(noisy_scores):
    y, s = noisy_scores
    with_ci = ev.format_report(ev.evaluate_binary(y, s, 0.6, n_boot=20), "title")
    lines = with_ci.splitlines()
    assert lines[0] == "title" and lines[1].startswith("  cases          400 (")
    assert "95 % CI" in with_ci and "Brier score" in with_ci
    assert "95 % CI" not in ev.format_report(ev.evaluate_binary(y, s, 0.6, n_boot=0), "title")


def test_format_report_names_the_positive_class(noisy_scores):
    y, s = noisy_scores
    report = {**ev.evaluate_binary(y, s, 0.6, n_boot=0), "positive": "malignant"}
    assert ev.format_report(report, "t").splitlines()[1] == (
        "  positive class 'malignant' (the sensitivity is its recall)")
