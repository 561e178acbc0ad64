"""Checkers for the exercises of ``notebooks/07_classic_ml.ipynb``.

Each checker compares the learner's answer with the correct one and with the answers that the
typical mistakes produce, and returns a :class:`helpers.checks.CheckResult` with a hint. The
correct answer is never shown.
"""

from __future__ import annotations

import numpy as np

from helpers import checks, convolution, evaluation, quiz
from helpers.classic_ml import curves, sharing

# --------------------------------------------------------------------------- exercise 1: one neuron

#: The image of exercises 1 and 2: a 224×224 colour photograph (the usual ImageNet input size).
IMAGE_SHAPE = (224, 224, 3)


@checks.exercise
def check_neuron_parameters(answer) -> checks.CheckResult:
    """Exercise 07.1: trainable parameters (weights and bias) of one fully connected neuron
    that reads a whole 224×224 RGB image."""
    h, w, c = IMAGE_SHAPE
    weights = sharing.count_neuron_weights(IMAGE_SHAPE)
    channels = ("a colour image has three channels (red, green, blue): every pixel brings three "
                "inputs.")
    return checks.check_number(
        "one neuron's parameters",
        answer,
        weights + 1,
        mistakes=[
            (weights, "those are the weights; the neuron also has a bias, which is learned too."),
            (h * w, channels + " And add the bias."),
            (h * w + 1, channels),
            (h * w + c, "multiply by the channels, do not add them: each channel of each pixel "
                        "has its own weight."),
            (w * c, "the neuron reads every pixel of the image, not one row."),
            (w * c + 1, "the neuron reads every pixel of the image, not one row."),
            (250 * 250 * 3, "that is the entry's 250×250 image; this one is 224×224."),
            (250 * 250 * 3 + 1, "that is the entry's 250×250 image; this one is 224×224."),
            (3 * 3 * c + 1, "that is one 3×3 convolution filter: a fully connected neuron has a "
                            "weight for every value of its input."),
        ],
        fallback_hint="one weight per input value (height × width × channels), plus one bias.",
    )


# --------------------------------------------------------------------------- exercise 2: sharing

#: The layer of exercise 2: Conv2D(16, kernel_size=5), "valid" padding, on :data:`IMAGE_SHAPE`.
CONV_FILTERS, CONV_KERNEL = 16, 5


@checks.exercise
def check_conv_parameters(answer) -> checks.CheckResult:
    """Exercise 07.2a: trainable parameters of ``Conv2D(16, kernel_size=5)`` on a 224×224×3
    image (with parameter sharing, as Keras builds it)."""
    k, c, f = CONV_KERNEL, IMAGE_SHAPE[2], CONV_FILTERS
    shared = convolution.count_conv_parameters(k, c, f)
    return checks.check_number(
        "convolution parameters",
        answer,
        shared,
        mistakes=[
            (k * k * c * f, "you forgot the biases: one per filter."),
            (k * k * f + f, "each filter has a 5×5 kernel for each of the 3 input channels."),
            (k * k * f, "each filter has a 5×5 kernel for each of the 3 input channels, and a "
                        "bias."),
            (k * k * c + 1, "that is one filter; the layer has 16."),
            (sharing.count_unshared_parameters(IMAGE_SHAPE, k, f),
             "that is the count without parameter sharing; Keras uses the same kernels at every "
             "position."),
            (IMAGE_SHAPE[0] * IMAGE_SHAPE[1] * shared,
             "the number of parameters does not depend on the image size: the kernels are shared."),
        ],
        fallback_hint="a filter has kernel × kernel × input channels weights and one bias.",
    )


@checks.exercise
def check_unshared_parameters(answer) -> checks.CheckResult:
    """Exercise 07.2b: parameters of the same layer if every output position ("valid": 220×220)
    had its own kernels and biases, i.e. without parameter sharing."""
    k, c, f = CONV_KERNEL, IMAGE_SHAPE[2], CONV_FILTERS
    shared = convolution.count_conv_parameters(k, c, f)
    side = IMAGE_SHAPE[0] - k + 1
    off_by_one = "off by one: the kernel fits at n − k + 1 positions per row."
    return checks.check_number(
        "parameters without sharing",
        answer,
        sharing.count_unshared_parameters(IMAGE_SHAPE, k, f),
        mistakes=[
            (shared, "that is the count with sharing; here every position has its own kernels."),
            (IMAGE_SHAPE[0] * IMAGE_SHAPE[1] * shared,
             "with 'valid' padding the 5×5 kernel fits at 224 − 5 + 1 positions per row, "
             "not 224."),
            ((side - 1) ** 2 * shared, off_by_one),
            ((side + 1) ** 2 * shared, off_by_one),
            (side * side * k * k * c * f, "each position also has its own bias per filter."),
            (side * side * (k * k * c + 1), "that is one filter; the layer has 16."),
            (side * shared, "the kernel moves along rows and columns: 220 × 220 positions."),
        ],
        fallback_hint="count the output positions (rows × columns), then multiply by the "
                      "parameters that each position would own.",
    )


# --------------------------------------------------------------------------- exercise 3: AUC


def _reference_auc(labels, scores) -> float:
    return evaluation.compute_auc(labels, scores)


#: Labels and scores with ties inside a class, ties across the classes and unequal class sizes.
AUC_CASES = [
    ([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
    ([0, 0, 0, 1, 1], [0.2, 0.5, 0.5, 0.5, 0.9]),
    ([1, 0, 1, 0, 1, 1, 0], [3.0, -1.0, 0.5, 0.5, 2.0, -1.0, 0.0]),
    ([0, 1, 0, 1, 0, 0], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]),
]


def _pairs(labels, scores, tie: float, *, swapped: bool = False) -> float:
    y, s = np.asarray(labels), np.asarray(scores, dtype=float)
    pos, neg = (s[y == 0], s[y == 1]) if swapped else (s[y == 1], s[y == 0])
    wins = (pos[:, None] > neg[None, :]).sum() + tie * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def _per_case(labels, scores) -> float:
    y = np.asarray(labels)
    return _pairs(labels, scores, 0.5) * int(np.sum(y == 1)) * int(np.sum(y == 0)) / len(y)


@checks.exercise
def check_auc(function) -> checks.CheckResult:
    """Exercise 07.3: ``function(labels, scores)`` must return the AUC: the share of
    (positive, negative) pairs in which the positive case scores higher, ties counting 1/2."""
    arrays = [(np.asarray(y), np.asarray(s, dtype=float)) for y, s in AUC_CASES]
    return checks.check_function(
        "AUC by counting pairs",
        function,
        [((y, s), _reference_auc(y, s)) for y, s in arrays],
        mistakes=[
            (lambda y, s: _pairs(y, s, 0.0), "ties are not handled: a tie between a positive "
                                             "and a negative case counts one half."),
            (lambda y, s: _pairs(y, s, 1.0), "you counted a tie as a win: it counts one half."),
            (lambda y, s: _pairs(y, s, 0.5, swapped=True),
             "you gave the win to the negative case: the AUC asks how often the positive case "
             "(label 1) scores higher."),
            (lambda y, s: float(np.mean((np.asarray(s) >= 0.5) == np.asarray(y))),
             "that is the accuracy at a threshold of 0.5; the AUC needs no threshold, it "
             "compares pairs of cases."),
            (_per_case, "you divided by the number of cases; divide by the number of "
                        "(positive, negative) pairs, n_positive × n_negative."),
        ],
        fallback_hint="loop over every positive case and every negative case; count 1 when the "
                      "positive scores higher, 1/2 for a tie; divide by the number of pairs.",
    )


# --------------------------------------------------------------------------- exercise 4: crossover

#: (sizes, CNN AUCs, classic AUCs (one row per pipeline)) with a crossover each; some hold ties.
CROSSOVER_CASES = [
    ([100, 300, 1000, 3000], [0.79, 0.86, 0.89, 0.93],
     [[0.80, 0.85, 0.88, 0.90], [0.82, 0.86, 0.87, 0.89], [0.78, 0.84, 0.89, 0.91]]),
    ([50, 200, 800], [0.62, 0.77, 0.85], [[0.70, 0.75, 0.80], [0.60, 0.78, 0.79]]),
    ([100, 1000, 10000], [0.91, 0.95, 0.96], [[0.90, 0.92, 0.93], [0.85, 0.95, 0.94]]),
    ([10, 20, 30], [0.55, 0.66, 0.71], [[0.50, 0.60, 0.70], [0.55, 0.65, 0.60]]),
    ([200, 400, 800], [0.75, 0.78, 0.95], [[0.70, 0.80, 0.90], [0.90, 0.70, 0.60]]),
]


def _first(sizes, mask):
    hits = np.flatnonzero(mask)
    return int(np.asarray(sizes)[hits[0]]) if len(hits) else None


@checks.exercise
def check_crossover(function) -> checks.CheckResult:
    """Exercise 07.4: ``function(sizes, cnn_auc, classic_aucs)`` must return the smallest
    training-set size at which the CNN's AUC is higher than that of every classic pipeline."""
    cases = [((np.asarray(n), np.asarray(cnn), np.asarray(classic)),
              curves.find_crossover(n, cnn, classic)) for n, cnn, classic in CROSSOVER_CASES]

    def best(c):
        return np.asarray(c).max(axis=0)

    return checks.check_function(
        "where the CNN pulls ahead",
        function,
        cases,
        mistakes=[
            (lambda n, a, c: _first(n, a >= best(c)), "a tie is not a lead: the CNN must score "
                                                      "strictly higher (>), not >=."),
            (lambda n, a, c: _first(n, a > np.mean(c, axis=0)),
             "you compared with the average classic pipeline: the CNN must beat the best one "
             "(the maximum over the pipelines at that size)."),
            (lambda n, a, c: _first(n, a > np.min(c, axis=0)),
             "beating one pipeline is not enough: it must beat every one of them, i.e. their "
             "maximum."),
            (lambda n, a, c: _first(n, a > np.asarray(c)[0]),
             "you compared with the first pipeline only: take the maximum over all of them at "
             "each size."),
            (lambda n, a, c: int(np.flatnonzero(a > best(c))[0]),
             "that is the position in the list; return the training-set size itself, "
             "sizes[position]."),
            (lambda n, a, c: int(np.asarray(n)[np.flatnonzero(a > best(c))[-1]]),
             "that is the largest such size; the question asks for the smallest."),
        ],
        fallback_hint="at each size take the best classic AUC (the maximum over the pipelines); "
                      "return the first size at which the CNN's AUC is higher.",
    )


# --------------------------------------------------------------------------- quiz

QUIZ = quiz.Quiz("classic_ml", [
    quiz.Number(
        "One fully connected neuron reads a whole 100×100 grey X-ray (one channel). How many "
        "trainable parameters (weights and bias) does it have?",
        answer=100 * 100 * 1 + 1,
        mistakes=[
            (100 * 100, "and its bias: one per neuron."),
            (100 * 100 * 3 + 1, "a grey image has one channel, not three: H · W · 1 weights."),
            (100 + 1, "a fully connected neuron has a weight for every pixel, not for every row."),
        ],
        otherwise="count one weight for every value of the input, H · W · C, and add the bias.",
    ),
    quiz.Choice(
        "What does parameter sharing in a convolutional layer save?",
        correct="Weights: one kernel is reused at every position",
        wrong={
            "Multiply-adds per image":
                "the kernel still runs at every position, so the computation per image stays "
                "the same; only the number of weights falls.",
            "Nothing: it is another way of writing the same layer":
                "without sharing every output position would need its own kernels and biases: "
                "the count would grow with the number of positions.",
        },
    ),
    quiz.Choice(
        "The entry calls hand-crafted feature extraction 'unsupervised'. Which description is "
        "right?",
        correct="The features are designed by people, the classifier on top learns from labels, "
                "and a CNN learns its features from labels",
        wrong={
            "A CNN learns its features without labels":
                "a CNN learns its kernels from the labels: trained on shuffled labels it learned "
                "other kernels.",
            "A random forest on HOG features needs no labels":
                "the classifier on top of the features is supervised: it is fitted to the labels.",
        },
    ),
    quiz.Number(
        "Two X-rays with pneumonia score 0.9 and 0.4; two normal X-rays score 0.6 and 0.2. What "
        "is the AUC, the share of (pneumonia, normal) pairs in which the pneumonia X-ray scores "
        "higher?",
        answer=3 / 4,
        mistakes=[
            (1 / 2, "that is the accuracy at the threshold 0.5: the AUC counts pairs, not the "
                    "decisions at one threshold."),
            (1 / 4, "that is the share of pairs ranked the wrong way round."),
            (3, "that is the number of pairs ranked correctly: divide by the number of pairs, "
                "2 × 2."),
        ],
        otherwise="list the 2 × 2 pairs of one pneumonia and one normal X-ray and count those in "
                  "which the pneumonia X-ray has the higher score.",
    ),
])
