"""Figures of lesson 07 (``notebooks/07_classic_ml.ipynb``): hand-crafted views of an X-ray,
learning curves, designed against learned kernels, and feature maps side by side.

Every function takes ``ax=None``/``axes=None`` (a new figure only when none is given) and returns
what it drew on. X-rays share the fixed grey levels 0–255; maps that are compared share one
colour scale (magma, from 0) with a colorbar.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers import convolution, history, viz
from helpers.classic_ml import features, pipelines
from helpers.classic_ml.curves import LearningCurve

#: Colour scale of non-negative maps (perceptually uniform).
MAP_CMAP = "magma"


def plot_handcrafted_views(images, titles: Sequence[str] | None = None, *, axes=None) -> Figure:
    """One row per image: the X-ray, its intensity histogram, its Sobel gradient magnitude and
    its HOG picture (:mod:`helpers.classic_ml.features`). Magnitudes and HOG pictures share one
    scale across rows, so that stronger edges really look brighter.

    images: (N, H, W, 1) or (N, H, W) uint8; titles: N row names (e.g. the classes).
    """
    x = features.as_grey_batch(images)
    n = len(x)
    if titles is not None and len(titles) != n:
        raise ValueError(f"got {len(titles)} titles for {n} images")
    axes = viz.panel_axes(axes, 4 * n, "panels", ncols=4, figsize=(11.0, 2.7 * n),
                          layout="constrained").reshape(n, 4)
    magnitudes = [np.hypot(*features.compute_gradients(image)) for image in x]
    pictures = [features.hog_picture(image) for image in x]
    histograms = features.intensity_histogram(x)
    top_magnitude = max(float(np.max(magnitudes)), 1e-6)
    top_picture = max(float(np.max(pictures)), 1e-6)
    centres = (np.arange(features.HISTOGRAM_BINS) + 0.5) / features.HISTOGRAM_BINS
    for row, image in enumerate(x):
        name = titles[row] if titles is not None else f"image {row}"
        ax_image, ax_hist, ax_edges, ax_hog = axes[row]
        ax_image.imshow(image, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
        ax_image.set_title(name)
        ax_hist.bar(centres, histograms[row], width=1.0 / features.HISTOGRAM_BINS,
                    color="0.4", edgecolor="white")
        ax_hist.set_xlim(0, 1)
        ax_hist.set_ylim(0, float(histograms.max()) * 1.1)
        ax_hist.set_xlabel("grey level")
        ax_hist.set_ylabel("share of pixels")
        ax_hist.set_title(f"histogram ({features.HISTOGRAM_BINS} bins)")
        shown = ax_edges.imshow(magnitudes[row], cmap=MAP_CMAP, vmin=0, vmax=top_magnitude,
                                interpolation="nearest")
        ax_edges.set_title("Sobel gradient magnitude")
        ax_edges.figure.colorbar(shown, ax=ax_edges, fraction=0.046, pad=0.04)
        shown = ax_hog.imshow(pictures[row], cmap=MAP_CMAP, vmin=0, vmax=top_picture,
                              interpolation="nearest")
        ax_hog.set_title(f"HOG, {features.HOG_CELL}×{features.HOG_CELL}-pixel cells")
        ax_hog.figure.colorbar(shown, ax=ax_hog, fraction=0.046, pad=0.04)
        for ax in (ax_image, ax_edges, ax_hog):
            ax.set_axis_off()
    return axes[0, 0].figure


def plot_learning_curves(curve: LearningCurve, *, key: str = "auc", ax: Axes | None = None
                         ) -> Axes:
    """AUC (or ``key`` = "accuracy") against the number of training images, log scale, with
    the 95 % bootstrap interval of every point as a bar. Classic pipelines dashed, networks
    solid."""
    if key not in ("auc", "accuracy"):
        raise ValueError(f"key must be 'auc' or 'accuracy', got {key!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    sizes = np.asarray(curve.sizes, dtype=float)
    for i, model in enumerate(curve.models):
        value = curve.values(model, key)
        errors = np.vstack([value - curve.values(model, f"{key}_low"),
                            curve.values(model, f"{key}_high") - value])
        style = "--" if model in pipelines.CLASSIC_MODELS else "-"
        marker = "s" if model in pipelines.CLASSIC_MODELS else "o"
        offset = sizes * (1.0 + 0.025 * (i - (len(curve.models) - 1) / 2))  # bars side by side
        ax.errorbar(offset, value, yerr=np.clip(errors, 0, None), ls=style, marker=marker, ms=4,
                    capsize=2, label=model)
    ax.set_xscale("log")
    ax.set_xticks(sizes)
    ax.set_xticklabels([f"{int(n):,}" for n in sizes])
    ax.minorticks_off()
    ax.set_xlabel("training images")
    ax.set_ylabel("AUC" if key == "auc" else "accuracy")
    ax.set_title(f"{'AUC' if key == 'auc' else 'accuracy'} on the same evaluation images "
                 "(bars: 95 % CI)")
    ax.legend(fontsize=8)
    return ax


def plot_kernel_comparison(learned, *, wavelength: float = features.GABOR_WAVELENGTH,
                           axes=None) -> Figure:
    """Top row: the learned 3×3 kernels of a first layer, (3, 3, 1, K) or (3, 3, K), on one
    shared colour scale (red positive, blue negative). Bottom row: the designed kernels of
    lessons 02 (:data:`~helpers.classic_ml.features.DESIGNED_KERNELS`) and 01 (Gabor cells of
    the feature bank, each on its own scale)."""
    w = np.asarray(learned, dtype=np.float64)
    if w.ndim == 4 and w.shape[2] == 1:
        w = w[:, :, 0, :]
    if w.ndim != 3:
        raise ValueError(f"learned must be (k, k, K) or (k, k, 1, K), got shape "
                         f"{np.shape(learned)}")
    designed = [(name, convolution.make_kernel(name)) for name in features.DESIGNED_KERNELS]
    designed += [(f"Gabor {o:g}°", history.make_gabor_kernel(o, wavelength=wavelength))
                 for o in features.GABOR_ORIENTATIONS]
    ncols = max(w.shape[2], len(designed))
    axes = viz.panel_axes(axes, 2 * ncols, "panels", ncols=ncols,
                          figsize=(1.55 * ncols, 3.6), layout="constrained").reshape(2, ncols)
    limit = max(float(np.abs(w).max()), 1e-12)
    for k in range(ncols):
        if k < w.shape[2]:
            convolution.plot_kernel(w[:, :, k], axes[0, k], title=f"learned {k}", limit=limit,
                                    colorbar=False)
        else:
            axes[0, k].set_axis_off()
        if k < len(designed):
            name, kernel = designed[k]
            convolution.plot_kernel(kernel, axes[1, k], title=name, colorbar=False)
        else:
            axes[1, k].set_axis_off()
    return axes[0, 0].figure


def plot_map_rows(image, rows: Mapping[str, np.ndarray], *,
                  map_titles: Mapping[str, Sequence[str]] | None = None, axes=None,
                  panel_size: float = 1.5) -> Figure:
    """The image, then one row of feature maps per entry of ``rows`` ({name: (H, W, K) maps ≥ 0}),
    each row on its own colour scale from 0 (magma) with a colorbar.

    image: (H, W) or (H, W, 1), uint8 or [0, 1], shown in grey with fixed levels.
    ``map_titles``: {name: K titles} for some rows (default: the map numbers 0 … K-1).
    """
    grey = features.as_grey_image(image)
    if not rows:
        raise ValueError("rows is empty: give at least one {name: (H, W, K) maps}")
    maps = {name: np.asarray(m, dtype=np.float64) for name, m in rows.items()}
    titles = {name: [str(k) for k in range(m.shape[-1])] for name, m in maps.items()}
    for name, names in (map_titles or {}).items():
        if name not in maps or len(names) != maps[name].shape[-1]:
            raise ValueError(f"map_titles[{name!r}] must name each of the maps of a row of rows")
        titles[name] = list(names)
    for name, m in maps.items():
        if m.ndim != 3 or m.shape[:2] != grey.shape:
            raise ValueError(f"{name}: maps must be (H, W, K) with H, W = {grey.shape}, got "
                             f"{m.shape}")
    ncols = 1 + max(m.shape[2] for m in maps.values())
    axes = viz.panel_axes(axes, len(maps) * ncols, "panels", ncols=ncols, layout="constrained",
                          figsize=(panel_size * ncols + 1.0, panel_size * len(maps) + 0.4)
                          ).reshape(len(maps), ncols)
    for r, (name, m) in enumerate(maps.items()):
        for ax in axes[r]:
            ax.set_axis_off()
        axes[r, 0].imshow(grey, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
        axes[r, 0].set_title(name, fontsize=9, loc="left")
        top = max(float(m.max()), 1e-6)
        shown = None
        for k in range(m.shape[2]):
            shown = axes[r, k + 1].imshow(m[..., k], cmap=MAP_CMAP, vmin=0.0, vmax=top,
                                          interpolation="nearest")
            axes[r, k + 1].set_title(titles[name][k], fontsize=8)
        axes[r, 0].figure.colorbar(shown, ax=list(axes[r, 1:]), shrink=0.9, pad=0.01)
    return axes[0, 0].figure
