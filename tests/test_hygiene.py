"""helpers.hygiene: study splits with a stand-in test split, near-duplicates, leaky splits and
what a leak does to the score (measured with a cheap memorising classifier)."""

import numpy as np
import pytest

from helpers import data, hygiene, models
from helpers.data import Dataset, Split


@pytest.fixture(scope="module")
def chest():
    return data.make_synthetic_chest(n_train=300, n_val=80, n_test=120, seed=5)


def without(dataset: Dataset, *names: str) -> Dataset:
    splits = {k: v for k, v in dataset.splits.items() if k not in names}
    return Dataset(dataset.name, splits, dataset.label_names, dataset.task, "a test file")


# --------------------------------------------------------------------------- study splits


def test_official_splits_are_used_as_they_are(chest):
    study = hygiene.split_for_study(chest)
    assert study.test_is_official
    assert study.test is chest.split("test") and study.val is chest.split("val")
    assert len(study.train) == 300
    assert "STAND-IN" not in study.describe()
    assert "synthetic" in study.test_label  # never passed off as a real test split
    real = Dataset("pneumoniamnist", chest.splits, chest.label_names, chest.task, "a MedMNIST file")
    assert hygiene.split_for_study(real).test_label == "pneumoniamnist test split"


def test_missing_test_split_is_held_out_of_train_stratified_and_said_so(chest):
    study = hygiene.split_for_study(without(chest, "test"), test_fraction=0.2, seed=1)
    assert not study.test_is_official
    assert len(study.train) + len(study.test) == 300
    train_share = np.mean(chest.split("train").labels)
    assert abs(np.mean(study.test.labels) - train_share) < 0.02
    # no image is in both parts
    _, distance = hygiene.find_nearest(study.train.images, study.test.images)
    assert distance.min() > 0
    text = study.describe()
    assert "STAND-IN" in text and "no test split" in text and "a test file" in text
    assert "STAND-IN" in study.test_label and "not comparable" in study.test_label


def test_missing_val_and_test_are_both_held_out(chest):
    study = hygiene.split_for_study(without(chest, "test", "val"), seed=2)
    assert len(study.train) + len(study.val) + len(study.test) == 300
    assert "no val split" in study.origin["val"] and "no test split" in study.origin["test"]


def test_study_split_rejects_what_it_cannot_do(chest):
    with pytest.raises(ValueError, match="between 0 and 0.5"):
        hygiene.split_for_study(chest, test_fraction=0.6)
    blood_like = Dataset("x", chest.splits, ["a", "b", "c"], "multi-class", "a test file")
    with pytest.raises(ValueError, match="binary task"):
        hygiene.split_for_study(blood_like)


def test_sample_stratified_keeps_the_class_shares(chest):
    train = chest.split("train")
    small = hygiene.sample_stratified(train, 100, seed=0)
    assert abs(len(small) - 100) <= 1
    assert abs(np.mean(small.labels) - np.mean(train.labels)) < 0.02
    assert hygiene.sample_stratified(train, None) is train
    assert hygiene.sample_stratified(train, 10_000) is train
    with pytest.raises(ValueError, match="at least 2"):
        hygiene.sample_stratified(train, 1)


# --------------------------------------------------------------------------- near-duplicates


def test_near_duplicates_are_near_but_never_identical(chest):
    images = chest.split("test").images
    copies = hygiene.make_near_duplicates(images, seed=3)
    assert copies.shape == images.shape and copies.dtype == np.uint8
    assert not np.any(np.all(copies == images, axis=(1, 2, 3)))  # no exact copy
    index, distance = hygiene.find_nearest(images, copies)
    assert np.mean(index == np.arange(len(images))) >= 0.95  # each copy's nearest is its source
    _, between = hygiene.find_nearest(images, images, exclude_same_index=True)
    assert np.median(distance) < 0.6 * np.median(between)


def test_near_duplicates_are_reproducible_and_validated(chest):
    images = chest.split("test").images[:5]
    np.testing.assert_array_equal(hygiene.make_near_duplicates(images, seed=1),
                                  hygiene.make_near_duplicates(images, seed=1))
    with pytest.raises(ValueError, match="exact copies"):
        hygiene.make_near_duplicates(images, max_shift=0)
    with pytest.raises(ValueError, match="uint8"):
        hygiene.make_near_duplicates(images.astype(np.float32))


def test_find_nearest_finds_exact_copies_at_distance_zero(chest):
    images = chest.split("val").images
    index, distance = hygiene.find_nearest(images, images[[3, 7]])
    np.testing.assert_array_equal(index, [3, 7])
    np.testing.assert_allclose(distance, 0.0, atol=1e-3)
    with pytest.raises(ValueError, match="same image shape"):
        hygiene.find_nearest(images, images[:, :14])


def test_leaky_split_keeps_size_and_class_counts_and_hides_the_copies(chest):
    train, test = chest.split("train"), chest.split("test")
    leaky, leaked = hygiene.make_leaky_split(train, test, 30, copies=2, seed=4)
    assert len(leaky) == len(train)
    np.testing.assert_array_equal(np.bincount(leaky.labels), np.bincount(train.labels))
    assert len(leaked) == 30 and np.all(np.diff(leaked) > 0)
    changed = np.flatnonzero(np.any(leaky.images != train.images, axis=(1, 2, 3)))
    assert len(changed) == 60
    _, clean_distance = hygiene.find_nearest(train.images, test.images[leaked])
    _, leaky_distance = hygiene.find_nearest(leaky.images, test.images[leaked])
    assert np.all(leaky_distance < clean_distance)
    with pytest.raises(ValueError, match="from 1 to 120"):
        hygiene.make_leaky_split(train, test, 500)


def test_a_leaked_split_raises_the_score_of_a_memorising_classifier(chest):
    result = hygiene.measure_leak(hygiene.fit_predict_nearest_neighbours, chest.split("train"),
                                  chest.split("test"), 60, copies=1, seed=0)
    assert result.leaky_auc > result.clean_auc + 0.03
    assert result.leaky_auc_leaked > 0.97
    assert result.leaky_auc_leaked > result.clean_auc_leaked + 0.05
    assert "clean split" in result.summary()


def test_measure_leak_checks_what_fit_predict_returns(chest):
    with pytest.raises(ValueError, match="one score per test image"):
        hygiene.measure_leak(lambda x, y, t: np.zeros(3), chest.split("train"),
                             chest.split("test"), 10)


# --------------------------------------------------------------------------- CNN


def test_cnn_fit_predict_returns_one_probability_per_test_image(chest):
    fit_predict = hygiene.make_cnn_fit_predict(models.build_figure3_cnn, epochs=1, batch_size=64)
    small = hygiene.sample_stratified(chest.split("train"), 100)
    scores = fit_predict(small.images, small.labels, chest.split("test").images[:7])
    assert scores.shape == (7,) and np.all((scores >= 0) & (scores <= 1))


def test_split_type_is_checked():
    with pytest.raises(TypeError, match="data.Split"):
        hygiene.sample_stratified((np.zeros((2, 4, 4, 1), np.uint8), np.zeros(2)), 2)
    with pytest.raises(ValueError, match="uint8"):
        hygiene.sample_stratified(Split(np.zeros((2, 4, 4, 1)), np.zeros(2, np.int64)), 2)
