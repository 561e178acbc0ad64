"""helpers.data.medmnist: the manifest and checked downloads, against a local server only.

Every download goes to ``fake_server.py`` on 127.0.0.1 (fixtures in ``conftest.py``); no test
touches the network.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from medmnist_fakes import GOOD, GOOD_MD5, listing, md5_of

from helpers import data
from helpers.data import locations, medmnist

# --------------------------------------------------------------------------------------------
# Manifest


def test_manifest_lists_the_course_datasets_with_their_facts():
    manifest = data.load_manifest()
    datasets = manifest["datasets"]
    assert set(datasets) == {"pneumoniamnist", "breastmnist", "retinamnist", "bloodmnist",
                             "dermamnist"}
    md5 = {"pneumoniamnist": "28209eda62fecd6e6a2d98b1501bb15f",
           "breastmnist": "750601b1f35ba3300ea97c75c52ff8f6",
           "bloodmnist": "7053d0359d879ad8a5505303e11de1dc",
           "dermamnist": "0744692d530f8e62ec473284d019b0c7",
           "retinamnist": "bd4c0672f1bba3e3a89f0e4e876791e4"}
    for flag, entry in datasets.items():
        assert entry["md5"] == md5[flag]
        assert entry["url"] == f"https://zenodo.org/records/10519652/files/{flag}.npz?download=1"
        assert entry["url"] == manifest["url_pattern"].format(flag=flag)
        assert entry["image_size"] == 28
        assert entry["task"] in ("binary-class", "multi-class", "ordinal-regression")
        assert sorted(entry["label_names"], key=int) == [str(i) for i in range(len(entry["label_names"]))]
        assert set(entry["splits"]) == {"train", "val", "test"}
        assert any("Scientific Data 10, 41 (2023)" in c for c in entry["citation"])
        assert len(entry["citation"]) >= 2, f"{flag} must also cite its source data set"
        assert entry["license"] == ("CC BY-NC 4.0" if flag == "dermamnist" else "CC BY 4.0")
    pneumonia = datasets["pneumoniamnist"]
    assert pneumonia["splits"] == {"train": 4708, "val": 524, "test": 624}
    assert pneumonia["label_names"] == {"0": "normal", "1": "pneumonia"}
    assert (pneumonia["channels"], pneumonia["task"]) == (1, "binary-class")
    assert any("Kermany" in c and "Cell 172(5)" in c for c in pneumonia["citation"])
    breast = datasets["breastmnist"]
    assert breast["label_names"]["0"] == "malignant"
    assert "benign" in breast["label_names"]["1"] and "normal" in breast["label_names"]["1"]
    assert "malignant" in breast["note"].lower() and "positive" in breast["note"].lower()
    assert (datasets["bloodmnist"]["channels"], len(datasets["bloodmnist"]["label_names"])) == (3, 8)
    assert (datasets["dermamnist"]["channels"], len(datasets["dermamnist"]["label_names"])) == (3, 7)
    assert (pneumonia["positive_class"], breast["positive_class"]) == (1, 0)  # the disease
    retina = datasets["retinamnist"]
    assert retina["splits"] == {"train": 1080, "val": 120, "test": 400}
    assert (retina["channels"], retina["task"]) == (3, "ordinal-regression")
    assert data.medmnist.label_names(retina) == [f"grade {i}" for i in range(5)]
    assert any("DeepDRiD" in c and "Patterns 3(6)" in c for c in retina["citation"])


# --------------------------------------------------------------------------------------------
# Downloads (local server only)


def test_download_verifies_and_caches_the_file(server, isolated):
    path = data.download("goodmnist", progress=False)
    assert path == isolated / "goodmnist.npz"
    assert md5_of(path) == GOOD_MD5
    assert listing(isolated) == ["goodmnist.npz"]
    ds = data.load_npz(path)
    assert ds.name == "goodmnist" and ds.label_names == ["normal", "pneumonia"]
    assert ds.split("train").images.shape == (20, 28, 28, 1)


def test_cached_file_is_reused_without_network(server, isolated):
    data.download("goodmnist", progress=False)
    asked = list(server.requests)
    server.stop()  # from now on nothing answers on that port
    assert data.download("goodmnist", progress=False) == isolated / "goodmnist.npz"
    ds = data.load_dataset("goodmnist")
    assert len(ds.split("test")) == 8
    assert server.requests == asked == ["/goodmnist.npz"]


def test_download_shows_progress_and_the_target(server, isolated, capsys):
    data.download("goodmnist", progress=True)
    out = capsys.readouterr().out
    assert "Downloading goodmnist" in out and str(isolated / "goodmnist.npz") in out
    assert f"MD5 verified ({GOOD_MD5})" in out


@pytest.mark.parametrize(("flag", "expected"), [
    ("corruptmnist", ["damaged or not the expected file", f"expected {GOOD_MD5}", "its MD5 is "]),
    ("truncatedmnist", ["dropped before the whole file arrived", "more expected"]),
    ("droppedmnist", ["dropped before the whole file arrived", "connection was reset"]),
    ("missingmnist", ["HTTP 404", "not at that address"]),
])
def test_failed_downloads_leave_nothing_and_say_what_to_do(server, isolated, flag, expected):
    with pytest.raises(data.DownloadError) as caught:
        data.download(flag, progress=False)
    error = caught.value
    assert isinstance(error, RuntimeError)
    message = str(error)
    for text in expected:
        assert text in message
    url = server.url(f"/{flag}.npz")
    for text in ("try again", "check the network", url, str(isolated / f"{flag}.npz"), GOOD_MD5,
                 "Nothing was written to the cache"):
        assert text in message
    assert (error.flag, error.url, error.path, error.md5) == (
        flag, url, isolated / f"{flag}.npz", GOOD_MD5)
    assert listing(isolated) == [], "a failed download must leave nothing in the cache"
    assert server.requests == [f"/{flag}.npz"]


def test_interrupted_download_leaves_nothing(server, isolated, monkeypatch):
    """Ctrl-C (KeyboardInterrupt) half-way through: it propagates, and the cache stays clean."""
    import pooch

    def half_then_interrupt(self, url, output_file, pooch_, check_only=False):
        Path(output_file).write_bytes(GOOD[: len(GOOD) // 2])
        raise KeyboardInterrupt

    monkeypatch.setattr(pooch.HTTPDownloader, "__call__", half_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        data.download("goodmnist", progress=False)
    assert listing(isolated) == []


def test_unreachable_server_gives_a_download_error(server, isolated):
    server.stop()
    with pytest.raises(data.DownloadError, match="could not connect to 127.0.0.1"):
        data.download("goodmnist", progress=False)
    assert listing(isolated) == []


def test_damaged_cached_file_is_downloaded_again(server, isolated, capsys):
    isolated.mkdir(parents=True)
    (isolated / "goodmnist.npz").write_bytes(GOOD[: len(GOOD) // 2])
    path = data.download("goodmnist", progress=False)
    assert md5_of(path) == GOOD_MD5
    assert "wrong MD5" in capsys.readouterr().out
    assert listing(isolated) == ["goodmnist.npz"]


def test_damaged_cached_file_without_network_is_reported_not_used(server, isolated):
    isolated.mkdir(parents=True)
    (isolated / "goodmnist.npz").write_bytes(b"placed by hand, wrong file")
    server.stop()
    with pytest.raises(data.DownloadError) as caught:
        data.download("goodmnist", progress=False)
    assert "The file already at" in str(caught.value) and "Delete or replace it" in str(caught.value)
    assert listing(isolated) == ["goodmnist.npz"]  # the user's file is left alone


def test_leftovers_of_a_killed_download_are_removed(server, isolated):
    stale = isolated / ".partial-goodmnist-old"
    stale.mkdir(parents=True)
    (stale / "tmpabc").write_bytes(b"half a file")
    old = time.time() - 2 * medmnist.STALE_PARTIAL_S
    for p in (stale / "tmpabc", stale):
        os.utime(p, (old, old))
    busy = isolated / ".partial-goodmnist-running"  # another process may be downloading now
    busy.mkdir()
    data.download("goodmnist", progress=False)
    assert listing(isolated) == [".partial-goodmnist-running", "goodmnist.npz"]


def test_url_argument_replaces_the_manifest_url(server, isolated, monkeypatch):
    monkeypatch.delenv(locations.URL_VARIABLE)
    base = server.url()  # a base URL without {flag} gets /<flag>.npz appended
    assert md5_of(data.download("goodmnist", progress=False, url=base)) == GOOD_MD5


def test_unknown_flag_is_a_value_error():
    with pytest.raises(ValueError, match="known: bloodmnist, breastmnist, dermamnist, "
                                         "pneumoniamnist, retinamnist"):
        data.download("chestmnist")


# --------------------------------------------------------------------------------------------
# MedMNIST+ sizes


#: MD5s of MedMNIST's own table (medmnist/info.py of the MedMNIST/MedMNIST repository).
SIZED_MD5 = {
    ("pneumoniamnist", 64): "8f4eceb4ccffa70c672198ea285246c6",
    ("pneumoniamnist", 224): "d6a3c71de1b945ea11211b03746c1fe1",
    ("breastmnist", 128): "363e4b3f8d712e9b5de15470a2aaadf1",
    ("retinamnist", 64): "afda852cc34dcda56f86ad2b2457dbcc",
    ("bloodmnist", 224): "b718ff6835fcbdb22ba9eacccd7b2601",
    ("dermamnist", 64): "b70a2f5635c6199aeaa28c31d7202e1f",
}


def test_manifest_lists_the_medmnist_plus_sizes_with_their_md5s():
    manifest = data.load_manifest()
    for flag, entry in manifest["datasets"].items():
        assert medmnist.known_sizes(entry) == [28, 64, 128, 224], flag
        assert len(set(entry["sizes"].values()) | {entry["md5"]}) == 4, flag
    for (flag, size), md5 in SIZED_MD5.items():
        assert medmnist.expected_md5(flag, size) == md5
    assert medmnist.expected_md5("breastmnist", 28) == "750601b1f35ba3300ea97c75c52ff8f6"
    url = medmnist._plan("breastmnist", None, None, 128)[3]
    assert url == "https://zenodo.org/records/10519652/files/breastmnist_128.npz?download=1"
    with pytest.raises(ValueError, match="unknown image size 32 for breastmnist: use one of "
                                         "28, 64, 128, 224"):
        medmnist.expected_md5("breastmnist", 32)


def test_sized_download_uses_its_own_file_and_md5(server, isolated):
    path = data.download("goodmnist", progress=False, size=64)
    assert path == isolated / "goodmnist_64.npz" and md5_of(path) == GOOD_MD5
    assert server.requests == ["/goodmnist_64.npz"]
    assert data.load_dataset("goodmnist", size=64).name == "goodmnist"
    assert server.requests == ["/goodmnist_64.npz"]  # reused from the cache
    with pytest.raises(data.DownloadError, match="damaged or not the expected file"):
        data.download("corruptmnist", progress=False, size=64)
    assert listing(isolated) == ["goodmnist_64.npz"]


def test_sizes_apply_to_flags_only():
    with pytest.raises(ValueError, match="only be chosen for a MedMNIST flag"):
        data.load_dataset("synthetic", size=64)
    with pytest.raises(ValueError, match="unknown image size 100"):
        data.load_dataset("breastmnist", size=100)


def test_offered_sizes_are_the_manifests():
    assert medmnist.offered_sizes() == [28, 64, 128, 224]
    only_28 = {"datasets": {"a": {"md5": "0" * 32}, "b": {"md5": "1" * 32, "sizes": {}}}}
    assert medmnist.offered_sizes(only_28) == [28]
