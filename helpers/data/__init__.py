"""Medical image data sets for the course: MedMNIST files, image folders and a synthetic fallback.

Every loader returns a :class:`Dataset` whose splits hold ``images`` as (N, H, W, C) uint8 in
[0, 255] (C = 1 for grey, 3 for colour) and ``labels`` as (N,) int64 class indices::

    from helpers import data
    ds = data.load_dataset("pneumoniamnist")              # cached, else downloaded and checked
    ds = data.load_dataset("pneumoniamnist", fallback=True)  # offline: synthetic images instead
    print(ds.describe())
    train = ds.split("train")                             # train.images, train.labels

- MedMNIST v2 files are listed in ``datasets/medmnist.json`` (URL, MD5, labels, licence,
  citation). :func:`download` fetches one with ``pooch``, checks its MD5 and keeps it in
  :func:`cache_dir` (``CNN_COURSE_DATA`` overrides it) as ``<flag>.npz``.
- :func:`load_npz` reads any file in the MedMNIST layout (``train_images``, ``train_labels``,
  ``val_*``, ``test_*``; missing splits are allowed), never unpickling anything.
- :func:`load_image_folder` reads your own PNG/JPEG files, one subfolder per class.
- :func:`make_synthetic_chest` draws chest-X-ray-like images for working without a network.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

#: The manifest of MedMNIST files (no data, only URLs, checksums and metadata).
MANIFEST_PATH = Path(__file__).with_name("medmnist.json")
#: Environment variable that moves the download cache (default: a per-user cache folder).
CACHE_VARIABLE = "CNN_COURSE_DATA"
#: Environment variable with a URL pattern such as ``http://mirror.example/{flag}.npz`` that
#: replaces the manifest's URLs (a mirror, or a local test server).
URL_VARIABLE = "CNN_COURSE_MEDMNIST_URL"
#: Seconds to wait for the server before a download is given up.
TIMEOUT_S = 60.0
#: Leftover download folders (``.partial-*``) untouched for this long are removed.
STALE_PARTIAL_S = 3600.0

SPLITS = ("train", "val", "test")
SYNTHETIC_SOURCE = "synthetic (offline fallback) – not real patients"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")

_PARTIAL_PREFIX = ".partial-"
_NPY_MAGIC = b"\x93NUMPY"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")


# --------------------------------------------------------------------------------------------
# Data containers


@dataclass
class Split:
    """One split: ``images`` (N, H, W, C) uint8 in [0, 255]; ``labels`` (N,) int64."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


@dataclass
class Dataset:
    """A labelled image data set with some of the splits "train", "val" and "test".

    ``label_names[i]`` names class ``i``; ``task`` is "binary-class" or "multi-class";
    ``source`` says where the images came from (a file, a folder, or synthetic).
    """

    name: str
    splits: dict[str, Split]
    label_names: list[str]
    task: str
    source: str

    def split(self, name: str) -> Split:
        """The split called ``name``; ``ValueError`` naming the available splits when absent."""
        if name not in self.splits:
            available = ", ".join(self.splits) or "none"
            raise ValueError(
                f"{self.name} has no {name!r} split (source: {self.source}); "
                f"available splits: {available}"
            )
        return self.splits[name]

    def describe(self) -> str:
        """A short summary: one header line, then one line per split with its class counts."""
        first = next(iter(self.splits.values()), None)
        shape = "×".join(map(str, first.images.shape[1:])) if first is not None else "?"
        lines = [f"{self.name}: {self.task}, {len(self.label_names)} classes, "
                 f"images {shape} uint8 — {self.source}"]
        width = max(len(str(len(s))) for s in self.splits.values()) if self.splits else 1
        for name in [*SPLITS, *(s for s in self.splits if s not in SPLITS)]:
            if name not in self.splits:
                lines.append(f"  {name:<5} absent (not in this source)")
                continue
            split = self.splits[name]
            counts = np.bincount(split.labels, minlength=len(self.label_names))
            total = max(len(split), 1)
            parts = ", ".join(f"{label} {count} ({100 * count / total:.1f} %)"
                              for label, count in zip(self.label_names, counts, strict=False))
            lines.append(f"  {name:<5} {len(split):>{width}} images: {parts}")
        return "\n".join(lines)


class DownloadError(RuntimeError):
    """A MedMNIST file could not be downloaded (or is not in the cache when downloads are off).

    The message says what happened and what to do; the attributes hold the details.
    """

    def __init__(self, flag: str, reason: str, *, url: str, path: Path, md5: str,
                 extra: str = "", attempted: bool = True) -> None:
        self.flag, self.reason, self.url, self.path, self.md5 = flag, reason, url, Path(path), md5
        host = urlsplit(url).netloc or url
        if attempted:
            first = ("Nothing was written to the cache.\n"
                     "What to do:\n"
                     "  - try again (dropped connections and server hiccups are often temporary);\n"
                     f"  - check the network: can this computer open {host} (e.g. in a browser)?\n")
        else:
            first = ("What to do:\n"
                     "  - allow the download: load_dataset(..., allow_download=True), the "
                     "default;\n")
        message = (
            f"Could not get {flag}: {reason}\n"
            f"{extra}{first}"
            "  - or download the file by hand:\n"
            f"        {url}\n"
            "    and save it exactly as\n"
            f"        {self.path}\n"
            f"    Its MD5 must be {md5} (check with `md5sum FILE` on Linux, `md5 FILE` on macOS,\n"
            "    `certutil -hashfile FILE MD5` on Windows).\n"
            "  - Offline? load_dataset(..., fallback=True) continues with synthetic images."
        )
        super().__init__(message)


# --------------------------------------------------------------------------------------------
# Manifest and cache


def cache_dir() -> Path:
    """Folder for downloaded files: ``$CNN_COURSE_DATA`` if set, else a per-user cache folder
    (``pooch.os_cache("cnn-medimg-course")``, e.g. ``~/.cache/cnn-medimg-course`` on Linux).
    The folder is created by the first download, not here."""
    value = os.environ.get(CACHE_VARIABLE, "").strip()
    if value:
        return Path(value).expanduser()
    import pooch

    return Path(pooch.os_cache("cnn-medimg-course"))


def load_manifest() -> dict:
    """The parsed ``datasets/medmnist.json``: ``{"datasets": {flag: {...}}, ...}``.

    Each data set has ``url``, ``md5``, ``splits`` (sizes), ``label_names`` (index → name),
    ``task``, ``channels``, ``license``, ``citation`` and ``note``.
    """
    try:
        with open(MANIFEST_PATH, encoding="utf-8") as file:
            manifest = json.load(file)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"the data-set manifest {MANIFEST_PATH} is missing: it ships with the course "
            "repository, so install the course from its checkout (`make install`)."
        ) from None
    if not isinstance(manifest.get("datasets"), dict):
        raise ValueError(f"{MANIFEST_PATH} has no 'datasets' table")
    return manifest


def _known_flags(manifest: dict) -> list[str]:
    return sorted(manifest["datasets"])


def _entry(flag: str, manifest: dict | None = None) -> dict:
    manifest = manifest if manifest is not None else load_manifest()
    if flag not in manifest["datasets"]:
        raise ValueError(f"unknown MedMNIST data set {flag!r}; known: "
                         f"{', '.join(_known_flags(manifest))}")
    return manifest["datasets"][flag]


def _label_names(entry: dict) -> list[str]:
    names = entry["label_names"]
    return [names[str(i)] for i in range(len(names))]


def _resolve_url(flag: str, entry: dict, url: str | None) -> str:
    pattern = url or os.environ.get(URL_VARIABLE, "").strip()
    if not pattern:
        return entry["url"]
    if "{flag}" in pattern:
        return pattern.format(flag=flag)
    return f"{pattern.rstrip('/')}/{flag}.npz"


def _md5(path: Path) -> str:
    import pooch

    return pooch.file_hash(str(path), alg="md5")


def _remove_stale_partials(cache: Path) -> None:
    """Remove download folders left by a killed process (untouched for STALE_PARTIAL_S)."""
    now = time.time()
    for folder in cache.glob(f"{_PARTIAL_PREFIX}*"):
        if not folder.is_dir():
            continue
        try:
            newest = max([folder.stat().st_mtime,
                          *(p.stat().st_mtime for p in folder.rglob("*"))])
        except OSError:
            continue
        if now - newest > STALE_PARTIAL_S:
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _quiet_pooch() -> Iterator[None]:
    """pooch logs its temporary paths at INFO; the course prints its own message instead."""
    import pooch

    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _explain(error: BaseException, url: str, md5: str, cache: Path) -> str:
    """One sentence saying what went wrong, from pooch's / requests' exception."""
    import requests

    if isinstance(error, requests.HTTPError) and error.response is not None:
        code, why = error.response.status_code, error.response.reason
        if code == 404:
            return (f"the server answered HTTP 404 (Not Found) for {url}: the file is not at that "
                    "address (a mistyped URL or a moved record).")
        hint = " The server has a problem; try again later." if code >= 500 else ""
        return f"the server answered HTTP {code} ({why}) for {url}.{hint}"
    if isinstance(error, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError):
        text = str(error)
        counts = re.search(r"IncompleteRead\((\d+) bytes read, (\d+) more expected", text)
        if counts:
            detail = f"{int(counts[1]):,} bytes received, {int(counts[2]):,} more expected"
        elif "reset" in text.lower():
            detail = "the connection was reset"
        else:
            detail = _short(error)
        return ("the connection was dropped before the whole file arrived (interrupted or "
                f"truncated download: {detail}).")
    if isinstance(error, requests.Timeout):
        return f"the server did not answer within {TIMEOUT_S:g} s ({_short(error)})."
    if isinstance(error, requests.ConnectionError):
        return (f"could not connect to {urlsplit(url).netloc or url}, or the connection broke "
                f"({_short(error)}).")
    if isinstance(error, requests.RequestException):
        return f"the download failed ({_short(error)})."
    if isinstance(error, ValueError) and "hash" in str(error).lower():
        got = re.search(r"but got ([0-9a-fA-F]+)", str(error))
        found = f"its MD5 is {got.group(1)}" if got else "its MD5 does not match"
        return (f"the downloaded file is damaged or not the expected file: {found}, expected "
                f"{md5}.")
    if isinstance(error, OSError):
        return (f"could not write to the cache folder {cache} ({_short(error)}); set "
                f"{CACHE_VARIABLE} to a writable folder.")
    return f"{type(error).__name__}: {_short(error)}"


def _short(error: BaseException, limit: int = 240) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def download(flag: str, cache: Path | None = None, progress: bool = True, *,
             url: str | None = None) -> Path:
    """Return the path of ``<cache>/<flag>.npz``, downloading it first when needed.

    A cached file is checked against the manifest's MD5 and reused without any network access.
    Otherwise the file is fetched with ``pooch`` (``progress`` shows a tqdm bar) into a private
    ``.partial-*`` folder inside the cache, its MD5 is verified, and only then is it moved to
    ``<flag>.npz`` in one atomic step: a failed, interrupted or corrupt download leaves nothing
    behind and raises :class:`DownloadError` saying what to do.

    ``url`` (or the environment variable ``CNN_COURSE_MEDMNIST_URL``) replaces the manifest's
    URL: a pattern with ``{flag}``, or a base URL to which ``/<flag>.npz`` is appended.
    """
    import pooch

    flag = flag.strip().lower()
    entry = _entry(flag)
    md5 = entry["md5"].lower()
    cache = Path(cache).expanduser() if cache is not None else cache_dir()
    target = cache / f"{flag}.npz"
    source = _resolve_url(flag, entry, url)

    extra = ""
    if target.is_file():
        found = _md5(target)
        if found == md5:
            return target
        extra = (f"The file already at {target} has MD5 {found}, not {md5}: it is damaged or "
                 "not the expected file, and it is not used. Delete or replace it.\n")
        print(f"{target} has the wrong MD5 ({found}, expected {md5}): downloading it again.")

    def fail(error: BaseException) -> DownloadError:
        reason = _explain(error, source, md5, cache)
        return DownloadError(flag, reason, url=source, path=target, md5=md5, extra=extra)

    try:
        cache.mkdir(parents=True, exist_ok=True)
        _remove_stale_partials(cache)
        staging = Path(tempfile.mkdtemp(prefix=f"{_PARTIAL_PREFIX}{flag}-", dir=cache))
    except OSError as error:
        raise fail(error) from error
    try:
        if progress:
            print(f"Downloading {flag} ({entry.get('license', 'see its licence')}) from {source}\n"
                  f"  to {target}", flush=True)
        downloader = None  # pooch picks one for ftp:// and doi: mirrors
        if urlsplit(source).scheme in ("http", "https"):
            downloader = pooch.HTTPDownloader(progressbar=progress, timeout=TIMEOUT_S)
        with _quiet_pooch():
            fetched = pooch.retrieve(source, known_hash=f"md5:{md5}", fname=f"{flag}.npz",
                                     path=staging, downloader=downloader, progressbar=progress)
        os.replace(fetched, target)  # same folder tree, so atomic
    except Exception as error:
        raise fail(error) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if progress:
        print(f"MD5 verified ({md5}); saved {target}", flush=True)
    return target


# --------------------------------------------------------------------------------------------
# MedMNIST .npz files


def _infer_flag(path: Path, manifest: dict) -> str | None:
    stem = path.name.lower()
    for flag in sorted(manifest["datasets"], key=len, reverse=True):
        if stem.startswith(flag):
            return flag
    return None


def _check_magic(path: Path) -> None:
    """Refuse files that are not zip archives before NumPy looks at them."""
    with open(path, "rb") as file:
        head = file.read(16)
    if head.startswith(_ZIP_MAGICS):
        return
    expected = ("expected an .npz file (a zip archive of NumPy arrays) in the MedMNIST layout: "
                "train_images, train_labels, val_images, val_labels, test_images, test_labels")
    if not head:
        raise ValueError(f"{path} is empty: {expected}. Download it again.")
    if head.startswith(_NPY_MAGIC):
        raise ValueError(f"{path} holds a single NumPy array (.npy format), not an .npz archive: "
                         f"{expected}. Save with np.savez_compressed(path, train_images=..., ...).")
    if head[:1] == b"\x80":
        raise ValueError(f"{path} holds pickled Python objects, which the course never loads "
                         f"(unpickling can run arbitrary code): {expected}.")
    what = ""
    if head.lstrip()[:1] == b"<":
        what = " (it looks like a web page: an error page saved instead of the data?)"
    raise ValueError(f"{path} is not a zip/npz file{what}: {expected}.")


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    _check_magic(path)
    try:
        archive = np.load(path, allow_pickle=False)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise ValueError(f"{path} is not a readable .npz archive ({_short(error)}): the file is "
                         "damaged or incomplete; download it again.") from error
    arrays: dict[str, np.ndarray] = {}
    with archive:
        for key in archive.files:
            try:
                value = archive[key]
            except ValueError as error:
                if "pickle" in str(error).lower() or "object" in str(error).lower():
                    raise ValueError(
                        f"array {key!r} in {path} holds Python objects (dtype=object, stored "
                        "with pickle), which the course never loads (unpickling can run "
                        "arbitrary code). MedMNIST files hold uint8 arrays only."
                    ) from error
                raise ValueError(f"array {key!r} in {path} cannot be read ({_short(error)})") \
                    from error
            except (zipfile.BadZipFile, EOFError, OSError) as error:
                raise ValueError(f"array {key!r} in {path} is damaged ({_short(error)}): "
                                 "download the file again.") from error
            if not isinstance(value, np.ndarray):
                raise ValueError(f"member {key!r} in {path} is not a NumPy array: expected an "
                                 ".npz file written by np.savez / np.savez_compressed.")
            arrays[key] = value
    return arrays


def _check_split(path: Path, split: str, images: np.ndarray, labels: np.ndarray) -> Split:
    where = f"{split}_images in {path}"
    if images.dtype != np.uint8:
        hint = (" If the values are in [0, 1], save (x * 255).round().astype(np.uint8)."
                if np.issubdtype(images.dtype, np.floating) else "")
        raise ValueError(f"{where} have dtype {images.dtype}, expected uint8 (grey levels "
                         f"0-255).{hint}")
    if images.ndim == 4 and images.shape[1] in (1, 3) and images.shape[-1] not in (1, 3):
        raise ValueError(f"{where} have shape {images.shape}, which looks channels-first "
                         "(N, C, H, W); expected (N, H, W) or (N, H, W, C): use "
                         "np.moveaxis(images, 1, -1).")
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4 or images.shape[-1] not in (1, 3) or 0 in images.shape[1:3]:
        raise ValueError(f"{where} have shape {images.shape}, expected (N, H, W) for grey or "
                         "(N, H, W, 3) for colour images")
    where = f"{split}_labels in {path}"
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{where} have dtype {labels.dtype}, expected integer class indices "
                         "(MedMNIST uses uint8)")
    if labels.ndim == 2 and labels.shape[1] > 1:
        raise ValueError(f"{where} have shape {labels.shape}: several labels per image "
                         "(multi-label, like ChestMNIST) are not supported; expected (N,) or "
                         "(N, 1) class indices")
    if labels.ndim not in (1, 2):
        raise ValueError(f"{where} have shape {labels.shape}, expected (N,) or (N, 1)")
    labels = labels.reshape(-1).astype(np.int64)
    if len(labels) != len(images):
        raise ValueError(f"{split} split of {path} has {len(images)} images but {len(labels)} "
                         "labels: they must match one to one")
    if labels.size and labels.min() < 0:
        raise ValueError(f"{where} contain negative class index {labels.min()}")
    return Split(images=images, labels=labels)


def load_npz(path, name: str | None = None) -> Dataset:
    """Load a ``.npz`` file in the MedMNIST layout, never unpickling anything.

    Keys: ``{train,val,test}_images`` (uint8, (N, H, W) grey or (N, H, W, 3) colour) and
    ``{train,val,test}_labels`` ((N, 1) or (N,) integers). At least one split must be present;
    absent ones are reported in ``source`` and ``describe()``. ``name`` (or a file name
    starting with a manifest flag, e.g. ``pneumoniamnist_trainval.npz``) selects the manifest's
    label names; otherwise classes are named "class 0", "class 1", ...
    Raises ``ValueError`` with a specific message for anything else.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist" +
                                (" (it is a folder: use load_image_folder)" if path.is_dir()
                                 else ""))
    manifest = load_manifest()
    if name is None:
        flag = _infer_flag(path, manifest)
    else:
        flag = name.strip().lower() if name.strip().lower() in manifest["datasets"] else None

    arrays = _read_arrays(path)
    found = sorted(arrays)
    expected = [f"{s}_{part}" for s in SPLITS for part in ("images", "labels")]
    halves = [s for s in SPLITS if (f"{s}_images" in arrays) != (f"{s}_labels" in arrays)]
    present = [s for s in SPLITS if f"{s}_images" in arrays and f"{s}_labels" in arrays]
    if halves or not present:
        problem = (f"the {', '.join(halves)} split(s) have images without labels or labels "
                   "without images" if halves else "no split has both images and labels")
        raise ValueError(f"{path} does not have the MedMNIST layout ({problem}). Expected keys: "
                         f"{', '.join(expected)} (at least one split's pair); found: "
                         f"{', '.join(found) or 'none'}.")
    splits = {s: _check_split(path, s, arrays[f"{s}_images"], arrays[f"{s}_labels"])
              for s in present}
    shapes = {s: split.images.shape[1:] for s, split in splits.items()}
    if len(set(shapes.values())) > 1:
        raise ValueError(f"the splits of {path} have different image shapes {shapes}: all "
                         "images of one data set must have the same size and channels")

    highest = [int(split.labels.max()) for split in splits.values() if len(split)]
    top = max(highest, default=0)
    if flag is not None:
        entry = manifest["datasets"][flag]
        label_names, task = _label_names(entry), entry["task"]
        if top >= len(label_names):
            raise ValueError(f"{path} has class index {top}, but {flag} has only "
                             f"{len(label_names)} classes ({', '.join(label_names)})")
    else:
        label_names = [f"class {i}" for i in range(max(top + 1, 2))]
        task = "binary-class" if len(label_names) == 2 else "multi-class"

    source = f"MedMNIST file {path}"
    absent = [s for s in SPLITS if s not in splits]
    if absent:
        source += f" (no {' / '.join(absent)} split in this file)"
    ignored = [k for k in found if k not in expected]
    if ignored:
        source += f" (ignored keys: {', '.join(ignored)})"
    return Dataset(name=flag or name or path.stem, splits=splits, label_names=label_names,
                   task=task, source=source)


# --------------------------------------------------------------------------------------------
# Folders of image files


def _image_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".")
                  and p.suffix.lower() in IMAGE_SUFFIXES)


def _class_folders(folder: Path) -> dict[str, Path]:
    classes = {p.name: p for p in sorted(folder.iterdir())
               if p.is_dir() and not p.name.startswith(".")}
    if classes:
        return classes
    layout = (f"put one subfolder per class in {folder}, e.g. {folder / 'normal'} and "
              f"{folder / 'pneumonia'}, each holding that class's images")
    if not any(p for p in folder.iterdir() if not p.name.startswith(".")):
        raise ValueError(f"{folder} is empty: {layout}")
    loose = _image_files(folder)
    if loose:
        raise ValueError(f"{folder} holds {len(loose)} image file(s) but no class subfolders, "
                         f"so the classes are unknown: {layout}")
    raise ValueError(f"{folder} has no class subfolders: {layout}")


def _read_image(file: Path, image_size: int, grayscale: bool) -> np.ndarray:
    from PIL import Image, ImageOps

    try:
        with Image.open(file) as opened:
            image = ImageOps.exif_transpose(opened)
            image.load()
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValueError(f"cannot read the image {file} ({_short(error)}): remove it or replace "
                         "it with a PNG or JPEG file") from error
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        # 16-bit or float images (common for X-rays): stretch to 0-255 instead of clipping.
        values = np.asarray(image, dtype=np.float64)
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) / (high - low) * 255.0 if high > low else values * 0.0
        image = Image.fromarray(scaled.round().astype(np.uint8))  # mode "L"
    image = image.convert("L" if grayscale else "RGB")
    width, height = image.size
    side = min(width, height)  # centre crop to a square, as MedMNIST did, then resize
    left, top = (width - side) // 2, (height - side) // 2
    image = image.crop((left, top, left + side, top + side))
    image = image.resize((image_size, image_size), Image.Resampling.BICUBIC)
    array = np.asarray(image, dtype=np.uint8)
    return array[..., np.newaxis] if grayscale else array


def load_image_folder(path, image_size: int = 28, grayscale: bool = True) -> Dataset:
    """Load images from one subfolder per class (the sorted folder names are the label names).

    If ``path`` has ``train/``, ``val/`` and/or ``test/`` subfolders, each with class
    subfolders, these become the splits; otherwise everything is a single "train" split.
    Files ending in .png, .jpg, .jpeg, .bmp, .gif, .tif, .tiff or .webp are read with Pillow,
    centre-cropped to a square, resized to ``image_size`` × ``image_size`` and converted to
    grey (C = 1) or RGB (C = 3). Images come class by class in file-name order: shuffle before
    fitting with ``validation_split``. ``ValueError`` names the folder or file that is wrong.
    """
    root = Path(path).expanduser()
    if not root.exists():
        raise FileNotFoundError(f"{root} does not exist")
    if not root.is_dir():
        raise ValueError(f"{root} is not a folder: load_image_folder needs a folder with one "
                         "subfolder per class")
    if isinstance(image_size, bool) or not isinstance(image_size, int | np.integer) \
            or image_size < 1:
        raise ValueError(f"image_size must be a positive integer, got {image_size!r}")

    subfolders = {p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")}
    split_names = [s for s in SPLITS if s in subfolders]
    if split_names:
        others = sorted(subfolders - set(SPLITS))
        if others:
            raise ValueError(f"{root} mixes split folders ({', '.join(split_names)}) with other "
                             f"folders ({', '.join(others)}): use either class folders, or "
                             "train/, val/, test/ folders that each hold class folders")
        layout = {s: _class_folders(root / s) for s in split_names}
    else:
        layout = {"train": _class_folders(root)}

    label_names = sorted(set().union(*layout.values()))
    index = {name: i for i, name in enumerate(label_names)}
    splits: dict[str, Split] = {}
    for split, classes in layout.items():
        images: list[np.ndarray] = []
        labels: list[int] = []
        for class_name, folder in classes.items():
            files = _image_files(folder)
            if not files:
                raise ValueError(f"the class folder {folder} holds no images (looked for "
                                 f"{', '.join(IMAGE_SUFFIXES)})")
            images.extend(_read_image(f, int(image_size), grayscale) for f in files)
            labels.extend([index[class_name]] * len(files))
        splits[split] = Split(images=np.stack(images).astype(np.uint8),
                              labels=np.asarray(labels, dtype=np.int64))
    return Dataset(name=root.name, splits=splits, label_names=label_names,
                   task="binary-class" if len(label_names) <= 2 else "multi-class",
                   source=f"image folder {root} ({', '.join(splits)})")


# --------------------------------------------------------------------------------------------
# Synthetic chest X-rays


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def _synthetic_split(seed: np.random.SeedSequence, n: int, size: int) -> Split:
    rng = np.random.default_rng(seed)
    labels = np.zeros(n, dtype=np.int64)
    labels[: round(0.7 * n)] = 1
    rng.shuffle(labels)

    def jitter(low: float, high: float) -> np.ndarray:
        return rng.uniform(low, high, (n, 1, 1)).astype(np.float32)

    axis = np.linspace(-1.0, 1.0, size, dtype=np.float32)
    yy, xx = np.meshgrid(axis, axis, indexing="ij")
    scale = jitter(0.9, 1.1)
    x = (xx[None] - jitter(-0.08, 0.08)) / scale  # patient position and size
    y = (yy[None] - jitter(-0.06, 0.06)) / scale
    edge = 0.7 / size  # soft edges about one pixel wide

    # thorax filling most of the frame; air only at the upper corners
    thorax = _sigmoid((1.0 - (x / jitter(1.05, 1.2)) ** 2 - ((y - 0.35) / 1.25) ** 2) / (8 * edge))
    image = jitter(0.08, 0.18) + thorax * jitter(0.45, 0.6)
    # two dark lung fields, wider at the bottom
    lung_x, lung_y = jitter(0.38, 0.46), jitter(-0.12, 0.0)
    lung_rx, lung_ry = jitter(0.24, 0.31), jitter(0.55, 0.68)
    width = lung_rx * (1.0 + 0.3 * np.clip((y - lung_y) / lung_ry, -1.0, 1.0))
    distance = np.minimum(((x + lung_x) / width) ** 2, ((x - lung_x) / width) ** 2) \
        + ((y - lung_y) / lung_ry) ** 2
    lungs = _sigmoid((1.0 - distance) / (10 * edge))
    image -= jitter(0.26, 0.4) * lungs
    # ribs: faint curved stripes across the lungs
    ribs = 0.5 + 0.5 * np.sin(jitter(10.0, 13.0) * (y - 0.25 * np.abs(x)) + jitter(0, 2 * np.pi))
    image += jitter(0.03, 0.08) * ribs * lungs
    # spine and mediastinum: a bright vertical band
    image += jitter(0.1, 0.2) * np.exp(-0.5 * (x / jitter(0.08, 0.13)) ** 2) * thorax
    # heart: a bright blob low and to the image's right (the patient's left)
    heart = np.exp(-0.5 * (((x - jitter(0.08, 0.2)) / 0.22) ** 2
                           + ((y - jitter(0.3, 0.45)) / 0.2) ** 2))
    image += jitter(0.08, 0.18) * heart
    # diaphragm and abdomen: brighter below the lungs
    image += jitter(0.12, 0.22) * _sigmoid((y - jitter(0.6, 0.75)) / 0.06) * thorax

    def blobs(count: int, low: float, high: float, sigma: tuple[float, float],
              active: np.ndarray) -> np.ndarray:
        """Gaussian patches at random places inside one lung, only where ``active``."""
        total = np.zeros_like(image)
        for k in range(count):
            on = active & (rng.random(n) < (1.0 if k == 0 else 0.45))
            side = rng.choice(np.array([-1.0, 1.0], dtype=np.float32), n)[:, None, None]
            angle = jitter(0.0, 2 * np.pi)
            radius = np.sqrt(jitter(0.0, 0.55))
            cx = side * lung_x + radius * np.cos(angle) * lung_rx
            cy = lung_y + radius * np.sin(angle) * lung_ry
            s = jitter(*sigma)
            patch = np.exp(-0.5 * ((x - cx) ** 2 + (y - cy) ** 2) / s**2)
            total += on[:, None, None] * jitter(low, high) * patch
        return total * lungs

    # pneumonia-like opacity: one to three blurred bright patches inside a lung
    image += blobs(3, 0.12, 0.38, (0.1, 0.22), labels == 1)
    # in every image: small sharp spots (vessels seen end-on), which are NOT opacity
    image += blobs(2, 0.1, 0.3, (0.03, 0.06), np.ones(n, dtype=bool))

    image = image * jitter(0.85, 1.15) + jitter(-0.08, 0.08)  # exposure
    image += rng.standard_normal(image.shape, dtype=np.float32) * jitter(0.01, 0.035)  # noise
    pixels = np.clip(np.round(image * 255.0), 0, 255).astype(np.uint8)
    return Split(images=pixels[..., np.newaxis], labels=labels)


def make_synthetic_chest(n_train=600, n_val=200, n_test=200, size=28, seed=0) -> Dataset:
    """Chest-X-ray-like grey images for working offline; NOT real patients.

    Each image has a bright thorax with two dark lung fields, ribs, spine, heart and diaphragm,
    with random size, position, exposure and noise; every image also has small sharp bright
    spots. Class 1 ("opacity", 70 % of each split like the real data) adds one to three blurred
    bright patches inside a lung. Deterministic for a given ``seed``; each split has its own
    random stream, so the val/test images do not change with ``n_train``.
    Returns images (N, size, size, 1) uint8 and labels (N,) int64.
    """
    sizes = {"train": n_train, "val": n_val, "test": n_test}
    for split, n in sizes.items():
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
            raise ValueError(f"n_{split} must be a non-negative integer, got {n!r}")
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 8:
        raise ValueError(f"size must be an integer of at least 8 pixels, got {size!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    streams = np.random.SeedSequence(int(seed)).spawn(len(SPLITS))
    splits = {split: _synthetic_split(stream, int(n), int(size))
              for (split, n), stream in zip(sizes.items(), streams, strict=True) if n > 0}
    return Dataset(name="synthetic_chest", splits=splits, label_names=["normal", "opacity"],
                   task="binary-class", source=SYNTHETIC_SOURCE)


# --------------------------------------------------------------------------------------------
# One entry point


def _cached_only(flag: str, cache: Path | None) -> Path:
    """The verified cached file, or a DownloadError (used when downloads are switched off)."""
    entry = _entry(flag)
    md5 = entry["md5"].lower()
    target = (Path(cache).expanduser() if cache is not None else cache_dir()) / f"{flag}.npz"
    url = _resolve_url(flag, entry, None)
    if not target.is_file():
        raise DownloadError(flag, f"it is not in the cache ({target} does not exist) and "
                            "downloads are switched off (allow_download=False).",
                            url=url, path=target, md5=md5, attempted=False)
    found = _md5(target)
    if found != md5:
        raise DownloadError(flag, f"the cached file {target} has MD5 {found}, expected {md5} "
                            "(damaged or not the expected file), and downloads are switched "
                            "off (allow_download=False).", url=url, path=target, md5=md5,
                            attempted=False)
    return target


def load_dataset(name_or_path: str, *, allow_download: bool = True, fallback: bool = False,
                 cache: Path | None = None) -> Dataset:
    """Load a data set by manifest flag, by path, or "synthetic".

    - a MedMNIST flag (``pneumoniamnist``, ``breastmnist``, ``bloodmnist``, ``dermamnist``): the
      cached file, downloaded and checked first when needed and ``allow_download``;
    - a path to a ``.npz`` file: :func:`load_npz`; a path to a folder: :func:`load_image_folder`;
    - ``"synthetic"``: :func:`make_synthetic_chest` with its defaults.

    When a flag cannot be downloaded, ``fallback=True`` prints why and returns the synthetic
    data set instead; otherwise the :class:`DownloadError` is raised.
    """
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
        try:
            path = download(key, cache=cache) if allow_download else _cached_only(key, cache)
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
                     f"{', '.join(_known_flags(manifest))}, 'synthetic', or the path of a .npz "
                     "file or of an image folder")


def _load_path(path: Path) -> Dataset:
    path = path.expanduser()
    if path.is_dir():
        return load_image_folder(path)
    if path.is_file():
        return load_npz(path)
    raise FileNotFoundError(f"{path} does not exist (looked in {path.resolve().parent})")
