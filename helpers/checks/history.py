"""Exercise checkers of ``notebooks/01_history.ipynb``.

Each checker returns a :class:`helpers.checks.CheckResult`. It recognises the typical mistakes
and names them in its hint; it never shows the correct answer.
"""

from __future__ import annotations

import functools

import numpy as np

from helpers import checks, history, pooling, quiz

# --------------------------------------------------------------------------- exercise 1


@checks.exercise
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


@checks.exercise
def check_c_cell_layer(function) -> checks.CheckResult:
    """Exercise 01.2: ``function(feature_map, size)`` must return the maximum of every
    non-overlapping size×size block of a (H, W) map, dropping incomplete blocks
    (what ``MaxPooling2D(size)`` does)."""
    rng = np.random.default_rng(1980)
    cases = []
    for shape, size in [((4, 4), 2), ((6, 6), 3), ((5, 7), 2), ((8, 6), 2)]:
        feature_map = rng.normal(size=shape).round(2)
        cases.append(((feature_map, size), pooling.max_pool2d(feature_map, size)))
    # Only the (5, 7) map with size 2 has incomplete blocks, and for size 2 "same" padding adds
    # its one missing row/column at the end: on these cases it is exactly "kept the incomplete
    # blocks" (padded cells are left out of the maximum).
    keep_partial_blocks = functools.partial(pooling.max_pool2d, padding="same")
    return checks.check_function(
        "C-cell layer",
        function,
        cases,
        mistakes=[
            (pooling.average_pool2d, "you averaged each block: a C-cell (like MaxPooling2D) "
                                     "keeps the strongest response in its block."),
            (functools.partial(pooling.max_pool2d, stride=1),
             "your windows overlap: move the window by `size` pixels each time, so that each "
             "output pixel summarises its own block."),
            (keep_partial_blocks, "you kept the incomplete blocks at the right/bottom border: "
                                  "like MaxPooling2D with padding='valid', drop them "
                                  "(integer division H // size)."),
        ],
    )


# --------------------------------------------------------------------------- exercises 3 and 4


@checks.exercise
def check_output_shape(answer) -> checks.CheckResult:
    """Exercise 01.3: output shape (height, width, channels) of Conv2D(16, 5) →
    MaxPooling2D(2) → Conv2D(32, 3, padding="same") → MaxPooling2D(2) on a 128×128×1 slice."""
    exercise = "output shape"
    values = checks.as_numbers(answer)  # None when it is not numbers: check_number says why
    if values is not None and values.size == 4:
        return checks.failed(exercise, "leave out the batch axis: give (height, width, channels).")
    if values is not None and values.size != 3:
        return checks.failed(exercise, f"give three numbers (height, width, channels), "
                                       f"not {values.size}.")
    padding_hint = ("check each convolution: without padding a k×k kernel fits at n − k + 1 "
                    "positions; with padding='same' the size is kept.")
    return checks.check_number(
        exercise,
        answer if values is None else values.ravel(),
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


@checks.exercise
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


# --------------------------------------------------------------------------- quiz

QUIZ = quiz.Quiz("history", [
    quiz.Choice(
        "What does a complex cell add to a simple cell?",
        correct="Tolerance to position: it answers wherever the bar lies in a larger field",
        wrong={
            "A preference for one orientation":
                "simple cells already prefer one orientation; the complex cell keeps that "
                "preference and takes the strongest of many shifted simple cells.",
            "A response to diffuse light":
                "most cells of the visual cortex ignored diffuse light; complex cells, too, need "
                "an oriented bar or slit.",
            "The ability to learn from labelled examples":
                "cells in the cortex are not trained with labels; learning from labelled "
                "examples came to CNNs with backpropagation (1986, 1989).",
        },
    ),
    quiz.Choice(
        "Which Keras layer does a C-cell layer of the Neocognitron correspond to?",
        correct="MaxPooling2D",
        wrong={
            "Conv2D":
                "that is the S-cell layer: a weighted sum over a neighbourhood, with the same "
                "weights at every position and a threshold (the bias).",
            "Dense":
                "a dense layer connects every input to every output; a C-cell only combines "
                "neighbouring S-cells of one map.",
            "ReLU":
                "rectification belongs to the S-cell (max(0, ·) after its weighted sum); a C-cell "
                "keeps the strongest response of a small block, so a shifted feature still counts.",
        },
    ),
    quiz.Choice(
        "What did the Neocognitron (1980) lack that LeCun's networks (1989) had?",
        correct="Learning the weights from labelled examples by backpropagation",
        wrong={
            "Shared weights, the same filter at every position":
                "the S-cells of one map already shared their weights, as a convolution does.",
            "Pooling of neighbouring responses":
                "its C-cells pooled neighbouring S-cells: that is what pooling layers do.",
            "A hierarchy of layers":
                "it already stacked S–C stages, so that later stages responded to combinations "
                "of earlier features over larger regions.",
        },
    ),
    quiz.Number(
        "A 64×64 grey image goes through a 3×3 convolution without padding, then 2×2 max "
        "pooling. What is the side length of the output?",
        answer=(64 - 3 + 1) // 2,
        mistakes=[
            (64 // 2, "that ignores the convolution: without padding it first shrinks the side "
                      "to n − k + 1."),
            (64 - 3 + 1, "that is after the convolution only: 2×2 pooling then halves the side."),
            ((64 - 3) // 2, "off by one: the convolution keeps n − k + 1 positions along a side, "
                            "not n − k."),
        ],
        otherwise="step by step: a 3×3 convolution without padding keeps n − k + 1 pixels along "
                  "a side, then 2×2 max pooling keeps ⌊n/2⌋.",
    ),
    quiz.Number(
        "How many trainable parameters does Conv2D(16, 3) have when it reads 8 input channels?",
        answer=(3 * 3 * 8 + 1) * 16,
        mistakes=[
            (3 * 3 * 8 * 16, "you forgot the biases: every filter has one."),
            ((3 * 3 + 1) * 16, "you forgot the input channels: each filter has one 3×3 kernel per "
                               "input channel."),
            (3 * 3 * 16, "you forgot the input channels and the biases: count k·k·C_in weights "
                         "and one bias per filter."),
            (3 * 3 * 8 * 16 + 8, "one bias per filter (output channel), not per input channel."),
        ],
        otherwise="use (k · k · C_in + 1) · C_out: one k×k kernel per input channel and a bias, "
                  "for each filter.",
    ),
])
