"""Exercise checkers of ``notebooks/01_history.ipynb``.

Each checker returns a :class:`helpers.checks.CheckResult`. It recognises the typical mistakes
and names them in its hint; it never shows the correct answer.
"""

from __future__ import annotations

import numpy as np

from helpers import checks, history

# --------------------------------------------------------------------------- exercise 1


def check_preferred_orientation(answer) -> checks.CheckResult:
    """Exercise 01.1: the preferred orientation (degrees) of the cell recorded by
    :func:`helpers.history.record_mystery_cell`."""
    angles, rates = history.record_mystery_cell()
    best = int(np.argmax(rates))
    correct = float(angles[best])
    close = ("close, but not the angle of the largest response: read it from the arrays, "
             "not from the plot.")
    return checks.check_number(
        "preferred orientation",
        answer,
        correct,
        mistakes=[
            (best, "that is where the largest response sits in the array (an index from "
                   "np.argmax), not an angle: use it to pick the matching entry of `angles`."),
            (float(angles[int(np.argmin(rates))]),
             "that is the orientation the cell fires least for (np.argmin?); the preferred "
             "orientation is where it fires most."),
            (float(rates[best]), "that is how strongly the cell fires at its best, not the "
                                 "orientation at which it does."),
            (float(np.deg2rad(correct)), "that looks like an angle in radians: give degrees, "
                                         "like the values in `angles`."),
            (correct - 5.0, close),
            (correct + 5.0, close),
        ],
        atol=1e-6,
    )


# --------------------------------------------------------------------------- exercise 2


def _max_pool(feature_map, size):
    x = np.asarray(feature_map, dtype=float)
    h, w = x.shape[0] // size, x.shape[1] // size
    return x[: h * size, : w * size].reshape(h, size, w, size).max(axis=(1, 3))


def _average_pool(feature_map, size):
    x = np.asarray(feature_map, dtype=float)
    h, w = x.shape[0] // size, x.shape[1] // size
    return x[: h * size, : w * size].reshape(h, size, w, size).mean(axis=(1, 3))


def _sliding_max(feature_map, size):
    x = np.asarray(feature_map, dtype=float)
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size))
    return windows.max(axis=(2, 3))


def _keep_partial_blocks(feature_map, size):
    x = np.asarray(feature_map, dtype=float)
    h, w = -(-x.shape[0] // size), -(-x.shape[1] // size)
    padded = np.full((h * size, w * size), -np.inf)
    padded[: x.shape[0], : x.shape[1]] = x
    return padded.reshape(h, size, w, size).max(axis=(1, 3))


def check_c_cell_layer(function) -> checks.CheckResult:
    """Exercise 01.2: ``function(feature_map, size)`` must return the maximum of every
    non-overlapping size×size block of a (H, W) map, dropping incomplete blocks
    (what ``MaxPooling2D(size)`` does)."""
    exercise = "C-cell layer"
    rng = np.random.default_rng(1980)
    cases = []
    for shape, size in [((4, 4), 2), ((6, 6), 3), ((5, 7), 2), ((8, 6), 2)]:
        feature_map = rng.normal(size=shape).round(2)
        cases.append(((feature_map, size), _max_pool(feature_map, size)))
    return checks.check_function(
        exercise,
        function,
        cases,
        mistakes=[
            (_average_pool, "you averaged each block: a C-cell (like MaxPooling2D) keeps the "
                            "strongest response in its block."),
            (_sliding_max, "your windows overlap: move the window by `size` pixels each time, "
                           "so that each output pixel summarises its own block."),
            (_keep_partial_blocks, "you kept the incomplete blocks at the right/bottom border: "
                                   "like MaxPooling2D with padding='valid', drop them "
                                   "(integer division H // size)."),
        ],
    )


# --------------------------------------------------------------------------- exercises 3 and 4


def check_output_shape(answer) -> checks.CheckResult:
    """Exercise 01.3: output shape (height, width, channels) of Conv2D(16, 5) →
    MaxPooling2D(2) → Conv2D(32, 3, padding="same") → MaxPooling2D(2) on a 128×128×1 slice."""
    exercise = "output shape"
    values = checks.as_numbers(answer)
    if values is None:
        return checks.check_number(exercise, answer, [31, 31, 32])  # says what is wrong with it
    values = values.ravel()
    if values.size == 4:
        return checks.failed(exercise, "leave out the batch axis: give (height, width, channels).")
    if values.size != 3:
        return checks.failed(exercise, f"give three numbers (height, width, channels), "
                                       f"not {values.size}.")
    padding_hint = ("check each convolution: without padding a k×k kernel fits at n − k + 1 "
                    "positions; with padding='same' the size is kept.")
    return checks.check_number(
        exercise,
        values,
        [31, 31, 32],
        mistakes=[
            ([32, 32, 32], "you treated the first convolution as if it were padded: with the "
                           "default padding='valid' a 5×5 kernel shrinks each side by 4."),
            ([30, 30, 32], padding_hint),
            ([29, 29, 32], padding_hint),
            ([62, 62, 32], "there are two pooling layers, and each halves height and width."),
            ([124, 124, 32], "the pooling layers halve height and width (rounding down)."),
            ([31, 31, 16], "the channels are the number of filters of the *last* convolution."),
            ([31, 31, 1], "a Conv2D layer outputs one channel per filter, whatever the input had."),
        ],
    )


def check_parameter_count(answer) -> checks.CheckResult:
    """Exercise 01.4: trainable parameters of the second convolution of exercise 3,
    Conv2D(32, 3×3) reading 16 channels."""
    k, c_in, c_out = 3, 16, 32
    return checks.check_number(
        "parameter count",
        answer,
        (k * k * c_in + 1) * c_out,
        mistakes=[
            (k * k * c_in * c_out, "you forgot the biases: every filter has one."),
            ((k * k + 1) * c_out, "each filter reads all 16 input channels, so it has 3×3×16 "
                                  "weights, not 3×3."),
            (k * k * c_out, "each filter reads all 16 input channels and has a bias."),
            ((k * k + 1) * c_in * c_out, "one bias per filter, not one per input channel."),
            (k * k * c_in * c_out + c_in, "one bias per filter (output channel), not per input "
                                          "channel."),
            ((5 * 5 * 1 + 1) * c_in, "that is the first convolution; the question asks about "
                                     "the second one."),
        ],
    )
