"""helpers.training: the one training recipe (fit_classifier, fit_binary), the stratified
hold-out, and the classifier trained with them (train_classifier, binary and multi-class), on
small synthetic data."""

import numpy as np
import pytest

from helpers import course, data, models, training
from helpers.data import Split

# One trained classifier is shared by the tests below (the unit stage runs a module on one
# worker, --dist loadscope, so it is trained once per run).
pytestmark = [
    # Keras saves weights through an __array__ call that NumPy 2 flags; not our code.
    pytest.mark.filterwarnings(
        "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def only_train():
    """A binary data set with a train split only: the threshold needs a held-out part."""
    return data.make_synthetic_chest(n_train=300, n_val=0, n_test=0, seed=4)


@pytest.fixture(scope="module")
def trained(only_train):
    """train_classifier for one epoch (a few seconds); the tests only read the result."""
    settings = training.TrainSettings(epochs=1, batch_size=64, seed=5)
    return training.train_classifier(only_train, settings, log=None)


@pytest.fixture(scope="module")
def tiny():
    """64 training and 32 validation images: enough to run the recipe, not to learn much."""
    chest = data.make_synthetic_chest(n_train=64, n_val=32, n_test=0, seed=6)
    return chest.split("train"), chest.split("val")


# --------------------------------------------------------------------------- train_classifier


def test_train_save_load_gives_identical_predictions(trained, only_train, tmp_path):
    import keras

    path = tmp_path / "m.keras"
    trained.model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert models.read_threshold(loaded) == trained.threshold
    images = only_train.split("train").images[:64]
    np.testing.assert_array_equal(models.predict_probabilities(trained.model, images),
                                  models.predict_probabilities(loaded, images))
    assert trained.val_report["threshold"] == trained.threshold
    assert set(trained.history) >= {"loss", "val_loss", "val_auc", "best_epoch"}
    assert len(trained.history["loss"]) == 1
    assert 0 < trained.n_parameters < models.MAX_PARAMETERS


def test_threshold_from_held_out_train_when_there_is_no_val_split(trained):
    assert "of train" in trained.val_report["split"]
    assert trained.val_report["n"] == pytest.approx(0.15 * 300, abs=2)


def test_evaluate_classifier_reports_at_the_stored_threshold(trained, only_train):
    split = only_train.split("train")
    report = training.evaluate_classifier(trained.model, split.images, split.labels, n_boot=0)
    assert report["threshold"] == pytest.approx(trained.threshold)
    assert report["n"] == 300 and "auc_ci_low" not in report


def three_classes(n: int = 90, seed: int = 0) -> data.Dataset:
    """A 3-class colour data set whose class shows as the brightness of one channel."""
    rng = np.random.default_rng(seed)

    def split(count: int) -> Split:
        labels = np.arange(count) % 3
        images = rng.integers(0, 60, (count, 28, 28, 3)).astype(np.uint8)
        images[np.arange(count), :, :, labels] += 150
        return Split(images, labels.astype(np.int64))

    return data.Dataset(name="threemnist", splits={"train": split(n), "val": split(30)},
                        label_names=["a", "b", "c"], task="multi-class", source="test")


SMALL = {"widths": (4,), "convs_per_block": 1}


@pytest.fixture(scope="module")
def trained_three():
    settings = training.TrainSettings(epochs=2, batch_size=32, model_options=SMALL)
    return training.train_classifier(three_classes(), settings, log=None)


def test_multi_class_training_gives_a_softmax_model_and_report(trained_three, tmp_path):
    result = trained_three
    assert result.model.output_shape == (None, 3) and result.threshold is None
    report = result.val_report
    assert report["task"] == "multi-class" and report["label_names"] == ["a", "b", "c"]
    assert len(report["sensitivity"]) == 3 and np.array(report["confusion"]).sum() == 30
    assert 0.0 <= report["auc"] <= 1.0 and report["split"] == "val"
    assert {"loss", "auc", "val_auc", "accuracy", "best_epoch"} <= set(result.history)
    path = tmp_path / "three.keras"
    result.model.save(path)
    loaded = models.load_classifier(path)
    assert models.read_info(loaded)["label_names"] == ["a", "b", "c"]
    val = three_classes().split("val")
    again = training.evaluate_classifier(loaded, val.images, val.labels, n_boot=20)
    assert again["auc"] == pytest.approx(report["auc"]) and "auc_ci_low" in again


def test_positive_class_decides_what_the_binary_model_scores(trained, only_train):
    assert trained.positive_class == 1
    assert trained.val_report["positive"] == only_train.label_names[1]
    flipped = data.Dataset(**{**vars(only_train), "positive_class": 0})
    settings = training.TrainSettings(epochs=1, batch_size=64, seed=5, model_options=SMALL)
    result = training.train_classifier(flipped, settings, log=None)
    assert result.positive_class == 0 and result.val_report["positive_class"] == 0
    assert result.val_report["positive"] == only_train.label_names[0]
    assert models.read_info(result.model)["positive_class"] == 0
    split = only_train.split("train")
    report = training.evaluate_classifier(result.model, split.images, split.labels, n_boot=0)
    assert report["n_positive"] == int(np.sum(split.labels == 0))


def test_resolve_positive_class_by_index_name_or_manifest(only_train):
    breast = data.Dataset(name="breastmnist", splits={}, label_names=["malignant", "benign"],
                          task="binary-class", source="test", positive_class=0)
    assert training.resolve_positive_class(breast) == 0
    assert training.resolve_positive_class(breast, "Benign") == 1
    assert training.resolve_positive_class(breast, "1") == 1
    assert training.resolve_positive_class(only_train) == 1  # nothing recorded: class 1
    with pytest.raises(ValueError, match="unknown positive class 'cancer'.*0 \\('malignant'\\)"):
        training.resolve_positive_class(breast, "cancer")
    with pytest.raises(ValueError, match="unknown positive class 2"):
        training.resolve_positive_class(breast, 2)


def test_default_settings_take_the_data_sets_own(monkeypatch):
    monkeypatch.setitem(training.DATASET_DEFAULTS, "breastmnist", {"epochs": 40})
    assert training.default_settings("breastmnist").epochs == 40
    assert training.default_settings("BreastMNIST", epochs=3, seed=None).epochs == 3
    assert training.default_settings("pneumoniamnist") == training.TrainSettings()
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        training.default_settings(None, epochs=0)
    with pytest.raises(ValueError, match="unknown training setting"):
        training.default_settings(None, epoch=3)


def test_compare_with_training_data_warns_or_refuses(trained_three, only_train):
    model = trained_three.model
    assert training.compare_with_training_data(model, three_classes()) == []
    renamed = data.Dataset(**{**vars(three_classes()), "name": "other",
                              "label_names": ["x", "y", "z"]})
    warnings = training.compare_with_training_data(model, renamed)
    assert len(warnings) == 2 and "'threemnist', not on 'other'" in warnings[0]
    with pytest.raises(ValueError, match="has 2 classes, but the model was trained on 3"):
        training.compare_with_training_data(model, only_train)


def test_settings_are_checked():
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        training.TrainSettings(epochs=0).check()
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        training.TrainSettings(seed=-1).check()
    with pytest.raises(ValueError, match="threshold method"):
        training.TrainSettings(threshold_method="magic").check()
    with pytest.raises(ValueError, match="holdout fraction"):
        training.TrainSettings(holdout_fraction=0.5).check()


# --------------------------------------------------------------------------- the recipe


def weights_after_one_epoch(train: Split, seed: int) -> list[np.ndarray]:
    """A small improved CNN (augmentation, batch norm, dropout: every random part) after one
    epoch of the recipe."""
    course.seed_everything(seed)
    model = models.build_improved_cnn(widths=(4,), convs_per_block=1, seed=seed)
    training.fit_binary(model, train, None, epochs=1, batch_size=32, seed=seed)
    return model.get_weights()


@pytest.mark.slow
def test_same_seed_same_model(tiny):
    train, _ = tiny
    first, second = weights_after_one_epoch(train, 7), weights_after_one_epoch(train, 7)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    other = weights_after_one_epoch(train, 8)
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_early_stopping_stops_when_the_validation_auc_stalls(tiny):
    train, val = tiny
    lines = []
    # a learning rate this small leaves the validation AUC unchanged: no epoch improves on the
    # first, so patience=1 stops after the second of ten
    history = training.fit_binary(models.build_figure3_cnn(), train, val, epochs=10,
                                  batch_size=32, learning_rate=1e-12, class_weight=True,
                                  patience=1, log=lines.append)
    assert len(history["loss"]) == 2
    assert {"loss", "auc", "val_loss", "val_auc"} <= set(history)
    assert history["best_epoch"] == [1]
    assert len(lines) == 2 and lines[1].startswith("epoch   2/10") and "val_auc" in lines[1]


def test_the_recipe_refuses_what_it_cannot_do(tiny):
    train, val = tiny
    with pytest.raises(ValueError, match="pass a val split"):
        training.fit_binary(models.build_figure3_cnn(), train, None, epochs=1, patience=2)
    with pytest.raises(ValueError, match="one sigmoid output"):
        training.fit_binary(models.build_figure3_cnn(n_classes=3), train, val, epochs=1)
    three = three_classes(n=12)
    with pytest.raises(ValueError, match="class index 2, but the model has 2 classes"):
        training.fit_classifier(models.build_figure3_cnn((28, 28, 3)), three.split("train"),
                                None, epochs=1)
    with pytest.raises(ValueError, match="positive_class must be 0 or 1"):
        training.fit_classifier(models.build_figure3_cnn(), train, val, epochs=1,
                                positive_class=2)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        training.fit_binary(models.build_figure3_cnn(), train, val, epochs=0)
    one_class = Split(val.images[val.labels == 1], val.labels[val.labels == 1])
    with pytest.raises(ValueError, match="single class"):
        training.fit_binary(models.build_figure3_cnn(), train, one_class, epochs=1)
    with pytest.raises(TypeError, match="data.Split"):
        training.fit_binary(models.build_figure3_cnn(), (train.images, train.labels), val,
                            epochs=1)


# --------------------------------------------------------------------------- building blocks


def test_class_weights_balance_the_classes():
    weights = training.compute_class_weights(np.array([0] * 10 + [1] * 90))
    assert weights == pytest.approx({0: 5.0, 1: 100 / 180})
    assert 10 * weights[0] == pytest.approx(90 * weights[1])
    with pytest.raises(ValueError, match="no training example"):
        training.compute_class_weights(np.array([0, 0, 2]))
    with pytest.raises(ValueError, match=r"class\(es\) \[2\]"):
        training.compute_class_weights(np.array([0, 1]), n_classes=3)


def numbered(labels: np.ndarray) -> Split:
    """A split whose image i holds the number i, so that parts can be traced back."""
    images = np.arange(len(labels), dtype=np.uint8).reshape(-1, 1, 1, 1)
    return Split(images, np.asarray(labels, dtype=np.int64))


def test_hold_out_is_stratified_disjoint_and_keeps_the_order():
    split = numbered(np.array([0] * 20 + [1] * 80))
    rest, held = training.hold_out(split, 0.25, seed=0)
    assert np.bincount(held.labels).tolist() == [5, 20]
    ids = np.r_[rest.images.ravel(), held.images.ravel()]
    assert sorted(ids.tolist()) == list(range(100))
    assert np.all(np.diff(rest.images.ravel().astype(int)) > 0)
    assert np.all(np.diff(held.images.ravel().astype(int)) > 0)
    again = training.hold_out(split, 0.25, seed=0)[1]
    np.testing.assert_array_equal(again.images, held.images)  # seeded
    assert len(training.hold_out(split, 10, seed=0)[1]) == 10  # a count works too


def test_hold_out_needs_two_images_of_every_class():
    with pytest.raises(ValueError, match="at least two of every class"):
        training.hold_out(numbered(np.array([0, 1, 1, 1])), 0.5, seed=0)
