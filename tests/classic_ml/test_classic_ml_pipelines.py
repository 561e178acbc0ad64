"""helpers.classic_ml.pipelines: the classic pipelines and the networks fit, score the same
images, count what they learned, and the comparison table reports it, on synthetic X-rays."""

import numpy as np
import pytest

from helpers import data, evaluation
from helpers.classic_ml import features, pipelines
from helpers.data import Split


@pytest.fixture(scope="module")
def chest():
    """120 training and 60 evaluation images with their features (a second)."""
    ds = data.make_synthetic_chest(n_train=120, n_val=60, n_test=0, seed=7)
    train, held = ds.split("train"), ds.split("val")
    return (train, features.extract_features(train.images).values, held,
            features.extract_features(held.images).values)


@pytest.fixture(scope="module")
def classic(chest):
    train, train_x, held, held_x = chest
    return pipelines.fit_models(train, train_x, held.images, held_x,
                                names=pipelines.CLASSIC_MODELS, steps=1, epochs=1, seed=3)


def test_classic_pipelines_score_every_evaluation_image(classic, chest):
    held = chest[2]
    assert list(classic) == list(pipelines.CLASSIC_MODELS)
    for name, result in classic.items():
        assert result.scores.shape == (len(held),)
        assert result.n_train == 120 and result.seconds >= 0
        assert 0.5 < evaluation.compute_auc(held.labels, result.scores) <= 1.0, name
    assert classic["SVM"].threshold == 0.0  # a signed distance, not a probability
    assert classic["logistic regression"].threshold == 0.5


def test_learned_numbers_are_counted_from_the_fitted_model(classic, chest):
    n_features = chest[1].shape[1]
    lr = classic["logistic regression"]
    assert (lr.n_learned, lr.learned_kind) == (n_features + 1, "weights")
    svm = classic["SVM"].model.named_steps["classifier"]
    assert classic["SVM"].n_learned == len(svm.support_) + 1
    forest = classic["random forest"]
    assert forest.learned_kind == "tree nodes"
    assert forest.n_learned == sum(t.tree_.node_count
                                   for t in forest.model.named_steps["classifier"].estimators_)
    with pytest.raises(TypeError, match="cannot count"):
        pipelines.count_learned_numbers(object())


def test_the_mlp_and_the_cnn_have_the_documented_weights():
    mlp = pipelines.build_mlp()
    assert mlp.count_params() == (28 * 28 + 1) * pipelines.MLP_HIDDEN + pipelines.MLP_HIDDEN + 1
    assert pipelines.count_learned_numbers(mlp) == (mlp.count_params(), "weights")
    assert pipelines.build_mlp((28, 28, 3), hidden=2).count_params() == (28 * 28 * 3 + 1) * 2 + 3


def test_a_network_is_trained_with_the_course_recipe(chest):
    train, _, held, _ = chest
    result = pipelines.fit_network("MLP", train, held.images, steps=2, epochs=1, seed=3)
    assert result.scores.shape == (len(held),) and result.threshold == 0.5
    assert np.all((result.scores >= 0) & (result.scores <= 1))
    assert result.n_learned == pipelines.build_mlp().count_params()
    weights = result.model.get_layer("hidden").get_weights()[0]
    assert not np.allclose(weights, pipelines.build_mlp().get_layer("hidden").get_weights()[0])


@pytest.mark.slow
def test_both_networks_fit_through_fit_models(chest):
    train, train_x, held, held_x = chest
    results = pipelines.fit_models(train, train_x, held.images, held_x,
                                   names=pipelines.NETWORKS, steps=2, epochs=1, seed=3)
    assert results["CNN"].n_learned == (9 + 1) * 8 + (9 * 8 + 1) * 16 + 7 * 7 * 16 + 1  # Figure 3
    for result in results.values():
        assert result.scores.shape == (len(held),)


def test_small_training_sets_are_repeated_to_the_same_number_of_updates():
    assert pipelines.repeats_for(100, 64, 800, 5) == 103  # 10,300 images: 161 batches × 5
    assert pipelines.repeats_for(5000, 64, 800, 5) == 3
    assert pipelines.repeats_for(100_000, 64, 10, 1) == 1
    split = Split(np.zeros((3, 28, 28, 1), np.uint8), np.array([0, 1, 1]))
    twice = pipelines.repeat_split(split, 2)
    assert len(twice) == 6 and twice.labels.tolist() == [0, 1, 1, 0, 1, 1]
    assert pipelines.repeat_split(split, 1) is split


def test_summary_rows_hold_intervals_around_the_estimates(classic, chest):
    rows = pipelines.summarise(classic, chest[2].labels, n_boot=50, seed=0)
    assert [r["model"] for r in rows] == list(pipelines.CLASSIC_MODELS)
    for r in rows:
        assert 0.0 <= r["auc_low"] <= r["auc"] <= r["auc_high"] <= 1.0
        assert 0.0 <= r["accuracy_low"] <= r["accuracy"] <= r["accuracy_high"] <= 1.0
    table = pipelines.format_comparison(rows)
    assert table.count("\n") == len(rows) + 1 and "| SVM |" in table
    with pytest.raises(ValueError, match="no rows"):
        pipelines.format_comparison([])


def test_bad_calls_say_what_to_change(chest):
    train, train_x, held, held_x = chest
    with pytest.raises(ValueError, match="classic model"):
        pipelines.make_classic_pipeline("naive Bayes")
    with pytest.raises(ValueError, match="columns"):
        pipelines.fit_classic("SVM", train_x, train.labels, held_x[:, :5])
    one_class = Split(train.images[:10], np.ones(10, dtype=np.int64))
    with pytest.raises(ValueError, match="single class"):
        pipelines.fit_models(one_class, train_x[:10], held.images, held_x, steps=1, epochs=1)
    with pytest.raises(ValueError, match="input_shape"):
        pipelines.build_mlp((28, 28))
