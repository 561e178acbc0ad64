"""The arithmetic of lesson 05 (``notebooks/05_hyperparameters.ipynb``): what a model learns and
what we choose, the bias as a shift, how often padding lets a kernel visit each pixel, the
receptive field of a stack of layers, dropout from scratch, the cosine learning-rate schedule,
and gradient descent on a parabola.

Each rule is written out here and checked against Keras in the notebook:

- :func:`tally_parameters` counts a model's weights with the formulas
  (:func:`helpers.convolution.count_conv_parameters` for convolutions) beside Keras' count;
- :func:`count_visits` (from scratch) against :func:`count_visits_with_keras` (a gradient);
- :func:`receptive_field` (the recurrence) against :func:`measure_receptive_field` (a gradient);
- :func:`dropout_forward` against ``keras.layers.Dropout`` (:func:`dropout_with_keras`);
- :func:`cosine_decay` against the schedule :func:`helpers.models.compile_classifier` sets.

Output sizes come from :func:`helpers.convolution.conv_output_size` (lesson 02), never restated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from helpers import layers, validate
from helpers.convolution import ops as conv_ops

#: One layer of a stack for the receptive field: (kernel or pool size k, stride s).
Stack = Sequence[tuple[int, int]]

#: The stack of the entry's Figure-3 CNN (helpers.models.build_figure3_cnn): 3×3 convolution,
#: 2×2 pooling (stride 2), 3×3 convolution, 2×2 pooling.
FIGURE3_STACK: tuple[tuple[int, int], ...] = ((3, 1), (2, 2), (3, 1), (2, 2))

#: Layer kinds with no weights at all (nothing to learn).
_NO_WEIGHTS = {"Input", "Rescaling", "MaxPooling2D", "AveragePooling2D", "Flatten", "Dropout",
               "Activation", "ReLU", "GlobalAveragePooling2D", "GlobalMaxPooling2D",
               "SpatialDropout2D", "ZeroPadding2D"}


# --------------------------------------------------------------------------- parameters


def tally_parameters(model) -> list[dict]:
    """One row per layer of a built Keras model: ``name``, ``kind``, ``formula`` (text),
    ``counted`` (our count from the formula) and ``keras`` (``layer.count_params()``).

    Conv2D: k·k·C_in·C_out + C_out (:func:`helpers.convolution.count_conv_parameters`);
    Dense: inputs·units + units; layers without weights (pooling, flatten, dropout ...): 0.
    Other kinds raise ``ValueError`` (the lesson has no formula for them).
    """
    rows = layers.describe_layers(model)
    tally = []
    rows = [row for row in rows if row["kind"] != "InputLayer"]  # functional models list it
    for previous, row in zip(rows, rows[1:], strict=False):
        layer = model.get_layer(row["name"])
        config, kind = layer.get_config(), row["kind"]
        c_in = previous["shape"][-1]
        if kind == "Conv2D":
            k_rows, k_cols = config["kernel_size"]
            counted = conv_ops.count_conv_parameters((k_rows, k_cols), c_in, config["filters"],
                                                     use_bias=config["use_bias"])
            bias = f" + {config['filters']}" if config["use_bias"] else ""
            formula = f"{k_rows}·{k_cols}·{c_in}·{config['filters']}{bias}"
        elif kind == "Dense":
            units = config["units"]
            counted = c_in * units + (units if config["use_bias"] else 0)
            formula = f"{c_in}·{units}" + (f" + {units}" if config["use_bias"] else "")
        elif kind in _NO_WEIGHTS:
            counted, formula = 0, "no weights"
        else:
            raise ValueError(f"layer {row['name']} ({kind}) has no formula in this lesson: "
                             "use a model of Conv2D, Dense, pooling, Flatten and Dropout layers")
        tally.append({"name": row["name"], "kind": kind, "formula": formula,
                      "counted": int(counted), "keras": row["params"]})
    return tally


def list_hyperparameters(model, *, learning_rate: float, batch_size: int,
                         epochs: int) -> list[tuple[str, str]]:
    """The choices that define a built Keras CNN and its training, as (name, value) pairs.

    Read from the layers' configurations (filters, kernel size, stride, padding, dropout
    rate) plus the training settings passed in. Nothing here is learned.
    """
    convs = [layer.get_config() for layer in model.layers if type(layer).__name__ == "Conv2D"]
    drops = [layer.get_config()["rate"] for layer in model.layers
             if type(layer).__name__ == "Dropout"]
    listed = [
        ("number of kernels (filters)", ", ".join(str(c["filters"]) for c in convs)),
        ("kernel size", ", ".join("×".join(map(str, c["kernel_size"])) for c in convs)),
        ("stride", ", ".join(str(c["strides"][0]) for c in convs)),
        ("padding", ", ".join(c["padding"] for c in convs)),
        ("biases used", ", ".join("yes" if c["use_bias"] else "no" for c in convs)),
        ("dropout rate", ", ".join(f"{r:g}" for r in drops) if drops else "none (0)"),
        ("learning rate", f"{validate.positive_number(learning_rate, 'learning_rate'):g}"),
        ("batch size", str(validate.whole_number(batch_size, "batch_size"))),
        ("epochs", str(validate.whole_number(epochs, "epochs"))),
    ]
    return listed


# --------------------------------------------------------------------------- bias


def relu_with_bias(x, weight: float, bias: float) -> np.ndarray:
    """ReLU(weight·x + bias) elementwise, float64. The kink sits at x = −bias / weight."""
    x = np.asarray(x, dtype=np.float64)
    return np.maximum(validate.real_number(weight, "weight") * x
                      + validate.real_number(bias, "bias"), 0.0)


# --------------------------------------------------------------------------- padding: visits


def _check_padding(padding):
    """"valid", "same" or a whole number p ≥ 0 of zeros on every side (lesson 02's choices)."""
    if isinstance(padding, str) and padding.lower() in conv_ops.PADDING_NAMES:
        return padding.lower()
    return validate.whole_number(padding, "padding", minimum=0, hint="or 'valid' or 'same'")


def _visits_1d(n: int, k: int, stride: int, padding) -> np.ndarray:
    """How many of the windows along one axis of side ``n`` cover each of its pixels."""
    n_out = conv_ops.conv_output_size(n, k, padding, stride)
    if padding == "same":
        before = conv_ops.same_padding(n, k, stride)[0]
    else:
        before = 0 if padding == "valid" else padding
    visits = np.zeros(n, dtype=np.int64)
    for i in range(n_out):
        start = i * stride - before  # first input pixel of window i (may lie in the padding)
        visits[max(start, 0):max(min(start + k, n), 0)] += 1
    return visits


def count_visits(shape: tuple[int, int], k: int, stride: int = 1,
                 padding="valid") -> np.ndarray:
    """The visit-count map: for each pixel of an image of ``shape`` (H, W), the number of
    positions of a k×k kernel (moved by ``stride``) whose window contains it.

    ``padding``: "valid", "same" or p zeros on every side, as in lesson 02. Returns (H, W)
    int64. A window is a product of a row range and a column range, so the count is the
    product of the counts along each axis.
    """
    if len(shape) != 2:
        raise ValueError(f"shape must be (height, width), got {shape}")
    k = validate.whole_number(k, "k")
    stride = validate.whole_number(stride, "stride")
    padding = _check_padding(padding)
    rows, cols = (_visits_1d(validate.whole_number(n, "image side"), k, stride, padding)
                  for n in shape)
    return np.outer(rows, cols)


def count_visits_with_keras(shape: tuple[int, int], k: int, stride: int = 1,
                            padding="valid") -> np.ndarray:
    """The same map measured with Keras: the gradient of the sum of a ``Conv2D`` output (one
    k×k kernel of ones, no bias) with respect to its input. Each window adds 1 to the gradient
    of every pixel it covers. Returns (H, W) int64."""
    import keras
    import tensorflow as tf

    padding = _check_padding(padding)
    steps = []
    if isinstance(padding, int):
        steps.append(keras.layers.ZeroPadding2D(padding))
        padding = "valid"
    steps.append(keras.layers.Conv2D(1, k, strides=stride, padding=padding, use_bias=False,
                                     kernel_initializer="ones"))
    probe = keras.Sequential([keras.Input((*shape, 1)), *steps])
    x = tf.zeros((1, *shape, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(probe(x))
    return np.rint(tape.gradient(total, x).numpy()[0, ..., 0]).astype(np.int64)


# --------------------------------------------------------------------------- receptive field


def _check_stack(stack: Stack) -> list[tuple[int, int]]:
    checked = []
    for i, item in enumerate(stack):
        if len(item) != 2:
            raise ValueError(f"layer {i} of the stack must be (kernel size, stride), got {item}")
        checked.append((validate.whole_number(item[0], f"kernel size of layer {i}"),
                        validate.whole_number(item[1], f"stride of layer {i}")))
    if not checked:
        raise ValueError("the stack is empty: give at least one (kernel size, stride) pair")
    return checked


def receptive_field(stack: Stack) -> list[tuple[int, int]]:
    """Receptive field r and jump j after each layer of ``stack`` [(k, s), ...], input first.

    The recurrence, starting from one input pixel (r = 1, j = 1):
    r_out = r_in + (k − 1)·j_in and j_out = j_in·s. r is the side (in input pixels) of the
    square one output pixel sees; j is the distance (in input pixels) between two neighbouring
    output pixels. A pooling window counts like a kernel. Returns [(1, 1), (r1, j1), ...].
    """
    r, j = 1, 1
    path = [(r, j)]
    for k, s in _check_stack(stack):
        r, j = r + (k - 1) * j, j * s
        path.append((r, j))
    return path


def measure_receptive_field(stack: Stack) -> tuple[int, np.ndarray]:
    """The receptive field measured with Keras: a stack of ``Conv2D`` layers (one kernel of
    ones each, "valid" padding, the given strides; linear, so a 2×2 stride-2 layer acts like
    2×2 average pooling up to a factor) and the gradient of its centre output pixel with
    respect to the input.

    Returns (side of the square where the gradient is non-zero, the gradient (H, W) float64).
    The input is just large enough for a 3×3 output, so the centre pixel is away from the
    border.
    """
    import keras
    import tensorflow as tf

    stack = _check_stack(stack)
    r, j = receptive_field(stack)[-1]
    side = r + 2 * j  # 3 output pixels per side
    probe = keras.Sequential([keras.Input((side, side, 1))] + [
        keras.layers.Conv2D(1, k, strides=s, use_bias=False, kernel_initializer="ones")
        for k, s in stack])
    x = tf.zeros((1, side, side, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = probe(x)
        centre = out[0, out.shape[1] // 2, out.shape[2] // 2, 0]
    gradient = tape.gradient(centre, x).numpy()[0, ..., 0].astype(np.float64)
    rows, cols = np.nonzero(gradient)
    measured = max(rows.max() - rows.min(), cols.max() - cols.min()) + 1
    return int(measured), gradient


# --------------------------------------------------------------------------- dropout


def _check_rate(rate: float) -> float:
    rate = validate.real_number(rate, "rate")
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"the dropout rate must be in [0, 1), got {rate}: it is the share of "
                         "units dropped, and dropping all of them leaves nothing")
    return rate


def make_keep_mask(shape, rate: float, seed: int = 0) -> np.ndarray:
    """A random boolean mask of ``shape``: True (kept) with probability 1 − ``rate``."""
    rate = _check_rate(rate)
    rng = np.random.default_rng(validate.whole_number(seed, "seed", minimum=0))
    return rng.random(shape) >= rate


def dropout_forward(x, keep, rate: float, training: bool) -> np.ndarray:
    """Inverted dropout: in training, units where ``keep`` is False become 0 and kept units
    are divided by 1 − ``rate``, so that every unit keeps its expected value; at inference
    (``training=False``) the input passes unchanged.

    x: any shape, real; keep: boolean array of x's shape. Returns float64.
    """
    x = np.asarray(x, dtype=np.float64)
    keep = np.asarray(keep)
    if keep.shape != x.shape or keep.dtype != bool:
        raise ValueError(f"keep must be a boolean mask of shape {x.shape}, got {keep.dtype} "
                         f"{keep.shape}: make one with make_keep_mask(x.shape, rate)")
    rate = _check_rate(rate)
    if not training:
        return x.copy()
    return np.where(keep, x / (1.0 - rate), 0.0)


def dropout_with_keras(x, rate: float, training: bool, seed: int = 0) -> np.ndarray:
    """``keras.layers.Dropout(rate, seed=seed)(x, training=training)`` as float64 (a new layer
    each call, so the same seed gives the same mask)."""
    import keras

    layer = keras.layers.Dropout(_check_rate(rate), seed=seed)
    out = layer(np.asarray(x, dtype=np.float32), training=bool(training))
    return np.asarray(keras.ops.convert_to_numpy(out), dtype=np.float64)


# --------------------------------------------------------------------------- learning rate


def cosine_decay(step, initial: float, decay_steps: int, alpha: float) -> np.ndarray:
    """The cosine schedule: initial·(α + (1 − α)·½·(1 + cos(π·t / T))) with t = min(step, T).

    It starts at ``initial`` and ends, after T = ``decay_steps`` updates, at α·initial, and
    stays there. ``step``: a number or an array of update counts ≥ 0. Returns float64.
    """
    initial = validate.positive_number(initial, "initial")
    decay_steps = validate.whole_number(decay_steps, "decay_steps")
    t = np.minimum(np.asarray(step, dtype=np.float64), decay_steps)
    if np.any(t < 0):
        raise ValueError("steps must be 0 or more")
    return initial * (alpha + (1.0 - alpha) * 0.5 * (1.0 + np.cos(math.pi * t / decay_steps)))


def read_schedule(model) -> dict:
    """The learning-rate schedule of a compiled model's optimizer, as its Keras configuration
    (e.g. ``{"initial_learning_rate": ..., "decay_steps": ..., "alpha": ...}`` for
    ``CosineDecay``) with its class name under ``"class_name"``."""
    if getattr(model, "optimizer", None) is None:
        raise ValueError("the model is not compiled: call models.compile_classifier first")
    setting = model.optimizer.get_config()["learning_rate"]
    if not isinstance(setting, dict):
        raise ValueError(f"the learning rate is a constant ({setting:g}), not a schedule: pass "
                         "decay_steps to models.compile_classifier")
    return {"class_name": setting.get("class_name", ""), **setting["config"]}


def schedule_values(model, steps) -> np.ndarray:
    """The learning rate of a compiled model's schedule at each of ``steps``, computed by
    Keras (float64)."""
    import keras

    schedule = model.optimizer.get_config()["learning_rate"]
    read_schedule(model)  # clear error for a constant learning rate
    schedule = keras.optimizers.schedules.deserialize(schedule)
    return np.array([float(schedule(int(t))) for t in np.ravel(steps)])


def descend_parabola(learning_rate: float, curvature: float, *, start: float = 1.0,
                     steps: int = 20) -> np.ndarray:
    """Gradient descent on the loss L(w) = curvature/2 · w², from w = ``start``.

    The gradient is curvature·w, so every step multiplies w by (1 − learning_rate·curvature):
    it shrinks when that factor lies in (−1, 1), i.e. for learning_rate < 2 / curvature, and
    grows otherwise. Returns w after 0, 1, ..., ``steps`` steps ((steps + 1,) float64).
    """
    lr = validate.positive_number(learning_rate, "learning_rate")
    a = validate.positive_number(curvature, "curvature")
    steps = validate.whole_number(steps, "steps")
    return validate.real_number(start, "start") * (1.0 - lr * a) ** np.arange(steps + 1)


def constant_prediction_loss(labels) -> float:
    """Binary cross-entropy of the best constant prediction (the share of 1s among
    ``labels``): the loss of a model that has learned nothing about the images."""
    labels = np.asarray(labels, dtype=np.float64).ravel()
    if labels.size == 0 or not np.all(np.isin(labels, (0.0, 1.0))):
        raise ValueError("labels must be a non-empty array of 0s and 1s")
    p = labels.mean()
    if p in (0.0, 1.0):
        return 0.0
    return float(-(p * math.log(p) + (1 - p) * math.log(1 - p)))
