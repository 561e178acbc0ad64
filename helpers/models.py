"""Model builders: the CNN of the source's Figure 3, an improved CNN whose improvements can be
switched on one at a time, and a layer that stores the decision threshold inside the model file
(:func:`attach_threshold`, :func:`read_threshold`, :func:`load_classifier`), and one that records
the data set, label names and positive class it was trained on (:func:`attach_info`,
:func:`read_info`); :func:`predict_probabilities` gives a model's probabilities.

Every builder takes raw images, (N, H, W, C) uint8 in [0, 255] or float in [0, 255], and
rescales them to [0, 1] in its first layer, so the same arrays go into every model.

Output convention (``n_classes``):

- ``n_classes=2`` (a binary task): one sigmoid unit, shape (N, 1): the probability of class 1,
  or of the class it was trained to call positive (:func:`helpers.training.fit_classifier`).
- ``n_classes>2``: ``n_classes`` softmax units, shape (N, n_classes), each row summing to 1.

Taught in the CNN and the clinical-evaluation notebooks. A model saved with a
:class:`DecisionThreshold` reloads with ``keras.models.load_model(path, safe_mode=True)`` once
this module has been imported (importing it registers the layer).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from helpers import validate
from helpers.course import import_tensorflow_quietly

import_tensorflow_quietly()
import keras  # noqa: E402  (imported after TensorFlow has been silenced)
from keras import layers  # noqa: E402

#: Every model of the course must stay below this many parameters.
MAX_PARAMETERS = 1_000_000

#: Augmentation strengths of :func:`build_improved_cnn`: shift as a fraction of the image
#: size, rotation as a fraction of a full turn (0.03 ≈ ±11°), zoom as a fraction of the size,
#: contrast and brightness as fractions of the grey-level range.
AUGMENTATION = {"shift": 0.08, "rotation": 0.03, "zoom": 0.10, "contrast": 0.0, "brightness": 0.0}


def _check_input_shape(input_shape: Sequence[int], min_side: int) -> tuple[int, int, int]:
    shape = tuple(int(v) for v in input_shape)
    if len(shape) != 3 or min(shape) < 1:
        raise ValueError(
            f"input_shape must be (height, width, channels), e.g. (28, 28, 1); got {input_shape}"
        )
    if min(shape[:2]) < min_side:
        raise ValueError(
            f"images of {shape[0]}×{shape[1]} are too small for this model: it needs at least "
            f"{min_side}×{min_side} pixels"
        )
    return shape


def _output_layer(n_classes: int, name: str = "output") -> layers.Layer:
    n_classes = validate.whole_number(n_classes, "n_classes", minimum=2, hint="(2 = binary task)")
    if n_classes == 2:
        return layers.Dense(1, activation="sigmoid", name=name)
    return layers.Dense(n_classes, activation="softmax", name=name)


def build_mlp(input_shape: Sequence[int] = (28, 28, 1), n_classes: int = 2, *,
              hidden: int = 64) -> keras.Model:
    """A multilayer perceptron on the raw pixels, the network a CNN is compared with (07):
    rescale to [0, 1] → flatten → ``hidden`` ReLU units → the output (:func:`_output_layer`).
    Every hidden unit has one weight per pixel and channel: nothing is shared."""
    shape = _check_input_shape(input_shape, min_side=1)
    hidden = validate.whole_number(hidden, "hidden", hint="(units of the hidden layer)")
    inputs = keras.Input(shape, name="image")
    x = layers.Rescaling(1.0 / 255.0, name="rescale")(inputs)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(hidden, activation="relu", name="hidden")(x)
    return keras.Model(inputs, _output_layer(n_classes)(x), name="mlp")


def build_figure3_cnn(
    input_shape: Sequence[int] = (28, 28, 1),
    n_classes: int = 2,
    *,
    filters: tuple[int, int] = (8, 16),
    kernel_size: int = 3,
) -> keras.Model:
    """The five-layer CNN of the source's Figure 3.

    rescale to [0, 1] → conv (``filters[0]`` maps, ReLU) → 2×2 max-pool (halves the image) →
    conv (``filters[1]`` maps, more than the first, ReLU) → 2×2 max-pool (halves it again) →
    flatten → one fully connected layer with a single sigmoid output in [0, 1]
    (or a softmax over ``n_classes > 2`` classes).

    The convolutions use 'same' padding, so 28×28 → 14×14 → 7×7 exactly. Input: images of
    ``input_shape`` (H, W, C) in [0, 255]; both H and W must be at least 4.
    """
    shape = _check_input_shape(input_shape, min_side=4)
    if len(filters) != 2 or min(filters) < 1:
        raise ValueError(f"filters must be two positive counts, e.g. (8, 16); got {filters}")
    inputs = keras.Input(shape, name="image")
    x = layers.Rescaling(1.0 / 255.0, name="rescale")(inputs)
    x = layers.Conv2D(filters[0], kernel_size, padding="same", activation="relu", name="conv1")(x)
    x = layers.MaxPooling2D(2, name="pool1")(x)
    x = layers.Conv2D(filters[1], kernel_size, padding="same", activation="relu", name="conv2")(x)
    x = layers.MaxPooling2D(2, name="pool2")(x)
    x = layers.Flatten(name="flatten")(x)
    outputs = _output_layer(n_classes)(x)
    return keras.Model(inputs, outputs, name="figure3_cnn")


def build_augmentation(seed: int | None = None, **strengths: float) -> keras.Sequential:
    """Random small shifts, rotations and zooms (and optionally contrast and brightness
    changes), active only during training.

    No flips: a chest X-ray is never seen upside down, and its left and right differ (heart).
    ``strengths`` may override the keys of :data:`AUGMENTATION`; a strength of 0 drops that
    transform. Input and output: (N, H, W, C) float in [0, 1].
    """
    unknown = set(strengths) - set(AUGMENTATION)
    if unknown:
        raise ValueError(f"unknown augmentation {sorted(unknown)}; use {sorted(AUGMENTATION)}")
    s = {**AUGMENTATION, **strengths}
    if any(v < 0 for v in s.values()):
        raise ValueError(f"augmentation strengths must be >= 0, got {s}")
    steps = []
    if s["shift"]:
        steps.append(layers.RandomTranslation(s["shift"], s["shift"], fill_mode="nearest",
                                              seed=seed, name="random_shift"))
    if s["rotation"]:
        steps.append(layers.RandomRotation(s["rotation"], fill_mode="nearest",
                                           seed=None if seed is None else seed + 1,
                                           name="random_rotation"))
    if s["zoom"]:
        steps.append(layers.RandomZoom(s["zoom"], fill_mode="nearest",
                                       seed=None if seed is None else seed + 2,
                                       name="random_zoom"))
    if s["contrast"]:
        steps.append(layers.RandomContrast(s["contrast"], value_range=(0.0, 1.0),
                                           seed=None if seed is None else seed + 3,
                                           name="random_contrast"))
    if s["brightness"]:
        steps.append(layers.RandomBrightness(s["brightness"], value_range=(0.0, 1.0),
                                             seed=None if seed is None else seed + 4,
                                             name="random_brightness"))
    return keras.Sequential(steps, name="augmentation")


def build_improved_cnn(
    input_shape: Sequence[int] = (28, 28, 1),
    n_classes: int = 2,
    *,
    augment: bool = True,
    batch_norm: bool = True,
    dropout: float = 0.3,
    global_pooling: bool = True,
    standardize: bool = True,
    smooth: bool = True,
    widths: Sequence[int] = (16, 32, 64),
    convs_per_block: int = 2,
    augmentation: dict | None = None,
    seed: int | None = None,
) -> keras.Model:
    """A small VGG-style CNN whose improvements over Figure 3 can be switched on one by one.

    Blocks of ``convs_per_block`` 3×3 convolutions ('same' padding, ReLU) with ``widths[i]``
    maps, a 2×2 max-pool between blocks, then a head and the output of :func:`build_figure3_cnn`.

    - ``augment``: random shifts/rotations/zooms during training (:func:`build_augmentation`;
      ``augmentation`` overrides its strengths, e.g. ``{"contrast": 0.2}``).
    - ``smooth``: a fixed 3×3 average (a slight blur) of the input. At 28×28 the signs of
      pneumonia are hazy shapes, not single pixels; without the blur the model also learns
      pixel-level texture, and a sharper or noisier image then shifts its output.
    - ``standardize``: rescale every image to mean 0 and standard deviation 1 on its own, so
      that a brighter or higher-contrast exposure of the same chest gives the same input.
    - ``batch_norm``: batch normalisation after every convolution (before the ReLU).
    - ``dropout``: dropout rate in [0, 1) before the output layer (0 = none).
    - ``global_pooling``: average each last feature map to one number (few parameters)
      instead of flattening them all into the dense layer.

    The defaults are the settings of ``python -m helpers.classifier train``; all options off
    gives a deeper plain CNN. Input: (H, W, C) images in [0, 255], with H and W at least
    ``2 ** (len(widths) - 1)``. ``seed`` fixes the random streams of augmentation and dropout.
    """
    if len(widths) < 1 or min(widths) < 1:
        raise ValueError(f"widths must be one or more positive filter counts, got {widths}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}")
    convs_per_block = validate.whole_number(convs_per_block, "convs_per_block")
    shape = _check_input_shape(input_shape, min_side=2 ** (len(widths) - 1))
    inputs = keras.Input(shape, name="image")
    x = layers.Rescaling(1.0 / 255.0, name="rescale")(inputs)
    if smooth:
        x = layers.AveragePooling2D(3, strides=1, padding="same", name="smooth")(x)
    if augment:
        x = build_augmentation(seed, **(augmentation or {}))(x)
    if standardize:
        x = layers.LayerNormalization(axis=(1, 2, 3), center=False, scale=False,
                                      name="standardize")(x)
    for block, width in enumerate(widths, start=1):
        if block > 1:
            x = layers.MaxPooling2D(2, name=f"pool{block - 1}")(x)
        for k in range(1, convs_per_block + 1):
            name = f"conv{block}_{k}"
            x = layers.Conv2D(width, 3, padding="same", use_bias=not batch_norm, name=name)(x)
            if batch_norm:
                x = layers.BatchNormalization(momentum=0.9, name=f"{name}_bn")(x)
            x = layers.Activation("relu", name=f"{name}_relu")(x)
    if global_pooling:
        x = layers.GlobalAveragePooling2D(name="global_pool")(x)
    else:
        x = layers.Flatten(name="flatten")(x)
    if dropout:
        x = layers.Dropout(dropout, seed=seed, name="dropout")(x)
    outputs = _output_layer(n_classes)(x)
    return keras.Model(inputs, outputs, name="improved_cnn")


def compile_classifier(
    model: keras.Model,
    learning_rate: float = 1e-3,
    *,
    decay_steps: int | None = None,
    label_smoothing: float = 0.0,
    one_hot: bool = False,
) -> keras.Model:
    """Compile ``model`` with Adam and the loss that matches its output layer, and return it.

    One sigmoid unit → binary cross-entropy, metrics accuracy and AUC. Several softmax units →
    with integer labels (N,) the sparse categorical cross-entropy and accuracy; with
    ``one_hot=True`` (labels (N, K) one-hot, as :func:`helpers.training.fit_classifier` gives
    them) the categorical cross-entropy, accuracy and the macro one-vs-rest AUC (``"auc"``).
    With ``decay_steps`` (usually epochs × batches per epoch) the learning rate follows a cosine
    from ``learning_rate`` down to 2 % of it. ``label_smoothing`` trains towards s/2 and
    1 - s/2 instead of 0 and 1 (K classes: s/K and 1 - s + s/K; needs ``one_hot``), which
    keeps the model from becoming over-confident on the few training images of a rare class.
    """
    if not 0.0 <= label_smoothing < 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1), got {label_smoothing}")
    schedule = validate.positive_number(learning_rate, "learning_rate")
    if decay_steps is not None:
        steps = validate.whole_number(decay_steps, "decay_steps")
        schedule = keras.optimizers.schedules.CosineDecay(schedule, steps, alpha=0.02)
    units = model.output_shape[-1]
    if units == 1:
        loss = keras.losses.BinaryCrossentropy(label_smoothing=label_smoothing)
        metrics = [keras.metrics.BinaryAccuracy(name="accuracy"), keras.metrics.AUC(name="auc")]
    elif one_hot:
        loss = keras.losses.CategoricalCrossentropy(label_smoothing=label_smoothing)
        metrics = [keras.metrics.CategoricalAccuracy(name="accuracy"),
                   keras.metrics.AUC(name="auc", multi_label=True, num_labels=units)]
    else:
        if label_smoothing:
            raise ValueError("label smoothing with several classes needs one-hot labels: "
                             "pass one_hot=True and labels of shape (N, K)")
        loss = keras.losses.SparseCategoricalCrossentropy()
        metrics = [keras.metrics.SparseCategoricalAccuracy(name="accuracy")]
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss=loss, metrics=metrics)
    return model


def count_parameters(model: keras.Model) -> int:
    """Number of weights of ``model`` (trainable and not), e.g. to check :data:`MAX_PARAMETERS`."""
    return int(model.count_params())


def predict_probabilities(model: keras.Model, images: np.ndarray,
                          batch_size: int = 512) -> np.ndarray:
    """The model's probabilities for raw images, float64 in [0, 1].

    A binary model (one sigmoid output) gives (N,), the probability of the class it was
    trained to call positive (class 1 unless :func:`read_info` says otherwise); a K-class model
    (softmax) gives (N, K), each row summing to 1. ``images``: (N, H, W, C) uint8 (or float in
    [0, 255]) matching the model's input shape.
    """
    images = np.asarray(images)
    expected = tuple(model.input_shape[1:])
    if images.ndim != 4 or tuple(images.shape[1:]) != expected:
        raise ValueError(f"the model expects images of shape (N, {', '.join(map(str, expected))})"
                         f", got {images.shape}: use data of the kind it was trained on")
    out = np.asarray(model.predict(images.astype(np.float32), batch_size=batch_size, verbose=0),
                     dtype=np.float64)
    return out.reshape(-1) if model.output_shape[-1] == 1 else out


def average_models(members: Sequence[keras.Model], name: str = "ensemble") -> keras.Model:
    """One model whose output is the mean of the ``members``' outputs (an ensemble): they must
    take the same input shape and give the same output shape. The members' layers and weights
    are shared, not copied."""
    members = list(members)
    if not members:
        raise ValueError("an ensemble needs at least one member model")
    shapes = {(tuple(m.input_shape[1:]), tuple(m.output_shape[1:])) for m in members}
    if len(shapes) > 1:
        raise ValueError(f"the members differ in input or output shape: {sorted(shapes)}")
    if len(members) == 1:
        return members[0]
    inputs = keras.Input(members[0].input_shape[1:], name="image")
    outputs = [keras.Model(m.inputs, m.outputs[0], name=f"member_{k}")(inputs)
               for k, m in enumerate(members, start=1)]
    return keras.Model(inputs, layers.Average(name="average")(outputs), name=name)


# --------------------------------------------------------------------------- decision threshold


@keras.saving.register_keras_serializable(package="cnn_course")
class DecisionThreshold(layers.Layer):
    """Pass-through layer that carries the decision threshold of a binary classifier.

    The output is the input unchanged (probabilities, (N, 1)); the threshold is a
    non-trainable weight, so it is saved in, and loaded from, the ``.keras`` file with the
    other weights. A case is called positive when its probability is >= the threshold.
    """

    def __init__(self, threshold: float = 0.5, **kwargs):
        kwargs.setdefault("trainable", False)
        super().__init__(**kwargs)
        self.initial_threshold = _check_threshold(threshold)

    def build(self, input_shape) -> None:
        self.threshold = self.add_weight(
            shape=(),
            initializer=keras.initializers.Constant(self.initial_threshold),
            trainable=False,
            name="threshold",
        )

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        value = self.initial_threshold
        if self.built:
            value = float(self.get_weights()[0])
        return {**super().get_config(), "threshold": value}


def _check_threshold(threshold: float) -> float:
    value = float(threshold)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"a probability threshold must lie in [0, 1], got {threshold}")
    return value


def attach_threshold(model: keras.Model, threshold: float) -> keras.Model:
    """Return a model that shares ``model``'s layers and weights and stores ``threshold``.

    ``model`` must have one sigmoid output of shape (N, 1). If it already holds a
    :class:`DecisionThreshold`, that layer's value is updated and the model itself returned.
    """
    value = _check_threshold(threshold)
    if model.output_shape[-1] != 1:
        raise ValueError(
            "a decision threshold applies to a binary model with one sigmoid output, but this "
            f"model's output has shape {model.output_shape}"
        )
    for layer in model.layers:
        if isinstance(layer, DecisionThreshold):
            layer.threshold.assign(value)
            return model
    outputs = DecisionThreshold(value, name="decision_threshold")(model.outputs[0])
    return keras.Model(model.inputs, outputs, name=model.name)


def read_threshold(model: keras.Model) -> float:
    """The threshold stored by :func:`attach_threshold`; ``ValueError`` if there is none."""
    for layer in model.layers[::-1]:
        if isinstance(layer, DecisionThreshold):
            return float(layer.get_weights()[0])
    raise ValueError(
        f"model {model.name!r} stores no decision threshold: train it with "
        "`python -m helpers.classifier train` or call models.attach_threshold(model, t)"
    )


# --------------------------------------------------------------------------- what it was trained on

#: The keys :func:`attach_info` records (others are kept too).
INFO_KEYS = ("dataset", "label_names", "positive_class", "task", "image_shape")


@keras.saving.register_keras_serializable(package="cnn_course")
class ModelInfo(layers.Layer):
    """Pass-through layer that records what a classifier was trained on, as a JSON-ready dict
    in its config (e.g. ``{"dataset": "breastmnist", "label_names": [...],
    "positive_class": 0}``), so that it travels inside the ``.keras`` file."""

    def __init__(self, info: dict | None = None, **kwargs):
        kwargs.setdefault("trainable", False)
        super().__init__(**kwargs)
        self.info = dict(info or {})

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "info": self.info}


def attach_info(model: keras.Model, info: dict) -> keras.Model:
    """Return a model that shares ``model``'s layers and weights and records ``info`` (a dict of
    JSON values: strings, numbers, lists; see :data:`INFO_KEYS`). A model that already holds a
    :class:`ModelInfo` gets its record replaced and is returned itself."""
    import json

    try:
        record = json.loads(json.dumps(info))
    except (TypeError, ValueError) as error:
        raise ValueError(f"info must hold JSON values only (strings, numbers, lists): {error}") \
            from error
    for layer in model.layers:
        if isinstance(layer, ModelInfo):
            layer.info = record
            return model
    outputs = ModelInfo(record, name="model_info")(model.outputs[0])
    return keras.Model(model.inputs, outputs, name=model.name)


def read_info(model: keras.Model) -> dict:
    """The record of :func:`attach_info` (a copy); ``{}`` for a model that has none."""
    for layer in model.layers:
        if isinstance(layer, ModelInfo):
            return dict(layer.info)
    return {}


def load_classifier(path) -> keras.Model:
    """Load a ``.keras`` classifier saved by ``python -m helpers.classifier train`` in safe
    mode; ``FileNotFoundError`` if there is no file, ``ValueError`` if it is not a Keras model
    or, for a binary model, stores no threshold."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {path}: train one with "
                                "`python -m helpers.classifier train --data ... --out MODEL.keras`")
    if path.suffix != ".keras":
        raise ValueError(f"{path} is not a .keras file; the trainer saves MODEL.keras")
    try:
        model = keras.models.load_model(path, safe_mode=True, compile=False)
    except Exception as error:  # a damaged zip, config or weights file: all mean the same
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(f"{path} could not be loaded as a Keras model, the file is damaged or "
                         f"not a model ({first[:200]})") from error
    if model.output_shape[-1] == 1:
        read_threshold(model)  # raises ValueError when the file stores no threshold
    return model
