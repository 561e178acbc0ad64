"""helpers.data: the MedMNIST manifest, downloads (against a local server only), .npz and image
folder loading, the synthetic fallback and load_dataset's dispatch. No test touches the network:
every download goes to tests/fake_server.py on 127.0.0.1."""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import time
from pathlib import Path

import numpy as np
import pytest
from fake_server import FakeServer
from PIL import Image

from helpers import data

REPO_ROOT = Path(__file__).resolve().parents[1]
REAL_FILE = REPO_ROOT.parent / "shared" / "datasets" / "pneumoniamnist_trainval.npz"


# --------------------------------------------------------------------------------------------
# Fixtures


def medmnist_arrays(sizes=(20, 6, 8), channels=1, classes=2, seed=0) -> dict[str, np.ndarray]:
    """Small arrays in the MedMNIST layout: images (N, 28, 28[, 3]) uint8, labels (N, 1) uint8."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for split, n in zip(data.SPLITS, sizes, strict=True):
        shape = (n, 28, 28) if channels == 1 else (n, 28, 28, channels)
        arrays[f"{split}_images"] = rng.integers(0, 256, shape, dtype=np.uint8)
        arrays[f"{split}_labels"] = (np.arange(n) % classes).astype(np.uint8).reshape(n, 1)
    return arrays


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def write_npz(path: Path, arrays: dict[str, np.ndarray], compressed: bool = True) -> Path:
    (np.savez_compressed if compressed else np.savez)(path, **arrays)
    return path


GOOD = npz_bytes(medmnist_arrays())
GOOD_MD5 = hashlib.md5(GOOD).hexdigest()
CORRUPT = GOOD[:-100] + bytes(b ^ 0xFF for b in GOOD[-100:])  # same length, other bytes
FAKE_FLAGS = ("goodmnist", "corruptmnist", "truncatedmnist", "droppedmnist", "missingmnist")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Every test gets its own cache folder, no URL override and no proxy for 127.0.0.1."""
    monkeypatch.setenv(data.CACHE_VARIABLE, str(tmp_path / "cache"))
    monkeypatch.delenv(data.URL_VARIABLE, raising=False)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    monkeypatch.setattr(data, "TIMEOUT_S", 10.0)
    return tmp_path / "cache"


@pytest.fixture
def fake_manifest(tmp_path, monkeypatch):
    """A manifest whose data sets all expect the GOOD file (the server decides what they get)."""
    manifest = json.loads(data.MANIFEST_PATH.read_text(encoding="utf-8"))
    for flag in FAKE_FLAGS:
        manifest["datasets"][flag] = {
            "url": f"https://example.invalid/{flag}.npz", "md5": GOOD_MD5, "channels": 1,
            "task": "binary-class", "label_names": {"0": "normal", "1": "pneumonia"},
            "splits": {"train": 20, "val": 6, "test": 8}, "license": "CC0", "citation": [],
            "note": "test fixture",
        }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setattr(data, "MANIFEST_PATH", path)
    return manifest


@pytest.fixture
def server(fake_manifest, monkeypatch):
    routes = {"/goodmnist.npz": ("ok", GOOD), "/corruptmnist.npz": ("ok", CORRUPT),
              "/truncatedmnist.npz": ("truncate", GOOD), "/droppedmnist.npz": ("drop", GOOD)}
    with FakeServer(routes) as running:
        monkeypatch.setenv(data.URL_VARIABLE, running.url("/{flag}.npz"))
        yield running


def listing(folder: Path) -> list[str]:
    """Everything in the cache folder, hidden files and subfolders included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def md5_of(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------------------------
# Manifest


def test_manifest_lists_the_course_datasets_with_their_facts():
    manifest = data.load_manifest()
    datasets = manifest["datasets"]
    assert set(datasets) == {"pneumoniamnist", "breastmnist", "bloodmnist", "dermamnist"}
    md5 = {"pneumoniamnist": "28209eda62fecd6e6a2d98b1501bb15f",
           "breastmnist": "750601b1f35ba3300ea97c75c52ff8f6",
           "bloodmnist": "7053d0359d879ad8a5505303e11de1dc",
           "dermamnist": "0744692d530f8e62ec473284d019b0c7"}
    for flag, entry in datasets.items():
        assert entry["md5"] == md5[flag]
        assert entry["url"] == f"https://zenodo.org/records/10519652/files/{flag}.npz?download=1"
        assert entry["url"] == manifest["url_pattern"].format(flag=flag)
        assert entry["image_size"] == 28
        assert entry["task"] in ("binary-class", "multi-class")
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


def test_cache_dir_follows_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv(data.CACHE_VARIABLE, str(tmp_path / "elsewhere"))
    assert data.cache_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv(data.CACHE_VARIABLE)
    import pooch

    assert data.cache_dir() == Path(pooch.os_cache("cnn-medimg-course"))


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
    old = time.time() - 2 * data.STALE_PARTIAL_S
    for p in (stale / "tmpabc", stale):
        os.utime(p, (old, old))
    busy = isolated / ".partial-goodmnist-running"  # another process may be downloading now
    busy.mkdir()
    data.download("goodmnist", progress=False)
    assert listing(isolated) == [".partial-goodmnist-running", "goodmnist.npz"]


def test_url_argument_replaces_the_manifest_url(server, isolated, monkeypatch):
    monkeypatch.delenv(data.URL_VARIABLE)
    base = server.url()  # a base URL without {flag} gets /<flag>.npz appended
    assert md5_of(data.download("goodmnist", progress=False, url=base)) == GOOD_MD5


def test_unknown_flag_is_a_value_error():
    with pytest.raises(ValueError, match="known: bloodmnist, breastmnist, dermamnist"):
        data.download("chestmnist")


# --------------------------------------------------------------------------------------------
# load_npz


def test_load_npz_converts_to_the_course_layout(tmp_path):
    arrays = medmnist_arrays(classes=2)
    ds = data.load_npz(write_npz(tmp_path / "pneumoniamnist_mine.npz", arrays))
    assert ds.name == "pneumoniamnist"
    assert ds.label_names == ["normal", "pneumonia"] and ds.task == "binary-class"
    train = ds.split("train")
    assert train.images.shape == (20, 28, 28, 1) and train.images.dtype == np.uint8
    assert train.labels.shape == (20,) and train.labels.dtype == np.int64
    np.testing.assert_array_equal(train.images[..., 0], arrays["train_images"])
    assert ds.source == f"MedMNIST file {tmp_path / 'pneumoniamnist_mine.npz'}"


def test_load_npz_colour_and_generic_names(tmp_path):
    ds = data.load_npz(write_npz(tmp_path / "cells.npz", medmnist_arrays(channels=3, classes=3)))
    assert ds.split("val").images.shape == (6, 28, 28, 3)
    assert ds.label_names == ["class 0", "class 1", "class 2"] and ds.task == "multi-class"
    assert ds.name == "cells"
    named = data.load_npz(tmp_path / "cells.npz", name="bloodmnist")
    assert named.label_names[0] == "basophil" and named.name == "bloodmnist"


def test_breastmnist_label_order_is_malignant_first(tmp_path):
    ds = data.load_npz(write_npz(tmp_path / "x.npz", medmnist_arrays()), name="breastmnist")
    assert ds.label_names[0] == "malignant" and "benign" in ds.label_names[1]


def test_absent_splits_are_reported_not_fatal(tmp_path):
    arrays = {k: v for k, v in medmnist_arrays().items() if not k.startswith("test")}
    ds = data.load_npz(write_npz(tmp_path / "trainval.npz", arrays))
    assert list(ds.splits) == ["train", "val"]
    assert "no test split" in ds.source
    assert "test  absent" in ds.describe()
    with pytest.raises(ValueError, match="no 'test' split .* available splits: train, val"):
        ds.split("test")


BAD_FILES = {
    "keras-style keys": ({"x_train": np.zeros((2, 28, 28), np.uint8),
                          "y_train": np.zeros(2, np.uint8)},
                         ["Expected keys: train_images, train_labels", "found: x_train, y_train"]),
    "images without labels": ({"train_images": np.zeros((2, 28, 28), np.uint8)},
                              ["train split(s) have images without labels"]),
    "float images": ({"train_images": np.zeros((2, 28, 28), np.float32),
                      "train_labels": np.zeros((2, 1), np.uint8)}, ["float32", "expected uint8"]),
    "float labels": ({"train_images": np.zeros((2, 28, 28), np.uint8),
                      "train_labels": np.zeros((2, 1), np.float64)}, ["float64", "integer"]),
    "length mismatch": ({"train_images": np.zeros((3, 28, 28), np.uint8),
                         "train_labels": np.zeros((2, 1), np.uint8)},
                        ["3 images but 2 labels"]),
    "flat images": ({"train_images": np.zeros((2, 784), np.uint8),
                     "train_labels": np.zeros((2, 1), np.uint8)}, ["shape (2, 784)"]),
    "channels first": ({"train_images": np.zeros((2, 3, 28, 28), np.uint8),
                        "train_labels": np.zeros((2, 1), np.uint8)}, ["channels-first"]),
    "multi-label": ({"train_images": np.zeros((2, 28, 28), np.uint8),
                     "train_labels": np.zeros((2, 14), np.uint8)}, ["multi-label"]),
    "split sizes differ": ({"train_images": np.zeros((2, 28, 28), np.uint8),
                            "train_labels": np.zeros((2, 1), np.uint8),
                            "val_images": np.zeros((2, 32, 32), np.uint8),
                            "val_labels": np.zeros((2, 1), np.uint8)}, ["different image shapes"]),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_load_npz_rejects_bad_contents_clearly(tmp_path, case):
    arrays, expected = BAD_FILES[case]
    path = write_npz(tmp_path / "bad.npz", arrays)
    with pytest.raises(ValueError) as caught:
        data.load_npz(path)
    for text in expected:
        assert text in str(caught.value)
    assert str(path) in str(caught.value)


def test_load_npz_never_unpickles_object_arrays(tmp_path, monkeypatch):
    arrays = medmnist_arrays()
    arrays["train_labels"] = np.array([{"label": 1}] * 20, dtype=object)
    path = write_npz(tmp_path / "objects.npz", arrays, compressed=False)
    calls = []
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: calls.append(a))
    with pytest.raises(ValueError, match="'train_labels' .* Python objects .* never loads"):
        data.load_npz(path)
    assert calls == []


def test_load_npz_rejects_files_that_are_not_npz(tmp_path):
    cases = {
        "page.npz": (b"<!DOCTYPE html><html>Too many requests</html>", "looks like a web page"),
        "text.npz": (b"just some text", "is not a zip/npz file"),
        "empty.npz": (b"", "is empty"),
        "pickle.npz": (pickle.dumps({"train_images": 1}), "pickled Python objects"),
        "half.npz": (GOOD[: len(GOOD) // 2], "damaged or incomplete"),
    }
    for name, (content, expected) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ValueError, match=expected):
            data.load_npz(tmp_path / name)
    np.save(tmp_path / "single.npy", np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ValueError, match=r"single NumPy array \(.npy format\)"):
        data.load_npz(tmp_path / "single.npy")
    with pytest.raises(FileNotFoundError):
        data.load_npz(tmp_path / "nothing.npz")


def test_labels_beyond_the_manifest_classes_are_rejected(tmp_path):
    path = write_npz(tmp_path / "pneumoniamnist.npz", medmnist_arrays(classes=3))
    with pytest.raises(ValueError, match="class index 2, but pneumoniamnist has only 2 classes"):
        data.load_npz(path)


# --------------------------------------------------------------------------------------------
# Image folders


def save_png(path: Path, size=(40, 30), mode="L", value=128) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode == "I;16":
        array = np.linspace(0, 4000, size[0] * size[1]).reshape(size[1], size[0])
        Image.fromarray(array.astype(np.uint16)).save(path)
    else:
        Image.new(mode, size, value if mode == "L" else (value, 0, 255 - value)).save(path)


def test_image_folder_with_class_subfolders(tmp_path):
    root = tmp_path / "xrays"
    save_png(root / "pneumonia" / "b.png", value=200)
    save_png(root / "pneumonia" / "a.jpg", size=(50, 60), value=220)
    save_png(root / "normal" / "n1.png", mode="RGB")
    save_png(root / "normal" / "16bit.png", mode="I;16")
    (root / "normal" / ".DS_Store").write_bytes(b"ignored")
    ds = data.load_image_folder(root)
    assert ds.label_names == ["normal", "pneumonia"] and ds.task == "binary-class"
    assert list(ds.splits) == ["train"]
    train = ds.split("train")
    assert train.images.shape == (4, 28, 28, 1) and train.images.dtype == np.uint8
    assert train.labels.tolist() == [0, 0, 1, 1]
    # 16 bit (0-4000): stretched to the full grey range, not clipped at 255
    assert train.images[0].min() < 10 and train.images[0].max() > 245
    assert 100 < train.images[0].mean() < 155
    assert abs(int(train.images[2].mean()) - 220) <= 2  # a.jpg comes before b.png
    colour = data.load_image_folder(root, image_size=16, grayscale=False)
    assert colour.split("train").images.shape == (4, 16, 16, 3)
    assert "image folder" in ds.source and ds.name == "xrays"


def test_image_folder_with_split_subfolders(tmp_path):
    for split, n in (("train", 3), ("val", 1), ("test", 2)):
        for cls in ("benign", "malignant", "normal"):
            for i in range(n):
                save_png(tmp_path / split / cls / f"{i}.png")
    ds = data.load_image_folder(tmp_path)
    assert ds.label_names == ["benign", "malignant", "normal"] and ds.task == "multi-class"
    assert {s: len(ds.split(s)) for s in ds.splits} == {"train": 9, "val": 3, "test": 6}
    assert np.bincount(ds.split("test").labels).tolist() == [2, 2, 2]


def test_image_folder_errors_name_the_problem(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="is empty: put one subfolder per class"):
        data.load_image_folder(empty)
    loose = tmp_path / "loose"
    save_png(loose / "x.png")
    with pytest.raises(ValueError, match="1 image file.* but no class subfolders"):
        data.load_image_folder(loose)
    bad = tmp_path / "bad"
    save_png(bad / "normal" / "ok.png")
    (bad / "normal" / "broken.png").write_bytes(b"not a png")
    with pytest.raises(ValueError, match=r"cannot read the image .*broken\.png"):
        data.load_image_folder(bad)
    no_images = tmp_path / "no_images"
    (no_images / "normal").mkdir(parents=True)
    (no_images / "normal" / "notes.txt").write_text("x")
    with pytest.raises(ValueError, match="class folder .*normal holds no images"):
        data.load_image_folder(no_images)
    mixed = tmp_path / "mixed"
    save_png(mixed / "train" / "a" / "1.png")
    save_png(mixed / "extra" / "1.png")
    with pytest.raises(ValueError, match="mixes split folders"):
        data.load_image_folder(mixed)
    with pytest.raises(FileNotFoundError):
        data.load_image_folder(tmp_path / "nowhere")


# --------------------------------------------------------------------------------------------
# Synthetic chest images


def test_synthetic_chest_is_deterministic_balanced_and_fast():
    start = time.perf_counter()
    ds = data.make_synthetic_chest()
    assert time.perf_counter() - start < 1.0
    assert ds.label_names == ["normal", "opacity"] and ds.task == "binary-class"
    assert ds.source == "synthetic (offline fallback) – not real patients"
    for split, n in (("train", 600), ("val", 200), ("test", 200)):
        s = ds.split(split)
        assert s.images.shape == (n, 28, 28, 1) and s.images.dtype == np.uint8
        assert s.labels.dtype == np.int64
        assert 0.65 <= s.labels.mean() <= 0.75
        assert s.images.std() > 20  # real contrast, not a flat field
    again = data.make_synthetic_chest()
    np.testing.assert_array_equal(ds.split("train").images, again.split("train").images)
    np.testing.assert_array_equal(ds.split("test").labels, again.split("test").labels)
    other = data.make_synthetic_chest(seed=1)
    assert not np.array_equal(ds.split("train").images, other.split("train").images)
    bigger = data.make_synthetic_chest(n_train=50, seed=0)  # val/test do not depend on n_train
    np.testing.assert_array_equal(ds.split("val").images, bigger.split("val").images)
    small = data.make_synthetic_chest(n_train=10, n_val=0, n_test=0, size=32)
    assert list(small.splits) == ["train"] and small.split("train").images.shape == (10, 32, 32, 1)
    with pytest.raises(ValueError, match="n_train"):
        data.make_synthetic_chest(n_train=-1)


def test_synthetic_chest_is_learnable_but_not_trivial():
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    ds = data.make_synthetic_chest()
    train, test = ds.split("train"), ds.split("test")
    # the mean brightness alone hardly separates the classes ...
    assert roc_auc_score(train.labels, train.images.mean(axis=(1, 2, 3))) < 0.7
    # ... a linear model on 2x2-pooled pixels finds much of the signal but not all of it
    # (a small CNN reaches a test AUC of about 0.95 after some 20 epochs)
    def pooled(split):
        x = split.images[..., 0].reshape(len(split), 14, 2, 14, 2).mean(axis=(2, 4))
        return x.reshape(len(split), -1) / 255.0

    model = LogisticRegression(C=1.0, max_iter=2000).fit(pooled(train), train.labels)
    auc = roc_auc_score(test.labels, model.predict_proba(pooled(test))[:, 1])
    assert 0.75 < auc < 0.95


# --------------------------------------------------------------------------------------------
# load_dataset


def test_load_dataset_dispatches_on_names_and_paths(tmp_path):
    assert data.load_dataset("synthetic").source == data.SYNTHETIC_SOURCE
    npz = write_npz(tmp_path / "mine.npz", medmnist_arrays())
    assert data.load_dataset(str(npz)).source.startswith("MedMNIST file")
    assert data.load_dataset(npz).name == "mine"
    save_png(tmp_path / "folder" / "a" / "1.png")
    assert data.load_dataset(str(tmp_path / "folder")).label_names == ["a"]
    with pytest.raises(ValueError, match="unknown data set 'chestmnist': use one of bloodmnist, "
                                         "breastmnist, dermamnist, pneumoniamnist, 'synthetic'"):
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


# --------------------------------------------------------------------------------------------
# The real PneumoniaMNIST train/val file from ../shared/datasets (not part of the repository)


@pytest.mark.skipif(not REAL_FILE.exists(), reason=f"{REAL_FILE} is not here")
def test_real_pneumoniamnist_trainval_file():
    ds = data.load_dataset(str(REAL_FILE))
    assert ds.name == "pneumoniamnist" and ds.label_names == ["normal", "pneumonia"]
    train, val = ds.split("train"), ds.split("val")
    assert train.images.shape == (3882, 28, 28, 1) and val.images.shape == (524, 28, 28, 1)
    assert train.images.dtype == np.uint8 and train.labels.dtype == np.int64
    assert np.bincount(train.labels).tolist() == [388, 3494]
    assert np.bincount(val.labels).tolist() == [135, 389]
    assert "test" not in ds.splits and "no test split" in ds.source
    assert "test  absent" in ds.describe()
    assert "train 3882 images: normal 388 (10.0 %), pneumonia 3494 (90.0 %)" in ds.describe()
