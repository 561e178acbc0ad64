"""Checkers for the exercises of ``notebooks/09_chest_xray_training.ipynb``.

Each checker compares the learner's answer with the correct one and with the answers that the
typical mistakes produce, and returns a :class:`helpers.checks.CheckResult` with a hint. The
correct answer is never shown.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from helpers import checks, convolution, quiz

# --------------------------------------------------------------------------- exercise 1


@checks.exercise
def check_first_conv_parameters(answer) -> checks.CheckResult:
    """Exercise 09.1: trainable parameters of the first convolutional layer of the Figure-3
    model: 8 filters of 3×3 on a 1-channel (grey) image, with biases."""
    k, c_in, filters = 3, 1, 8
    correct = convolution.count_conv_parameters(k, c_in, filters)
    return checks.check_number(
        "parameters of conv1",
        answer,
        correct,
        mistakes=[
            (k * k * c_in * filters, "you forgot the biases: every filter has one."),
            (k * k * c_in * filters + 1, "every filter has its own bias, not one for the layer."),
            (k * k * c_in + 1, "that is one filter: the layer has 8 of them."),
            (k * k * c_in, "that is one filter without its bias: the layer has 8 filters, each "
                           "with a bias."),
            (28 * 28 * filters, "that counts the outputs (28 × 28 positions × 8 maps), not the "
                                "weights: the same 3×3 kernel is shared by every position."),
            (28 * 28 * filters + filters, "that counts the outputs, not the weights: the same 3×3 "
                                          "kernel is shared by every position."),
            (3 * 3 * 8 * 16 + 16, "that is the second convolutional layer: count conv1, which "
                                  "sees the 1-channel image."),
            (3 * 3 * 3 * filters + filters, "the X-rays are grey, one channel, not three (RGB)."),
        ],
    )


# --------------------------------------------------------------------------- exercise 2

#: The last feature maps of the deeper CNN (height, width, maps) that exercise 2 is about.
LAST_MAPS = (7, 7, 64)


@checks.exercise
def check_head_parameters(answer) -> checks.CheckResult:
    """Exercise 09.2: ``(flatten, global)``, the parameters of the output layer (one sigmoid
    unit) on the :data:`LAST_MAPS` when they are flattened, and when each is first averaged to
    one number by global average pooling."""
    h, w, c = LAST_MAPS
    flat, pooled = h * w * c + 1, c + 1
    return checks.check_number(
        "parameters of the two heads",
        answer,
        (flat, pooled),
        mistakes=[
            ((h * w * c, c), "you forgot the bias of the output unit: one more number in each."),
            ((pooled, flat), "the two numbers are the wrong way round: first the flatten head, "
                             "then the global-pooling head."),
            ((flat, h * w + 1), "global average pooling averages over the positions of each "
                                "map, so it gives one number per map, not one per position."),
            ((flat, c), "the output unit of the global-pooling head has a bias too."),
            ((h * w * c, pooled), "the output unit of the flatten head has a bias too."),
            ((flat, flat), "global average pooling leaves one number per map for the output "
                           "unit, far fewer inputs than flattening every position of every map."),
            ((flat, c * (h * w + 1) + 1), "pooling has no weights of its own: an average is "
                                          "fixed; only the output unit learns."),
        ],
        fallback_hint="count the inputs of the output unit in each case, plus its bias: "
                      "flattening keeps every position of every map, global pooling one number "
                      "per map.",
    )


# --------------------------------------------------------------------------- exercise 3

#: (images, batch size) pairs the weight-update function is tried on, with and without a
#: last, smaller batch.
UPDATE_CASES = ((4708, 128), (3766, 128), (2000, 128), (1024, 128), (300, 128), (5, 10),
                (128, 128), (1, 32))


@checks.exercise
def check_updates_per_epoch(function) -> checks.CheckResult:
    """Exercise 09.3: ``function(n_images, batch_size)`` must return how many weight updates
    (batches) one epoch makes: every image once, the last batch possibly smaller."""
    return checks.check_function(
        "weight updates per epoch",
        function,
        [((n, b), math.ceil(n / b)) for n, b in UPDATE_CASES],
        mistakes=[
            (lambda n, b: n // b, "you rounded down, which drops the last, smaller batch: "
                                  "the images left over still make one more update."),
            (lambda n, b: n / b, "a number of updates is a whole number: the last batch is "
                                 "smaller, but it is still one update."),
            (lambda n, b: round(n / b), "rounding to the nearest whole number drops the last "
                                        "batch when fewer than half a batch is left: round up."),
            (lambda n, b: n // b + 1, "that adds a batch even when the images divide evenly "
                                      "into batches (1,024 images in batches of 128): round up "
                                      "instead."),
            (lambda n, b: n, "one update per batch, not per image: the gradient is averaged "
                             "over the batch."),
            (lambda n, b: b / n, "the division is the wrong way round: images per epoch divided "
                                 "by images per batch."),
        ],
    )


# --------------------------------------------------------------------------- exercise 4

#: The settings of the rows of a confounded table (exercise 4); row numbers start at 1.
CONFOUNDED_COLUMNS = ("body", "input blur", "standardise", "head", "augmentation",
                      "batch norm", "dropout")
CONFOUNDED_ROWS = (
    ("Figure 3", "no", "no", "flatten", "no", "no", "no"),
    ("VGG-style", "yes", "yes", "global pooling", "no", "no", "no"),
    ("VGG-style", "yes", "yes", "global pooling", "yes", "no", "no"),
    ("VGG-style", "yes", "yes", "global pooling", "yes", "yes", "yes"),
    ("VGG-style", "yes", "yes", "global pooling", "no", "yes", "no"),
)
#: The change whose effect exercise 4 asks to isolate.
ISOLATED = "batch norm"


def confounded_table() -> list[dict]:
    """The rows of exercise 4 as dicts (``row`` numbered from 1, then :data:`CONFOUNDED_COLUMNS`),
    e.g. for ``evaluation.format_table``."""
    return [{"row": str(k), **dict(zip(CONFOUNDED_COLUMNS, values, strict=True))}
            for k, values in enumerate(CONFOUNDED_ROWS, start=1)]


def _differences(a: int, b: int) -> list[str]:
    """The columns in which rows ``a`` and ``b`` (numbered from 1) differ."""
    return [name for name, x, y in zip(CONFOUNDED_COLUMNS, CONFOUNDED_ROWS[a - 1],
                                       CONFOUNDED_ROWS[b - 1], strict=True) if x != y]


@checks.exercise
def check_isolating_rows(answer) -> checks.CheckResult:
    """Exercise 09.4: the two rows of :func:`confounded_table` whose comparison measures
    :data:`ISOLATED` alone, as a pair of row numbers in either order."""
    exercise = "rows that isolate one change"
    values = checks.as_numbers(answer)
    if values is not None and values.size == 1:
        return checks.failed(exercise, "give two row numbers, the two rows to compare, e.g. "
                                       "(1, 2).")
    if values is not None and values.shape == (2,) and np.all(np.isfinite(values)):
        if values[0] == values[1]:
            return checks.failed(exercise, "a row compared with itself changes nothing: give "
                                           "two different rows.")
        answer = np.sort(values)
    n = len(CONFOUNDED_ROWS)
    pairs = list(itertools.combinations(range(1, n + 1), 2))
    correct = next(p for p in pairs if _differences(*p) == [ISOLATED])
    mistakes = [(pair, f"rows {pair[0]} and {pair[1]} differ in "
                       f"{' and '.join(_differences(*pair))}: a difference between them could "
                       f"come from any of these. Find two rows that differ in {ISOLATED} only.")
                for pair in pairs if pair != correct]
    return checks.check_number(
        exercise, answer, correct, mistakes=mistakes, digits=None,
        fallback_hint=f"give two row numbers between 1 and {n}, the rows that differ in "
                      f"{ISOLATED} and nothing else.")


# --------------------------------------------------------------------------- quiz

QUIZ = quiz.Quiz("chest_xray_training", [
    quiz.Choice(
        "On which split do you choose the hyperparameters and the decision threshold?",
        correct="Validation",
        wrong={
            "Train":
                "the training split fits the weights; the model's scores on it are optimistic, "
                "so choices made there favour what it memorised.",
            "Test":
                "the test split reports once, at the end; a choice made on it makes the reported "
                "number optimistic.",
        },
    ),
    quiz.Number(
        "PneumoniaMNIST's training split holds 3,494 X-rays with pneumonia and 1,214 normal "
        "ones. What accuracy does a model reach that always answers 'pneumonia'? (a fraction)",
        answer=3494 / (3494 + 1214),
        mistakes=[
            (1214 / (3494 + 1214), "that is the share of normal X-rays, the ones it gets wrong."),
            (1 / 2, "always giving one answer is right as often as that class occurs, not half "
                    "of the time."),
            (3494 / 1214, "divide by all X-rays, not by the normal ones: accuracy is a share of "
                          "the whole split."),
        ],
        otherwise="accuracy is the share of all X-rays answered correctly: here every pneumonia "
                  "X-ray and no normal one.",
    ),
    quiz.Number(
        "One epoch shows each of 5,000 images once, in batches of 64; the last batch may be "
        "smaller. How many weight updates does the epoch make?",
        answer=math.ceil(5000 / 64),
        mistakes=[
            (5000 // 64, "the last, smaller batch makes an update too: round up."),
            (5000 / 64, "a number of updates is whole: round up, the last batch being smaller."),
            (5000, "one update per batch, not per image."),
        ],
        otherwise="one update per batch: ⌈N / B⌉.",
    ),
    quiz.Choice(
        "One row of an ablation table adds batch normalisation and augmentation at once, and the "
        "AUC rises by 0.05. What is batch normalisation alone worth?",
        correct="The table cannot say: that row changed two things",
        wrong={
            "0.05":
                "the gain has two possible causes; augmentation may have brought all of it, or "
                "more.",
            "0.025, half of the gain":
                "changes do not share a gain evenly: their value can depend on each other and on "
                "the order in which they are added.",
        },
    ),
    quiz.Number(
        "A model has sensitivity 0.9 and specificity 0.8. What is its accuracy in a population "
        "where 10 % have pneumonia?",
        answer=0.1 * 0.9 + 0.9 * 0.8,
        mistakes=[
            ((0.9 + 0.8) / 2, "that is the accuracy at a prevalence of 50 % only: weight each by "
                              "its share of the population."),
            (0.9 * 0.9 + 0.1 * 0.8, "swapped: the sensitivity applies to the ill, 10 %, the "
                                    "specificity to the healthy, 90 %."),
        ],
        otherwise="accuracy = π·Se + (1 − π)·Sp, with the prevalence π.",
    ),
])
