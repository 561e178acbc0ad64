"""Checkers for the exercises of ``notebooks/08_transfer_learning.ipynb``.

Each checker compares the learner's answer with the correct one and with the answers that the
typical mistakes produce, and returns a :class:`helpers.checks.CheckResult` with a hint. The
correct answer is never shown.
"""

from __future__ import annotations

import numpy as np

from helpers import checks, quiz
from helpers.transfer import imagenet

# --------------------------------------------------------------------------- exercise 1

#: A BreastMNIST confusion matrix in the data set's own label order: rows are the true class,
#: columns the predicted one; class 0 is *malignant*, class 1 normal or benign.
BREAST_CONFUSION = ((15, 6), (9, 48))


@checks.exercise
def check_malignant_sensitivity(answer) -> checks.CheckResult:
    """Exercise 08.1: the sensitivity for *malignant* (class 0) read from
    :data:`BREAST_CONFUSION`."""
    (tp, fn), (fp, tn) = BREAST_CONFUSION  # malignant is the positive class
    return checks.check_number(
        "sensitivity for malignant",
        answer,
        tp / (tp + fn),
        mistakes=[
            (tn / (tn + fp), "that is the share of *benign* images found: you took class 1 as the "
                             "positive class, but here the disease is class 0 (row 0)."),
            (tp / (tp + fp), "you divided by a column (everything predicted malignant): that is the "
                             "positive predictive value. Sensitivity divides by a row."),
            (tn / (tn + fn), "you divided by a column and used class 1: sensitivity is about the "
                             "true malignant images (row 0)."),
            ((tp + tn) / (tp + fn + fp + tn), "that is the accuracy over all images; sensitivity "
                                               "only looks at the malignant ones."),
            (fn / (tp + fn), "that is the share of malignant images *missed* (1 − sensitivity)."),
            (fp / (fp + tn), "that is the share of benign images called malignant "
                             "(1 − specificity)."),
        ],
        fallback_hint="sensitivity = malignant images called malignant / all malignant images; "
                      "find both in row 0.",
    )


# --------------------------------------------------------------------------- exercise 2

#: The model of exercise 2: ``models.build_figure3_cnn((28, 28, 1), filters=(8, 16))`` with its
#: first convolution frozen.
FIGURE3_FILTERS = (8, 16)


def _figure3_counts() -> dict[str, int]:
    k, (f1, f2) = 3, FIGURE3_FILTERS
    conv1 = k * k * 1 * f1 + f1
    conv2 = k * k * f1 * f2 + f2
    dense = 7 * 7 * f2 + 1
    return {"conv1": conv1, "conv2": conv2, "dense": dense}


@checks.exercise
def check_trainable_after_freezing(answer) -> checks.CheckResult:
    """Exercise 08.2: trainable weights of the Figure-3 CNN (filters 8 and 16, 28×28 grey
    input) once its first convolution ``conv1`` is frozen."""
    c = _figure3_counts()
    k, (f1, f2) = 3, FIGURE3_FILTERS
    return checks.check_number(
        "trainable weights after freezing",
        answer,
        c["conv2"] + c["dense"],
        mistakes=[
            (sum(c.values()), "that is every weight of the model: frozen weights do not change in "
                              "training, so leave conv1 out."),
            (c["conv1"], "that is the number of *frozen* weights (conv1); count the others."),
            (c["conv2"], "you forgot the dense output layer: 7×7×16 inputs plus a bias."),
            (c["dense"], "you forgot the second convolution: it is not frozen."),
            (k * k * f1 * f2 + 7 * 7 * f2, "you forgot the biases: one per filter and one for "
                                           "the output unit."),
            (k * k * f2 + f2 + c["dense"], "each filter of conv2 spans all 8 input channels: its "
                                           "kernel has 3×3×8 weights."),
            (c["conv2"] + 28 * 28 * f2 + 1, "the dense layer sees 7×7×16 values after two "
                                             "2×2 poolings, not 28×28×16."),
            (c["conv2"] + 14 * 14 * f2 + 1, "two 2×2 poolings halve 28 twice: the dense layer "
                                             "sees 7×7×16 values."),
        ],
        fallback_hint="add the weights (kernels and biases) of every layer that is not frozen.",
    )


# --------------------------------------------------------------------------- exercise 3


@checks.exercise
def check_images_per_category(answer) -> checks.CheckResult:
    """Exercise 08.3: the average number of images per category of the full ImageNet, from the
    entry's figures."""
    per_category = imagenet.IMAGENET_IMAGES / imagenet.IMAGENET_CATEGORIES
    return checks.check_number(
        "images per ImageNet category",
        answer,
        per_category,
        mistakes=[
            (imagenet.ILSVRC_TRAIN_IMAGES / imagenet.ILSVRC_CLASSES,
             "that is ILSVRC-2012's training set (1,000 classes); the question is about the full "
             "ImageNet of the entry."),
            (imagenet.IMAGENET_IMAGES / imagenet.ILSVRC_CLASSES,
             "the full ImageNet has far more than 1,000 categories: use the entry's count."),
            (imagenet.IMAGENET_CATEGORIES / imagenet.IMAGENET_IMAGES,
             "upside down: divide the images by the categories."),
        ],
        fallback_hint="divide the entry's number of images by its number of categories.",
    )


# --------------------------------------------------------------------------- exercise 4


def _correct_overlap(a, b):
    return max(a[0], b[0]) <= min(a[1], b[1])


_INTERVAL_CASES = [
    ((0.60, 0.80), (0.70, 0.90)),  # partial overlap
    ((0.70, 0.90), (0.60, 0.80)),  # the same, swapped
    ((0.50, 0.60), (0.65, 0.90)),  # apart
    ((0.65, 0.90), (0.50, 0.60)),  # apart, swapped
    ((0.50, 0.95), (0.70, 0.80)),  # one inside the other
    ((0.70, 0.80), (0.50, 0.95)),  # inside, swapped
    ((0.50, 0.70), (0.70, 0.90)),  # touching at one point
]


@checks.exercise
def check_intervals_overlap(function) -> checks.CheckResult:
    """Exercise 08.4: ``function(a, b)`` must say (True/False) whether the closed intervals
    ``a = (low, high)`` and ``b`` share at least one point."""
    result = checks.check_function(
        "intervals overlap",
        function,
        [(case, float(_correct_overlap(*case))) for case in _INTERVAL_CASES],
        mistakes=[
            (lambda a, b: float(a[1] >= b[0]),
             "you only checked that a ends after b starts: also b must end after a starts "
             "(try a = (0.65, 0.9), b = (0.5, 0.6))."),
            (lambda a, b: float(a[0] <= b[1]),
             "you only checked one end: also a must end after b starts."),
            (lambda a, b: float(max(a[0], b[0]) < min(a[1], b[1])),
             "intervals that touch at one end share that point: use <=, not <."),
            (lambda a, b: float((b[0] <= a[0] <= b[1]) or (b[0] <= a[1] <= b[1])),
             "you checked whether an end of a lies in b, which misses a enclosing b entirely."),
            (lambda a, b: float((a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])),
             "that tests whether one interval lies inside the other; overlapping only needs a "
             "shared point."),
            (lambda a, b: float(not _correct_overlap(a, b)),
             "True and False are swapped: return True when they *do* share a point."),
        ],
        fallback_hint="two intervals overlap when the larger of the two lows is at most the "
                      "smaller of the two highs.",
    )
    # A function that passed has already run on every case without raising.
    if result.ok and not isinstance(function(*_INTERVAL_CASES[0]), bool | np.bool_):
        return checks.failed("intervals overlap", "the answers are right, but return True or "
                                                  "False (a bool), not a number.")
    return result


# --------------------------------------------------------------------------- quiz

QUIZ = quiz.Quiz("transfer_learning", [
    quiz.Choice(
        "BreastMNIST labels malignant tumours 0 and normal or benign ones 1. You fit a model on "
        "these labels as they are. What does the sensitivity it reports measure?",
        correct="How many normal or benign cases it finds",
        wrong={
            "How many malignant tumours it finds":
                "sensitivity is about the positive class, label 1, which here is normal or "
                "benign: remap malignant to 1 before fitting.",
            "Nothing: Keras refuses labels in this order":
                "Keras trains on any 0/1 labels; it cannot know which class matters "
                "clinically, so a model that misses every cancer can report a sensitivity of 1.",
        },
    ),
    quiz.Choice(
        "Every stage of a pretrained network is frozen, and a new head is added. What does "
        "training change?",
        correct="Only the weights of the head",
        wrong={
            "Every weight, the frozen ones more slowly":
                "frozen weights are left out of training altogether: they get no update, "
                "whatever the learning rate.",
            "The head and the BatchNormalization statistics of the frozen stages":
                "a frozen BatchNormalization layer keeps its statistics too: they never train.",
        },
    ),
    quiz.Choice(
        "What must a 28×28 grey X-ray become before an ImageNet-pretrained network can read it?",
        correct="Three channels, the network's input size, and its own preprocess_input",
        wrong={
            "Nothing: a convolutional network reads any image":
                "the pretrained first layer expects three channels, and the weights were "
                "learned on images of one size and one scaling.",
            "Only divided by 255":
                "each family of pretrained weights expects its own scaling, done by its "
                "preprocess_input; the input also needs three channels and the network's size.",
        },
    ),
    quiz.Choice(
        "On the same test split, transfer learning reaches an AUC of 0.86 (95 % interval 0.78 to "
        "0.93) and training from scratch 0.82 (0.73 to 0.90). What can you conclude?",
        correct="The intervals overlap widely: this test split cannot tell the two apart",
        wrong={
            "Transfer learning is better, because 0.86 is more than 0.82":
                "on a test split this small the estimates move by several hundredths from one "
                "sample to another: the intervals say how far.",
            "Both are clinically good, because both intervals lie above 0.7":
                "an AUC alone does not make a model fit for patients, and it says nothing about "
                "which of the two is better.",
        },
    ),
    quiz.Choice(
        "RetinaMNIST grades diabetic retinopathy from 0 to 4. Which measure takes the order of "
        "the grades into account?",
        correct="Quadratic weighted kappa",
        wrong={
            "Accuracy":
                "accuracy counts grade 4 called grade 3 as just as wrong as grade 4 called grade 0.",
            "Macro AUC":
                "macro AUC averages one-against-the-rest AUCs, one per grade: it does not look at "
                "how far a wrong grade lies from the right one.",
        },
    ),
])
