"""Checkers for the exercises of ``notebooks/03_pooling.ipynb``.

Each checker compares the learner's answer with the correct one and with the answers that the
typical mistakes produce, and returns a :class:`helpers.checks.CheckResult` with a hint. The
correct answer is never shown.
"""

from __future__ import annotations

import math

import numpy as np

from helpers import checks, pooling, quiz

# --------------------------------------------------------------------------- exercise 1: max pooling


def _test_maps() -> list[np.ndarray]:
    """Small feature maps (H, W, C) with distinct values; odd sides test the dropped border."""
    rng = np.random.default_rng(3)
    return [rng.permutation(h * w * c).reshape(h, w, c).astype(np.float64) / (h * w * c)
            for h, w, c in [(4, 4, 1), (6, 8, 3), (5, 7, 2)]]


def _pooled_over_channels(x):
    return pooling.max_pool2d(x, 2).max(axis=-1)


def _pooled_over_channels_kept(x):
    return _pooled_over_channels(x)[..., np.newaxis]


def _pooled_over_channels_broadcast(x):
    out = pooling.max_pool2d(x, 2)
    return np.broadcast_to(out.max(axis=-1, keepdims=True), out.shape)


@checks.exercise
def check_max_pool(function) -> checks.CheckResult:
    """Exercise 03.1: ``function(x)`` must do 2×2 max pooling with stride 2 and no padding
    ("valid") on a feature map x of shape (H, W, C), pooling every channel on its own."""
    maps = _test_maps()
    return checks.check_function(
        "2×2 max pooling",
        function,
        [((x.copy(),), pooling.max_pool2d(x, 2)) for x in maps],
        mistakes=[
            (_pooled_over_channels, "you pooled over channels too: take the maximum over the "
                                    "2×2 window only, separately for every channel (axis -1)."),
            (_pooled_over_channels_kept, "you pooled over channels too: take the maximum over the "
                                         "2×2 window only, separately for every channel."),
            (_pooled_over_channels_broadcast, "every channel holds the same values: you pooled over "
                                              "channels too; keep the channels apart."),
            (lambda x: pooling.max_pool2d(x, 2, stride=1),
             "your windows overlap: the stride should equal the pool size here, so move the "
             "window by 2 pixels, not 1."),
            (lambda x: pooling.max_pool2d(x, 2, stride=1)[: x.shape[0] // 2, : x.shape[1] // 2],
             "your windows overlap: window (i, j) must start at row 2·i and column 2·j (the "
             "stride should equal the pool size here), not at (i, j)."),
            (lambda x: pooling.average_pool2d(x, 2),
             "you averaged instead of taking the maximum of each window."),
            (lambda x: pooling.max_pool2d(x, 2, padding="same"),
             "your output keeps a half-empty window at the bottom/right border of odd-sized "
             "inputs: with 'valid' padding a window that does not fit is dropped."),
            (lambda x: -pooling.max_pool2d(-x, 2),
             "you took the minimum of each window instead of the maximum."),
            (lambda x: np.swapaxes(pooling.max_pool2d(x, 2), 0, 1),
             "rows and columns are swapped: index the map as x[row, column, channel]."),
        ],
    )


# --------------------------------------------------------------------------- exercise 2: output size

#: (n, pool_size, stride); (13, 2, 4) tells rounding down from rounding to the nearest.
_SIZE_CASES = [(28, 2, 2), (512, 3, 2), (7, 3, 2), (10, 3, 3), (5, 5, 1), (127, 2, 2), (64, 4, 1),
               (13, 2, 4)]
ROUNDED_TO_NEAREST = ("you rounded to the nearest whole number: a window that sticks out past the "
                      "border is dropped, however much of it fits, so round down (//).")


@checks.exercise
def check_pooled_size(function) -> checks.CheckResult:
    """Exercise 03.2: ``function(n, pool_size, stride)`` must return the output side of
    pooling an ``n``-pixel side with 'valid' padding."""
    result = checks.check_function(
        "output size",
        function,
        [(case, pooling.compute_pooled_size(*case)) for case in _SIZE_CASES],
        mistakes=[
            (lambda n, k, s: (n - k) // s,
             "off by one: you counted the steps between windows; add the first window."),
            (lambda n, k, s: n - k + 1,
             "you forgot the stride: that counts window positions one pixel apart."),
            (lambda n, k, s: (n - k) / s + 1,
             "your formula gives fractions: a window that does not fit is dropped, so round "
             "down (//) before adding 1."),
            (lambda n, k, s: -(-(n - k) // s) + 1,
             "you rounded up: with 'valid' padding a window that sticks out past the border is "
             "dropped, so round down."),
            (lambda n, k, s: round((n - k) / s) + 1, ROUNDED_TO_NEAREST),
            (lambda n, k, s: math.floor((n - k) / s + 0.5) + 1, ROUNDED_TO_NEAREST),
            (lambda n, k, s: -(-n // s),
             "that is the size with 'same' padding, ceil(n / stride); here nothing is padded."),
            (lambda n, k, s: n // s,
             "you divided the side by the stride and ignored the window size: the last window "
             "must fit completely inside the input."),
            (lambda n, k, s: (n - k + 1) // s,
             "close, but this miscounts when the stride does not divide evenly: count the "
             "positions of the window's first pixel, 0, s, 2s, ... up to n - pool_size."),
        ],
    )
    # The framework accepts 14.0 for 14; this exercise asks for a whole number of pixels.
    # A function that passed has already run on every case without raising.
    if result.ok and not isinstance(function(*_SIZE_CASES[0]), int | np.integer):
        return checks.failed("output size", "the values are right, but return an integer (use "
                                             "// rather than /): an image has a whole number of pixels.")
    return result


# --------------------------------------------------------------------------- exercise 3: parameters


@checks.exercise
def check_pooling_parameters(answer) -> checks.CheckResult:
    """Exercise 03.3: trainable parameters of ``MaxPooling2D(pool_size=2)`` applied to a
    (64, 64, 32) feature map."""
    k, channels = 2, 32
    counted_weights = ("a pooling layer has no weights: the maximum of a window is a fixed rule, "
                       "so there is nothing to learn in it.")
    return checks.check_number(
        "pooling parameters",
        answer,
        0,
        mistakes=[
            (k * k, counted_weights),
            (k * k * channels, counted_weights),
            (k * k + 1, counted_weights + " No bias either."),
            (k * k * channels + channels, counted_weights + " No bias either."),
            (k * k * channels * channels, "you counted it like a convolution: pooling has no "
                                          "kernel and does not mix channels."),
            (k * k * channels * channels + channels, "you counted it like a convolution: pooling "
                                                     "has no kernel, no bias, and does not mix channels."),
            (channels, "one bias per channel? Pooling adds nothing: it only takes the maximum."),
            (64 * 64 * channels, "that is the number of values in its input, not of parameters "
                                 "learned by the layer."),
            (32 * 32 * channels, "that is the number of values in its output, not of parameters "
                                 "learned by the layer."),
        ],
        fallback_hint="count only what training changes in this layer; the maximum of a window "
                      "is a fixed rule.",
    )


# --------------------------------------------------------------------------- exercise 4: strided conv


@checks.exercise
def check_strided_conv_parameters(answer) -> checks.CheckResult:
    """Exercise 03.4: trainable parameters of ``Conv2D(32, 3, strides=2, padding="same")``
    applied to the same (64, 64, 32) feature map (it halves the size just like the pooling)."""
    k, c_in, c_out = 3, 32, 32
    return checks.check_number(
        "strided convolution parameters",
        answer,
        k * k * c_in * c_out + c_out,
        mistakes=[
            (k * k * c_in * c_out, "you forgot the biases: one per filter."),
            (k * k * c_out + c_out, "each filter spans all 32 input channels: its kernel is "
                                    "3×3×32, not 3×3."),
            (k * k * c_out, "each filter spans all 32 input channels (3×3×32 weights), and each "
                            "has a bias."),
            ((k * k * c_in * c_out + c_out) // 4, "the stride decides where the kernel is applied, "
                                                  "not how many weights it has."),
            ((k * k * c_in * c_out + c_out) * 2, "the stride decides where the kernel is applied, "
                                                 "not how many weights it has."),
            (2 * 2 * c_in * c_out + c_out, "the kernel is 3×3 here; the stride (2) does not "
                                           "change its size."),
            (0, "that is true of the pooling layer, but a convolution learns its kernels."),
        ],
        fallback_hint="a Conv2D layer has kernel height × width × input channels weights per "
                      "filter, plus one bias per filter.",
    )


# --------------------------------------------------------------------------- quiz

QUIZ = quiz.Quiz("pooling", [
    quiz.Number(
        "MaxPooling2D(pool_size=3, strides=2) with 'valid' padding reads a 64×64 feature map. "
        "What is the side of its output?",
        answer=pooling.compute_pooled_size(64, 3, 2),
        mistakes=[
            ((64 - 3) // 2, "off by one: you counted the steps between windows; add the first "
                            "window."),
            (-(-64 // 2), "that would need a window sticking out past the border (rounding up, "
                          "or 'same' padding): with 'valid' such a window is dropped."),
            (64 - 3 + 1, "you forgot the stride: that counts window positions one pixel apart."),
        ],
        otherwise="with 'valid' padding the output side is ⌊(n − k)/s⌋ + 1.",
    ),
    quiz.Choice(
        "What does global average pooling keep of a feature map of shape (7, 7, 64)?",
        correct="64 numbers: the mean of each channel",
        wrong={
            "49 numbers: one per position, averaged over the channels":
                "pooling never mixes channels: each channel is summarised on its own, and global "
                "pooling summarises a whole channel in one number.",
            "A (3, 3, 64) map: the mean of every 2×2 window":
                "that is average pooling with a 2×2 window; global pooling uses one window as "
                "large as the whole map.",
            "3,136 numbers: the map flattened":
                "that is Flatten, which keeps every value and its position; global pooling "
                "forgets the position.",
        },
    ),
    quiz.Choice(
        "A CT edge map moves by one pixel before 2×2 max pooling with stride 2. What happens to "
        "the pooled output?",
        correct="It can change: a shift across a window boundary moves a maximum into another "
                "window",
        wrong={
            "Nothing: pooling makes a CNN invariant to shifts":
                "pooling reduces the effect of shifts smaller than its window but does not "
                "remove it; the notebook measured the change.",
            "It changes as much as the map itself":
                "pooling does help: within a window the maximum stays where it is, so small "
                "shifts change the pooled map less than the map itself.",
        },
    ),
    quiz.Choice(
        "Instead of 2×2 max pooling, a network halves its maps with a stride-2 convolution. "
        "What does that change?",
        correct="The downsampling is learned, at the cost of weights",
        wrong={
            "Nothing, both have no parameters":
                "a pooling layer has none, but a convolution keeps k·k·C_in·C_out + C_out "
                "weights and biases whatever its stride.",
            "The map keeps its size":
                "a stride of 2 halves the map, just as 2×2 pooling does.",
            "Each channel is still summarised on its own":
                "that is pooling; a convolution mixes all input channels in every output channel.",
        },
    ),
])
