"""helpers.data.files: safe ``.npz`` loading in the MedMNIST layout, and image folders."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from medmnist_fakes import GOOD, medmnist_arrays, save_png, write_npz

from helpers import data

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
    assert ds.positive_class == 0  # the disease, from the manifest
    assert "positive class: 0 (malignant)" in ds.describe()
    assert data.load_npz(tmp_path / "x.npz").positive_class is None  # unknown for other files


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
