"""ImageNet in numbers, and ImageNet-pretrained weights with an offline fallback (lesson 08).

- :data:`IMAGENET_FACTS`: the full ImageNet (the entry's figures) against ILSVRC-2012, the
  1,000-class subset on which AlexNet and most ``keras.applications`` weights were trained.
- :func:`prepare_images`: 28×28 grey or colour MedMNIST images → what an ImageNet network
  expects (3 channels, a larger side, its own ``preprocess_input`` scaling).
- :func:`load_imagenet_backbone`: MobileNetV2 (α = 0.35, ``include_top=False``) with ImageNet
  weights when they are cached or can be downloaded, else ``None`` and one clear message.
  Keras' downloader has no time-out, so the host is first checked with a short one
  (:func:`can_reach`); nothing is ever downloaded when ``try_download`` is False.
- :func:`build_backbone_classifier`: a frozen backbone, global average pooling and a new output.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path

import numpy as np

from helpers import validate

#: The full ImageNet as the entry gives it (Salehi et al., §3.3): an ongoing collection.
IMAGENET_IMAGES = 14_197_122
IMAGENET_CATEGORIES = 21_841
#: ILSVRC-2012 (Russakovsky et al. 2015): the 1,000-class challenge subset.
ILSVRC_TRAIN_IMAGES = 1_281_167
ILSVRC_VAL_IMAGES = 50_000
ILSVRC_CLASSES = 1_000

#: (what, images, categories, used for) rows for the notebook's table.
IMAGENET_FACTS: tuple[tuple[str, int, int, str], ...] = (
    ("ImageNet (full, as in the entry)", IMAGENET_IMAGES, IMAGENET_CATEGORIES,
     "the whole collection (often called ImageNet-21k)"),
    ("ILSVRC-2012 training set", ILSVRC_TRAIN_IMAGES, ILSVRC_CLASSES,
     "AlexNet (2012) and most keras.applications weights"),
    ("ILSVRC-2012 validation set", ILSVRC_VAL_IMAGES, ILSVRC_CLASSES,
     "the accuracies those weights report"),
)

#: The backbone of this lesson: small enough for a laptop CPU.
BACKBONE = "MobileNetV2"
BACKBONE_ALPHA = 0.35
#: Input sides for which ImageNet weights of MobileNetV2 exist.
BACKBONE_SIZES = (96, 128, 160, 192, 224)
#: Where keras.applications downloads its weights from.
WEIGHTS_HOST = "storage.googleapis.com"
#: The folder of the MobileNetV2 weights there (keras.applications' own base URL).
WEIGHTS_URL = f"https://{WEIGHTS_HOST}/tensorflow/keras-applications/mobilenet_v2/"
#: The sub-folder of the course's data folder that holds a copy of the weights (the model store
#: has ``models/``).
WEIGHTS_FOLDER = "imagenet"


def format_imagenet_facts() -> str:
    """The facts of :data:`IMAGENET_FACTS` as an aligned text table."""
    lines = [f"{'':<34}{'images':>12}{'categories':>12}   used for"]
    for what, images, categories, used in IMAGENET_FACTS:
        lines.append(f"{what:<34}{images:>12,}{categories:>12,}   {used}")
    return "\n".join(lines)


def prepare_images(images: np.ndarray, size: int = 96) -> np.ndarray:
    """MedMNIST images → MobileNetV2 input: (N, size, size, 3) float32 in [-1, 1].

    images: (N, H, W, 1) or (N, H, W, 3) uint8 in [0, 255]. Grey images are repeated into three
    channels (ImageNet networks expect RGB), every image is resized bilinearly to ``size``, and
    ``keras.applications.mobilenet_v2.preprocess_input`` scales [0, 255] to [-1, 1], the range
    the ImageNet weights were trained on.
    """
    import keras

    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(f"images must be (N, H, W, 1) or (N, H, W, 3), got {images.shape}")
    size = validate.whole_number(size, "size", minimum=32)
    x = images.astype(np.float32)
    if x.shape[-1] == 1:
        x = np.repeat(x, 3, axis=-1)
    x = keras.ops.convert_to_numpy(keras.ops.image.resize(x, (size, size)))
    return keras.applications.mobilenet_v2.preprocess_input(np.clip(x, 0.0, 255.0))


def weights_name(size: int = 96, alpha: float = BACKBONE_ALPHA) -> str:
    """The file name of the MobileNetV2 ImageNet weights without top, as Keras publishes it."""
    return f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{size}_no_top.h5"


def weights_file(size: int = 96, alpha: float = BACKBONE_ALPHA) -> Path:
    """Where the MobileNetV2 ImageNet weights without top are read from: the copy in the
    course's data folder (``$CNN_COURSE_DATA/imagenet``, put there by
    ``python -m helpers.data.offline``) when it exists, else where Keras keeps what it
    downloads (``$KERAS_HOME/models`` or ``~/.keras/models``)."""
    from helpers.data import locations

    name = weights_name(size, alpha)
    course_copy = locations.cache_dir() / WEIGHTS_FOLDER / name
    if course_copy.is_file():
        return course_copy
    home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")).expanduser()
    return home / "models" / name


def fetch_weights(folder: str | os.PathLike, size: int = 96, *, url: str | None = None,
                  progress: bool = True, builder: Callable[..., object] | None = None) -> Path:
    """Download the weights into ``folder/imagenet`` (kept when already there and loadable) and
    check them by loading them into the backbone; return their path.

    ``url``: the base URL instead of Keras' (:data:`WEIGHTS_URL`). Weights that do not load are
    deleted and a ``RuntimeError`` says what to do.
    """
    import pooch

    from helpers.data import medmnist

    validate.one_of(size, BACKBONE_SIZES, "size")
    builder = build_backbone if builder is None else builder
    name = weights_name(size)
    target = Path(folder).expanduser() / WEIGHTS_FOLDER / name
    origin = (url or WEIGHTS_URL).rstrip("/") + "/" + name
    try:
        if not target.is_file():
            # pooch writes to a temporary file and moves it into place only when complete
            downloader = pooch.HTTPDownloader(progressbar=progress, timeout=medmnist.TIMEOUT_S)
            with medmnist.quiet_pooch():
                pooch.retrieve(origin, known_hash=None, fname=name, path=target.parent,
                               downloader=downloader, progressbar=progress)
        builder(size, weights=str(target))
    except Exception as error:
        target.unlink(missing_ok=True)
        raise RuntimeError(
            f"Could not get the ImageNet weights ({type(error).__name__}: "
            f"{medmnist.short_error(error, 200)}). Nothing was "
            f"kept. Check that this computer can open {origin}, then run the command again; or "
            f"download that file by hand and save it as {target}.") from error
    return target


def can_reach(host: str = WEIGHTS_HOST, port: int = 443, timeout: float = 3.0) -> bool:
    """True when a TCP connection to ``host:port`` opens within ``timeout`` seconds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def build_backbone(size: int = 96, weights: str | None = None):
    """MobileNetV2 (α = 0.35) without its ImageNet classifier (``include_top=False``), for
    (size, size, 3) inputs; ``weights="imagenet"`` downloads them (no time-out: see
    :func:`load_imagenet_backbone`), None leaves them random."""
    import keras

    validate.one_of(size, BACKBONE_SIZES, "size")
    return keras.applications.MobileNetV2(input_shape=(size, size, 3), alpha=BACKBONE_ALPHA,
                                          include_top=False, weights=weights)


def load_imagenet_backbone(
    size: int = 96,
    *,
    try_download: bool = True,
    timeout: float = 3.0,
    host: str = WEIGHTS_HOST,
    port: int = 443,
    builder: Callable[..., object] = build_backbone,
):
    """``(backbone, message)``: the ImageNet-pretrained MobileNetV2 with every layer frozen, or
    ``(None, message)`` saying in one line why not and that the notebook trains from scratch.

    Cached weights are used without any network. Otherwise, with ``try_download``, ``host`` must
    answer within ``timeout`` seconds before Keras downloads (about 2 MB); any error while
    downloading or loading is caught and reported.
    """
    path = weights_file(size)
    cached = path.is_file()
    if not cached and not try_download:
        return None, ("ImageNet weights: not tried (offline setting); this notebook runs the "
                      "from-scratch path instead.")
    if not cached and not can_reach(host, port, timeout):
        return None, (f"ImageNet weights: offline ({host} did not answer within {timeout:g} s); "
                      "this notebook runs the from-scratch path instead.")
    try:
        # a cached file is given by its path: it may be in the course's data folder, which
        # Keras would not look in
        backbone = builder(size, weights=str(path) if cached else "imagenet")
    except Exception as error:  # a failed download or a damaged file: report, never crash
        from helpers.data.medmnist import short_error

        reason = f"{type(error).__name__}: {short_error(error, 160)}"
        return None, (f"ImageNet weights: could not be loaded ({reason}); this notebook runs the "
                      "from-scratch path instead.")
    backbone.trainable = False
    return backbone, f"ImageNet weights: loaded ({BACKBONE} α = {BACKBONE_ALPHA}, {size}×{size})."


def build_backbone_classifier(backbone, input_shape=(28, 28, 1), n_classes: int = 2, *,
                              dropout: float = 0.2, seed: int | None = None):
    """A classifier for raw course images around ``backbone`` (left frozen as it is).

    (H, W, C) uint8 images in [0, 255], C = 1 or 3 → resized to the backbone's side → grey
    repeated into 3 channels → scaled to [-1, 1] (what :func:`prepare_images` does, inside the
    model, so :func:`helpers.training.fit_binary` can train it on the usual arrays) → backbone →
    global average pooling → dropout → a new output: one sigmoid unit for ``n_classes=2``, else
    a softmax.
    """
    import keras

    n_classes = validate.whole_number(n_classes, "n_classes", minimum=2)
    shape = tuple(int(v) for v in input_shape)
    if len(shape) != 3 or shape[-1] not in (1, 3):
        raise ValueError(f"input_shape must be (H, W, 1) or (H, W, 3), got {input_shape}")
    side = int(backbone.input_shape[1])
    inputs = keras.Input(shape, name="image")
    x = keras.layers.Resizing(side, side, name="resize")(inputs)
    if shape[-1] == 1:
        x = keras.layers.Concatenate(name="to_rgb")([x, x, x])
    x = keras.layers.Rescaling(1.0 / 127.5, offset=-1.0, name="preprocess")(x)
    # training=False: BatchNormalization keeps ImageNet's statistics even while the head learns
    x = backbone(x, training=False)
    x = keras.layers.GlobalAveragePooling2D(name="global_pool")(x)
    x = keras.layers.Dropout(dropout, seed=seed, name="dropout")(x)
    if n_classes == 2:
        outputs = keras.layers.Dense(1, activation="sigmoid", name="output")(x)
    else:
        outputs = keras.layers.Dense(n_classes, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name="backbone_classifier")
