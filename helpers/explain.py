"""Look inside a trained CNN: feature maps of its convolutional layers and Grad-CAM heatmaps.

Taught in ``notebooks/10_clinical_evaluation.ipynb``.

- :func:`compute_feature_maps` returns what each convolutional layer makes of an image;
  :func:`plot_feature_maps` shows one layer's maps on one shared colour scale.
- :func:`compute_gradcam` is Grad-CAM (Selvaraju et al., ICCV 2017): the feature maps of the
  last convolutional layer, weighted by how much the class score grows with each of them,
  rectified, enlarged to the image size and scaled to [0, 1] per image.
- :func:`compute_region_share` measures how much of each heatmap lies in a region (the frame
  of :func:`make_frame_mask`, the crude lung fields of :func:`make_lung_mask`) against a
  uniform map; :func:`helpers.evaluation.compare_groups` compares such values between kinds
  of cases with bootstrap intervals.
- :func:`select_cases` picks true positives, false negatives, ... at a threshold;
  :func:`plot_gradcam_cases` shows each case as the plain grey X-ray above its Grad-CAM overlay.

Models are Keras models built from ``keras.Input`` (functional or ``Sequential``), taking
(N, H, W, C) images in [0, 255] (the course's models rescale inside), and ending with a
``Dense`` layer: one sigmoid unit (binary) or K softmax units (K classes). A trailing
pass-through layer such as :class:`helpers.models.DecisionThreshold` is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers import validate
from helpers.course import import_tensorflow_quietly

tf = import_tensorflow_quietly()
import keras  # noqa: E402  (imported after TensorFlow has been silenced)

#: Case kinds known to :func:`select_cases`: (true label, predicted label).
CASE_KINDS = {"true positive": (1, 1), "false negative": (1, 0),
              "false positive": (0, 1), "true negative": (0, 0)}

#: Layers that follow a convolution without changing its shape: Grad-CAM and the feature maps
#: use the output after them (after the ReLU), not the raw convolution.
_SAME_SHAPE_FOLLOWERS = (keras.layers.BatchNormalization, keras.layers.Activation,
                         keras.layers.ReLU, keras.layers.LeakyReLU)


# --------------------------------------------------------------------------- inputs and layers


def _as_batch(model, images) -> np.ndarray:
    """Images as a float32 batch (N, H, W, C) matching the model's input."""
    x = np.asarray(images)
    expected = tuple(model.input_shape[1:])
    if x.ndim == len(expected) and tuple(x.shape) == expected:
        x = x[np.newaxis]  # a single image
    if x.ndim != len(expected) + 1 or tuple(x.shape[1:]) != expected:
        raise ValueError(f"the model expects images of shape (N, {', '.join(map(str, expected))})"
                         f" or one image {expected}, got {x.shape}")
    if len(x) == 0:
        raise ValueError("images is empty: pass at least one image")
    return x.astype(np.float32)


def find_conv_layers(model) -> list[str]:
    """Names of the model's ``Conv2D`` layers, input to output. ``ValueError`` if none."""
    names = [layer.name for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    if not names:
        kinds = ", ".join(type(layer).__name__ for layer in model.layers) or "none"
        raise ValueError(f"model {model.name!r} has no Conv2D layer (its layers: {kinds}): "
                         "feature maps and Grad-CAM need a convolutional network")
    return names


def _activated_layer(model, conv_name: str):
    """The conv layer, or the last BatchNorm/ReLU right after it (its rectified maps)."""
    layers = list(model.layers)
    position = next(i for i, layer in enumerate(layers) if layer.name == conv_name)
    chosen = layers[position]
    for layer in layers[position + 1:]:
        if not isinstance(layer, _SAME_SHAPE_FOLLOWERS):
            break
        chosen = layer
    return chosen


def _probe(model, outputs):
    """A model from ``model``'s input to ``outputs`` (a single input is passed unwrapped, so
    Keras does not warn about the input structure)."""
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    return keras.Model(inputs, outputs)


def _get_layer(model, name: str):
    try:
        return model.get_layer(name)
    except ValueError:
        names = ", ".join(layer.name for layer in model.layers)
        raise ValueError(f"model {model.name!r} has no layer {name!r}; its layers: {names}") \
            from None


def _map_layer(model, name: str | None):
    """The layer whose output is used as feature maps for ``name`` (default: last conv)."""
    convs = find_conv_layers(model)
    if name is None:
        return _activated_layer(model, convs[-1])
    layer = _get_layer(model, name)
    if isinstance(layer, keras.layers.Conv2D):
        return _activated_layer(model, name)
    if len(layer.output.shape) != 4:
        raise ValueError(f"layer {name!r} gives output of shape {tuple(layer.output.shape)}, "
                         "not (N, h, w, channels) feature maps: pick a convolutional layer, "
                         f"e.g. one of {', '.join(convs)}")
    return layer


# --------------------------------------------------------------------------- feature maps


def compute_feature_maps(model, images, layer_names: Sequence[str] | None = None
                         ) -> dict[str, np.ndarray]:
    """What the convolutional layers make of ``images``.

    images: (N, H, W, C) or one (H, W, C) image, as the model takes them (e.g. uint8 in
    [0, 255]). ``layer_names``: Conv2D layers (default: all of them, input to output).
    Returns {name: (N, h, w, K) float32}: the maps after the layer's activation (for a
    convolution followed by batch normalisation and a ReLU layer, after those).
    """
    x = _as_batch(model, images)
    names = list(layer_names) if layer_names is not None else find_conv_layers(model)
    if not names:
        raise ValueError("layer_names is empty: name at least one convolutional layer")
    layers = [_map_layer(model, name) for name in names]
    probe = _probe(model, [layer.output for layer in layers])
    outputs = probe(x, training=False)
    if not isinstance(outputs, list | tuple):
        outputs = [outputs]
    return {name: keras.ops.convert_to_numpy(out).astype(np.float32)
            for name, out in zip(names, outputs, strict=True)}


def plot_feature_maps(
    maps: np.ndarray,
    *,
    title: str | None = None,
    ncols: int = 8,
    cmap: str = "magma",
    vmax: float | None = None,
    fig: Figure | None = None,
    panel_size: float = 1.2,
) -> Figure:
    """Show the K feature maps of one image, (h, w, K), on one shared colour scale.

    The scale runs from 0 (``vmin``; maps after a ReLU are >= 0) to ``vmax`` (default: the
    largest value), so that a brighter map really responds more; a perceptually uniform
    ``cmap`` and one colorbar. ``fig``: a figure to draw into (cleared first).
    """
    maps = np.asarray(maps)
    if maps.ndim == 4 and maps.shape[0] == 1:
        maps = maps[0]
    if maps.ndim != 3:
        raise ValueError(f"maps must be (h, w, K) for one image, got shape {maps.shape}: pick one "
                         "image, e.g. feature_maps['conv1'][0]")
    if cmap in ("jet", "rainbow", "hsv"):
        raise ValueError(f"cmap {cmap!r} is not perceptually uniform: use magma, viridis or "
                         "inferno")
    k = maps.shape[-1]
    low = min(0.0, float(maps.min()))
    high = float(maps.max()) if vmax is None else float(vmax)
    if high <= low:
        high = low + 1.0  # all maps flat: any scale shows them as one colour
    ncols = max(1, min(ncols, k))
    nrows = -(-k // ncols)
    if fig is None:
        fig = plt.figure(figsize=(panel_size * ncols + 0.9, panel_size * nrows + 0.5))
    else:
        fig.clear()
    axes = fig.subplots(nrows, ncols, squeeze=False)
    shown = None
    for i, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if i < k:
            shown = ax.imshow(maps[..., i], cmap=cmap, vmin=low, vmax=high,
                              interpolation="nearest")
            ax.set_title(f"map {i}", fontsize=8)
    fig.colorbar(shown, ax=axes.ravel().tolist(), shrink=0.9, label="activation")
    if title:
        fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------- Grad-CAM


def _head(model):
    """The last Dense layer and whether its activation is sigmoid/softmax/linear."""
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if not dense:
        raise ValueError(f"model {model.name!r} does not end with a Dense layer: Grad-CAM "
                         "needs the class scores of a classifier")
    head = dense[-1]
    kind = getattr(head.activation, "__name__", "linear")
    if kind not in ("sigmoid", "softmax", "linear"):
        raise ValueError(f"the output layer's activation is {kind!r}; Grad-CAM here handles "
                         "sigmoid, softmax and linear outputs")
    if kind == "sigmoid" and head.units != 1:
        raise ValueError("a sigmoid output must have one unit (binary task) for Grad-CAM here")
    return head, kind


def compute_gradcam(model, images, *, layer_name: str | None = None,
                    class_index: int | None = None) -> np.ndarray:
    """Grad-CAM heatmaps: where in each image the evidence for a class lies.

    images: (N, H, W, C) or one (H, W, C) image, as the model takes them.
    ``layer_name``: the convolutional layer to explain (default: the last one; its rectified
    output is used when batch normalisation / ReLU layers follow it).
    ``class_index``: the class whose evidence is mapped. Sigmoid models: 1 (default, the
    positive class) or 0; softmax models: 0 … K-1, default each image's predicted class.

    The class *score* is the output layer's input to its activation (the logit; for class 0
    of a sigmoid model its negative), so a saturated probability does not hide the gradient.
    Per map k: weight = mean over positions of d score / d map_k; heatmap = ReLU(sum_k
    weight_k · map_k), resized bilinearly to H×W and divided by its maximum.
    Returns (N, H, W) float32 in [0, 1]; all zeros when no position supports the class.
    """
    x = _as_batch(model, images)
    target = _map_layer(model, layer_name)
    head, kind = _head(model)
    n_classes = 2 if kind == "sigmoid" else head.units
    if class_index is not None:
        validate.whole_number(class_index, "class_index", minimum=0, maximum=n_classes - 1,
                              hint="for this model")
    probe = _probe(model, [target.output, head.input])
    with tf.GradientTape() as tape:
        maps, features = probe(x, training=False)
        logits = tf.matmul(features, head.kernel) + head.bias
        if kind == "sigmoid":
            score = logits[:, 0] if class_index in (None, 1) else -logits[:, 0]
        else:
            chosen = (tf.argmax(logits, axis=1) if class_index is None
                      else tf.fill([tf.shape(logits)[0]], tf.cast(class_index, tf.int64)))
            score = tf.gather(logits, chosen, axis=1, batch_dims=1)
    grads = tape.gradient(score, maps)
    if grads is None:
        raise ValueError(f"the class score does not depend on layer {target.name!r}: pick a "
                         "layer between the input and the output")
    weights = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)  # (N, 1, 1, K)
    cam = tf.nn.relu(tf.reduce_sum(weights * maps, axis=-1, keepdims=True))  # (N, h, w, 1)
    cam = tf.image.resize(cam, x.shape[1:3], method="bilinear")[..., 0]
    cam = keras.ops.convert_to_numpy(cam).astype(np.float64)
    peak = cam.reshape(len(cam), -1).max(axis=1)
    scale = np.where(peak > 1e-12, peak, 1.0)[:, None, None]
    heat = np.where(peak[:, None, None] > 1e-12, cam / scale, 0.0)
    return np.clip(heat, 0.0, 1.0).astype(np.float32)


def compute_border_share(heatmaps: np.ndarray, border: int = 4) -> np.ndarray:
    """Share of each heatmap's total in the outer frame ``border`` pixels wide.

    heatmaps: (N, H, W) >= 0. Returns (N,) float64 in [0, 1] (NaN for an all-zero map). The
    frame is a large part of the image (49 % at 28×28, border 4) and holds parts of the lungs:
    compare with a uniform map's share (:func:`compute_region_share` returns both).
    """
    heat = np.asarray(heatmaps, dtype=np.float64)
    if heat.ndim != 3:
        raise ValueError(f"heatmaps must be (N, H, W), got shape {heat.shape}")
    border = validate.whole_number(border, "border", maximum=(min(heat.shape[1:]) - 1) // 2,
                                   hint="(pixels, less than half the image side)")
    inner = heat[:, border:-border, border:-border].sum(axis=(1, 2))
    total = heat.sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 1.0 - inner / total, np.nan)


# --------------------------------------------------------------------------- heat in a region


def make_frame_mask(shape: tuple[int, int] = (28, 28), border: int = 4) -> np.ndarray:
    """(H, W) bool, True in the outer frame ``border`` pixels wide (that of
    :func:`compute_border_share`: 384 of 784 pixels, 49 %, at 28×28 with border 4)."""
    mask = np.ones(shape, dtype=bool)
    border = validate.whole_number(border, "border", maximum=(min(shape) - 1) // 2,
                                   hint="(pixels, less than half the image side)")
    mask[border:-border, border:-border] = False
    return mask


def make_lung_mask(mean_image: np.ndarray, *, dark_fraction: float = 0.3,
                   margin: int = 2) -> np.ndarray:
    """A crude lung-field mask (H, W) bool, made from the mean training X-ray (H, W) or
    (H, W, 1), for lack of lung annotations.

    The lungs hold air, so they are the dark regions inside the chest: leave out ``margin``
    pixels at the edge of the film (dark air outside the body), call the ``dark_fraction``
    darkest of the remaining pixels dark, keep the two largest connected dark regions and
    fill their holes. An average of many children, blurred by how each lay: it marks where
    the lungs usually are, not where they are in one image.
    """
    from scipy import ndimage

    mean = np.asarray(mean_image, dtype=np.float64)
    mean = mean[..., 0] if mean.ndim == 3 and mean.shape[-1] == 1 else mean
    if mean.ndim != 2:
        raise ValueError(f"mean_image must be (H, W) or (H, W, 1), got shape {mean.shape}: "
                         "average the training images over axis 0")
    if not 0.0 < dark_fraction < 1.0:
        raise ValueError(f"dark_fraction must lie between 0 and 1, got {dark_fraction}")
    inside = ~make_frame_mask(mean.shape, margin) if margin else np.ones(mean.shape, bool)
    dark = inside & (mean < np.quantile(mean[inside], dark_fraction))
    regions, count = ndimage.label(dark)
    sizes = np.bincount(regions.ravel(), minlength=count + 1)[1:]
    largest = np.argsort(-sizes, kind="stable")[:2] + 1
    return ndimage.binary_fill_holes(np.isin(regions, largest))


def compute_region_share(heatmaps: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, float]:
    """Share of each heatmap's total heat inside ``mask``, and the share a uniform heatmap gives.

    heatmaps: (N, H, W) >= 0; mask: (H, W) bool. Returns ``(share, baseline)``: share (N,)
    float64 in [0, 1] (NaN for an all-zero map), baseline = the mask's share of the image
    area. share / baseline compares the heat with chance: 1 means no more heat in the region
    than a uniform map puts there, 2 twice as much per pixel.
    """
    heat, mask = np.asarray(heatmaps, dtype=np.float64), np.asarray(mask)
    if heat.ndim != 3 or mask.shape != heat.shape[1:] or mask.dtype != bool:
        raise ValueError(f"heatmaps must be (N, H, W) and mask (H, W) bool, got {heat.shape} "
                         f"and {mask.shape} {mask.dtype}")
    if not mask.any():
        raise ValueError("mask is empty: it must mark at least one pixel")
    inside, total = heat[:, mask].sum(axis=1), heat.sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, inside / total, np.nan), float(mask.mean())


# --------------------------------------------------------------------------- cases


def select_cases(y_true, y_score, threshold: float, kind: str, n: int = 4) -> np.ndarray:
    """Indices of up to ``n`` cases of one ``kind`` at ``threshold`` (positive = score >=
    threshold): "true positive", "false negative", "false positive" or "true negative".

    The most confident cases come first (scores furthest from the threshold), so the list
    shows the model's clearest successes, or its worst mistakes. Fewer than ``n`` (or none)
    are returned when there are not enough such cases.
    """
    if kind not in CASE_KINDS:
        raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(CASE_KINDS)}")
    y = np.asarray(y_true).reshape(-1)
    s = np.asarray(y_score, dtype=np.float64).reshape(-1)
    if y.shape != s.shape:
        raise ValueError(f"y_true has {y.size} labels but y_score has {s.size} scores")
    truth, predicted = CASE_KINDS[kind]
    members = np.flatnonzero((y == truth) & ((s >= threshold) == bool(predicted)))
    order = np.argsort(-np.abs(s[members] - threshold), kind="stable")
    return members[order][: validate.whole_number(n, "n", minimum=0)]


def _heat_colorbar(fig: Figure, ax, cmap: str, **kwargs):
    """A colorbar for heatmaps on the fixed range [0, 1], drawn fully opaque."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    mappable = ScalarMappable(norm=Normalize(0.0, 1.0), cmap=cmap)
    return fig.colorbar(mappable, ax=ax, **kwargs)


def plot_gradcam(
    image: np.ndarray,
    heatmap: np.ndarray,
    *,
    ax: Axes | None = None,
    alpha: float = 0.7,
    cmap: str = "inferno",
    vmin: float = 0.0,
    vmax: float = 255.0,
    colorbar: bool = True,
    title: str | None = None,
) -> Axes:
    """Overlay one Grad-CAM ``heatmap`` (H, W) in [0, 1] on its grey ``image`` (H, W) or
    (H, W, 1), shown with the fixed grey levels ``vmin``/``vmax`` (0-255 for uint8 images).

    The heatmap uses a perceptually uniform ``cmap`` on the fixed range [0, 1], with a colorbar.
    Its opacity grows with the heat, up to ``alpha`` at 1: where the model sees no evidence the
    X-ray shows through unchanged.
    """
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    heatmap = np.asarray(heatmap, dtype=np.float64)
    if image.ndim != 2 or heatmap.shape != image.shape:
        raise ValueError(f"image must be (H, W) or (H, W, 1) and heatmap (H, W) of the same size; "
                         f"got {image.shape} and {heatmap.shape}")
    if cmap in ("jet", "rainbow", "hsv"):
        raise ValueError(f"cmap {cmap!r} is not perceptually uniform: use inferno, magma or "
                         "viridis")
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    if ax is None:
        _, ax = plt.subplots(figsize=(3.4, 3.0))
    ax.imshow(image, cmap="gray", vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.imshow(heatmap, cmap=cmap, vmin=0.0, vmax=1.0, alpha=alpha * np.clip(heatmap, 0.0, 1.0),
              interpolation="bilinear")
    if colorbar:
        _heat_colorbar(ax.figure, ax, cmap, fraction=0.046, pad=0.04, label="Grad-CAM")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=9)
    return ax


def plot_gradcam_cases(
    images: np.ndarray,
    heatmaps: np.ndarray,
    groups: Mapping[str, Sequence[int]],
    *,
    scores: np.ndarray | None = None,
    ncols: int = 4,
    alpha: float = 0.7,
    cmap: str = "inferno",
    vmin: float = 0.0,
    vmax: float = 255.0,
    panel_size: float = 1.7,
) -> Figure:
    """A figure with two rows per group of cases: the plain grey X-rays, then the same
    images with their Grad-CAM overlaid (one shared colorbar, fixed range [0, 1]).

    images: (N, H, W) or (N, H, W, 1); heatmaps: (N, H, W) in [0, 1]; groups: {title: indices
    into images}, at most ``ncols`` each (an empty group is drawn as a note); ``scores``:
    (N,) model outputs printed above each case.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    heatmaps = np.asarray(heatmaps)
    if images.ndim != 3 or heatmaps.shape != images.shape:
        raise ValueError(f"images (N, H, W) and heatmaps (N, H, W) must match, got {images.shape}"
                         f" and {heatmaps.shape}")
    if not groups:
        raise ValueError("groups is empty: give at least one {title: indices}")
    fig, axes = plt.subplots(2 * len(groups), ncols,
                             figsize=(panel_size * ncols + 1.4, panel_size * 2 * len(groups)),
                             squeeze=False)
    for g, (title, indices) in enumerate(groups.items()):
        indices = list(indices)[:ncols]
        for ax in axes[2 * g: 2 * g + 2].ravel():
            ax.set_axis_off()
        axes[2 * g, 0].annotate(title, xy=(-0.12, 0.0), xycoords="axes fraction", rotation=90,
                                ha="right", va="center", fontsize=10, fontweight="bold")
        if not indices:
            axes[2 * g, 0].text(0.0, 0.5, "no such case", transform=axes[2 * g, 0].transAxes,
                                fontsize=9, va="center")
            continue
        for j, index in enumerate(indices):
            label = f"p = {scores[index]:.2f}" if scores is not None else f"case {index}"
            axes[2 * g, j].imshow(images[index], cmap="gray", vmin=vmin, vmax=vmax,
                                  interpolation="nearest")
            axes[2 * g, j].set_title(label, fontsize=8)
            plot_gradcam(images[index], heatmaps[index], ax=axes[2 * g + 1, j], alpha=alpha,
                         cmap=cmap, vmin=vmin, vmax=vmax, colorbar=False)
    _heat_colorbar(fig, axes.ravel().tolist(), cmap, shrink=0.6, label="Grad-CAM (0 – 1)")
    return fig
