"""Fixtures of the data tests: an isolated cache for every test, a manifest of fake data sets,
and a download server on 127.0.0.1 (``fake_server.py``). No test touches the network."""

from __future__ import annotations

import json

import pytest
from fake_server import FakeServer
from medmnist_fakes import CORRUPT, FAKE_FLAGS, GOOD, GOOD_MD5

from helpers.data import locations, medmnist


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Every test gets its own cache folder, no URL override and no proxy for 127.0.0.1."""
    monkeypatch.setenv(locations.CACHE_VARIABLE, str(tmp_path / "cache"))
    monkeypatch.delenv(locations.URL_VARIABLE, raising=False)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    monkeypatch.setattr(medmnist, "TIMEOUT_S", 10.0)
    return tmp_path / "cache"


@pytest.fixture
def fake_manifest(tmp_path, monkeypatch):
    """A manifest whose data sets all expect the GOOD file (the server decides what they get)."""
    manifest = json.loads(locations.MANIFEST_PATH.read_text(encoding="utf-8"))
    for flag in FAKE_FLAGS:
        manifest["datasets"][flag] = {
            "url": f"https://example.invalid/{flag}.npz", "md5": GOOD_MD5,
            "sizes": {"64": GOOD_MD5}, "channels": 1,
            "task": "binary-class", "label_names": {"0": "normal", "1": "pneumonia"},
            "splits": {"train": 20, "val": 6, "test": 8}, "license": "CC0", "citation": [],
            "note": "test fixture",
        }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setattr(locations, "MANIFEST_PATH", path)  # where medmnist.load_manifest reads it
    return manifest


@pytest.fixture
def server(fake_manifest, monkeypatch):
    """The fake data sets served on 127.0.0.1: good, corrupt, truncated, dropped, and 404."""
    routes = {"/goodmnist.npz": ("ok", GOOD), "/goodmnist_64.npz": ("ok", GOOD),
              "/corruptmnist.npz": ("ok", CORRUPT), "/corruptmnist_64.npz": ("ok", CORRUPT),
              "/truncatedmnist.npz": ("truncate", GOOD), "/droppedmnist.npz": ("drop", GOOD)}
    with FakeServer(routes) as running:
        monkeypatch.setenv(locations.URL_VARIABLE, running.url("/{flag}.npz"))
        yield running
