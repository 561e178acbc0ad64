"""The widget of lesson 07 (``notebooks/07_classic_ml.ipynb``): designed features beside learned
ones. Pick an X-ray, the HOG cell size, the orientation of a Gabor cell and one filter of the
CNN's first layer, and see what each makes of the image.

:data:`FEATURE_CONTROLS` lists every value of every control: it builds the widget's controls and
the tests walk through its whole grid. :class:`FeatureExplorer` computes every map once for the
example images; its :meth:`~FeatureExplorer.compute` is the pure part (what is shown, or a
``ValueError`` saying what to change) and :func:`plot_feature_demo` draws it.

The CNN's feature map is computed from the first layer's weights with lesson 02's
:func:`helpers.convolution.conv_layer_forward` ("same" padding, then ReLU), exactly what the
Figure-3 CNN computes after rescaling the image to [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from helpers import convolution, history, validate, viz
from helpers.classic_ml import features

#: Images the widget offers per class (normal, pneumonia).
EXAMPLES_PER_CLASS = 3
#: Filters of the first layer of the Figure-3 CNN (:func:`helpers.models.build_figure3_cnn`).
N_FILTERS = 8
#: Every value each control of the widget can take (the tests walk through the whole grid).
FEATURE_CONTROLS: dict[str, tuple] = {
    "image": tuple(range(2 * EXAMPLES_PER_CLASS)),
    "cell_size": (4, 7, 14),
    "orientation": tuple(float(o) for o in features.GABOR_ORIENTATIONS),
    "filter_index": tuple(range(N_FILTERS)),
}


def choose_examples(labels, per_class: int = EXAMPLES_PER_CLASS, *, seed: int = 0) -> np.ndarray:
    """Indices of ``per_class`` random images of class 0, then as many of class 1 (seeded)."""
    labels = np.asarray(labels).reshape(-1)
    per_class = validate.whole_number(per_class, "per_class")
    rng = np.random.default_rng(seed)
    chosen = []
    for c in (0, 1):
        members = np.flatnonzero(labels == c)
        if len(members) < per_class:
            raise ValueError(f"class {c} has {len(members)} images, fewer than the {per_class} "
                             "asked for")
        chosen.extend(np.sort(rng.choice(members, per_class, replace=False)))
    return np.asarray(chosen, dtype=np.int64)


def compute_cnn_maps(image, kernels, bias) -> np.ndarray:
    """The first layer of the Figure-3 CNN on one image: ReLU(conv("same") + bias) of the image
    rescaled to [0, 1]. image: (H, W) or (H, W, 1) uint8; kernels (3, 3, 1, K); bias (K,).
    Returns (H, W, K) float64 ≥ 0."""
    grey = features.as_grey_image(image)
    out = convolution.conv_layer_forward(grey[..., np.newaxis], kernels, bias, padding="same")
    return np.maximum(out, 0.0)


@dataclass(frozen=True)
class FeatureDemo:
    """What the widget shows for one setting of its controls (computed, not drawn yet)."""

    image: np.ndarray        #: (H, W) in [0, 1]
    hog_picture: np.ndarray  #: (H, W) ≥ 0, scikit-image's HOG picture
    gabor_map: np.ndarray    #: (H, W) ≥ 0, one Gabor cell on every pixel
    kernel: np.ndarray       #: (3, 3) the chosen learned kernel
    cnn_map: np.ndarray      #: (H, W) ≥ 0, its feature map
    titles: tuple[str, ...]  #: one per panel
    note: str                #: sizes of the feature vectors, with numbers


class FeatureExplorer:
    """The widget's content for a few example X-rays and one first layer, computed once.

    images: (N, H, W, 1) uint8, the examples (:func:`choose_examples`: the first half of class 0,
    named ``label_names[0]``); kernels (3, 3, 1, K) and bias (K,): the CNN's first layer. Every
    map the controls of :data:`FEATURE_CONTROLS` can ask for is computed here, so that moving a
    control only looks it up and draws.
    """

    def __init__(self, images, kernels, bias, label_names=("normal", "pneumonia")):
        self.images = features.as_grey_batch(images)
        self.kernels = np.asarray(kernels, dtype=np.float64)
        if self.kernels.ndim != 4 or self.kernels.shape[:3] != (3, 3, 1):
            raise ValueError(f"kernels must be a first layer's (3, 3, 1, K) weights, got "
                             f"{self.kernels.shape}")
        self.label_names = tuple(label_names)
        c = FEATURE_CONTROLS
        self.hog = {(i, s): (features.hog_picture(image, s),
                             features.hog_features(image[np.newaxis], s).shape[1])
                    for i, image in enumerate(self.images) for s in c["cell_size"]}
        self.gabor = {i: features.gabor_maps(image, c["orientation"])
                      for i, image in enumerate(self.images)}
        self.cnn = [compute_cnn_maps(image, self.kernels, bias) for image in self.images]
        self.gabor_side = history.gabor_size(features.GABOR_WAVELENGTH)

    def compute(self, *, image: int = 0, cell_size: int = features.HOG_CELL,
                orientation: float = 0.0, filter_index: int = 0) -> FeatureDemo:
        """The content for one setting; ``ValueError`` saying what to change for a setting
        that cannot be shown."""
        c = FEATURE_CONTROLS
        index = validate.whole_number(image, "image", minimum=0, maximum=len(self.images) - 1)
        k = validate.whole_number(filter_index, "filter_index", minimum=0,
                                  maximum=self.kernels.shape[3] - 1, hint="(this layer's filters)")
        validate.one_of(cell_size, c["cell_size"], "cell_size")
        validate.one_of(float(orientation), c["orientation"], "orientation")
        picture, n_hog = self.hog[index, cell_size]
        gabor = self.gabor[index][c["orientation"].index(float(orientation))]
        cells = self.images.shape[1] // cell_size
        label = self.label_names[0] if index < len(self.images) // 2 else self.label_names[1]
        cnn = self.cnn[index][..., k]
        silent = "" if cnn.max() > 0 else " (0 everywhere)"
        titles = (f"image {index} ({label})", f"HOG, {cell_size}×{cell_size}-pixel cells",
                  f"Gabor cell, {orientation:g}°", f"learned kernel {k}", f"CNN map {k}{silent}")
        note = (f"HOG: {cells}×{cells} cells → {n_hog} numbers per image  |  Gabor cell: "
                f"{self.gabor_side}×{self.gabor_side} weights, designed  |  CNN filter: "
                "3×3 weights + 1 bias, learned")
        return FeatureDemo(self.images[index], picture, gabor, self.kernels[:, :, 0, k], cnn,
                           titles, note)

    def draw(self, *, image: int = 0, cell_size: int = features.HOG_CELL,
             orientation: float = 0.0, filter_index: int = 0) -> Figure:
        """The widget's update function: :meth:`compute` drawn by :func:`plot_feature_demo`."""
        return plot_feature_demo(self.compute(image=image, cell_size=cell_size,
                                              orientation=orientation, filter_index=filter_index))


def plot_feature_demo(demo: FeatureDemo) -> Figure:
    """Draw a :class:`FeatureDemo`: the X-ray, its HOG picture, the Gabor cell's map, the learned
    kernel and its map (maps ≥ 0 in magma, each with a colorbar)."""
    # a fixed layout: the course's constrained one would cost a third of every redraw
    axes = viz.panel_axes(None, 5, "panels", figsize=(11.5, 2.6), layout="none")
    axes[0].figure.subplots_adjust(left=0.005, right=0.945, bottom=0.0, top=0.85, wspace=0.35)
    axes[0].imshow(demo.image, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    for ax, data in zip(axes[[1, 2, 4]], (demo.hog_picture, demo.gabor_map, demo.cnn_map),
                        strict=True):
        top = float(data.max())
        shown = ax.imshow(data, cmap="magma", vmin=0.0, vmax=top if top > 0 else 1.0,
                          interpolation="nearest")
        # three ticks (0, the middle, the top): every tick label costs time at each redraw
        ax.figure.colorbar(shown, ax=ax, fraction=0.046, pad=0.04, ticks=MaxNLocator(2))
    convolution.plot_kernel(demo.kernel, axes[3], colorbar=False)
    for ax, title in zip(axes, demo.titles, strict=True):
        ax.set_title(title, fontsize=10)
        if ax is not axes[3]:
            ax.set_axis_off()
    axes[0].figure.suptitle(demo.note, fontsize=9)
    return axes[0].figure


def make_feature_widget(images, kernels, bias, label_names=("normal", "pneumonia")):
    """Sliders over a :class:`FeatureExplorer` of these example images and first-layer
    weights: X-ray, HOG cell size, Gabor angle and CNN filter."""
    import ipywidgets as ipw

    from helpers import widgets

    explorer = FeatureExplorer(images, kernels, bias, label_names)
    c = FEATURE_CONTROLS
    n_images, n_filters = len(explorer.images), explorer.kernels.shape[3]
    if n_images != len(c["image"]) or n_filters != len(c["filter_index"]):
        raise ValueError(f"the widget shows {len(c['image'])} images and {len(c['filter_index'])} "
                         f"filters; got {n_images} images and {n_filters} filters")
    style = {"description_width": "initial"}
    angles = c["orientation"]
    return widgets.interactive_figure(
        explorer.draw,
        image=ipw.IntSlider(value=0, min=0, max=n_images - 1, description="X-ray",
                            continuous_update=False, style=style),
        cell_size=ipw.SelectionSlider(options=list(c["cell_size"]), value=features.HOG_CELL,
                                      description="HOG cell (px)", continuous_update=False,
                                      style=style),
        orientation=ipw.FloatSlider(value=angles[0], min=angles[0], max=angles[-1],
                                    step=angles[1] - angles[0], description="Gabor angle (°)",
                                    continuous_update=False, readout_format=".0f", style=style),
        filter_index=ipw.IntSlider(value=0, min=0, max=n_filters - 1, description="CNN filter",
                                   continuous_update=False, style=style),
    )
