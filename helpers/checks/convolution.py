"""Exercise checkers of ``notebooks/02_convolution.ipynb``.

Each checker compares the learner's answer with the correct one and with what the typical
mistakes produce, and names the mistake it recognises. None of them shows the correct answer.
"""

from __future__ import annotations

import math

import numpy as np

from helpers import checks, convolution, quiz

# --------------------------------------------------------------------------- exercise 1


def _test_inputs() -> list[tuple[np.ndarray, np.ndarray]]:
    """Small images and asymmetric kernels (a symmetric kernel would hide a missing flip)."""
    rng = np.random.default_rng(2)
    shapes = [((6, 7), (3, 3)), ((8, 5), (2, 3)), ((9, 9), (4, 4)), ((5, 6), (1, 2))]
    return [(rng.random(image), rng.uniform(-1.0, 1.0, kernel)) for image, kernel in shapes]


def _same_size(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    return convolution.convolve2d_fast(image, kernel, padding="same")


def _full_size(image: np.ndarray, kernel: np.ndarray, flip: bool = True) -> np.ndarray:
    """The 'full' result: every position where kernel and image overlap at all."""
    kh, kw = kernel.shape
    padded = np.pad(image, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    return (convolution.convolve2d_fast if flip else convolution.correlate2d_fast)(padded, kernel)


@checks.exercise
def check_conv2d(function) -> checks.CheckResult:
    """Exercise 02.1: ``function(image, kernel)`` computes Equation (1), 'valid', stride 1.

    image: (H, W); kernel: (kH, kW); expected output (H − kH + 1, W − kW + 1).
    """
    cases = [((image, kernel), convolution.convolve2d_fast(image, kernel))
             for image, kernel in _test_inputs()]
    return checks.check_function(
        "conv2d",
        function,
        cases,
        mistakes=[
            (convolution.correlate2d_fast,
             "your output equals the cross-correlation (what Keras computes): did you flip the "
             "kernel? Equation (1) reads f[m − j, n − k], not f[m + j, n + k]."),
            (lambda f, h: convolution.correlate2d_fast(f, h[::-1, :]),
             "you flipped the kernel upside down only: Equation (1) reverses the rows *and* the columns."),
            (lambda f, h: convolution.correlate2d_fast(f, h[:, ::-1]),
             "you flipped the kernel left-right only: Equation (1) reverses the rows *and* the columns."),
            (lambda f, h: convolution.correlate2d_fast(f, h.T),
             "you transposed the kernel (h.T): flipping means reversing, h[::-1, ::-1]."),
            (_same_size,
             "your output has the size of the input: this exercise asks for 'valid' (no padding), "
             "so the output loses kH − 1 rows and kW − 1 columns."),
            (_full_size,
             "you computed the 'full' convolution (every position where kernel and image overlap, "
             "H + kH − 1 rows): 'valid' keeps only the positions where the whole kernel lies "
             "inside the image."),
            (lambda f, h: _full_size(f, h, flip=False),
             "you computed the 'full' cross-correlation: keep only the positions where the whole "
             "kernel lies inside the image ('valid'), and flip the kernel as Equation (1) does."),
        ],
    )


# --------------------------------------------------------------------------- exercise 2

#: (n, k, p, s) cases chosen so that every typical mistake gives a different set of answers.
ROUNDED_TO_NEAREST = ("you rounded to the nearest whole number: round down (// or math.floor), "
                      "since a position where the kernel would stick out of the padded image is "
                      "not used, even when most of the kernel fits.")
OUTPUT_SIZE_CASES = [(128, 3, 1, 1), (128, 5, 1, 2), (28, 3, 0, 2), (64, 7, 3, 4), (10, 4, 2, 3)]


@checks.exercise
def check_output_size_formula(function) -> checks.CheckResult:
    """Exercise 02.2: ``function(n, k, p, s)`` returns ⌊(n + 2p − k) / s⌋ + 1 as an integer."""
    cases = [((n, k, p, s), (n + 2 * p - k) // s + 1) for n, k, p, s in OUTPUT_SIZE_CASES]
    return checks.check_function(
        "output size",
        function,
        cases,
        mistakes=[
            (lambda n, k, p, s: (n + 2 * p - k) // s,
             "off by one: count the first position of the kernel too (add 1 after dividing)."),
            (lambda n, k, p, s: (n + 2 * p - k + 1) // s,
             "off by one: the +1 comes after the division by the stride, not before."),
            (lambda n, k, p, s: (n + p - k) // s + 1,
             "you forgot that padding counts on both sides: p zeros go on the left *and* on the right, 2p."),
            (lambda n, k, p, s: n + 2 * p - k + 1,
             "you forgot the stride: the kernel jumps s pixels at a time, so divide by s."),
            (lambda n, k, p, s: (n - k) // s + 1,
             "you forgot the padding: p zeros on each side make the image n + 2p wide."),
            (lambda n, k, p, s: math.ceil((n + 2 * p - k) / s) + 1,
             "round down, not up: a position where the kernel would stick out of the padded image "
             "is not used (use // or math.floor)."),
            (lambda n, k, p, s: (n + 2 * p - k) / s + 1,
             "round down: with a stride the division is not exact; use // for whole positions."),
            (lambda n, k, p, s: round((n + 2 * p - k) / s) + 1, ROUNDED_TO_NEAREST),
            (lambda n, k, p, s: math.floor((n + 2 * p - k) / s + 0.5) + 1, ROUNDED_TO_NEAREST),
        ],
    )


# --------------------------------------------------------------------------- exercise 3


def _one_hot(row: int, col: int) -> np.ndarray:
    kernel = np.zeros((3, 3))
    kernel[row, col] = 1.0
    return kernel


@checks.exercise
def check_shift_kernel(answer) -> checks.CheckResult:
    """Exercise 02.3: the 3×3 kernel that, *convolved* as in Equation (1) with "same" padding,
    moves the image one pixel to the right: G[m, n] = f[m, n − 1]."""
    return checks.check_number(
        "shift kernel",
        answer,
        _one_hot(1, 2),
        mistakes=[
            (_one_hot(1, 0),
             "that kernel would shift right under cross-correlation (Keras), but Equation (1) flips "
             "the kernel first: with convolution it moves the image to the left."),
            (_one_hot(0, 1), "that moves the image vertically: the first index is the row."),
            (_one_hot(2, 1), "that moves the image vertically: the first index is the row."),
            (_one_hot(1, 1), "that is the identity kernel: the image does not move."),
        ],
        fallback_hint="exactly one weight should be 1 and the others 0; try your kernel on a tiny "
        "image with convolution.convolve2d_fast(..., padding='same').",
    )


# --------------------------------------------------------------------------- exercise 4

#: The stack of exercise 02.4: a one-channel CT slice → Conv2D(16, 3×3) → Conv2D(32, 3×3).
STACK = [(3, 1, 16), (3, 16, 32)]  # (kernel size, input channels, filters)


def _stack_total(*, bias: bool = True, channels: bool = True) -> int:
    return sum(k * k * (c if channels else 1) * f + (f if bias else 0) for k, c, f in STACK)


@checks.exercise
def check_parameter_count(answer) -> checks.CheckResult:
    """Exercise 02.4: trainable parameters of the two-layer stack :data:`STACK` (an integer)."""
    first, second = (convolution.count_conv_parameters(k, c, f) for k, c, f in STACK)
    return checks.check_number(
        "parameter count",
        answer,
        _stack_total(),
        mistakes=[
            (_stack_total(bias=False), "you forgot the biases: every filter has one bias."),
            (_stack_total(channels=False),
             "you forgot the input channels: a filter of the second layer has one 3×3 kernel per "
             "input channel (16 of them)."),
            (_stack_total(bias=False, channels=False),
             "you forgot the biases and the input channels: count k·k·C_in weights and 1 bias per filter."),
            (second, "that is the second layer alone: add the first layer's parameters."),
            (first, "that is the first layer alone: add the second layer's parameters."),
            (sum(k * k * c * f + c for k, c, f in STACK),
             "one bias per filter (output channel), not per input channel."),
        ],
    )


# --------------------------------------------------------------------------- quiz

QUIZ = quiz.Quiz("convolution", [
    quiz.Choice(
        "What does Keras' Conv2D compute?",
        correct="Cross-correlation: the kernel slides without being flipped",
        wrong={
            "True convolution, as in Equation (1), with the kernel flipped":
                "Keras, like tf.nn.conv2d, skips the flip: a kernel copied from a textbook must "
                "be turned by 180° to give the textbook's result.",
            "Convolution or cross-correlation, depending on the padding":
                "padding only adds zeros around the image: it changes the output size, not "
                "whether the kernel is flipped.",
            "Both, since the two are equal for every kernel":
                "they are equal only for kernels that look the same after a 180° turn (a blur, "
                "the Laplacian); Sobel x, for example, changes sign.",
        },
        why="for a network it makes no difference: it learns the flipped kernel instead.",
    ),
    quiz.Number(
        "A 5×5 kernel slides with stride 3 and no padding along a side of 100 pixels. How many "
        "positions does it take along that side (the output side)?",
        answer=(100 - 5) // 3 + 1,
        mistakes=[
            ((100 - 5) // 3, "off by one: count the first position of the kernel too (add 1 "
                             "after dividing)."),
            (math.ceil((100 - 5) / 3) + 1,
             "round down, not up or to the nearest: a position where the kernel would stick out "
             "of the image is not used, even when most of it fits."),
            (100 - 5 + 1, "you forgot the stride: the kernel jumps 3 pixels at a time."),
            (math.ceil(100 / 3), "that is the size with 'same' padding, ⌈n/s⌉; here nothing is "
                                 "padded."),
            ((100 - 5) / 3 + 1, "a number of positions is whole: round the division down."),
        ],
        otherwise="use ⌊(n + 2p − k)/s⌋ + 1 with n = 100, k = 5, p = 0, s = 3.",
    ),
    quiz.Choice(
        "A Conv2D(16, 3) layer reads a 512×512 CT slice instead of a 128×128 one. What happens "
        "to its number of parameters?",
        correct="It stays the same",
        wrong={
            "It grows 16 times, with the number of pixels":
                "the same kernels are used at every position (weight sharing): a larger image "
                "gives a larger output, not more weights.",
            "It grows 4 times, with the side length":
                "the count is k·k·C_in·C_out + C_out: the image size does not appear in it.",
        },
    ),
    quiz.Choice(
        "A kernel whose weights add up to 0 (Sobel, Laplacian) lies over a region of uniform "
        "brightness. What does it give there?",
        correct="0: it answers only where the brightness changes",
        wrong={
            "The brightness of the region":
                "that is what a kernel whose weights add up to 1 (a blur) gives: a weighted "
                "average keeps a flat region's value.",
            "A large positive value when the region is bright":
                "the positive and negative weights cancel on a flat region, however bright it is.",
        },
    ),
])
