"""Figures of lesson 06: activation curves and their derivatives, gradient norms per layer, and
class probabilities. Every function takes ``ax``/``axes=None``, returns what it drew on and never
calls ``plt.show()``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from helpers import viz
from helpers.activations.ops import LEAKY_SLOPE, apply_activation, apply_derivative

#: One colour per activation, the same in every figure of the lesson.
COLOURS = {"sigmoid": "#1b9e77", "tanh": "#d95f02", "relu": "#7570b3", "leaky_relu": "#e7298a"}
LABELS = {"sigmoid": "sigmoid σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU"}


def _label(name: str, slope: float) -> str:
    return f"leaky ReLU (slope {slope:g})" if name == "leaky_relu" else LABELS[name]


def plot_activations(x: np.ndarray, names: Sequence[str], *, slope: float = LEAKY_SLOPE,
                     show_derivative: bool = True, axes=None) -> np.ndarray:
    """Curves of the activations ``names`` over the inputs ``x`` (1-D), and beside them their
    derivatives when ``show_derivative``. Returns the array of Axes (1 or 2)."""
    x = np.asarray(x, dtype=np.float64)
    count = 2 if show_derivative else 1
    axes = viz.panel_axes(axes, count, "panels", figsize=(4.4 * count, 3.4), layout="constrained")
    for name in names:
        style = {"color": COLOURS[name], "label": _label(name, slope), "lw": 2}
        axes[0].plot(x, apply_activation(name, x, slope), **style)
        if show_derivative:
            axes[1].plot(x, apply_derivative(name, x, slope), **style)
    titles = ["activation f(x)", "derivative f′(x)"]
    for ax, title in zip(axes[:count], titles, strict=False):
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set(title=title, xlabel="input x", xlim=(x.min(), x.max()))
    axes[0].legend(loc="upper left", fontsize=8)
    return axes[:count]


def plot_gradient_norms(norms: Mapping[str, np.ndarray], *, ax: Axes | None = None) -> Axes:
    """Gradient norm of every layer's weights (log scale), first layer on the left, one line per
    network: ``norms`` maps an activation name to its (n_layers,) norms."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 3.6), layout="constrained")
    for name, values in norms.items():
        layers = np.arange(1, len(values) + 1)
        ax.semilogy(layers, values, "o-", color=COLOURS.get(name), label=LABELS.get(name, name))
    ax.set(xlabel="layer (1 = next to the input; last = output layer)",
           ylabel="‖∂loss/∂W‖", title="gradient norm per layer, at initialisation")
    ax.set_xticks(np.arange(1, max(len(v) for v in norms.values()) + 1))
    ax.legend(fontsize=8)
    return ax


def plot_class_probabilities(probabilities: np.ndarray, labels: np.ndarray,
                             class_names: Sequence[str], *, ax: Axes | None = None) -> Axes:
    """Softmax outputs of a few images as a heatmap (rows: images; columns: classes; viridis,
    0 to 1, with a colorbar); a white frame marks each image's true class.

    probabilities: (N, K) rows summing to 1; labels: (N,) integers in [0, K)."""
    p = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels)
    if p.ndim != 2 or p.shape[1] != len(class_names) or labels.shape != (p.shape[0],):
        raise ValueError(f"expected probabilities (N, {len(class_names)}) and N labels, got "
                         f"{p.shape} and {labels.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.0 + 0.9 * p.shape[1], 0.9 + 0.4 * p.shape[0]),
                             layout="constrained")
    image = ax.imshow(p, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.figure.colorbar(image, ax=ax, label="predicted probability")
    for (i, j), value in np.ndenumerate(p):
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8,
                color="black" if value > 0.6 else "white")
    for i, label in enumerate(labels):
        ax.add_patch(plt.Rectangle((label - 0.5, i - 0.5), 1, 1, fill=False, ec="white", lw=2.5))
    ax.set_xticks(range(p.shape[1]), class_names)
    ax.set_yticks(range(p.shape[0]), [f"image {i}" for i in range(p.shape[0])])
    ax.set(xlabel="class (white frame: the true one)")
    ax.grid(False)
    return ax
