"""Figures of lesson 04 (``notebooks/04_fully_connected.ipynb``): the tiny network's forward and
backward pass as pictures, and loss curves.

Every function takes ``ax``/``axes=None``, returns what it drew on and never calls ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers import viz
from helpers.fully_connected.backprop import BackwardPass, ForwardPass


def _show(ax: Axes, image: np.ndarray, title: str, *, cmap: str, vmin: float, vmax: float,
          label: str | None = None) -> None:
    shown = ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax)
    ax.set_title(title, fontsize=9)
    ax.set_axis_off()
    if label is not None:
        ax.figure.colorbar(shown, ax=ax, shrink=0.8, label=label)


def _symmetric(values: np.ndarray) -> float:
    top = float(np.max(np.abs(values)))
    return top if top > 0 else 1.0


def plot_passes(cache: ForwardPass, grads: BackwardPass, channel: int = 0, *,
                axes: Sequence[Axes] | None = None) -> Figure:
    """Top row: the forward pass of one image (input, conv output, ReLU, pooled map) for one
    filter; bottom row: the backward pass (dL/d pooled, dL/d ReLU output routed to each window's
    maximum, dL/d conv output after the ReLU mask, and dL/d kernel). Gradients use a diverging
    colour map centred on 0, one scale per panel (their sizes differ by orders of magnitude)."""
    new_figure = axes is None
    axes = viz.panel_axes(axes, 8, "panels", figsize=(12.5, 5.6), ncols=4, layout="none")
    if new_figure:  # a fixed layout: constrained layout with eight colour bars takes seconds
        axes[0].figure.subplots_adjust(left=0.01, right=0.95, bottom=0.02, top=0.94, wspace=0.25, hspace=0.2)
    c = channel
    _show(axes[0], cache.image, "input x (X-ray)", cmap="gray", vmin=float(cache.image.min()),
          vmax=float(cache.image.max()), label="input value")
    top = max(float(np.max(np.abs(cache.conv[..., c]))), 1e-12)
    _show(axes[1], cache.conv[..., c], f"conv output z₁ (filter {c})", cmap="RdBu_r", vmin=-top,
          vmax=top, label="value")
    _show(axes[2], cache.relu[..., c], "ReLU: a₁ = max(z₁, 0)", cmap="magma", vmin=0, vmax=top,
          label="value")
    _show(axes[3], cache.pooled[..., c], f"max pool 2×2 → p = {cache.probability:.3f}", cmap="magma",
          vmin=0, vmax=top, label="value")
    panels = [(grads.pooled[..., c], "dL/d(pooled) = Wᵀ(p − y)"),
              (grads.relu[..., c], "dL/da₁: routed to each argmax"),
              (grads.conv[..., c], "dL/dz₁ = dL/da₁ · [z₁ > 0]"),
              (grads.conv_kernel[:, :, 0, c], "dL/dK: x ⋆ dL/dz₁ (3×3)")]
    for ax, (values, title) in zip(axes[4:], panels, strict=True):
        scale = _symmetric(values)
        _show(ax, values, title, cmap="RdBu_r", vmin=-scale, vmax=scale, label="gradient")
    return axes[0].figure


def plot_loss_curves(curves: Mapping[str, Sequence[float]], *, ax: Axes | None = None,
                     title: str = "training loss") -> Axes:
    """One line per named loss curve against the step (epoch) number, starting at 0."""
    if not curves:
        raise ValueError("give at least one curve, e.g. {'gradient descent': losses}")
    if ax is None:
        ax = viz.panel_axes(None, 1, "panels", figsize=(5.0, 3.2))[0]
    styles = [dict(lw=2.5, alpha=0.6), dict(lw=1.2, ls="--", marker="o", ms=3)]
    for index, (name, values) in enumerate(curves.items()):
        ax.plot(np.arange(len(values)), values, label=name, **styles[index % len(styles)])
    ax.set_xlabel("step (one full pass over the training images)")
    ax.set_ylabel("binary cross-entropy")
    ax.set_title(title)
    ax.legend()
    return ax
