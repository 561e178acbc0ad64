"""Where the course finds data on this machine: every path and environment variable in one place.

=================================  ==========================================================
environment variable               what it does
=================================  ==========================================================
``CNN_COURSE_DATA``                moves the download cache (default: a per-user cache folder,
                                   see :func:`cache_dir`), e.g. to a folder made by
                                   ``python -m helpers.data.offline``
``CNN_COURSE_MEDMNIST_URL``        a URL pattern such as ``http://mirror.example/{flag}.npz``
                                   (or a base URL, to which ``/<flag>.npz`` is added) that
                                   replaces the manifest's URLs (a mirror, a test server)
``CNN_COURSE_PNEUMONIA_DATA``      notebooks 04-05, 07-10 load this (a MedMNIST flag or an ``.npz`` file)
                                   instead of downloading ``pneumoniamnist``
``CNN_COURSE_RETINA_DATA``         notebooks 06 and 08 load this (a MedMNIST flag or an ``.npz``
                                   file) instead of downloading ``retinamnist``
``CNN_COURSE_BREAST_DATA``         notebook 08 loads this (a MedMNIST flag or an ``.npz`` file)
                                   instead of downloading ``breastmnist``
``CNN_COURSE_SHARED_DATASETS``     a folder of real MedMNIST train/val copies for the checks
                                   (default: ``shared/datasets`` beside the checkout, if any)
``CNN_COURSE_PROGRESS``            the file that keeps the learner's progress (default:
                                   ``progress.json`` in the data folder, see
                                   :func:`progress_file`); ``off`` records nothing, which is
                                   how the checks run the notebooks
=================================  ==========================================================

Paths: :data:`MANIFEST_PATH` (the MedMNIST manifest, installed with the package),
:func:`cache_dir` (downloaded files), :func:`shared_dataset` (real train/val copies for the
checks: :data:`PNEUMONIA_TRAINVAL`, :data:`BREAST_TRAINVAL`, :data:`RETINA_TRAINVAL`),
:func:`progress_file` (the exercises and quiz questions a learner has passed).

The checks (``make test``) and benchmarks use the real train/val copies when they are there and
point notebooks 04-10 at them (:func:`notebook_environment`); a learner's notebooks
download the official files instead. The checks never record progress: the same environment
switches it off, and the unit tests switch it off in ``tests/conftest.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_VARIABLE = "CNN_COURSE_DATA"
URL_VARIABLE = "CNN_COURSE_MEDMNIST_URL"
PNEUMONIA_DATA_VARIABLE = "CNN_COURSE_PNEUMONIA_DATA"
RETINA_DATA_VARIABLE = "CNN_COURSE_RETINA_DATA"
BREAST_DATA_VARIABLE = "CNN_COURSE_BREAST_DATA"
SHARED_DATASETS_VARIABLE = "CNN_COURSE_SHARED_DATASETS"
PROGRESS_VARIABLE = "CNN_COURSE_PROGRESS"
#: The value of ``CNN_COURSE_PROGRESS`` that switches progress recording off.
PROGRESS_OFF = "off"
#: The name of the progress file in the data folder.
PROGRESS_NAME = "progress.json"

#: The manifest of MedMNIST files (URLs, checksums, labels; no data). It is package data, so it
#: is installed with ``helpers`` (editable or not).
MANIFEST_PATH = Path(__file__).with_name("medmnist.json")
#: The folder name of the per-user download cache (under the system's cache folder).
CACHE_NAME = "cnn-medimg-course"

#: The real PneumoniaMNIST v2 copy with the official train (4,708) and val (524) splits only.
PNEUMONIA_TRAINVAL = "pneumoniamnist_v2_trainval.npz"
#: The real BreastMNIST copy: train (546) and val (78) only.
BREAST_TRAINVAL = "breastmnist_trainval.npz"
#: The real RetinaMNIST copy: train (1,080) and val (120) only, colour.
RETINA_TRAINVAL = "retinamnist_trainval.npz"

#: The checkout this package was imported from (meaningful for a clone, not an installed copy).
CHECKOUT = Path(__file__).resolve().parents[2]


def cache_dir() -> Path:
    """Folder for downloaded files: ``$CNN_COURSE_DATA`` if set, else a per-user cache folder
    (``pooch.os_cache("cnn-medimg-course")``, e.g. ``~/.cache/cnn-medimg-course`` on Linux).
    The folder is created by the first download, not here."""
    value = os.environ.get(CACHE_VARIABLE, "").strip()
    if value:
        return Path(value).expanduser()
    import pooch

    return Path(pooch.os_cache(CACHE_NAME))


def progress_file() -> Path | None:
    """The learner's progress file: ``$CNN_COURSE_PROGRESS`` if set, else ``progress.json`` in
    :func:`cache_dir` (so it moves with ``CNN_COURSE_DATA``); None when the variable is ``off``
    (nothing is recorded). The file is created by the first passed check, not here."""
    value = os.environ.get(PROGRESS_VARIABLE, "").strip()
    if value.lower() == PROGRESS_OFF:
        return None
    return Path(value).expanduser() if value else cache_dir() / PROGRESS_NAME


def mirror_url() -> str | None:
    """The URL pattern in ``$CNN_COURSE_MEDMNIST_URL``, or None when it is unset or empty."""
    return os.environ.get(URL_VARIABLE, "").strip() or None


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
    """The variables the checks set for the notebooks they run: progress recording off (a
    check run is not a learner), and the real copies where there are any (without them the
    notebooks download, or fall back to synthetic data)."""
    copies = {PNEUMONIA_DATA_VARIABLE: shared_dataset(PNEUMONIA_TRAINVAL),
              RETINA_DATA_VARIABLE: shared_dataset(RETINA_TRAINVAL),
              BREAST_DATA_VARIABLE: shared_dataset(BREAST_TRAINVAL)}
    return {PROGRESS_VARIABLE: PROGRESS_OFF,
            **{name: str(path) for name, path in copies.items() if path is not None}}
