"""helpers.classic_ml.curves: sizes, the crossover and the sentence describing a learning curve
(on hand-made curves), and one small real run of the classic pipelines."""

import numpy as np
import pytest

from helpers import data
from helpers.classic_ml import curves, features


def _row(model, auc, half_width=0.02):
    return {"model": model, "auc": auc, "auc_low": auc - half_width, "auc_high": auc + half_width,
            "accuracy": auc, "accuracy_low": auc - 0.05, "accuracy_high": auc + 0.05}


def _curve(table: dict[str, list[float]], sizes=(100, 1000, 4000), half_width=0.02):
    rows = {n: [_row(m, values[i], half_width) for m, values in table.items()]
            for i, n in enumerate(sizes)}
    return curves.LearningCurve(tuple(sizes), rows)


CNN_PULLS_AHEAD = {"logistic regression": [0.90, 0.92, 0.93], "random forest": [0.88, 0.93, 0.94],
                   "SVM": [0.91, 0.93, 0.94], "MLP": [0.85, 0.90, 0.93], "CNN": [0.86, 0.95, 0.99]}
CLASSIC_WINS = {"logistic regression": [0.95, 0.96, 0.97], "random forest": [0.90, 0.92, 0.94],
                "SVM": [0.96, 0.98, 0.99], "MLP": [0.85, 0.90, 0.93], "CNN": [0.88, 0.93, 0.98]}


def test_sizes_are_clipped_sorted_and_unique():
    assert curves.curve_sizes(500, [100, None, 1000, 300]) == (100, 300, 500)
    assert curves.curve_sizes(500, [None]) == (500,)
    with pytest.raises(ValueError, match="size"):
        curves.curve_sizes(500, [5])


def test_values_read_one_model_along_the_curve():
    curve = _curve(CNN_PULLS_AHEAD)
    np.testing.assert_allclose(curve.values("CNN"), [0.86, 0.95, 0.99])
    np.testing.assert_allclose(curve.values("SVM", "auc_low"), [0.89, 0.91, 0.92])
    assert curves.best_classic(curve, 4000) == ("random forest", 0.94)
    with pytest.raises(ValueError, match="model"):
        curve.values("kNN")


def test_crossover_is_the_first_size_where_the_network_beats_every_pipeline():
    classic = [[0.6, 0.7, 0.8], [0.4, 0.85, 0.7]]
    assert curves.find_crossover([1, 2, 3], [0.5, 0.8, 0.9], classic) == 3
    assert curves.find_crossover([1, 2], [0.5, 0.5], [[0.5, 0.6]]) is None  # a tie is no lead
    with pytest.raises(ValueError, match="classic_aucs"):
        curves.find_crossover([1, 2], [0.5, 0.6], [[0.5, 0.6, 0.7]])


def test_the_sentence_follows_the_numbers_whichever_way_they_go():
    ahead = curves.describe_learning_curve(_curve(CNN_PULLS_AHEAD))
    assert "first beats every classic pipeline at 1,000 training images" in ahead
    assert "SVM (AUC 0.910); the CNN reaches 0.860, behind it" in ahead
    assert "the CNN reaches 0.990, ahead of it" in ahead
    assert "do not overlap" in ahead
    behind = curves.describe_learning_curve(_curve(CLASSIC_WINS, half_width=0.03))
    assert "At none of the 3 sizes tried does the CNN beat every classic pipeline." in behind
    assert "overlap: the gap between them is within the uncertainty" in behind
    one = curves.describe_learning_curve(_curve({m: v[:1] for m, v in CLASSIC_WINS.items()},
                                                sizes=(100,)))
    assert one.count("With 100 training images") == 1
    assert "At the one size tried the CNN does not beat every classic pipeline." in one
    level = dict(CLASSIC_WINS, CNN=[0.9604, 0.93, 0.98])
    assert "the CNN reaches 0.960, level with it to three decimals" in \
        curves.describe_learning_curve(_curve(level))
    with pytest.raises(ValueError, match="network"):
        curves.describe_learning_curve(_curve(CLASSIC_WINS), network="SVM")


def test_a_real_curve_of_the_classic_pipelines():
    """Two sizes, two classic pipelines (the others are covered in the pipelines tests)."""
    ds = data.make_synthetic_chest(n_train=80, n_val=40, n_test=0, seed=11)
    train, held = ds.split("train"), ds.split("val")
    held_x = features.extract_features(held.images).values
    lines = []
    curve = curves.run_learning_curve(train, held.images, held_x, held.labels, [30, None],
                                      names=("logistic regression", "SVM"), steps=1, epochs=1,
                                      n_boot=10, log=lines.append)
    assert curve.sizes == (30, 80) and len(lines) == 2
    assert curve.models == ("logistic regression", "SVM")
    assert all(0.0 <= v <= 1.0 for m in curve.models for v in curve.values(m))
