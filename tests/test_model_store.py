"""The course model is trained once and reused only for the same data and settings."""

import numpy as np
import pytest

from helpers import data, hygiene, model_store, training

#: A small network: the store, not the model, is under test.
TINY = {"model_options": {"widths": (4,), "convs_per_block": 1, "augment": False}}


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("CNN_COURSE_DATA", str(tmp_path))
    return tmp_path / "models"


def small_study():
    chest = data.make_synthetic_chest(n_train=96, n_val=48, n_test=0, seed=3)
    return hygiene.split_for_study(chest, seed=0)


def test_a_second_call_loads_the_same_model_and_a_damaged_file_is_trained_again(store):
    dataset = small_study().as_dataset()
    settings = training.default_settings(dataset.name, epochs=1, batch_size=32, **TINY)
    first = model_store.train_or_load(dataset, settings, log=None)
    assert first.trained_now and first.path.parent == store and first.path.is_file()
    second = model_store.train_or_load(dataset, settings, log=None)
    assert not second.trained_now and second.path == first.path
    assert second.threshold == pytest.approx(first.threshold)
    assert second.history == first.history
    images = dataset.split("val").images
    np.testing.assert_allclose(first.model.predict(images, verbose=0),
                               second.model.predict(images, verbose=0), atol=1e-6)
    assert "loaded" in second.summary() and "trained now" in first.summary()
    first.path.write_bytes(b"not a model")  # a damaged file is trained again
    assert model_store.train_or_load(dataset, settings, log=None).trained_now


def test_other_settings_or_data_never_reuse_a_model(store):
    study = small_study()
    dataset = study.as_dataset()
    settings = training.default_settings(dataset.name, epochs=1, batch_size=32)
    key = model_store.fingerprint(dataset, settings)
    assert model_store.fingerprint(dataset, training.default_settings(
        dataset.name, epochs=2, batch_size=32)) != key
    flipped = study.as_dataset()
    flipped.splits["train"] = data.Split(flipped.splits["train"].images[::-1].copy(),
                                         flipped.splits["train"].labels[::-1].copy())
    assert model_store.fingerprint(flipped, settings) != key


def test_the_study_as_a_dataset_keeps_its_splits():
    study = small_study()
    dataset = study.as_dataset()
    assert dataset.split("test") is study.test and dataset.split("train") is study.train
    assert dataset.label_names == study.label_names


def test_a_folder_that_cannot_be_written_still_gives_the_model(tmp_path, monkeypatch, capsys):
    (tmp_path / "models").write_text("a file where the store's folder would be")  # even root fails
    monkeypatch.setenv("CNN_COURSE_DATA", str(tmp_path))
    dataset = small_study().as_dataset()
    settings = training.default_settings(dataset.name, epochs=1, batch_size=32, **TINY)
    result = model_store.train_or_load(dataset, settings, log=None)
    assert result.trained_now and result.path is None and "not kept" in result.summary()
    out = capsys.readouterr().out
    assert "Could not keep the trained model" in out and "CNN_COURSE_DATA" in out
    assert result.model.predict(dataset.split("val").images[:2], verbose=0).shape == (2, 1)
