"""What a Keras model is made of: one row per layer (kind, output shape, parameters), as a
text table and as a drawing of the layer stack with the forward and backward passes.

Taught in ``notebooks/01_history.ipynb`` (the layer stack of a small CNN); lesson 04
(backpropagation) uses it again. Every function reads a *built* model (one that starts with
``keras.Input``); nothing here imports Keras itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, Rectangle


def describe_layers(model) -> list[dict]:
    """One row per layer of a built Keras model, input first.

    Each row: ``name``, ``kind`` (class name), ``detail`` (e.g. "8 filters 3×3", "relu"),
    ``shape`` (output shape without the batch axis, a tuple of ints) and ``params`` (int).
    """
    if not getattr(model, "inputs", None):
        raise ValueError("the model is not built: start it with keras.Input(shape=...)")
    rows = [{"name": "input", "kind": "Input", "detail": "",
             "shape": tuple(int(d) for d in model.inputs[0].shape[1:]), "params": 0}]
    for layer in model.layers:
        config = layer.get_config()
        kind = type(layer).__name__
        if "filters" in config:
            kh, kw = config["kernel_size"]
            detail = f"{config['filters']} filters {kh}×{kw}"
        elif "pool_size" in config:
            detail = f"{config['pool_size'][0]}×{config['pool_size'][1]}"
        elif "units" in config:
            detail = f"{config['units']} units"
        elif kind == "Activation":
            detail = str(config["activation"])
        else:
            detail = ""
        rows.append({"name": layer.name, "kind": kind, "detail": detail,
                     "shape": tuple(int(d) for d in layer.output.shape[1:]),
                     "params": int(layer.count_params())})
    return rows


def format_layer_table(rows: Sequence[dict]) -> str:
    """The rows of :func:`describe_layers` as a fixed-width text table with a total."""
    lines = [f"{'layer':<13}{'kind':<14}{'output shape':<16}{'params':>8}"]
    for row in rows:
        shape = "×".join(str(d) for d in row["shape"])
        lines.append(f"{row['name']:<13}{row['kind']:<14}{shape:<16}{row['params']:>8,}")
    lines.append(f"{'total':<43}{sum(r['params'] for r in rows):>8,}")
    return "\n".join(lines)


_ROLE_COLOURS = {"Input": "0.55", "Conv2D": "#0072B2", "Activation": "#E69F00",
                 "ReLU": "#E69F00", "MaxPooling2D": "#009E73", "AveragePooling2D": "#009E73",
                 "Flatten": "0.55", "Dense": "#CC79A7", "Softmax": "#000000"}


def plot_layer_stack(model, *, ax: Axes | None = None) -> Axes:
    """Draw the layers of a built Keras model from left to right, read from the model itself.

    Box height grows with the fourth root of the number of values a layer outputs; under each box
    its output shape and parameter count. Arrows show the forward pass (top) and the backward
    pass of the gradients (bottom).
    """
    rows = describe_layers(model)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.35 * len(rows) + 0.6, 3.6), layout="constrained")
    sizes = [math.prod(r["shape"]) ** 0.25 for r in rows]
    biggest = max(sizes)
    for i, (row, size) in enumerate(zip(rows, sizes, strict=True)):
        height = 0.1 + 0.9 * size / biggest
        colour = _ROLE_COLOURS.get(row["kind"], "0.55")
        ax.add_patch(Rectangle((i - 0.38, -height / 2), 0.76, height, fc=colour, alpha=0.8,
                               ec="black", lw=0.8))
        label = row["kind"].replace("MaxPooling2D", "MaxPool")
        ax.text(i, 0.62, f"{label}\n{row['detail']}", ha="center", va="bottom", fontsize=8)
        shape = "×".join(str(d) for d in row["shape"])
        params = f"{row['params']:,} params" if row["params"] else "no weights"
        ax.text(i, -0.62, f"{shape}\n{params}", ha="center", va="top", fontsize=7.5)
    n = len(rows) - 1
    ax.add_patch(FancyArrowPatch((-0.3, 1.25), (n + 0.3, 1.25), arrowstyle="-|>",
                                 mutation_scale=14, color="#0072B2", lw=1.5))
    ax.text(n / 2, 1.3, "forward propagation: image → class scores → loss", ha="center",
            va="bottom", fontsize=9, color="#0072B2")
    ax.add_patch(FancyArrowPatch((n + 0.3, -1.3), (-0.3, -1.3), arrowstyle="-|>",
                                 mutation_scale=14, color="#D55E00", lw=1.5))
    ax.text(n / 2, -1.36, "backward propagation: gradients of the loss → weight updates",
            ha="center", va="top", fontsize=9, color="#D55E00")
    ax.set_xlim(-0.6, n + 0.6)
    ax.set_ylim(-1.75, 1.7)
    ax.set_axis_off()
    return ax
