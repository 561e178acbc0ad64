"""Checkers for the exercises of ``notebooks/10_clinical_evaluation.ipynb``.

Each checker compares the learner's answer with the correct one and with the answers that the
typical mistakes produce, and returns a :class:`helpers.checks.CheckResult` with a hint. The
correct answer is never shown.

1. sensitivity and specificity from a confusion matrix;
2. the PPV of a test at a screening prevalence;
3. the decision threshold, chosen on the right split;
4. the prior-shift correction of a probability (a new prevalence);
5. the heat of a Grad-CAM map in a region, against a uniform map.
"""

from __future__ import annotations

import numpy as np

from helpers import checks, evaluation, quiz

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


@checks.exercise
def check_sensitivity_specificity(function) -> checks.CheckResult:
    """Exercise 10.1: ``function(confusion)`` must return ``(sensitivity, specificity)`` for a
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
            (lambda c: _ppv_npv(c)[::-1],
             "you read the matrix in another layout, [[TP, FP], [FN, TN]] (rows: predicted, "
             "positive class first, as in many textbooks): here the rows are the true class and "
             "the positive class comes second, [[TN, FP], [FN, TP]]."),
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


@checks.exercise
def check_ppv_at_prevalence(answer) -> checks.CheckResult:
    """Exercise 10.2: the PPV of the test in :data:`SCREENING_TEST` at its prevalence."""
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


@checks.exercise
def check_threshold_choice(answer) -> checks.CheckResult:
    """Exercise 10.3: a decision threshold for the data of :func:`make_threshold_exercise`,
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

#: (probabilities, new prevalence, training prevalence) the prior-shift function is tried on.
#: The training prevalences differ from 0.5, so that leaving that term out shows.
PRIOR_SHIFT_CASES = (
    (np.array([0.1, 0.5, 0.8, 0.95]), 0.10, 0.5),
    (np.array([0.2, 0.6, 0.9]), 0.05, 0.742),
    (np.array([0.3, 0.7]), 0.9, 0.25),
    (np.array([0.05, 0.5, 0.99]), 0.625, 0.742),
)


def _log_odds(p):
    p = np.asarray(p, dtype=float)
    return np.log(p / (1 - p))


def _sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def _shift(p, new, train):
    return _sigmoid(_log_odds(p) + _log_odds(new) - _log_odds(train))


@checks.exercise
def check_prior_shift(function) -> checks.CheckResult:
    """Exercise 10.4: ``function(p, prevalence_new, prevalence_train)`` must return the
    probabilities ``p`` (an array) corrected from the prevalence the model assumed to a new
    one: logit(p') = logit(p) + logit(π_new) − logit(π_train)."""
    def odds(p):
        return np.asarray(p) / (1 - np.asarray(p))

    return checks.check_function(
        "prior-shift correction",
        function,
        [((p.copy(), new, train), _shift(p, new, train)) for p, new, train in PRIOR_SHIFT_CASES],
        mistakes=[
            (lambda p, new, train: _shift(p, train, new),
             "the correction goes the wrong way: add the log-odds of the NEW prevalence and "
             "subtract those of the prevalence the model was trained with."),
            (lambda p, new, train: _sigmoid(_log_odds(p) + _log_odds(new)),
             "you added the new prevalence's log-odds but did not take away the training "
             "prevalence's: the model's probabilities already contain the prior it learned."),
            (lambda p, new, train: _log_odds(p) + _log_odds(new) - _log_odds(train),
             "that is the corrected logit; turn it back into a probability with the sigmoid, "
             "1 / (1 + exp(-z))."),
            (lambda p, new, train: odds(p) * odds(new) / odds(train),
             "those are the corrected odds; a probability is odds / (1 + odds)."),
            (lambda p, new, train: p * new / train,
             "you scaled the probability by the ratio of the prevalences: Bayes' rule scales "
             "the odds, p / (1 - p), by the ratio of the prior odds, and the result stays "
             "between 0 and 1."),
            (lambda p, new, train: p * odds(new) / odds(train),
             "you multiplied the probability by the ratio of the prior odds: multiply the odds "
             "p / (1 - p) instead, then turn them back into a probability."),
            (lambda p, new, train: _sigmoid(_log_odds(p) + new - train),
             "you added the prevalences themselves: add their log-odds, log(π / (1 - π))."),
        ],
        fallback_hint="some probabilities differ: work on the log-odds scale, logit(p) + "
                      "logit(new) - logit(train), then apply the sigmoid; p is a NumPy array, "
                      "so use np.log and np.exp.",
    )


# --------------------------------------------------------------------------- exercise 5


def _region_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    """(heatmap (6, 6) >= 0, mask (6, 6) bool) pairs: heat mostly in, mostly out, uniform."""
    rng = np.random.default_rng(10)
    mask = np.zeros((6, 6), dtype=bool)
    mask[1:4, 1:3] = True  # 6 of 36 pixels
    lateral = np.zeros((6, 6), dtype=bool)
    lateral[:, 4:] = True  # 12 of 36 pixels
    inside = rng.random((6, 6)) * 0.2
    inside[1:4, 1:3] += 1.0
    return [(inside, mask), (rng.random((6, 6)), lateral), (np.ones((6, 6)), mask),
            (np.eye(6), lateral)]


def _heat_ratio(heatmap, mask):
    heatmap, mask = np.asarray(heatmap, dtype=float), np.asarray(mask, dtype=bool)
    return (heatmap[mask].sum() / heatmap.sum()) / mask.mean()


@checks.exercise
def check_heat_ratio(function) -> checks.CheckResult:
    """Exercise 10.5: ``function(heatmap, mask)`` must return the share of the heatmap's heat
    inside ``mask`` divided by the share of the image the mask covers (1 = uniform)."""
    def share(h, m):
        return h[m].sum() / h.sum()

    return checks.check_function(
        "heat in a region against a uniform map",
        function,
        [((h.copy(), m.copy()), _heat_ratio(h, m)) for h, m in _region_cases()],
        mistakes=[
            (share, "that is the share of the heat in the region; compare it with the share a "
                    "uniform heatmap would put there, the region's share of the image area "
                    "(divide by mask.mean())."),
            (lambda h, m: h[m].mean(), "that is the mean heat per pixel in the region: divide "
                                       "it by the mean heat per pixel of the whole image."),
            (lambda h, m: h[m].sum(), "that is the total heat in the region: it grows with the "
                                      "size of the region. Divide by the total heat of the "
                                      "map, then by the region's share of the area."),
            (lambda h, m: m.mean() / share(h, m),
             "your ratio is upside down: the heat's share goes on top, the area's share below."),
            (lambda h, m: share(h, ~m) / (~m).mean(),
             "you measured the part of the image outside the mask: use the pixels where the "
             "mask is True."),
            (lambda h, m: share(h, m) / m.sum(),
             "you divided by the number of pixels in the region; divide by its share of the "
             "image, mask.mean() (pixels in the region / all pixels)."),
        ],
        fallback_hint="not yet: share = heat inside the mask / all heat; baseline = pixels in "
                      "the mask / all pixels; return share / baseline.",
    )


# --------------------------------------------------------------------------- quiz

QUIZ = quiz.Quiz("clinical_evaluation", [
    quiz.Number(
        "A test has sensitivity 0.9 and specificity 0.95. Among people of whom 1 % have the "
        "disease, what share of those it calls positive really have it (the PPV)?",
        answer=_ppv(0.9, 0.95, 0.01),
        mistakes=[
            (0.9, "that is the sensitivity: the share of the ill that the test finds. The PPV "
                  "asks how many of the positives are ill."),
            (0.95, "that is the specificity, about the healthy: the PPV is about those the test "
                   "calls positive."),
            (_ppv(0.9, 0.95, 0.5), "that is the PPV at a prevalence of 50 %: at 1 % the few true "
                                   "positives are outnumbered by false positives among the many "
                                   "healthy."),
        ],
        otherwise="per 10,000 people: count the true positives (ill and found) and the false "
                  "positives (healthy but positive), then take the share of true ones.",
    ),
    quiz.Choice(
        "evaluation.compute_confusion returns [[TN, FP], [FN, TP]] (rows: the true class). "
        "Which fraction is the sensitivity?",
        correct="TP / (TP + FN), along the second row",
        wrong={
            "TP / (TP + FP), down the second column":
                "dividing by a column (all called positive) gives the PPV.",
            "TN / (TN + FP), along the first row":
                "that is the specificity: the healthy row.",
            "TP / (TN + FP + FN + TP)":
                "sensitivity divides by the ill only, not by all cases.",
        },
    ),
    quiz.Choice(
        "A study reports a PPV of 0.92 on a test split where 62.5 % have pneumonia. In a clinic "
        "where 5 % have pneumonia, the same model's PPV will be",
        correct="lower",
        wrong={
            "the same":
                "sensitivity and specificity carry over (if the cases look alike); PPV and NPV "
                "depend on the prevalence, by Bayes' rule.",
            "higher":
                "with fewer ill patients there are fewer true positives, against false positives "
                "from many more healthy ones: the PPV falls.",
        },
    ),
    quiz.Choice(
        "Two X-rays of the same child end up one in the training split and one in the test "
        "split. What does that do to the test score?",
        correct="It inflates it: the model may recognise the child, not the disease",
        wrong={
            "Nothing, since the two images are different":
                "images of one child share anatomy and often the finding: a model that memorises "
                "gets the test copy right for the wrong reason.",
            "It lowers it":
                "a leak makes the test easier, not harder; splits are made by patient to avoid "
                "it.",
        },
    ),
    quiz.Number(
        "A lung region covers 20 % of an X-ray and holds 50 % of a Grad-CAM map's heat. What is "
        "its heat ratio, against a uniform map?",
        answer=0.5 / 0.2,
        mistakes=[
            (0.2 / 0.5, "upside down: divide the share of the heat by the share of the area."),
            (0.5 - 0.2, "a ratio, not a difference: divide the heat share by the area share."),
            (0.5, "that is the heat share alone: compare it with the 20 % a uniform map would "
                  "put there."),
        ],
        otherwise="heat ratio = (share of the heat inside the region) / (share of the image the "
                  "region covers).",
    ),
])
