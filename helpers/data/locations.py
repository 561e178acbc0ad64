"""Where the course finds data on this machine: every path and environment variable in one place.

=================================  ==========================================================
environment variable               what it does
=================================  ==========================================================
``CNN_COURSE_DATA``                moves the download cache (default: a per-user cache folder)
``CNN_COURSE_MEDMNIST_URL``        a URL pattern such as ``http://mirror.example/{flag}.npz``
                                   that replaces the manifest's URLs (a mirror, a test server)
``CNN_COURSE_PNEUMONIA_DATA``      notebook 09 loads this (a MedMNIST flag or an ``.npz`` file)
                                   instead of downloading ``pneumoniamnist``
``CNN_COURSE_SHARED_DATASETS``     a folder of real MedMNIST train/val copies for the checks
                                   (default: ``shared/datasets`` beside the checkout, if any)
=================================  ==========================================================

The checks (``make test``) and benchmarks use the real train/val copies when they are there and
point notebook 09 at them; a learner's notebooks download the official files instead.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_VARIABLE = "CNN_COURSE_DATA"
URL_VARIABLE = "CNN_COURSE_MEDMNIST_URL"
PNEUMONIA_DATA_VARIABLE = "CNN_COURSE_PNEUMONIA_DATA"
SHARED_DATASETS_VARIABLE = "CNN_COURSE_SHARED_DATASETS"

#: The real PneumoniaMNIST v2 copy with the official train (4,708) and val (524) splits only.
PNEUMONIA_TRAINVAL = "pneumoniamnist_v2_trainval.npz"
BREAST_TRAINVAL = "breastmnist_trainval.npz"
RETINA_TRAINVAL = "retinamnist_trainval.npz"

#: The checkout this package was imported from (meaningful for a clone, not an installed copy).
CHECKOUT = Path(__file__).resolve().parents[2]


def shared_datasets_dir() -> Path | None:
    """The folder of real train/val copies: ``$CNN_COURSE_SHARED_DATASETS``, else
    ``shared/datasets`` beside the checkout; None when neither exists."""
    value = os.environ.get(SHARED_DATASETS_VARIABLE, "").strip()
    folder = Path(value).expanduser() if value else CHECKOUT.parent / "shared" / "datasets"
    return folder if folder.is_dir() else None


def shared_dataset(filename: str = PNEUMONIA_TRAINVAL) -> Path | None:
    """The path of one real train/val copy (e.g. :data:`PNEUMONIA_TRAINVAL`), or None."""
    folder = shared_datasets_dir()
    if folder is None or not (folder / filename).is_file():
        return None
    return folder / filename


def notebook_environment() -> dict[str, str]:
    """The variables that point the notebooks at the real copies, for the checks to set:
    empty when there are none (the notebooks then download, or fall back to synthetic data)."""
    pneumonia = shared_dataset(PNEUMONIA_TRAINVAL)
    return {PNEUMONIA_DATA_VARIABLE: str(pneumonia)} if pneumonia is not None else {}
