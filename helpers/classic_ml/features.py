"""Hand-crafted image features: the "feature extraction" step of a classic pipeline (lesson 07).

Each extractor turns a batch of grey images into a table with one row per image. None of them
looks at a label: they are *designed* (by a person, once), not learned.

- :func:`intensity_histogram` – how much of the image has each grey level;
- :func:`edge_statistics`     – how strong the edges are (Sobel gradient magnitude, lesson 02/03);
- :func:`hog_features`        – histograms of oriented gradients per cell (Dalal & Triggs 2005,
  computed by scikit-image's ``hog``);
- :func:`gabor_features`      – the mean response of lesson 01's bank of Gabor simple cells
  (:func:`helpers.history.apply_cell_bank`) in each region of a coarse grid;
- :func:`extract_features`    – all of them side by side, with the columns of each kind.

Images are (N, H, W, 1) or (N, H, W) uint8 in [0, 255] (as :mod:`helpers.data` loads them) or
float in [0, 1]; every table is (N, D) float64.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from helpers import convolution, history, pooling, validate

#: The kinds of hand-crafted features, in the order :func:`extract_features` stacks them.
FEATURE_KINDS = ("histogram", "edges", "hog", "gabor")
#: Grey-level bins of the intensity histogram.
HISTOGRAM_BINS = 16
#: Side of a HOG cell in pixels (28×28 images: 4×4 cells) and number of orientation bins.
HOG_CELL = 7
HOG_ORIENTATIONS = 9
#: The Gabor bank: lesson 01's preferred orientations, and a wavelength (pixels) that suits
#: structures a few pixels wide on a 28×28 image (its kernels are 9×9).
GABOR_ORIENTATIONS = history.ORIENTATIONS
GABOR_WAVELENGTH = 4.0
#: The Gabor responses are averaged over a GABOR_GRID × GABOR_GRID grid of regions.
GABOR_GRID = 4
#: The names of the columns of :func:`edge_statistics`.
EDGE_STATISTICS = ("mean", "std", "median", "90th percentile", "max", "mean |gx|", "mean |gy|")


def as_grey_batch(images) -> np.ndarray:
    """``images`` as (N, H, W) float64 in [0, 1].

    Accepts (N, H, W, 1) or (N, H, W): uint8 in [0, 255] or floats in [0, 1]; one (H, W) image
    becomes a batch of one. Colour images are refused (these features are defined on grey).
    """
    x = np.asarray(images)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim == 2:
        x = x[np.newaxis]
    if x.ndim != 3:
        raise ValueError(f"images must be (N, H, W, 1) or (N, H, W) grey images, got shape "
                         f"{np.shape(images)}")
    if len(x) == 0:
        raise ValueError("images is empty: pass at least one image")
    if not np.issubdtype(x.dtype, np.number):
        raise TypeError(f"images must be numeric, got dtype {x.dtype}")
    if x.dtype == np.uint8:
        return x.astype(np.float64) / 255.0
    x = x.astype(np.float64)
    if x.min() < 0.0 or x.max() > 1.0:
        raise ValueError(f"float images must lie in [0, 1], got {x.min():g} to {x.max():g}: "
                         "pass uint8 images in [0, 255], or divide by 255")
    return x


def as_grey_image(image) -> np.ndarray:
    """One image, (H, W) or (H, W, 1), uint8 in [0, 255] or float in [0, 1], as (H, W) float64
    in [0, 1]."""
    x = np.asarray(image)
    if x.ndim == 3 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 2:
        raise ValueError(f"expected one grey image, (H, W) or (H, W, 1), got shape "
                         f"{np.shape(image)}: pick one image of the batch, e.g. images[0]")
    return as_grey_batch(x)[0]


# --------------------------------------------------------------------------- the extractors


def intensity_histogram(images, bins: int = HISTOGRAM_BINS) -> np.ndarray:
    """Share of the pixels of each image in each of ``bins`` equal grey-level bins over [0, 1].

    Returns (N, bins) float64; every row sums to 1. It ignores *where* a grey level occurs.
    """
    x = as_grey_batch(images)
    bins = validate.whole_number(bins, "bins", minimum=2)
    index = np.minimum((x * bins).astype(np.int64), bins - 1).reshape(len(x), -1)
    counts = np.stack([np.bincount(row, minlength=bins) for row in index])
    return counts / index.shape[1]


def compute_gradients(image) -> tuple[np.ndarray, np.ndarray]:
    """Sobel gradients (gx, gy) of one (H, W) image in [0, 1], each (H, W) float64.

    Built from :func:`helpers.pooling.compute_edge_features` (Sobel / 4, mirrored borders):
    gx > 0 where the image gets brighter to the right, gy > 0 where it gets brighter downwards;
    a step from 0 to 1 gives 1.
    """
    edges = pooling.compute_edge_features(image).astype(np.float64)
    return edges[..., 0] - edges[..., 1], edges[..., 2] - edges[..., 3]


def edge_statistics(images) -> np.ndarray:
    """Summary statistics of each image's Sobel gradient magnitude (:data:`EDGE_STATISTICS`).

    Returns (N, 7) float64 ≥ 0: mean, standard deviation, median, 90th percentile and maximum
    of √(gx² + gy²), then the mean |gx| (vertical edges) and mean |gy| (horizontal edges).
    """
    rows = []
    for image in as_grey_batch(images):
        gx, gy = compute_gradients(image)
        magnitude = np.hypot(gx, gy)
        rows.append([magnitude.mean(), magnitude.std(), np.median(magnitude),
                     np.percentile(magnitude, 90), magnitude.max(),
                     np.abs(gx).mean(), np.abs(gy).mean()])
    return np.asarray(rows, dtype=np.float64)


def hog_features(images, cell_size: int = HOG_CELL, orientations: int = HOG_ORIENTATIONS
                 ) -> np.ndarray:
    """Histograms of oriented gradients (scikit-image's ``hog``, blocks of 2×2 cells, L2-Hys).

    For each ``cell_size`` × ``cell_size`` cell, the gradient directions are counted in
    ``orientations`` bins (0°–180°), weighted by gradient strength, then normalised over
    overlapping blocks. For 28×28 images and 7-pixel cells: 3×3 blocks × 4 cells × 9 bins = 324
    columns. Returns (N, D) float64 in [0, 1].
    """
    from skimage.feature import hog

    x = as_grey_batch(images)
    cell_size = validate.whole_number(cell_size, "cell_size", minimum=2,
                                      maximum=min(x.shape[1:]) // 2,
                                      hint="(pixels; two cells must fit in the image)")
    orientations = validate.whole_number(orientations, "orientations", minimum=2)
    return np.stack([hog(image, orientations=orientations, pixels_per_cell=(cell_size, cell_size),
                         cells_per_block=(2, 2), block_norm="L2-Hys", feature_vector=True)
                     for image in x]).astype(np.float64)


def hog_picture(image, cell_size: int = HOG_CELL, orientations: int = HOG_ORIENTATIONS
                ) -> np.ndarray:
    """scikit-image's picture of the HOG of one image: in each cell, a star of line segments
    whose brightness is the gradient strength in that direction (drawn along the edge).

    image: (H, W) or (H, W, 1). Returns (H, W) float64 ≥ 0.
    """
    from skimage.feature import hog

    x = as_grey_image(image)
    cell_size = validate.whole_number(cell_size, "cell_size", minimum=2,
                                      maximum=min(x.shape) // 2,
                                      hint="(pixels; two cells must fit in the image)")
    _, picture = hog(x, orientations=orientations, pixels_per_cell=(cell_size, cell_size),
                     cells_per_block=(2, 2), block_norm="L2-Hys", visualize=True)
    return np.asarray(picture, dtype=np.float64)


def gabor_maps(image, orientations: Sequence[float] = GABOR_ORIENTATIONS,
               wavelength: float = GABOR_WAVELENGTH) -> np.ndarray:
    """Lesson 01's simple cells on one image: :func:`helpers.history.apply_cell_bank`.

    image: (H, W) or (H, W, 1), uint8 or [0, 1]. Returns (len(orientations), H, W) float32 ≥ 0.
    """
    return history.apply_cell_bank(as_grey_image(image), orientations, wavelength=wavelength)


def gabor_features(images, orientations: Sequence[float] = GABOR_ORIENTATIONS,
                   wavelength: float = GABOR_WAVELENGTH, grid: int = GABOR_GRID) -> np.ndarray:
    """Mean response of each Gabor cell of the bank in each region of a ``grid`` × ``grid`` grid.

    The maps of :func:`gabor_maps` are average-pooled (:func:`helpers.pooling.average_pool2d`)
    with windows of side H // grid. Returns (N, grid · grid · len(orientations)) float64 ≥ 0.
    """
    x = as_grey_batch(images)
    grid = validate.whole_number(grid, "grid", maximum=min(x.shape[1:]),
                                 hint="(regions per side)")
    window = min(x.shape[1:]) // grid
    rows = []
    for image in x:
        maps = history.apply_cell_bank(image, orientations, wavelength=wavelength)
        pooled = pooling.average_pool2d(np.moveaxis(maps, 0, -1), window)[:grid, :grid]
        rows.append(pooled.reshape(-1))
    return np.asarray(rows, dtype=np.float64)


# --------------------------------------------------------------------------- all of them


@dataclass(frozen=True)
class FeatureTable:
    """Hand-crafted features of a batch of images.

    ``values``: (N, D) float64, the kinds side by side; ``columns``: {kind: slice of columns};
    ``seconds``: wall time of the extraction.
    """

    values: np.ndarray
    columns: dict[str, slice]
    seconds: float

    def select(self, kinds: Sequence[str] = FEATURE_KINDS) -> np.ndarray:
        """The columns of some kinds only, side by side: (N, D') float64."""
        unknown = [k for k in kinds if k not in self.columns]
        if unknown or not kinds:
            raise ValueError(f"choose kinds among {', '.join(self.columns)}, got {list(kinds)}")
        return np.hstack([self.values[:, self.columns[k]] for k in kinds])

    def rows(self, index) -> FeatureTable:
        """The same table for a subset of the images (an index array or a boolean mask)."""
        return FeatureTable(self.values[index], dict(self.columns), self.seconds)


_EXTRACTORS = {"histogram": intensity_histogram, "edges": edge_statistics,
               "hog": hog_features, "gabor": gabor_features}


def extract_features(images, kinds: Sequence[str] = FEATURE_KINDS) -> FeatureTable:
    """Every hand-crafted feature of ``kinds`` (default: all of :data:`FEATURE_KINDS`).

    images: (N, H, W, 1) uint8 as loaded by :mod:`helpers.data`. Note what is *not* an argument:
    the labels. Returns a :class:`FeatureTable`.
    """
    import time

    if not kinds:
        raise ValueError(f"choose at least one kind of feature among {', '.join(FEATURE_KINDS)}")
    for kind in kinds:
        validate.one_of(kind, FEATURE_KINDS, "feature kind")
    x = as_grey_batch(images)
    start = time.perf_counter()
    blocks, columns, first = [], {}, 0
    for kind in kinds:
        block = _EXTRACTORS[kind](x)
        columns[kind] = slice(first, first + block.shape[1])
        first += block.shape[1]
        blocks.append(block)
    return FeatureTable(np.hstack(blocks), columns, time.perf_counter() - start)


# --------------------------------------------------------------------------- designed vs learned

#: Designed 3×3 kernels of lesson 02 that a CNN's learned 3×3 kernels are compared with.
DESIGNED_KERNELS = ("sobel x", "sobel y", "laplacian", "box blur")


def compare_with_designed(kernels, designed: Sequence[str] = DESIGNED_KERNELS
                          ) -> list[tuple[str, float]]:
    """For each learned 3×3 kernel, the designed kernel it resembles most and how much.

    kernels: (3, 3, K) or a first layer's (3, 3, 1, K) weights. Resemblance is the absolute
    cosine similarity of the nine weights, |Σ a·b| / (‖a‖ ‖b‖) in [0, 1]: 1 for the same
    pattern up to scale and sign (a negated Sobel kernel finds the same edges with the other
    polarity), near 0 for unrelated ones. Returns K pairs (name, similarity).
    """
    w = np.asarray(kernels, dtype=np.float64)
    if w.ndim == 4 and w.shape[2] == 1:
        w = w[:, :, 0, :]
    if w.ndim != 3 or w.shape[:2] != (3, 3):
        raise ValueError(f"kernels must be (3, 3, K) or (3, 3, 1, K), got shape "
                         f"{np.shape(kernels)}")
    if not designed:
        raise ValueError(f"name at least one designed kernel, e.g. {DESIGNED_KERNELS}")
    references = {name: convolution.make_kernel(name).ravel() for name in designed}
    pairs = []
    for k in range(w.shape[2]):
        learned = w[:, :, k].ravel()
        norm = np.linalg.norm(learned)
        scores = {name: (abs(float(learned @ ref)) / (norm * np.linalg.norm(ref)) if norm else 0.0)
                  for name, ref in references.items()}
        best = max(scores, key=scores.get)
        pairs.append((best, scores[best]))
    return pairs
