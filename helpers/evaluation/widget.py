"""The two widgets of the clinical evaluation (``notebooks/10_clinical_evaluation.ipynb``).

- The threshold and prevalence explorer: move the decision threshold and the prevalence of the
  disease where the test is used; the ROC operating point, the expected confusion matrix per
  1,000 people and sensitivity, specificity, PPV and NPV move together.
  :func:`threshold_explorer_state` is the pure part, :func:`plot_threshold_explorer` draws it.
- The case browser: true positives, false negatives, ... one at a time, most confident first,
  as the plain X-ray, its Grad-CAM overlay and its score against the threshold.
  :func:`case_browser_state` is the pure part, :func:`plot_case` draws it.

:func:`demo_case_data` makes synthetic inputs for both, to try them without a trained model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial

import numpy as np
from matplotlib.figure import Figure

from helpers import validate
from helpers.evaluation.figures import plot_roc
from helpers.evaluation.metrics import (
    check_binary_inputs,
    compute_confusion,
    predictive_values,
    rates_from_confusion,
    require_both_classes,
)
from helpers.evaluation.thresholds import choose_threshold

#: The threshold slider's values: 0.01 to 0.99 in steps of 0.01.
THRESHOLDS = tuple(round(k / 100, 2) for k in range(1, 100))

#: The prevalence slider's values (the data's own prevalence is added to them).
PREVALENCES = (0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)

#: People in the expected confusion matrix.
PER_PEOPLE = 1000

#: Ticks of the axes from 0 to 1 (few labels: each costs time at every redraw).
TICKS = (0.0, 0.5, 1.0)


def _percent(fraction: float) -> str:
    return f"{100 * fraction:.3g} %"


def _label_names(label_names: Sequence[str]) -> tuple[str, str]:
    names = tuple(str(name) for name in label_names)
    if len(names) != 2:
        raise ValueError(f"label_names must name the two classes (negative, positive), got "
                         f"{list(label_names)}")
    return names


def _check_scores(y_true, scores) -> tuple[np.ndarray, np.ndarray]:
    """Labels (N,) int64 and scores (N,) float64 in [0, 1] with both classes present."""
    y, s = check_binary_inputs(y_true, scores)
    validate.probabilities(s)
    require_both_classes(y, "the evaluation")
    return y, s


def _fraction(value, name: str, hint: str) -> float:
    value = validate.real_number(value, name)
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name} must lie between 0 and 1 ({hint}), got {value:g}")
    return value


# --------------------------------------------------------------------------- threshold explorer


def threshold_explorer_controls(y_true) -> dict[str, tuple]:
    """Every value of the explorer's controls: :data:`THRESHOLDS` and :data:`PREVALENCES` with
    the prevalence of ``y_true`` (N,) added. Builds the sliders and the tests' grid."""
    y, _ = check_binary_inputs(y_true, np.zeros(np.size(y_true)))  # the labels alone decide
    own = float(y.mean())
    return {"threshold": THRESHOLDS, "prevalence": tuple(sorted({*PREVALENCES, own}))}


def threshold_explorer_state(y_true, scores, threshold: float, prevalence: float) -> dict:
    """What the explorer shows at one ``threshold`` and disease ``prevalence``, not drawn.

    y_true: (N,) labels 0/1 with both classes; scores: (N,) probabilities in [0, 1] (positive
    when ``score >= threshold``); threshold and prevalence: numbers between 0 and 1.
    Sensitivity and specificity are counted on the data; PPV and NPV follow from them by
    Bayes' rule at ``prevalence`` (:func:`predictive_values`). Returns a dict with
    ``threshold, prevalence, data_prevalence`` (floats), ``n`` (int), ``confusion`` (2, 2)
    int64 counted ``[[TN, FP], [FN, TP]]``, ``sensitivity, specificity, ppv, npv`` (floats,
    NaN when undefined), ``ppv_data, npv_data`` (at the data's own prevalence),
    ``roc_point`` (false-positive rate, sensitivity) and ``expected`` (2, 2) float64: the
    confusion matrix expected among :data:`PER_PEOPLE` people at ``prevalence``.
    """
    y, s = _check_scores(y_true, scores)
    threshold = _fraction(threshold, "threshold", "a case is called positive when its score "
                                                  "is at least the threshold")
    prevalence = _fraction(prevalence, "prevalence", "a proportion: 0.05 for 5 %")
    confusion = compute_confusion(y, s, threshold)
    rates = rates_from_confusion(confusion)
    se, sp = rates["sensitivity"], rates["specificity"]
    ppv, npv = predictive_values(se, sp, prevalence)
    sick, well = PER_PEOPLE * prevalence, PER_PEOPLE * (1.0 - prevalence)
    expected = np.array([[well * sp, well * (1.0 - sp)], [sick * (1.0 - se), sick * se]])
    return {"threshold": threshold, "prevalence": prevalence, "data_prevalence": float(y.mean()),
            "n": len(y), "confusion": confusion, "sensitivity": se, "specificity": sp,
            "ppv": ppv, "npv": npv, "ppv_data": rates["ppv"], "npv_data": rates["npv"],
            "roc_point": (1.0 - sp, se), "expected": expected}


def _draw_expected_confusion(ax, state: dict, names: tuple[str, str]) -> None:
    """The expected confusion matrix per 1,000 people, coloured on a fixed 0–1,000 viridis
    scale (no colour bar: every cell is labelled with its count)."""
    expected = state["expected"]
    ax.imshow(expected, cmap="viridis", vmin=0, vmax=PER_PEOPLE)
    kinds = [["true negatives", "false positives"], ["false negatives", "true positives"]]
    for (i, j), count in np.ndenumerate(expected):
        ax.text(j, i, f"{count:.0f}\n{kinds[i][j]}", ha="center", va="center", fontsize=9,
                color="white" if count < PER_PEOPLE / 2 else "black")
    rows = expected.sum(axis=1)
    ax.set_xticks([0, 1], [f"called {name}" for name in names])
    ax.set_yticks([0, 1], [f"{name}\n({row:.0f} people)" for name, row in zip(names, rows,
                                                                              strict=True)])
    ax.set_title(f"expected per {PER_PEOPLE:,} people\nat {_percent(state['prevalence'])} "
                 "prevalence")
    ax.grid(False)


def _draw_rates(ax, state: dict) -> None:
    """Sensitivity, specificity (the test's) and PPV, NPV (at the chosen prevalence) as bars."""
    names = ("sensitivity", "specificity", "PPV", "NPV")
    values = [state[key] for key in ("sensitivity", "specificity", "ppv", "npv")]
    colours = ["C0", "C0", "C1", "C1"]
    rows = np.arange(4)[::-1]
    ax.barh(rows, np.nan_to_num(values), color=colours, height=0.6)
    ax.plot([state["ppv_data"], state["npv_data"]], rows[2:], "|", color="black", ms=18,
            mew=2, label=f"PPV, NPV at the data's {_percent(state['data_prevalence'])}")
    for row, value in zip(rows, values, strict=True):
        if math.isnan(value):
            ax.text(0.02, row, "undefined: no one is called this way", va="center", fontsize=9)
        elif value >= 0.2:  # inside the bar, at its end
            ax.text(value - 0.02, row, f"{value:.2f}", va="center", ha="right", fontsize=9,
                    color="white")
        else:
            ax.text(value + 0.02, row, f"{value:.2f}", va="center", fontsize=9)
    ax.set_yticks(rows, [f"{names[0]}\n(the test's)", f"{names[1]}\n(the test's)",
                         f"{names[2]}\nat {_percent(state['prevalence'])}",
                         f"{names[3]}\nat {_percent(state['prevalence'])}"])
    ax.set_xlim(0, 1)
    ax.set_xticks(TICKS)
    ax.set_xlabel("proportion (0 – 1)")
    ax.set_title(f"at threshold {state['threshold']:.2f}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8)


def _summary(state: dict, names: tuple[str, str]) -> str:
    (_, fp), (_, tp) = state["expected"]
    head = f"Threshold {state['threshold']:.2f}, prevalence {_percent(state['prevalence'])}: "
    if tp + fp < 0.5:
        return head + f"of {PER_PEOPLE:,} people, no one is called {names[1]}"
    return head + (f"of {PER_PEOPLE:,} people, {tp + fp:.0f} are called {names[1]}; "
                   f"{tp:.0f} of them have it (PPV {state['ppv']:.2f})")


def plot_threshold_explorer(state: dict, y_true, scores, *, start_threshold: float | None = None,
                            label_names: Sequence[str] = ("normal", "pneumonia")) -> Figure:
    """Draw a :func:`threshold_explorer_state` in a new figure: the ROC curve of ``y_true``,
    ``scores`` with the operating point (and a hollow marker at ``start_threshold``, the one
    chosen on validation), the expected confusion matrix, and the four rates as bars."""
    import matplotlib.pyplot as plt

    names = _label_names(label_names)
    # a fixed layout instead of the course's constrained one: each redraw is about a third faster
    fig, axes = plt.subplots(1, 3, figsize=(11.5, 4.2), width_ratios=(1, 1.1, 1), layout="none")
    fig.subplots_adjust(left=0.06, right=0.99, bottom=0.18, top=0.82, wspace=0.62)
    ax = plot_roc(y_true, scores, label="model", ax=axes[0])
    if start_threshold is not None:
        confusion = compute_confusion(y_true, scores, start_threshold)
        start = rates_from_confusion(confusion)
        ax.plot(1 - start["specificity"], start["sensitivity"], "o", ms=13, mfc="none",
                mec="black", mew=1.5, label=f"chosen on validation ({start_threshold:.2f})")
    fpr, tpr = state["roc_point"]
    ax.plot(fpr, tpr, "o", ms=8, color="black", label=f"threshold {state['threshold']:.2f}")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(f"ROC curve on these {state['n']} images")
    ax.set_xticks(TICKS)
    ax.set_yticks(TICKS)
    _draw_expected_confusion(axes[1], state, names)
    _draw_rates(axes[2], state)
    fig.suptitle(_summary(state, names), fontsize=11)
    return fig


def draw_threshold_explorer(y_true, scores, threshold: float, prevalence: float, *,
                            start_threshold: float | None = None,
                            label_names: Sequence[str] = ("normal", "pneumonia")) -> Figure:
    """The explorer's update function: :func:`threshold_explorer_state`, drawn."""
    state = threshold_explorer_state(y_true, scores, threshold, prevalence)
    return plot_threshold_explorer(state, y_true, scores, start_threshold=start_threshold,
                                   label_names=label_names)


def make_threshold_explorer(y_true, scores, *, threshold: float = 0.5,
                            label_names: Sequence[str] = ("normal", "pneumonia")):
    """The threshold and prevalence explorer: a threshold slider (0.01 – 0.99, starting at
    ``threshold``, the one chosen on validation) and a prevalence slider (1 % – 95 %, starting
    at the prevalence of ``y_true``) above the figure of :func:`draw_threshold_explorer`.

    y_true: (N,) labels 0/1 with both classes; scores: (N,) probabilities in [0, 1]. Returns an
    ipywidgets box that shows itself when it is the last expression of a cell.
    """
    import ipywidgets as ipw

    from helpers import widgets

    y, s = _check_scores(y_true, scores)
    start = _fraction(threshold, "threshold", "the threshold chosen on validation")
    names = _label_names(label_names)
    controls = threshold_explorer_controls(y)
    own = float(y.mean())
    style = {"description_width": "initial"}
    options = [(_percent(p) + (" (these data)" if p == own else ""), p)
               for p in controls["prevalence"]]
    update = partial(draw_threshold_explorer, y, s, start_threshold=start, label_names=names)
    return widgets.interactive_figure(
        update,
        threshold=ipw.FloatSlider(value=min(max(round(start, 2), 0.01), 0.99), min=0.01,
                                  max=0.99, step=0.01, readout_format=".2f",
                                  description="threshold", continuous_update=False, style=style),
        prevalence=ipw.SelectionSlider(options=options, value=own,
                                       description=f"prevalence of {names[1]}",
                                       continuous_update=False, style=style,
                                       layout=ipw.Layout(width="480px")),
    )


# --------------------------------------------------------------------------- case browser


def _check_cases(images, y_true, scores, heatmaps, threshold
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """Images (N, H, W) in [0, 255], labels, scores in [0, 1], heatmaps (N, H, W) in [0, 1]."""
    y, s = check_binary_inputs(y_true, scores)
    validate.probabilities(s)
    x = np.asarray(images)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    heat = np.asarray(heatmaps)
    if x.ndim != 3 or len(x) != len(y) or heat.shape != x.shape:
        raise ValueError(f"images must be (N, H, W) or (N, H, W, 1) and heatmaps (N, H, W), one "
                         f"per label: got {np.shape(images)}, {heat.shape} for {len(y)} labels")
    if x.min() < 0 or x.max() > 255:
        raise ValueError("images must hold grey levels 0 – 255 (the uint8 X-rays as loaded)")
    if heat.min() < 0 or heat.max() > 1:
        raise ValueError("heatmaps must lie in [0, 1], as explain.compute_gradcam returns them")
    threshold = _fraction(threshold, "threshold", "the threshold chosen on validation")
    return x, y, s, heat, threshold


def case_browser_state(images, y_true, scores, heatmaps, *, threshold: float, kind: str,
                       case: int = 1, label_names: Sequence[str] = ("normal", "pneumonia")
                       ) -> dict:
    """The ``case``-th most confident case of ``kind`` ("true positive", "false negative",
    "false positive" or "true negative"; see :func:`helpers.explain.select_cases`), not drawn.

    images: (N, H, W) or (N, H, W, 1) grey levels 0 – 255; y_true: (N,) 0/1; scores: (N,) in
    [0, 1]; heatmaps: (N, H, W) Grad-CAM maps in [0, 1]. Returns a dict with ``kind, case, n``
    (cases of that kind), ``index`` (into the inputs), ``image`` (H, W), ``heatmap`` (H, W),
    ``score, threshold, truth, call`` (label names), ``scores_of_kind`` (n,) and ``title``.
    ``ValueError`` with a message for the learner when there is no such case, or ``case`` is
    not between 1 and n.
    """
    from helpers import explain

    x, y, s, heat, threshold = _check_cases(images, y_true, scores, heatmaps, threshold)
    names = _label_names(label_names)
    validate.one_of(kind, tuple(explain.CASE_KINDS), "kind")
    chosen = explain.select_cases(y, s, threshold, kind, n=len(y))
    truth, called = explain.CASE_KINDS[kind]
    if len(chosen) == 0:
        side = "at or above" if called else "below"
        raise ValueError(f"no {kind}s at threshold {threshold:.2f}: no {names[truth]} image "
                         f"scores {side} it. Choose another kind of case.")
    case = validate.whole_number(case, "case", maximum=len(chosen),
                                 hint=f"(there are {len(chosen)} {kind}s)")
    index = int(chosen[case - 1])
    sign = "≥" if called else "<"
    title = (f"{kind} {case} of {len(chosen)} (image {index}): truly {names[truth]}, called "
             f"{names[called]} (score {s[index]:.2f} {sign} threshold {threshold:.2f})")
    return {"kind": kind, "case": case, "n": len(chosen), "index": index, "image": x[index],
            "heatmap": heat[index], "score": float(s[index]), "threshold": threshold,
            "truth": names[truth], "call": names[called], "scores_of_kind": s[chosen],
            "title": title}


def _draw_score_line(ax, state: dict, names: tuple[str, str]) -> None:
    """The score on a 0 – 1 number line, split at the threshold into the two calls."""
    t = state["threshold"]
    ax.axvspan(0, t, color="C0", alpha=0.15, lw=0)
    ax.axvspan(t, 1, color="C1", alpha=0.15, lw=0)
    ax.text(t / 2, 0.85, f"called\n{names[0]}", ha="center", va="center", fontsize=9)
    ax.text((1 + t) / 2, 0.85, f"called\n{names[1]}", ha="center", va="center", fontsize=9)
    ax.axvline(t, color="black", ls="--", lw=1, label=f"threshold {t:.2f}")
    ax.plot(state["scores_of_kind"], np.full(state["n"], 0.3), "|", color="grey", ms=10,
            label=f"all {state['n']} {state['kind']}s")
    ax.plot(state["score"], 0.55, "o", ms=11, color="black", clip_on=False)
    side = "right" if state["score"] > 0.8 else "left" if state["score"] < 0.2 else "center"
    ax.annotate(f"this case: {state['score']:.2f}", (state["score"], 0.55), xytext=(0, 10),
                textcoords="offset points", ha=side, va="bottom", fontsize=9)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xticks(TICKS)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(f"model score (probability of {names[1]})")
    ax.legend(loc="lower center", fontsize=8, ncols=2, frameon=True, framealpha=0.9)
    ax.set_title("score against the threshold")


def plot_case(state: dict, *, label_names: Sequence[str] = ("normal", "pneumonia")) -> Figure:
    """Draw a :func:`case_browser_state` in a new figure: the X-ray on the fixed grey scale
    0 – 255, the same X-ray with its Grad-CAM overlay (:func:`helpers.explain.plot_gradcam`,
    inferno on [0, 1] with a colour bar), and the score against the threshold."""
    import matplotlib.pyplot as plt

    from helpers import explain

    names = _label_names(label_names)
    fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.7), width_ratios=(1, 1, 1.5), layout="none")
    fig.subplots_adjust(left=0.01, right=0.98, bottom=0.15, top=0.84, wspace=0.3)
    shown = axes[0].imshow(state["image"], cmap="gray", vmin=0, vmax=255,
                           interpolation="nearest")
    fig.colorbar(shown, ax=axes[0], fraction=0.046, pad=0.04, label="grey level",
                 ticks=[0, 128, 255])
    axes[0].set_axis_off()
    axes[0].set_title("X-ray (grey levels 0 – 255)", fontsize=9)
    explain.plot_gradcam(state["image"], state["heatmap"], ax=axes[1],
                         title=f"Grad-CAM: evidence for {names[1]}")
    _draw_score_line(axes[2], state, names)
    fig.suptitle(state["title"], fontsize=11)
    return fig


def draw_case(images, y_true, scores, heatmaps, *, threshold: float, kind: str, case: int = 1,
              label_names: Sequence[str] = ("normal", "pneumonia")) -> Figure:
    """The case browser's update function: :func:`case_browser_state`, drawn."""
    state = case_browser_state(images, y_true, scores, heatmaps, threshold=threshold, kind=kind,
                               case=case, label_names=label_names)
    return plot_case(state, label_names=label_names)


def make_case_browser(images, y_true, scores, heatmaps, *, threshold: float,
                      label_names: Sequence[str] = ("normal", "pneumonia")):
    """The case browser: a drop-down of the kind of case (with how many there are) and a slider
    over its cases, most confident first, above the figure of :func:`draw_case`.

    Arguments as in :func:`case_browser_state`; ``heatmaps`` as
    :func:`helpers.explain.compute_gradcam` returns them. Returns an ipywidgets box that shows
    itself when it is the last expression of a cell.
    """
    import ipywidgets as ipw

    from helpers import explain, widgets

    x, y, s, heat, threshold = _check_cases(images, y_true, scores, heatmaps, threshold)
    names = _label_names(label_names)
    counts = {kind: len(explain.select_cases(y, s, threshold, kind, n=len(y)))
              for kind in explain.CASE_KINDS}
    first = next((kind for kind, n in counts.items() if n), next(iter(counts)))
    kind = ipw.Dropdown(options=[(f"{k} ({n})", k) for k, n in counts.items()], value=first,
                        description="cases")
    case = ipw.IntSlider(value=1, min=1, max=max(counts[first], 1), description="case",
                         continuous_update=False, disabled=counts[first] == 0)

    def follow_kind(change) -> None:
        """Start a new kind at its most confident case (runs before the redraw)."""
        n = counts[change["new"]]
        case.value = 1
        case.max = max(n, 1)
        case.disabled = n == 0

    kind.observe(follow_kind, names="value")
    update = partial(draw_case, x, y, s, heat, threshold=threshold, label_names=names)
    return widgets.interactive_figure(update, kind=kind, case=case)


# --------------------------------------------------------------------------- demo inputs


def _demo_scores(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Probabilities that separate the classes imperfectly (AUC about 0.9)."""
    logits = 1.5 * (2.0 * labels - 1.0) + rng.normal(0.0, 1.5, labels.shape)
    return np.clip(1.0 / (1.0 + np.exp(-logits)), 0.0, 1.0)


def _demo_heatmaps(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Smooth heatmaps (n, size, size) in [0, 1]: one or two blobs over the lung fields."""
    grid = np.arange(size)
    rows, cols = np.meshgrid(grid, grid, indexing="ij")
    heat = np.zeros((n, size, size))
    for blob in range(2):
        on = (rng.random(n) < 0.5) if blob else np.ones(n, dtype=bool)
        side = rng.choice([-1.0, 1.0], n)
        centre_r = size * rng.uniform(0.3, 0.65, n)
        centre_c = size / 2 + side * size * rng.uniform(0.15, 0.3, n)
        sigma = size * rng.uniform(0.1, 0.18, n)
        blob_heat = np.exp(-((rows - centre_r[:, None, None]) ** 2
                             + (cols - centre_c[:, None, None]) ** 2)
                           / (2 * sigma[:, None, None] ** 2))
        heat += on[:, None, None] * rng.uniform(0.5, 1.0, n)[:, None, None] * blob_heat
    return (heat / heat.max(axis=(1, 2), keepdims=True)).astype(np.float32)


def demo_case_data(seed: int = 0) -> dict:
    """Synthetic inputs for both widgets, to try them without training a model.

    Returns ``{"test_images": (400, 28, 28, 1) uint8, "test_labels": (400,) int64,
    "p_test": (400,) float64 in [0, 1], "heat": (400, 28, 28) float32 in [0, 1],
    "threshold": float, "label_names": (negative, positive)}``: chest-like images from
    :func:`helpers.data.synthetic.make_synthetic_chest` (not real patients), scores that are a
    noisy function of the label (with mistakes of every kind), smooth blob heatmaps, and a
    threshold chosen by Youden's J on synthetic validation scores. Deterministic for ``seed``.
    """
    from helpers.data import synthetic

    seed = validate.whole_number(seed, "seed", minimum=0)
    data = synthetic.make_synthetic_chest(n_train=0, n_val=0, n_test=400, seed=seed)
    test = data.split("test")
    rng = np.random.default_rng([seed, 10])
    p_test = _demo_scores(test.labels, rng)
    val_labels = (rng.random(300) < 0.7).astype(np.int64)
    threshold = choose_threshold(val_labels, _demo_scores(val_labels, rng), "youden")
    return {"test_images": test.images, "test_labels": test.labels, "p_test": p_test,
            "heat": _demo_heatmaps(len(test.labels), test.images.shape[1], rng),
            "threshold": float(threshold), "label_names": tuple(data.label_names)}
