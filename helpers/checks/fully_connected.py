"""Checkers for the exercises of ``notebooks/04_fully_connected.ipynb``.

Each checker compares the learner's answer with the correct one and with the answers that the
typical mistakes produce, and returns a :class:`helpers.checks.CheckResult` with a hint. The
correct answer is never shown.
"""

from __future__ import annotations

import math

import numpy as np

from helpers import checks, fully_connected, quiz

# --------------------------------------------------------------------------- exercise 1: dense forward


def _dense_cases(square: bool) -> list[tuple[tuple, np.ndarray]]:
    rng = np.random.default_rng(4)
    shapes = [(3, 3), (4, 4)] if square else [(3, 3), (4, 4), (2, 5), (1, 6)]
    cases = []
    for n_out, n_in in shapes:
        w, x, b = rng.normal(size=(n_out, n_in)), rng.normal(size=n_in), rng.normal(size=n_out)
        cases.append(((w, x, b), w @ x + b))
    return cases


_DENSE_MISTAKES = [
    (lambda w, x, b: w @ x, "you forgot the bias: add b after the weighted sums."),
    (lambda w, x, b: w.T @ x + b, "you multiplied by Wᵀ: with W of shape (n_out, n_in), output i is "
                                  "the sum over j of W[i, j]·x[j], i.e. W @ x (rows of W)."),
    (lambda w, x, b: w.T @ x, "you multiplied by Wᵀ and forgot the bias: output i uses row i of W, "
                              "W @ x, then add b."),
    (lambda w, x, b: w @ x - b, "the bias is added, not subtracted."),
    (lambda w, x, b: np.maximum(w @ x + b, 0), "you applied a ReLU: a dense layer here is only "
                                               "W·x + b; the activation comes after it."),
    (lambda w, x, b: fully_connected.sigmoid(w @ x + b),
     "you applied the sigmoid: the exercise asks for the scores W·x + b before any activation."),
    (lambda w, x, b: np.full(len(b), (w @ x).sum()) + b,
     "every output got the same weighted sum: output i must use row i of W only."),
]


@checks.exercise
def check_dense_forward(function) -> checks.CheckResult:
    """Exercise 04.1: ``function(W, x, b)`` must return W·x + b, with W (n_out, n_in), x (n_in,),
    b (n_out,)."""
    # Square matrices first: there W.T @ x runs, so the transposition mistake can be named.
    result = checks.check_function("dense layer W·x + b", function, _dense_cases(square=True),
                                   mistakes=_DENSE_MISTAKES)
    if not result.ok:
        return result
    return checks.check_function(
        "dense layer W·x + b", function, _dense_cases(square=False), mistakes=_DENSE_MISTAKES,
        fallback_hint="right on square W, wrong when n_out ≠ n_in: W has one row per output and "
                      "one column per input.")


# --------------------------------------------------------------------------- exercise 2: BCE value

#: The three X-rays of exercise 2: true labels (1 = pneumonia) and predicted probabilities.
BCE_LABELS = (1, 0, 1)
BCE_PROBABILITIES = (0.9, 0.4, 0.2)


@checks.exercise
def check_bce_value(answer) -> checks.CheckResult:
    """Exercise 04.2: mean binary cross-entropy of :data:`BCE_PROBABILITIES` against
    :data:`BCE_LABELS`, natural logarithm."""
    y, p = np.array(BCE_LABELS, float), np.array(BCE_PROBABILITIES)
    terms = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    correct = float(terms.mean())
    only_positive = float((-(y * np.log(p))).mean())
    return checks.check_number(
        "binary cross-entropy",
        answer,
        correct,
        mistakes=[
            (correct / math.log(10), "you used log10: the cross-entropy (and Keras) uses the natural "
                                     "logarithm, np.log."),
            (correct / math.log(2), "you used log2: the cross-entropy in Keras uses the natural "
                                    "logarithm, np.log."),
            (only_positive, "the healthy X-ray (y = 0) contributed nothing: you left out the "
                            "(1 − y)·ln(1 − p) term."),
            (float(-np.log(p).mean()), "for the y = 0 X-ray the cost is −ln(1 − p), not −ln(p): "
                                       "p is the probability of pneumonia."),
            (float(terms.sum()), "you added the three losses: Keras reports their mean."),
            (-correct, "mind the sign: the logarithm of a probability is negative, and the loss "
                       "puts a minus in front so that it is positive."),
            (float(np.mean((y - p) ** 2)), "that is the mean squared error, not the cross-entropy."),
            (float(terms[0]),
             "that is the loss of the first X-ray only: average over all three."),
        ],
        fallback_hint="use −[y·ln p + (1 − y)·ln(1 − p)] for each X-ray, then take the mean.",
    )


# --------------------------------------------------------------------------- exercise 3: dL/dz

_LOGIT_CASES = [(-2.0, 1), (-0.5, 0), (0.0, 1), (0.7, 0), (1.5, 1), (3.0, 0)]


@checks.exercise
def check_logit_gradient(function) -> checks.CheckResult:
    """Exercise 04.3: ``function(z, y)`` must return dL/dz for L = BCE(y, σ(z)): σ(z) − y."""
    s = fully_connected.sigmoid
    return checks.check_function(
        "gradient of the loss w.r.t. the logit",
        function,
        [((z, y), float(s(z)) - y) for z, y in _LOGIT_CASES],
        mistakes=[
            (lambda z, y: y - s(z), "the sign is flipped: the gradient points uphill, towards a "
                                    "larger loss; p − y is positive when p is too large."),
            (lambda z, y: s(z) * (1 - s(z)), "that is the sigmoid's derivative alone: multiply by "
                                             "dL/dp as well (the chain rule), and simplify."),
            (lambda z, y: (s(z) - y) * s(z) * (1 - s(z)),
             "you multiplied by σ'(z) once too often: dL/dp·σ'(z) already simplifies to p − y."),
            (lambda z, y: z - y, "you forgot the sigmoid: the prediction is p = σ(z), not z."),
            (lambda z, y: s(z), "the label is missing: the gradient is zero when the prediction is "
                                "perfect, so it must involve y."),
            (lambda z, y: -y / s(z) + (1 - y) / (1 - s(z)),
             "that is dL/dp, the gradient w.r.t. the probability; go one step further, through "
             "the sigmoid, to the logit z."),
        ],
    )


# --------------------------------------------------------------------------- exercise 4: one step

#: Exercise 4's numbers: inputs x to the dense unit, its weights w and bias b, label, rate.
STEP_X = (0.5, 0.0, 2.0)
STEP_W = (0.4, -0.3, 0.1)
STEP_B = 0.1
STEP_Y = 1
STEP_RATE = 0.5


@checks.exercise
def check_dense_step(answer) -> checks.CheckResult:
    """Exercise 04.4: the weights w after one gradient-descent step on one example."""
    x, w = np.array(STEP_X), np.array(STEP_W)
    p = float(fully_connected.sigmoid(w @ x + STEP_B))
    error = p - STEP_Y
    correct = w - STEP_RATE * error * x
    return checks.check_number(
        "one gradient-descent step",
        answer,
        correct,
        mistakes=[
            (w + STEP_RATE * error * x, "you stepped uphill: subtract the gradient (w − η·dL/dw)."),
            (w - error * x, "you forgot the learning rate η = 0.5."),
            (w - STEP_RATE * error, "dL/dw_j = (p − y)·x_j: each weight's step is scaled by its "
                                    "own input x_j."),
            (w - STEP_RATE * error * p * (1 - p) * x, "dL/dz is p − y already: no extra factor "
                                                      "p(1 − p)."),
            (STEP_RATE * error * x, "that is the step itself; the new weights are w minus it."),
            (error * x, "that is the gradient dL/dw; the new weights are w − η times it."),
            (w - STEP_RATE * (w @ x + STEP_B - STEP_Y) * x,
             "you used the logit z instead of the probability p = σ(z)."),
        ],
        fallback_hint="compute z = w·x + b, p = σ(z), the gradient (p − y)·x, then w − η·gradient.",
    )


# --------------------------------------------------------------------------- exercise 5: parameters


@checks.exercise
def check_dense_parameters(answer) -> checks.CheckResult:
    """Exercise 04.5: trainable parameters of ``Dense(16)`` after ``Flatten`` of a 28×28×1 image."""
    n_in, units = 28 * 28, 16
    return checks.check_number(
        "dense layer parameters",
        answer,
        fully_connected.count_dense_parameters(n_in, units),
        mistakes=[
            (n_in * units, "you forgot the biases: one per unit."),
            (n_in + units, "every unit has its own weight for every pixel: multiply, do not add."),
            ((n_in + 1), "that is one unit; there are 16."),
            (n_in * units + n_in, "one bias per unit (16), not per input."),
            ((3 * 3 + 1) * units, "that is a 3×3 convolution: a dense unit has a weight for every "
                                  "one of the 784 pixels."),
            (28 * units + units, "Flatten makes 28·28 inputs, not 28."),
            (n_in, "that is the number of inputs; each of the 16 units has a weight for each."),
        ],
        fallback_hint="a dense layer has n_in × n_out weights plus n_out biases.",
    )


# --------------------------------------------------------------------------- quiz

QUIZ = quiz.Quiz("fully_connected", [
    quiz.Number(
        "A feature map of shape (16, 16, 4) goes through Flatten() and then Dense(10). How many "
        "trainable parameters does the dense layer have?",
        answer=(16 * 16 * 4 + 1) * 10,
        mistakes=[
            (16 * 16 * 4 * 10, "you forgot the biases: every output unit has one."),
            ((16 * 16 + 1) * 10, "you forgot the channels: Flatten passes on 16 · 16 · 4 values."),
            (16 * 16 * 4 * 10 + 16 * 16 * 4, "one bias per output unit, not one per input."),
        ],
        otherwise="a dense layer has (n_in + 1) · n_out parameters, where n_in is the number of "
                  "values Flatten passes on.",
    ),
    quiz.Number(
        "A model gives an X-ray with pneumonia (label y = 1) the probability p = 0.2. What is "
        "its binary cross-entropy?",
        answer=-math.log(0.2),
        mistakes=[
            (-math.log10(0.2), "the cross-entropy uses the natural logarithm (ln), as Keras does, "
                               "not log10."),
            (-math.log(0.8), "that is the loss for a normal X-ray (y = 0); with y = 1 only the "
                             "term y · ln p remains."),
            (math.log(0.2), "mind the sign: −[y ln p + (1 − y) ln(1 − p)] is never negative."),
        ],
        otherwise="use −[y ln p + (1 − y) ln(1 − p)] with y = 1 and p = 0.2.",
    ),
    quiz.Number(
        "A model outputs p = σ(z) = 0.7 for a normal X-ray (y = 0). What is the derivative of the "
        "binary cross-entropy with respect to the logit z?",
        answer=0.7 - 0,
        mistakes=[
            (0 - 0.7, "the sign is reversed: the derivative is p − y, not y − p."),
            (0.7 * (1 - 0.7), "that is the sigmoid's own derivative σ(1 − σ); combined with the "
                              "cross-entropy it cancels, and p − y is left."),
            (1 - 0.7, "that is 1 − p, as if the label were 1: this X-ray is normal, y = 0."),
        ],
        otherwise="at the logit, the gradient of the binary cross-entropy is p − y.",
    ),
    quiz.Choice(
        "Why does a dense layer that reads the whole image change its output when the X-ray "
        "moves by one pixel?",
        correct="Each of its weights belongs to one pixel position",
        wrong={
            "Because it has too few parameters":
                "it has far more than a convolution: one weight per input value for every unit.",
            "Because of its sigmoid":
                "the activation is not the reason: the weighted sum already changes, because "
                "each weight is tied to one position.",
            "Because of its max pooling":
                "a dense layer has no pooling; it is the convolution followed by global max "
                "pooling that barely notices the shift.",
        },
    ),
    quiz.Choice(
        "Gradient descent updates w ← w − η ∂L/∂w. What happens when the learning rate η is far "
        "too large?",
        correct="The steps overshoot the minimum and the loss can grow",
        wrong={
            "The network reaches the same minimum faster":
                "a step that jumps past the minimum lands where the loss is higher, and the next "
                "step jumps further: the loss can grow instead of falling.",
            "Nothing: the gradient scales the step down by itself":
                "plain gradient descent moves by η times the gradient; on a steep slope a large η "
                "makes the step larger, not smaller.",
        },
    ),
])
