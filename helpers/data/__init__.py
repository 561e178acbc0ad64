"""Medical image data sets for the course: MedMNIST files, image folders and a synthetic fallback.

Every loader returns a :class:`Dataset` whose splits hold ``images`` as (N, H, W, C) uint8 in
[0, 255] (C = 1 for grey, 3 for colour) and ``labels`` as (N,) int64 class indices::

    from helpers import data
    ds = data.load_dataset("pneumoniamnist")              # cached, else downloaded and checked
    ds = data.load_dataset("pneumoniamnist", fallback=True)  # offline: synthetic images instead
    print(ds.describe())
    train = ds.split("train")                             # train.images, train.labels

:func:`load_dataset` is the one entry point; it lives here. The modules of this package:

- ``datasets``  – the containers :class:`Dataset` and :class:`Split`, and ``SPLITS``.
- ``medmnist``  – the manifest ``medmnist.json`` (URL, MD5, labels, licence, citation of each
  MedMNIST v2 file), :func:`download` with ``pooch`` into the cache with an MD5 check, and
  :class:`DownloadError`, whose message says what to do.
- ``files``     – :func:`load_npz` (any file in the MedMNIST layout, never unpickling anything)
  and :func:`load_image_folder` (your own PNG/JPEG files, one subfolder per class).
- ``synthetic`` – :func:`make_synthetic_chest`, chest-X-ray-like images for working offline.
- ``locations`` – every path and environment variable: the manifest, :func:`cache_dir`
  (``CNN_COURSE_DATA``), the mirror URL, the real train/val copies used by the checks.
- ``medimg``    – real CT/MR scans shipped with pydicom, Hounsfield units and windows
  (``from helpers.data import medimg``; lessons 01–03).
"""

from __future__ import annotations

import os
from pathlib import Path

from helpers.data import locations, medmnist
from helpers.data.datasets import SPLITS, Dataset, Split
from helpers.data.files import IMAGE_SUFFIXES, load_image_folder, load_npz
from helpers.data.locations import CACHE_VARIABLE, MANIFEST_PATH, URL_VARIABLE, cache_dir
from helpers.data.medmnist import DownloadError, download, load_manifest
from helpers.data.synthetic import SYNTHETIC_SOURCE, make_synthetic_chest

__all__ = [
    "CACHE_VARIABLE", "IMAGE_SUFFIXES", "MANIFEST_PATH", "SPLITS", "SYNTHETIC_SOURCE",
    "URL_VARIABLE", "Dataset", "DownloadError", "Split", "cache_dir", "download",
    "load_dataset", "load_image_folder", "load_manifest", "load_npz", "locations",
    "make_synthetic_chest", "medmnist",
]


def load_dataset(name_or_path: str | os.PathLike, *, allow_download: bool = True,
                 fallback: bool = False, cache: Path | None = None,
                 size: int | None = None) -> Dataset:
    """Load a data set by manifest flag, by path, or "synthetic".

    - a MedMNIST flag (``pneumoniamnist``, ``breastmnist``, ``retinamnist``, ``bloodmnist``,
      ``dermamnist``): the cached file, downloaded and checked first when needed and
      ``allow_download``; ``size`` (28 by default, or 64, 128, 224: the MedMNIST+ files)
      picks the image size;
    - a path to a ``.npz`` file: :func:`load_npz`; a path to a folder: :func:`load_image_folder`;
    - ``"synthetic"``: :func:`make_synthetic_chest` with its defaults.

    When a flag cannot be downloaded, ``fallback=True`` prints why and returns the synthetic
    data set instead; otherwise the :class:`DownloadError` is raised.
    """
    if size is not None and not (isinstance(name_or_path, str)
                                 and name_or_path.strip().lower() in medmnist.known_flags(
                                     load_manifest())):
        raise ValueError(f"an image size (size={size}) can only be chosen for a MedMNIST flag "
                         f"({', '.join(medmnist.known_flags(load_manifest()))}), not for "
                         f"{str(name_or_path)!r}")
    if isinstance(name_or_path, os.PathLike):
        return _load_path(Path(name_or_path))
    if not isinstance(name_or_path, str):
        raise TypeError(f"name_or_path must be a data-set name or a path, got "
                        f"{type(name_or_path).__name__}")
    key = name_or_path.strip().lower()
    if key == "synthetic":
        return make_synthetic_chest()
    manifest = load_manifest()
    if key in manifest["datasets"]:
        size = medmnist.BASE_SIZE if size is None else size
        medmnist.expected_md5(key, size, manifest)  # ValueError for an unknown size, at once
        try:
            path = (download(key, cache=cache, size=int(size)) if allow_download
                    else medmnist.cached_file(key, cache, size=int(size)))
        except DownloadError as error:
            if not fallback:
                raise
            print(f"WARNING: using SYNTHETIC chest images instead of {key}, because {key} could "
                  f"not be loaded: {error.reason}\n"
                  "  These images are made up (no real patients): a model trained on them says "
                  "nothing about real data.\n"
                  f"  To use the real data, download {error.url}\n  and save it as {error.path} "
                  f"(MD5 {error.md5}), then run this again.", flush=True)
            return make_synthetic_chest()
        return load_npz(path, name=key)
    path = Path(name_or_path).expanduser()
    if path.exists() or path.suffix.lower() == ".npz" or os.sep in name_or_path \
            or "/" in name_or_path:
        return _load_path(path)
    raise ValueError(f"unknown data set {name_or_path!r}: use one of "
                     f"{', '.join(medmnist.known_flags(manifest))}, 'synthetic', or the path of "
                     "a .npz file or of an image folder")


def _load_path(path: Path) -> Dataset:
    path = path.expanduser()
    if path.is_dir():
        return load_image_folder(path)
    if path.is_file():
        return load_npz(path)
    raise FileNotFoundError(f"{path} does not exist (looked in {path.resolve().parent})")
