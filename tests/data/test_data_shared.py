"""The real MedMNIST train/val copies in the shared datasets folder beside the checkout.

They are not part of the repository (``helpers.data.locations.shared_datasets_dir``); every
test here is skipped, with the reason, when its file is absent. Counts: the folder's README.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers import data
from helpers.data import locations


def shared_or_skip(filename: str):
    path = locations.shared_dataset(filename)
    if path is None:
        pytest.skip(f"{filename} is not in the shared datasets folder (none beside the checkout; "
                    f"set {locations.SHARED_DATASETS_VARIABLE} to point at one)")
    return path


# filename: (flag, label names, image shape, train counts per class, val counts per class)
COPIES = {
    locations.PNEUMONIA_TRAINVAL: ("pneumoniamnist", ["normal", "pneumonia"], (28, 28, 1),
                                   [1214, 3494], [135, 389]),
    locations.BREAST_TRAINVAL: ("breastmnist", ["malignant", "normal or benign"], (28, 28, 1),
                                [147, 399], [21, 57]),
    locations.RETINA_TRAINVAL: ("retinamnist", [f"grade {i}" for i in range(5)], (28, 28, 3),
                                [486, 128, 206, 194, 66], [54, 12, 28, 20, 6]),
}


@pytest.mark.parametrize("filename", COPIES)
def test_shared_trainval_copy_loads_with_the_official_counts(filename):
    flag, names, shape, train_counts, val_counts = COPIES[filename]
    ds = data.load_npz(shared_or_skip(filename))
    assert ds.name == flag and ds.label_names == names
    train, val = ds.split("train"), ds.split("val")
    assert train.images.shape == (sum(train_counts), *shape)
    assert val.images.shape == (sum(val_counts), *shape)
    assert train.images.dtype == np.uint8 and train.labels.dtype == np.int64
    assert np.bincount(train.labels).tolist() == train_counts
    assert np.bincount(val.labels).tolist() == val_counts
    assert "test" not in ds.splits and "no test split" in ds.source


def test_shared_pneumoniamnist_is_the_official_v2_split():
    """Not the old reduced copy (train 3,882 = 388 / 3,494): the official 4,708 = 1,214 / 3,494."""
    path = shared_or_skip(locations.PNEUMONIA_TRAINVAL)
    ds = data.load_dataset(str(path))
    description = ds.describe()
    assert "test  absent" in description
    assert "train 4708 images: normal 1214 (25.8 %), pneumonia 3494 (74.2 %)" in description
    assert "val    524 images: normal 135 (25.8 %), pneumonia 389 (74.2 %)" in description
    assert locations.notebook_environment()[locations.PNEUMONIA_DATA_VARIABLE] == str(path)
