"""helpers.data.load_dataset, the one entry point: names, paths, the cache and the fallback.

Downloads go to ``fake_server.py`` on 127.0.0.1 only (fixtures in ``conftest.py``).
"""

from __future__ import annotations

import pytest
from medmnist_fakes import GOOD_MD5, listing, medmnist_arrays, save_png, write_npz

from helpers import data


def test_load_dataset_dispatches_on_names_and_paths(tmp_path):
    assert data.load_dataset("synthetic").source == data.SYNTHETIC_SOURCE
    npz = write_npz(tmp_path / "mine.npz", medmnist_arrays())
    assert data.load_dataset(str(npz)).source.startswith("MedMNIST file")
    assert data.load_dataset(npz).name == "mine"
    save_png(tmp_path / "folder" / "a" / "1.png")
    assert data.load_dataset(str(tmp_path / "folder")).label_names == ["a"]
    with pytest.raises(ValueError, match="unknown data set 'chestmnist': use one of bloodmnist, "
                                         "breastmnist, dermamnist, pneumoniamnist, "
                                         "retinamnist, 'synthetic'"):
        data.load_dataset("chestmnist")
    with pytest.raises(FileNotFoundError):
        data.load_dataset(str(tmp_path / "missing.npz"))


def test_load_dataset_reads_a_flag_from_the_cache(server, isolated):
    data.download("goodmnist", progress=False)
    server.stop()
    ds = data.load_dataset("GoodMNIST", allow_download=False)
    assert ds.name == "goodmnist" and ds.source == f"MedMNIST file {isolated / 'goodmnist.npz'}"


def test_load_dataset_falls_back_to_synthetic_when_asked(server, isolated, capsys):
    with pytest.raises(data.DownloadError, match="HTTP 404"):
        data.load_dataset("missingmnist")
    ds = data.load_dataset("missingmnist", fallback=True)
    assert ds.source == data.SYNTHETIC_SOURCE
    out = capsys.readouterr().out
    assert "using SYNTHETIC chest images instead of missingmnist" in out and "HTTP 404" in out
    assert str(isolated / "missingmnist.npz") in out and GOOD_MD5 in out
    assert listing(isolated) == []


def test_load_dataset_without_downloads_never_asks_the_server(server, isolated, capsys):
    with pytest.raises(data.DownloadError, match="downloads are switched off") as caught:
        data.load_dataset("goodmnist", allow_download=False)
    assert "allow_download=True" in str(caught.value) and "try again" not in str(caught.value)
    assert str(isolated / "goodmnist.npz") in str(caught.value)
    ds = data.load_dataset("goodmnist", allow_download=False, fallback=True)
    assert ds.source == data.SYNTHETIC_SOURCE and "SYNTHETIC" in capsys.readouterr().out
    assert server.requests == []


def test_evaluation_split_prefers_the_official_test_split():
    both = data.make_synthetic_chest(n_train=10, n_val=6, n_test=4)
    split, name = both.evaluation_split()
    assert name == "test" and len(split) == 4
    del both.splits["test"]
    assert both.evaluation_split()[1] == "val"
    del both.splits["val"]
    with pytest.raises(ValueError, match="neither a test nor a val"):
        both.evaluation_split()
