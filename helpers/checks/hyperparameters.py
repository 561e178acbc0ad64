"""Exercise checkers of ``notebooks/05_hyperparameters.ipynb``: the cases and the typical mistakes
(the framework, :mod:`helpers.checks`, handles missing answers, text, NaN, shapes and rounding).

1. visits of a corner pixel by a 5×5 kernel, without and with padding;
2. the dropout forward pass (mask, 1/(1 − p) scaling, nothing at inference);
3. the receptive field of a stack of layers (the recurrence);
4. predict, then run: the smallest learning rate that makes gradient descent on a parabola
   diverge.
"""

from __future__ import annotations

import numpy as np

from helpers import checks, quiz

# --------------------------------------------------------------------------- exercise 1: visits

#: Exercise 05.1: a 5×5 kernel, stride 1, on the 128×128 CT slice.
CORNER_KERNEL = 5


@checks.exercise
def check_corner_visits(answer) -> checks.CheckResult:
    """Exercise 05.1: ``[visits without padding ("valid"), visits with "same" padding]`` of the
    top-left pixel of a 128×128 image by a 5×5 kernel moved with stride 1."""
    k = CORNER_KERNEL
    half = k // 2
    return checks.check_number(
        "visits of a corner pixel",
        answer,
        [1, (half + 1) ** 2],
        mistakes=[
            ([k * k, k * k], "those are the visits of a pixel in the middle of the image: a "
                             "corner pixel has no neighbours above it or to its left."),
            ([1, k * k], "padding does not make the corner as central as the middle: only the "
                         "windows whose centre lies at most 2 pixels from it (in the padded "
                         "image) still contain it."),
            ([1, 1], "with padding the kernel may also sit partly outside the image: count the "
                     "windows that still contain the corner."),
            ([0, (half + 1) ** 2], "without padding the very first window (top-left) does "
                                   "contain the corner pixel."),
            ([1, half + 1], "that is the count along one axis: a window has to cover the pixel "
                            "in its row *and* in its column, so multiply."),
            ([1, 2 * (half + 1)], "the row and column counts multiply, they do not add."),
            ([1, 4], "that would be a 3×3 kernel; this one is 5×5."),
        ],
        fallback_hint="count the positions of the kernel's top-left corner from which the "
                      "window still contains pixel (0, 0), along rows and along columns.",
    )


# --------------------------------------------------------------------------- exercise 2: dropout


def _reference_dropout(x, keep, rate, training):
    x = np.asarray(x, dtype=np.float64)
    return np.where(keep, x / (1 - rate), 0.0) if training else x


def _dropout_cases() -> list[tuple[tuple, np.ndarray]]:
    rng = np.random.default_rng(5)
    cases = []
    for shape, rate, training in [((6,), 0.5, True), ((4, 5), 0.2, True), ((3, 4, 2), 0.75, True),
                                  ((4, 5), 0.2, False), ((8,), 0.5, False)]:
        x = rng.normal(size=shape) + 1.0
        keep = rng.random(shape) >= rate
        keep.flat[0], keep.flat[-1] = True, False  # both kinds of unit in every case
        cases.append(((x, keep, rate, training), _reference_dropout(x, keep, rate, training)))
    return cases


@checks.exercise
def check_dropout_forward(function) -> checks.CheckResult:
    """Exercise 05.2: ``my_dropout(x, keep, rate, training)`` — inverted dropout."""
    return checks.check_function(
        "dropout forward pass",
        function,
        _dropout_cases(),
        mistakes=[
            (lambda x, keep, rate, training: x * keep if training else x,
             "the kept units are not scaled: the layer's output is then (1 − rate) times smaller "
             "on average in training than at inference. Divide them by 1 − rate."),
            (lambda x, keep, rate, training: x * keep * (1 - rate) if training else x,
             "you multiplied the kept units by 1 − rate: that shrinks them further. Inverted "
             "dropout divides by 1 − rate, so that the mean is kept."),
            (lambda x, keep, rate, training: x * keep / rate if training else x,
             "you divided by the rate; divide by the share of units *kept*, 1 − rate."),
            (lambda x, keep, rate, training: x * keep * rate if training else x,
             "you multiplied by the rate; kept units are divided by 1 − rate, the share kept."),
            (lambda x, keep, rate, training: x * keep / (1 - rate) if training else x / (1 - rate),
             "at inference nothing is dropped, so nothing must be scaled: return x unchanged "
             "when training is False."),
            (lambda x, keep, rate, training: x * keep / (1 - rate),
             "at inference (training=False) no unit is dropped: return x unchanged."),
            (lambda x, keep, rate, training: x * keep if training else x * (1 - rate),
             "that is the original, non-inverted dropout of 2014 (scaling at test time); Keras "
             "and this lesson scale the kept units during training instead, and leave "
             "inference alone."),
            (lambda x, keep, rate, training: x * ~keep / (1 - rate) if training else x,
             "your mask is the wrong way round: keep is True for the units that stay."),
        ],
        fallback_hint="in training: zero where keep is False, x / (1 − rate) where it is True; "
                      "at inference: x unchanged.",
    )


# --------------------------------------------------------------------------- exercise 3: receptive field

#: Stacks of (kernel or pool size, stride) the checker tries.
RF_STACKS = [
    [(3, 1)],
    [(3, 1), (3, 1)],
    [(3, 1), (2, 2), (3, 1), (2, 2)],
    [(3, 1), (3, 1), (2, 2), (3, 1), (3, 1), (2, 2), (3, 1)],
    [(7, 2), (3, 2), (3, 1)],
    [(5, 3), (1, 1), (3, 2), (2, 2)],
]


def _rf(stack, *, jump_before_update=False, accumulate=True, use_jump=True):
    r, j = 1, 1
    for k, s in stack:
        if jump_before_update:
            j = j * s if accumulate else s
            r += (k - 1) * (j if use_jump else 1)
        else:
            r += (k - 1) * (j if use_jump else 1)
            j = j * s if accumulate else s
    return r


@checks.exercise
def check_receptive_field(function) -> checks.CheckResult:
    """Exercise 05.3: ``my_receptive_field(stack)`` — the side of the receptive field after a
    stack [(k, s), ...] of layers."""
    cases = [((stack,), _rf(stack)) for stack in RF_STACKS]
    return checks.check_function(
        "receptive field",
        function,
        cases,
        mistakes=[
            (lambda stack: _rf(stack, use_jump=False),
             "you added k − 1 for every layer: after a stride, neighbouring pixels of a layer are "
             "j input pixels apart, so each extra kernel row widens the field by j."),
            (lambda stack: _rf(stack, jump_before_update=True),
             "you updated the jump before widening the field: a layer's kernel steps over its "
             "*input* pixels, so use the jump of its input (j_in), then multiply by the stride."),
            (lambda stack: _rf(stack, accumulate=False),
             "the jump must accumulate: multiply it by every stride so far, not just the last one."),
            (lambda stack: 1 + sum(k - 1 for k, _ in stack) * int(np.prod([s for _, s in stack])),
             "the strides do not all count for every layer: only those of the layers *before* a "
             "layer spread its kernel."),
            (lambda stack: sum(k for k, _ in stack),
             "adding the kernel sizes counts the shared pixel of two neighbouring windows twice, "
             "and ignores the strides: use r_out = r_in + (k − 1)·j_in."),
        ],
        fallback_hint="start from r = 1, j = 1; for each layer: r = r + (k − 1)·j, then j = j·s.",
    )


# --------------------------------------------------------------------------- exercise 4: divergence

#: Exercise 05.4: loss L(w) = CURVATURE/2 · w², and the learning rates to choose from.
CURVATURE = 5.0
CANDIDATE_RATES = (0.05, 0.2, 0.3, 0.4, 0.5, 0.8)


@checks.exercise
def check_divergent_learning_rate(answer) -> checks.CheckResult:
    """Exercise 05.4: the smallest of :data:`CANDIDATE_RATES` for which gradient descent on
    L(w) = 5/2 · w² moves w further from 0 at every step."""
    limit = 2 / CURVATURE
    smallest = min(lr for lr in CANDIDATE_RATES if lr > limit)
    return checks.check_number(
        "learning rate that diverges",
        answer,
        smallest,
        mistakes=[
            (limit, "at exactly this rate every step multiplies w by −1: it bounces between "
                    "+1 and −1 forever, without growing. Diverging needs a larger rate."),
            (1 / CURVATURE, "that is the best rate here: one step lands exactly on the minimum "
                            "(the factor 1 − η·a is 0)."),
            (0.3, "at this rate w overshoots the minimum at every step (the factor 1 − η·a is negative), but "
                  "|w| still halves each time: it converges."),
            (0.8, "this one diverges, but it is not the smallest that does."),
            (0.05, "a small rate is slow, not unstable: the factor 1 − η·a is 0.75, so w shrinks."),
        ],
        fallback_hint="each step multiplies w by 1 − η·a; find when its size exceeds 1.",
    )


# --------------------------------------------------------------------------- quiz

QUIZ = quiz.Quiz("hyperparameters", [
    quiz.Choice(
        "Which of these is a hyperparameter, chosen rather than learned?",
        correct="The dropout rate",
        wrong={
            "The kernel weights of a convolution":
                "they are parameters: backpropagation changes them at every training step.",
            "The biases of a dense layer":
                "they are parameters, learned with the weights of the same layer.",
        },
        why="like the learning rate, the kernel size or the number of epochs, it is chosen on "
            "validation data.",
    ),
    quiz.Choice(
        "A ReLU unit computes max(0, w·x + b) with w = 2 and b = −4. For which inputs x does it "
        "switch on?",
        correct="x > 2",
        wrong={
            "x > −2":
                "the unit switches on where w·x + b > 0, at x = −b/w: a negative bias moves that "
                "point to the right.",
            "x > −4":
                "divide by the weight: the switch point is x = −b/w, not −b.",
            "x > 0, with the output scaled by 4":
                "a bias adds, it does not multiply: it moves the point where the unit switches on.",
        },
    ),
    quiz.Number(
        "Three layers in a row: a 3×3 convolution (stride 1), 2×2 max pooling (stride 2) and "
        "another 3×3 convolution (stride 1). What is the side of the receptive field of one "
        "output pixel?",
        answer=1 + (3 - 1) * 1 + (2 - 1) * 1 + (3 - 1) * 2,  # r += (k − 1)·j, layer by layer
        mistakes=[
            (1 + (3 - 1) + (2 - 1) + (3 - 1),
             "after the stride-2 pooling one step of the next kernel spans 2 input pixels: "
             "multiply k − 1 by the jump."),
            (1 + (3 - 1) * 1 + (2 - 1) * 2 + (3 - 1) * 2,
             "a layer's k − 1 is multiplied by the jump before it (j_in): the pooling's own "
             "stride only widens the steps of the layers after it."),
        ],
        otherwise="start from r = 1, j = 1; every layer gives r_out = r_in + (k − 1)·j_in and "
                  "j_out = j_in·s.",
    ),
    quiz.Choice(
        "What does inverted dropout do at inference, when the trained model is used?",
        correct="Nothing: the input passes unchanged",
        wrong={
            "It zeroes the same share p of units":
                "units are dropped in training only; at inference every unit takes part.",
            "It multiplies every unit by 1 − p":
                "that is the original, non-inverted dropout; inverted dropout divides by 1 − p "
                "during training, so that inference needs no change.",
        },
    ),
    quiz.Number(
        "Gradient descent on L(w) = ½·a·w² with a = 4. Beyond which learning rate does |w| grow "
        "at every step?",
        answer=2 / 4,
        mistakes=[
            (1 / 4, "1/a is the rate that lands on the minimum in one step; the steps start to "
                    "grow at twice that."),
            (4 / 2, "invert it: the limit is 2/a, not a/2."),
            (2 * 4, "invert it: the limit is 2/a, not 2a."),
        ],
        otherwise="one step multiplies w by 1 − η·a; |w| grows when that factor is below −1.",
    ),
])
