"""helpers.data.offline: every file of the course fetched into one folder, which the course then
reads with no network. Served by the local fake server (conftest.py); nothing leaves 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from medmnist_fakes import GOOD_MD5, md5_of

from helpers import data
from helpers.data import locations, medmnist, offline
from helpers.transfer import imagenet

ROOT = Path(__file__).resolve().parents[2]
WEIGHTS = b"weights of a backbone"
WEIGHTS_NAME = imagenet.weights_name(offline.BACKBONE_SIZE)


class Loader:
    """Stands in for building the backbone: records the files it was given, accepts WEIGHTS."""

    def __init__(self) -> None:
        self.loaded: list[str] = []

    def __call__(self, size, weights):
        self.loaded.append(weights)
        if Path(weights).read_bytes() != WEIGHTS:
            raise ValueError("Unable to synchronously open file (file signature not found)")
        return Backbone()


class Backbone:
    trainable = True


@pytest.fixture
def weights_server(server):
    server.routes[f"/weights/{WEIGHTS_NAME}"] = ("ok", WEIGHTS)
    server.routes[f"/broken/{WEIGHTS_NAME}"] = ("ok", b"not an HDF5 file")
    return server


def kept_weights(folder: Path) -> Path:
    """Where the command keeps the weights in ``folder``."""
    return folder / imagenet.WEIGHTS_FOLDER / WEIGHTS_NAME


def fetch(folder, server, loader, base="/weights", **options):
    return offline.fetch_course_data(folder, flags=("goodmnist",), progress=False,
                                     weights_url=server.url(base), builder=loader, **options)


def test_every_file_lands_in_the_folder_checked(weights_server, tmp_path):
    loader = Loader()
    lines = fetch(tmp_path / "room", weights_server, loader)
    npz, weights = tmp_path / "room" / "goodmnist.npz", kept_weights(tmp_path / "room")
    assert md5_of(npz) == GOOD_MD5 and weights.read_bytes() == WEIGHTS
    assert loader.loaded == [str(weights)]
    assert lines[0].startswith("goodmnist") and "MD5 checked" in lines[0] and str(npz) in lines[0]
    assert lines[1].startswith("ImageNet weights") and "loaded, ok" in lines[1]


def test_a_second_run_downloads_nothing(weights_server, tmp_path):
    fetch(tmp_path / "room", weights_server, Loader())
    asked = list(weights_server.requests)
    loader = Loader()
    fetch(tmp_path / "room", weights_server, loader)
    assert weights_server.requests == asked and len(asked) == 2
    assert len(loader.loaded) == 1  # the kept weights are still checked by loading them


def test_the_course_reads_the_folder_with_no_network(weights_server, tmp_path, monkeypatch):
    fetch(tmp_path / "room", weights_server, Loader())
    weights_server.stop()
    monkeypatch.setenv(locations.CACHE_VARIABLE, str(tmp_path / "room"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    ds = data.load_dataset("goodmnist", allow_download=False)
    assert len(ds.split("train")) == 20
    assert imagenet.weights_file(offline.BACKBONE_SIZE) == kept_weights(tmp_path / "room")
    loader = Loader()
    monkeypatch.setattr(imagenet, "can_reach", lambda *args, **kwargs: pytest.fail("no network"))
    backbone, message = imagenet.load_imagenet_backbone(offline.BACKBONE_SIZE, builder=loader)
    assert message.startswith("ImageNet weights: loaded") and backbone.trainable is False
    assert loader.loaded == [str(kept_weights(tmp_path / "room"))]


def test_weights_that_do_not_load_are_not_kept(weights_server, tmp_path):
    with pytest.raises(RuntimeError) as error:
        fetch(tmp_path / "room", weights_server, Loader(), base="/broken")
    assert not (kept_weights(tmp_path / "room")).exists()
    text = str(error.value)
    assert "Could not get the ImageNet weights (ValueError: Unable" in text
    assert f"/broken/{WEIGHTS_NAME}" in text and "run the command again" in text
    assert (tmp_path / "room" / "goodmnist.npz").is_file()  # what was fetched before stays


def test_the_command_says_how_to_use_the_folder(weights_server, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(imagenet, "WEIGHTS_URL", weights_server.url("/weights"))
    monkeypatch.setattr(imagenet, "build_backbone", Loader())
    monkeypatch.setattr(offline, "COURSE_DATASETS", ("goodmnist",))
    assert offline.main([str(tmp_path / "room"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"{locations.CACHE_VARIABLE}={tmp_path / 'room'} make start" in out
    assert "goodmnist" in out and "ImageNet weights" in out


def test_a_failed_download_exits_2_with_what_to_do(server, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(offline, "COURSE_DATASETS", ("missingmnist",))
    assert offline.main([str(tmp_path / "room"), "--quiet", "--no-weights"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Could not get missingmnist") and "What to do" in err
    assert "Traceback" not in err


def test_the_list_names_every_medmnist_data_set_the_notebooks_load():
    known = set(medmnist.known_flags(medmnist.load_manifest()))
    named = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                named |= set(re.findall(r"[\"']([a-z]+mnist)[\"']", cell.source)) & known
    assert named and named <= set(offline.COURSE_DATASETS)
    assert set(offline.COURSE_DATASETS) <= known


@pytest.mark.slow  # builds MobileNetV2 twice (seconds)
def test_real_keras_weights_are_fetched_and_loaded(server, tmp_path):
    """A weights file in the layout Keras publishes (legacy HDF5, by layer name), made here from
    a randomly initialised backbone, goes through the real check: building the backbone with it."""
    import h5py
    import numpy as np
    from keras.src.legacy.saving import legacy_h5_format

    made = imagenet.build_backbone(offline.BACKBONE_SIZE, None)
    source = tmp_path / WEIGHTS_NAME
    with h5py.File(source, "w") as file:
        legacy_h5_format.save_weights_to_hdf5_group(file, made)
    server.routes[f"/real/{WEIGHTS_NAME}"] = ("ok", source.read_bytes())
    path = imagenet.fetch_weights(tmp_path / "room", offline.BACKBONE_SIZE,
                                  url=server.url("/real"), progress=False)
    loaded = imagenet.build_backbone(offline.BACKBONE_SIZE, str(path))
    assert all(np.array_equal(a, b) for a, b in zip(made.get_weights(), loaded.get_weights(),
                                                    strict=True))
