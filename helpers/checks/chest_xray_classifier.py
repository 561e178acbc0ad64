"""Checkers for the exercises of ``notebooks/09_chest_xray_classifier.ipynb``.

Each checker compares the learner's answer with the correct one and with the answers that the
typical mistakes produce, and returns a :class:`helpers.checks.CheckResult` with a hint. The
correct answer is never shown.
"""

from __future__ import annotations

import numpy as np

from helpers import checks, evaluation

# --------------------------------------------------------------------------- exercise 1


#: Confusion matrices ``[[TN, FP], [FN, TP]]`` the sensitivity/specificity function is tried on.
CONFUSION_CASES = (
    np.array([[50, 10], [5, 35]]),
    np.array([[180, 54], [12, 378]]),
    np.array([[7, 3], [20, 70]]),
    np.array([[90, 30], [1, 9]]),
)


def _counts(confusion):
    (tn, fp), (fn, tp) = np.asarray(confusion, dtype=float)
    return tn, fp, fn, tp


def _sens_spec(confusion):
    tn, fp, fn, tp = _counts(confusion)
    return tp / (tp + fn), tn / (tn + fp)


def _ppv_npv(confusion):
    tn, fp, fn, tp = _counts(confusion)
    return tp / (tp + fp), tn / (tn + fn)


def check_sensitivity_specificity(function) -> checks.CheckResult:
    """Exercise 09.1: ``function(confusion)`` must return ``(sensitivity, specificity)`` for a
    confusion matrix ``[[TN, FP], [FN, TP]]`` (rows: true class, columns: predicted class)."""
    return checks.check_function(
        "sensitivity and specificity",
        function,
        [((c.copy(),), _sens_spec(c)) for c in CONFUSION_CASES],
        mistakes=[
            (_ppv_npv,
             "you divided by the column totals (what the model predicted), which gives PPV and "
             "NPV: did you swap rows and columns? Sensitivity and specificity divide by the row "
             "totals, all truly diseased and all truly healthy cases."),
            (lambda c: _sens_spec(c)[::-1],
             "the two numbers are the wrong way round: row 1, column 1 holds the true positives "
             "(diseased and called diseased); sensitivity is about the diseased row."),
            (lambda c: (_ppv_npv(c)[0], _sens_spec(c)[1]),
             "your sensitivity is the PPV, TP / (TP + FP): sensitivity asks how many of the "
             "diseased were found, TP / (TP + FN)."),
            (lambda c: (_sens_spec(c)[0], _ppv_npv(c)[1]),
             "your specificity is the NPV, TN / (TN + FN): specificity asks how many of the "
             "healthy were cleared, TN / (TN + FP)."),
            (lambda c: tuple(100 * v for v in _sens_spec(c)),
             "right idea, but give fractions between 0 and 1, not percentages."),
            (lambda c: tuple(1 - v for v in _sens_spec(c)),
             "you computed the miss rate and the false-positive rate, 1 - what was asked: count "
             "the correct decisions (TP, TN) in the numerators."),
            (lambda c: (_counts(c)[3] / np.sum(c), _counts(c)[0] / np.sum(c)),
             "you divided by all cases: sensitivity divides by the diseased cases only (its row), "
             "specificity by the healthy cases only."),
        ],
    )


# --------------------------------------------------------------------------- exercise 2

#: The test of exercise 2 and the prevalence where it is used (a screening population).
SCREENING_TEST = {"sensitivity": 0.95, "specificity": 0.90, "prevalence": 0.02}
#: The prevalence of pneumonia in the official PneumoniaMNIST test split.
STUDY_PREVALENCE = 0.625


def _ppv(sensitivity: float, specificity: float, prevalence: float) -> float:
    hits = sensitivity * prevalence
    return hits / (hits + (1 - specificity) * (1 - prevalence))


def _npv(sensitivity: float, specificity: float, prevalence: float) -> float:
    clears = specificity * (1 - prevalence)
    return clears / (clears + (1 - sensitivity) * prevalence)


def check_ppv_at_prevalence(answer) -> checks.CheckResult:
    """Exercise 09.2: the PPV of the test in :data:`SCREENING_TEST` at its prevalence."""
    se, sp, p = (SCREENING_TEST[k] for k in ("sensitivity", "specificity", "prevalence"))
    correct = _ppv(se, sp, p)
    return checks.check_number(
        "PPV at screening prevalence",
        answer,
        correct,
        mistakes=[
            (_ppv(se, sp, 0.5), "you left out the prevalence (that is the PPV when half of the "
                                "people tested are ill): weigh sensitivity by the prevalence "
                                "and the false-positive rate by 1 - prevalence (Bayes' rule)."),
            (_ppv(se, sp, STUDY_PREVALENCE), "that is the PPV at the study's prevalence of "
                                             "62.5 %; use the screening prevalence given."),
            (se, "that is the sensitivity, P(positive test | disease); the PPV is the other way "
                 "round, P(disease | positive test)."),
            (se * p / (se * p + sp * (1 - p)),
             "the false positives are the healthy people the test calls positive: multiply "
             "1 - prevalence by 1 - specificity, not by the specificity."),
            (se * p, "that is P(disease and positive test); divide it by P(positive test), "
                     "which also counts the false positives."),
            (_npv(se, sp, p), "that is the NPV, P(healthy | negative test); the PPV is "
                              "P(disease | positive test)."),
            (100 * correct, "right idea, but give a fraction between 0 and 1, not a percentage."),
        ],
        rtol=1e-3,
    )


# --------------------------------------------------------------------------- exercise 3


def make_threshold_exercise(seed: int = 9) -> dict[str, dict[str, np.ndarray]]:
    """Labels and scores of one model on three splits, for exercise 3.

    Returns ``{"train": {"labels", "scores"}, "val": {...}, "test": {...}}``: labels (N,) int64
    in {0, 1}, scores (N,) float64 in [0, 1]. On train the model is overconfident (it has seen
    those images); val and test come from the same kind of patients but differ by chance.
    """
    rng = np.random.default_rng(seed)

    def split(n_neg: int, n_pos: int, gap: float, spread: float) -> dict[str, np.ndarray]:
        logits = np.concatenate([rng.normal(-gap / 2, spread, n_neg),
                                 rng.normal(gap / 2, spread, n_pos)])
        labels = np.concatenate([np.zeros(n_neg, np.int64), np.ones(n_pos, np.int64)])
        scores = 1.0 / (1.0 + np.exp(-(logits + 1.0)))  # shifted: 0.5 is not a good cut
        order = rng.permutation(len(labels))
        return {"labels": labels[order], "scores": scores[order]}

    return {"train": split(300, 700, 5.0, 1.0), "val": split(60, 140, 2.5, 1.0),
            "test": split(90, 150, 2.5, 1.0)}


def _youden(labels: np.ndarray, scores: np.ndarray, threshold: float) -> float:
    rates = evaluation.rates_from_confusion(evaluation.compute_confusion(labels, scores,
                                                                         threshold))
    return rates["sensitivity"] + rates["specificity"] - 1.0


def _best_youden(labels: np.ndarray, scores: np.ndarray) -> float:
    return _youden(labels, scores, evaluation.choose_threshold(labels, scores, "youden"))


def check_threshold_choice(answer) -> checks.CheckResult:
    """Exercise 09.3: a decision threshold for the data of :func:`make_threshold_exercise`,
    chosen with Youden's J on the split meant for choices. Any threshold with the best J on
    that split passes."""
    exercise = "threshold on the right split"
    ex = make_threshold_exercise()
    chosen = {name: evaluation.choose_threshold(part["labels"], part["scores"], "youden")
              for name, part in ex.items()}
    pooled = {key: np.concatenate([ex["val"][key], ex["test"][key]])
              for key in ("labels", "scores")}
    test_hint = ("that threshold was chosen on the test split. Never choose anything on test: "
                 "it is there to grade the final choice once, and a choice made on it makes the "
                 "reported numbers look better than they will be on new patients.")
    result = checks.check_number(
        exercise,
        answer,
        chosen["val"],
        mistakes=[
            (chosen["test"], test_hint),
            (evaluation.choose_threshold(pooled["labels"], pooled["scores"], "youden"),
             "you pooled validation and test data: the test split must play no part in any "
             "choice, not even half of it."),
            (chosen["train"], "that threshold was chosen on the training split, where the model "
                              "is overconfident because it has seen those images: use the "
                              "validation split."),
            (0.5, "0.5 is a convention, not a choice: pick the threshold on data, with Youden's "
                  "J on the validation split."),
            (evaluation.choose_threshold(ex["val"]["labels"], ex["val"]["scores"],
                                         "max_accuracy"),
             "right split, but that is the threshold of best accuracy: use Youden's J "
             "(method='youden'), which does not depend on the prevalence."),
        ],
        rtol=0.0,
        atol=1e-9,
        fallback_hint="not the threshold asked for: use evaluation.choose_threshold(labels, "
                      "scores, 'youden') on the split that is meant for choices.",
    )
    if result.ok or not checks.is_real_number(answer):
        return result
    value = float(answer)
    if _youden(ex["val"]["labels"], ex["val"]["scores"], value) >= \
            _best_youden(ex["val"]["labels"], ex["val"]["scores"]) - 1e-12:
        return checks.passed(exercise, "well done: your threshold has the best Youden's J on "
                                       "the validation split.")
    if result.message.startswith("not the threshold asked for") and \
            _youden(ex["test"]["labels"], ex["test"]["scores"], value) >= \
            _best_youden(ex["test"]["labels"], ex["test"]["scores"]) - 1e-12:
        return checks.failed(exercise, test_hint)
    return result


# --------------------------------------------------------------------------- exercise 4


def check_first_conv_parameters(answer) -> checks.CheckResult:
    """Exercise 09.4: trainable parameters of the first convolutional layer of the Figure-3
    model: 8 filters of 3×3 on a 1-channel (grey) image, with biases."""
    k, c_in, filters = 3, 1, 8
    correct = k * k * c_in * filters + filters
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
