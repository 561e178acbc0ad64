"""helpers.data.locations: the one home of the data paths and environment variables."""

from __future__ import annotations

from pathlib import Path

from helpers import data
from helpers.data import locations

#: What every check run sets besides the data copies: progress recording off.
OFF = {"CNN_COURSE_PROGRESS": "off"}


def test_cache_dir_follows_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv(locations.CACHE_VARIABLE, str(tmp_path / "elsewhere"))
    assert locations.cache_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv(locations.CACHE_VARIABLE)
    import pooch

    assert locations.cache_dir() == Path(pooch.os_cache("cnn-medimg-course"))
    assert data.cache_dir is locations.cache_dir  # one function, re-exported


def test_mirror_url_is_none_unless_set(monkeypatch):
    monkeypatch.setenv(locations.URL_VARIABLE, "  ")
    assert locations.mirror_url() is None
    monkeypatch.setenv(locations.URL_VARIABLE, " http://mirror.example/{flag}.npz ")
    assert locations.mirror_url() == "http://mirror.example/{flag}.npz"


def test_the_manifest_is_package_data():
    assert locations.MANIFEST_PATH.parent == Path(data.__file__).parent
    assert locations.MANIFEST_PATH.name == "medmnist.json" and locations.MANIFEST_PATH.is_file()


def test_shared_copies_follow_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv(locations.SHARED_DATASETS_VARIABLE, str(tmp_path))
    assert locations.shared_datasets_dir() == tmp_path
    assert locations.shared_dataset(locations.PNEUMONIA_TRAINVAL) is None
    assert locations.notebook_environment() == OFF
    (tmp_path / locations.PNEUMONIA_TRAINVAL).write_bytes(b"")
    assert locations.shared_dataset() == tmp_path / "pneumoniamnist_v2_trainval.npz"
    assert locations.notebook_environment() == {**OFF,
        "CNN_COURSE_PNEUMONIA_DATA": str(tmp_path / "pneumoniamnist_v2_trainval.npz")}
    (tmp_path / locations.RETINA_TRAINVAL).write_bytes(b"")
    assert locations.notebook_environment() == {**OFF,
        "CNN_COURSE_PNEUMONIA_DATA": str(tmp_path / "pneumoniamnist_v2_trainval.npz"),
        "CNN_COURSE_RETINA_DATA": str(tmp_path / "retinamnist_trainval.npz")}
    monkeypatch.setenv(locations.SHARED_DATASETS_VARIABLE, str(tmp_path / "nowhere"))
    assert locations.shared_datasets_dir() is None and locations.shared_dataset() is None


def test_retina_variable_is_documented_and_used_alone(monkeypatch, tmp_path):
    """Notebook 06 reads CNN_COURSE_RETINA_DATA; the table of variables documents it."""
    assert locations.RETINA_DATA_VARIABLE == "CNN_COURSE_RETINA_DATA"
    assert "``CNN_COURSE_RETINA_DATA``" in locations.__doc__
    monkeypatch.setenv(locations.SHARED_DATASETS_VARIABLE, str(tmp_path))
    (tmp_path / locations.RETINA_TRAINVAL).write_bytes(b"")
    assert locations.notebook_environment() == {**OFF,
        "CNN_COURSE_RETINA_DATA": str(tmp_path / "retinamnist_trainval.npz")}


def test_breast_variable_is_documented_and_points_at_the_shared_copy(monkeypatch, tmp_path):
    """Notebook 08 reads CNN_COURSE_BREAST_DATA; the checks point it at the BreastMNIST copy."""
    assert locations.BREAST_DATA_VARIABLE == "CNN_COURSE_BREAST_DATA"
    assert "``CNN_COURSE_BREAST_DATA``" in locations.__doc__
    monkeypatch.setenv(locations.SHARED_DATASETS_VARIABLE, str(tmp_path))
    assert locations.BREAST_DATA_VARIABLE not in locations.notebook_environment()
    (tmp_path / locations.BREAST_TRAINVAL).write_bytes(b"")
    assert locations.notebook_environment() == {**OFF,
        "CNN_COURSE_BREAST_DATA": str(tmp_path / "breastmnist_trainval.npz")}


def test_progress_file_lives_in_the_data_folder_unless_moved_or_off(monkeypatch, tmp_path):
    monkeypatch.delenv(locations.PROGRESS_VARIABLE, raising=False)
    monkeypatch.setenv(locations.CACHE_VARIABLE, str(tmp_path / "data"))
    assert locations.progress_file() == tmp_path / "data" / "progress.json"
    monkeypatch.setenv(locations.PROGRESS_VARIABLE, str(tmp_path / "mine.json"))
    assert locations.progress_file() == tmp_path / "mine.json"
    monkeypatch.setenv(locations.PROGRESS_VARIABLE, "OFF")
    assert locations.progress_file() is None
    assert "``CNN_COURSE_PROGRESS``" in locations.__doc__


def test_the_checks_run_notebooks_with_progress_off(monkeypatch, tmp_path):
    """nbval, the browser tests and a refresh take their variables from notebook_environment."""
    monkeypatch.setenv(locations.SHARED_DATASETS_VARIABLE, str(tmp_path))
    for name, value in locations.notebook_environment().items():
        monkeypatch.setenv(name, value)
    assert locations.progress_file() is None
