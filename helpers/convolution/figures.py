"""Figures of lesson 02 (``notebooks/02_convolution.ipynb``): kernels, their responses, signed
feature maps and the padded input with the kernel's first positions.

Every function takes ``ax=None``/``axes=None`` (a new figure only when none is given) and returns
what it drew on.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from helpers import viz
from helpers.convolution.kernels import KERNEL_NAMES, make_kernel
from helpers.convolution.ops import Padding, _as_image, correlate2d_fast, pad_image, resolve_padding

#: Kernels whose weights add up to less than this (in absolute value) are shown as signed responses.
_ZERO_SUM = 1e-6


def signed_limit(values: np.ndarray) -> float:
    """Colour range ±limit for a signed map: the 99.5th percentile of |values| (so that one
    bright pixel does not wash the map out), or 1 for an all-zero map."""
    return float(np.percentile(np.abs(values), 99.5)) or 1.0


def plot_kernel(
    kernel: np.ndarray,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    limit: float | None = None,
    colorbar: bool | None = None,
) -> Axes:
    """A kernel as a heatmap centred on 0 ("RdBu_r", red positive, blue negative).

    The weights of kernels up to 5×5 are written in their cells, and those numbers are the
    legend; larger kernels get a colorbar instead (``colorbar`` True/False overrides this).
    ``limit``: colour range ±limit, default ±max|weight|."""
    kernel = _as_image(kernel, "kernel")
    if ax is None:
        _, ax = plt.subplots(figsize=(2.6, 2.2))
    limit = limit if limit is not None else max(float(np.abs(kernel).max()), 1e-12)
    image = ax.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    annotate = max(kernel.shape) <= 5
    if annotate:
        for (j, k), value in np.ndenumerate(kernel):
            colour = "white" if abs(value) > 0.6 * limit else "black"
            ax.text(k, j, f"{value:.2g}", ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if colorbar or (colorbar is None and not annotate):
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    ax.set_title(title if title is not None else f"kernel {kernel.shape[0]}×{kernel.shape[1]}")
    return ax


def plot_kernels(names: Sequence[str] = KERNEL_NAMES, size: int = 3, axes=None) -> Figure:
    """The named kernels side by side (see :func:`plot_kernel`), each on its own ±max|w| scale."""
    axes = viz.panel_axes(axes, len(names), "kernels", figsize=(2.3 * len(names), 2.2))
    for ax, name in zip(axes, names, strict=False):
        plot_kernel(make_kernel(name, size), ax, title=name)
    return axes[0].figure


def show_response(response: np.ndarray, kernel: np.ndarray, ax: Axes, *, limit: float | None = None):
    """Draw a kernel's output on ``ax`` the way it should be read; returns the AxesImage.

    A kernel whose weights sum to S > 0 maps a flat region of grey level b (input in [0, 1]) to
    S·b, so its output is an image: grey, fixed range [0, S]. A kernel summing to ≈ 0 (edges) or
    less gives a signed response: "RdBu_r" centred on 0, range ±limit (default:
    :func:`signed_limit`).
    """
    total = float(np.sum(kernel))
    if total > _ZERO_SUM:
        return ax.imshow(response, cmap="gray", vmin=0.0, vmax=total, interpolation="nearest")
    if limit is None:
        limit = signed_limit(response)
    return ax.imshow(response, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")


def plot_kernel_responses(image: np.ndarray, names: Sequence[str] = KERNEL_NAMES, axes=None) -> Figure:
    """The input (grey, [0, 1]) and its cross-correlation with each named 3×3 kernel ("same").

    image: (H, W) float in [0, 1]. Blurred/sharpened outputs share the input's grey scale; each
    signed edge response gets its own ±limit ("RdBu_r" centred on 0) and colorbar, because a
    Laplacian answers a step edge about four times more weakly than a Sobel kernel.
    """
    image = _as_image(image)
    count = len(names) + 1
    ncols = min(4, count)
    axes = viz.panel_axes(axes, count, f"panels (the input and {len(names)} kernels)",
                          ncols=ncols, figsize=(3.2 * ncols, 3.0 * -(-count // ncols)))
    axes[0].imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    axes[0].set_title("input")
    for ax, name in zip(axes[1:], names, strict=False):
        kernel = make_kernel(name)
        drawn = show_response(correlate2d_fast(image, kernel, padding="same"), kernel, ax)
        if abs(kernel.sum()) <= _ZERO_SUM:
            ax.figure.colorbar(drawn, ax=ax, fraction=0.046, pad=0.04)
        ax.set_title(name)
    for ax in axes:
        ax.set_axis_off()
    return axes[0].figure


def plot_signed_maps(maps: np.ndarray, titles: Sequence[str] | None = None, axes=None) -> Figure:
    """Signed maps (H, W, C) of one image side by side (e.g. the outputs of
    :func:`~helpers.convolution.ops.conv_layer_forward`), each on its own signed scale ("RdBu_r"
    centred on 0, ±:func:`signed_limit`) with its own colorbar, so that a weak map is still
    readable. (A trained model's activations: ``helpers.explain.plot_feature_maps``.)"""
    maps = np.asarray(maps, dtype=np.float64)
    if maps.ndim != 3:
        raise ValueError(f"maps must be (H, W, C), got shape {maps.shape}")
    count = maps.shape[2]
    if titles is not None and len(titles) != count:
        raise ValueError(f"got {len(titles)} titles for {count} feature maps")
    axes = viz.panel_axes(axes, count, "feature maps", figsize=(3.3 * count, 2.9))
    for c, ax in enumerate(axes[:count]):
        limit = signed_limit(maps[..., c])
        shown = ax.imshow(maps[..., c], cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
        ax.figure.colorbar(shown, ax=ax, fraction=0.046, pad=0.04)
        ax.set_title(titles[c] if titles is not None else f"feature map {c}")
        ax.set_axis_off()
    return axes[0].figure


def plot_padded_input(
    image: np.ndarray,
    kernel_size: int | tuple[int, int],
    stride: int = 1,
    padding: Padding = "valid",
    ax: Axes | None = None,
    *,
    flipped: bool = False,
) -> Axes:
    """The padded input (grey, [0, 1]): a dashed line marks the original image, and the kernel's
    first two positions along the top row show the stride (orange, then dotted cyan)."""
    image = _as_image(image)
    k_rows, k_cols = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    pads = resolve_padding(image.shape, (k_rows, k_cols), stride, padding, flipped=flipped)
    padded = pad_image(image, pads)
    if ax is None:
        _, ax = plt.subplots(figsize=(3.2, 3.2))
    ax.imshow(padded, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    (top, _), (left, _) = pads
    ax.add_patch(Rectangle((left - 0.5, top - 0.5), image.shape[1], image.shape[0], fill=False,
                           ls="--", lw=1.2, ec="gold"))
    second = stride if stride + k_cols <= padded.shape[1] else None
    for offset, colour, style in ((0, "tab:orange", "-"), (second, "cyan", ":")):
        if offset is not None and k_rows <= padded.shape[0] and k_cols <= padded.shape[1]:
            ax.add_patch(Rectangle((offset - 0.5, -0.5), k_cols, k_rows, fill=False, lw=1.8, ec=colour,
                                   ls=style))
    ax.set_title(f"input {image.shape[0]}×{image.shape[1]}, padded {padded.shape[0]}×{padded.shape[1]}")
    ax.set_axis_off()
    return ax
