"""Reading data sets from files: MedMNIST-layout ``.npz`` archives and folders of images.

    ds = files.load_npz("pneumoniamnist_mine.npz")   # never unpickles anything
    ds = files.load_image_folder("my_xrays/")          # one subfolder per class

Both return a :class:`~helpers.data.datasets.Dataset` with images (N, H, W, C) uint8 and labels
(N,) int64, and raise ``ValueError`` naming the file or folder that is wrong and how to fix it.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from helpers import validate
from helpers.data import medmnist
from helpers.data.datasets import SPLITS, Dataset, Split

#: The file endings :func:`load_image_folder` reads (compared in lower case).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")

_NPY_MAGIC = b"\x93NUMPY"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")


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
        raise ValueError(f"{path} is not a readable .npz archive ({medmnist.short_error(error)}): the file is "
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
                raise ValueError(f"array {key!r} in {path} cannot be read ({medmnist.short_error(error)})") \
                    from error
            except (zipfile.BadZipFile, EOFError, OSError) as error:
                raise ValueError(f"array {key!r} in {path} is damaged ({medmnist.short_error(error)}): "
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


def load_npz(path: str | os.PathLike, name: str | None = None) -> Dataset:
    """Load a ``.npz`` file in the MedMNIST layout, never unpickling anything.

    Keys: ``{train,val,test}_images`` (uint8, (N, H, W) grey or (N, H, W, 3) colour) and
    ``{train,val,test}_labels`` ((N, 1) or (N,) integers). At least one split must be present;
    absent ones are reported in ``source`` and ``describe()``. ``name`` (or a file name
    starting with a manifest flag, e.g. ``pneumoniamnist_v2_trainval.npz``) selects the manifest's
    label names; otherwise classes are named "class 0", "class 1", ...
    Raises ``ValueError`` with a specific message for anything else.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist" +
                                (" (it is a folder: use load_image_folder)" if path.is_dir()
                                 else ""))
    manifest = medmnist.load_manifest()
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
        label_names, task = medmnist.label_names(entry), entry["task"]
        positive = entry.get("positive_class")
        if top >= len(label_names):
            raise ValueError(f"{path} has class index {top}, but {flag} has only "
                             f"{len(label_names)} classes ({', '.join(label_names)})")
    else:
        label_names, positive = [f"class {i}" for i in range(max(top + 1, 2))], None
        task = "binary-class" if len(label_names) == 2 else "multi-class"

    source = f"MedMNIST file {path}"
    absent = [s for s in SPLITS if s not in splits]
    if absent:
        source += f" (no {' / '.join(absent)} split in this file)"
    ignored = [k for k in found if k not in expected]
    if ignored:
        source += f" (ignored keys: {', '.join(ignored)})"
    return Dataset(name=flag or name or path.stem, splits=splits, label_names=label_names,
                   task=task, source=source, positive_class=positive)


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
        raise ValueError(f"cannot read the image {file} ({medmnist.short_error(error)}): remove it or replace "
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


def load_image_folder(path: str | os.PathLike, image_size: int = 28,
                      grayscale: bool = True) -> Dataset:
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
    image_size = validate.whole_number(image_size, "image_size")

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
            images.extend(_read_image(f, image_size, grayscale) for f in files)
            labels.extend([index[class_name]] * len(files))
        splits[split] = Split(images=np.stack(images).astype(np.uint8),
                              labels=np.asarray(labels, dtype=np.int64))
    return Dataset(name=root.name, splits=splits, label_names=label_names,
                   task="binary-class" if len(label_names) <= 2 else "multi-class",
                   source=f"image folder {root} ({', '.join(splits)})")
