"""Checkers for the exercises of ``notebooks/06_activations.ipynb``.

Each checker compares the learner's answer with the correct one and with the answers that the
typical mistakes produce, and returns a :class:`helpers.checks.CheckResult` with a hint. The
correct answer is never shown.
"""

from __future__ import annotations

import numpy as np

from helpers import activations, checks, quiz

# --------------------------------------------------------------------------- exercise 1: stable softmax

#: Score vectors the softmax must handle: ordinary, large (overflow without the shift), very
#: negative (underflow), equal, and a batch of rows (softmax along the last axis).
SOFTMAX_CASES = [
    np.array([2.0, 1.0, 0.1, -1.0]),
    np.array([1000.0, 1001.0, 1002.0]),
    np.array([-1000.0, -1001.0, -1003.0, -1000.5]),
    np.array([3.0, 3.0, 3.0]),
    np.array([-1000.0, 0.0, 1000.0]),
    np.array([[1.0, 2.0, 3.0], [800.0, 790.0, 810.0], [0.0, -5.0, 5.0], [0.5, 0.5, 0.5]]),
]


def _naive(z):
    return activations.softmax_naive(z)


def _over_all(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def _wrong_axis(z):
    return activations.softmax(z, axis=0)


def _exp_only(z):
    return np.exp(z - np.max(z, axis=-1, keepdims=True))


def _exp_unshifted(z):
    with np.errstate(over="ignore"):
        return np.exp(z)


def _uniform(z):
    return np.full(np.shape(z), 1.0 / np.shape(z)[-1])


def _shift_by_min(z):
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z - np.min(z, axis=-1, keepdims=True))
        return e / np.sum(e, axis=-1, keepdims=True)


@checks.exercise
def check_stable_softmax(function) -> checks.CheckResult:
    """Exercise 06.1: ``function(z)`` must return softmax(z) along the last axis of z (one score
    vector (K,) or a batch (N, K)), without overflow for scores in the thousands."""
    return checks.check_function(
        "stable softmax",
        function,
        [((z.copy(),), activations.softmax(z)) for z in SOFTMAX_CASES],
        mistakes=[
            (_naive, "your outputs are NaN for large scores: e^1000 overflows to inf, and "
                     "inf/inf is NaN. Subtract the largest score from every score first."),
            (_shift_by_min, "you subtracted the smallest score: e^(z − min) still overflows when "
                            "the scores are far apart. Subtract the largest one."),
            (_exp_only, "your outputs do not add up to 1: divide the exponentials by their "
                        "sum (not by their largest value)."),
            (_exp_unshifted, "you returned e^z only: subtract the largest score, then divide the "
                             "exponentials by their sum."),
            (_over_all, "for a batch, each row is one image's scores: take the max and the sum "
                        "along the last axis (axis=-1, keepdims=True), not over the whole array."),
            (_wrong_axis, "for a batch (N, K), each row must sum to 1: you normalised the "
                          "columns. Use axis=-1 (with keepdims=True)."),
            (_uniform, "every output is 1/K: the sum in the denominator "
                                             "must run over all the scores e^(z_k), not add "
                                             "e^(z_j) K times (the entry's misprint)."),
        ],
        fallback_hint="test it on np.array([1.0, 2.0, 3.0]) and compare with "
                      "keras.activations.softmax; then try a batch of two rows.",
    )


# --------------------------------------------------------------------------- exercise 2: σ'(x0)

#: The point at which exercise 2 asks for the derivative of the sigmoid.
DERIVATIVE_POINT = 2.0


@checks.exercise
def check_sigmoid_derivative(answer) -> checks.CheckResult:
    """Exercise 06.2: σ'(x) at x = :data:`DERIVATIVE_POINT`."""
    x = DERIVATIVE_POINT
    s = float(activations.sigmoid(x))
    t = float(np.tanh(x))
    return checks.check_number(
        "sigmoid derivative",
        answer,
        s * (1 - s),
        mistakes=[
            (s, "that is σ(x) itself, not its slope: differentiate 1/(1 + e^(−x))."),
            (1 - s, "that is 1 − σ(x), one of the two factors: the derivative is the product "
                    "σ(x)(1 − σ(x))."),
            (1 - s**2, "1 − σ(x)² is the pattern of tanh's derivative (1 − tanh²); the sigmoid's "
                       "is σ(x)(1 − σ(x))."),
            (1 - t**2, "that is the derivative of tanh at this point; the sigmoid is a different "
                       "function (σ(x)(1 − σ(x)))."),
            (float(np.exp(x)), "that is the derivative of the entry's printed formula 1/e^(−x) = e^x, "
                               "which is not the sigmoid: start from 1/(1 + e^(−x))."),
            (s * (1 + s), "check the sign: the derivative is σ(x)(1 − σ(x))."),
            (np.exp(-x) / (1 + np.exp(-x)), "you forgot to square the denominator: "
                                            "d/dx (1 + e^(−x))^(−1) = e^(−x) / (1 + e^(−x))²."),
        ],
        fallback_hint="use σ'(x) = σ(x)(1 − σ(x)) with σ(x) = 1/(1 + e^(−x)).",
    )


# --------------------------------------------------------------------------- exercise 3: the bound


@checks.exercise
def check_sigmoid_layers_bound(answer) -> checks.CheckResult:
    """Exercise 06.3: the largest factor by which the gradient can be multiplied when it passes
    back through 10 sigmoid units in a row (ignoring the weights): 0.25 ** 10."""
    n = 10
    return checks.check_number(
        "ten sigmoid layers",
        answer,
        0.25**n,
        mistakes=[
            (0.25, "that is one layer: the chain rule multiplies one σ' per layer, so the "
                   "factors multiply ten times."),
            (0.25 * n, "the chain rule multiplies the derivatives of the layers; it does not "
                       "add them."),
            (0.5**n, "σ(0) = 0.5 is the sigmoid's value, not its largest slope: σ'(0) = "
                     "σ(0)(1 − σ(0))."),
            (1.0, "1 is the largest slope of tanh and ReLU; the sigmoid's slope is smaller "
                  "everywhere."),
            (0.25 ** (n - 1), "count again: ten sigmoid units in a row give ten factors."),
            (4.0**n, "the sigmoid's slope is at most 1/4, so each layer shrinks the gradient; "
                     "you multiplied by 4."),
        ],
        fallback_hint="the largest value of σ'(x) is at x = 0; the chain rule multiplies one "
                      "such factor per layer.",
    )


# --------------------------------------------------------------------------- exercise 4: predict


#: The networks compared in exercise 4 (the same deep network, two activations).
PREDICTION_CHOICES = ("tanh", "sigmoid")


@checks.exercise
def check_smaller_first_gradient(answer) -> checks.CheckResult:
    """Exercise 06.4: which of the two 10-layer networks of :data:`PREDICTION_CHOICES` has the
    smaller gradient norm in its first layer at initialisation? Answer with the name."""
    name = "smaller first-layer gradient"
    if answer is None or answer is Ellipsis:
        return checks.failed(name, checks.NO_ANSWER)
    if not isinstance(answer, str):
        return checks.failed(name, f"answer with the name in quotes, one of "
                                   f"{', '.join(map(repr, PREDICTION_CHOICES))}.")
    choice = answer.strip().lower().replace("σ", "sigmoid")
    if choice not in PREDICTION_CHOICES:
        return checks.failed(name, f"{answer!r} is not one of the two networks: answer "
                                   f"{' or '.join(map(repr, PREDICTION_CHOICES))}.")
    if choice == "tanh":
        return checks.failed(name, "measure it: tanh also saturates, but its slope reaches 1 "
                                   "at 0 while the sigmoid's never exceeds 0.25, and the "
                                   "sigmoid's outputs are all positive (not centred on 0).")
    return checks.passed(name, "yes: each sigmoid layer multiplies the gradient by at most 0.25.")


# --------------------------------------------------------------------------- quiz

QUIZ = quiz.Quiz("activations", [
    quiz.Choice(
        "The entry writes the sigmoid as f(x) = 1/e^(−x). What is wrong with it?",
        correct="The '1 +' is missing: 1/e^(−x) is e^x, which grows without limit",
        wrong={
            "Nothing: 1/e^(−x) equals 1/(1 + e^(−x))":
                "try x = 0: 1/e^0 = 1, but the sigmoid there is 0.5; 1/e^(−x) is simply e^x.",
            "The sign of the exponent: it should read 1/e^x":
                "1/e^x = e^(−x) is still unbounded, for negative x; what is missing is the '1 +' "
                "in the denominator, 1/(1 + e^(−x)).",
        },
    ),
    quiz.Choice(
        "The entry writes the softmax denominator as Σ_k e^(z_j), with the output's own index j. "
        "Taken literally, what does it output for K classes?",
        correct="1/K for every class, whatever the scores",
        wrong={
            "The correct probabilities":
                "the term uses j, not k, so the sum adds the same number K times: the "
                "denominator is K·e^(z_j) and the scores cancel out.",
            "Values that no longer add up to 1":
                "they do add up to 1, K times 1/K: the trouble is that they ignore the scores.",
        },
        why="the correct denominator is Σ_k e^(z_k), a sum over every class's score.",
    ),
    quiz.Number(
        "What is the largest value of the sigmoid's derivative σ'(x) = σ(x)(1 − σ(x))?",
        answer=0.25,
        mistakes=[
            (1.0, "that is the largest slope of tanh, at 0; the sigmoid is four times flatter."),
            (0.5, "0.5 is σ(0), the sigmoid's value; its slope there is σ(0)(1 − σ(0))."),
        ],
        otherwise="the derivative is largest at x = 0: evaluate σ(0)(1 − σ(0)).",
    ),
    quiz.Choice(
        "Which activation is today's default in the hidden layers of CNNs like this course's?",
        correct="ReLU and its relatives",
        wrong={
            "The sigmoid":
                "its derivative is at most 0.25, so gradients shrink through many layers; it "
                "lives on at the output, for the probability of one class.",
            "Tanh":
                "that was the advice of the 1990s: centred on 0, but it still saturates beyond "
                "|x| ≈ 3.",
            "Softmax":
                "softmax turns K scores into probabilities: it belongs to the output layer of a "
                "model with several classes, not to hidden layers.",
        },
    ),
    quiz.Choice(
        "Why does a stable softmax subtract the largest score from every score first?",
        correct="e^z overflows float32 beyond z ≈ 88; the shift avoids it and changes no "
                "probability",
        wrong={
            "It makes the probabilities of small scores more accurate":
                "for small scores both versions give the same result; the shift only matters "
                "where e^z would overflow.",
            "It makes the top class win more clearly":
                "subtracting the same number from every score cancels out (the factor e^(−c) is "
                "in the numerator and the denominator): the probabilities do not change.",
        },
    ),
])
