"""One change at a time: the ablation of lesson 09, from the CNN of Figure 3 to the recipe of
``python -m helpers.classifier train`` (``notebooks/09_chest_xray_training.ipynb``).

- :data:`CHANGES` names the changes in the course's order. Each switches one setting from its
  value in the plain CNN (:data:`PLAIN`) to its value in the command line's recipe, which
  :func:`recipe_settings` reads from :func:`helpers.models.build_improved_cnn` and
  :class:`helpers.training.TrainSettings`, so that the last row cannot drift from the recipe.
- :func:`ablation_steps` turns an order of changes into rows, each of which changes exactly one
  setting of the row before (:func:`changed_settings` says which).
- :func:`build_step_model` builds a row's model. :class:`Ablation` trains rows with the course's
  one recipe (:func:`helpers.training.fit_binary`, a line per epoch) and scores each on the
  validation split: AUC with a 95 % bootstrap interval, sensitivity and specificity at 0.5,
  parameters, seconds, and the change in AUC from the row before with a *paired* interval
  (the same resampled images for both rows). :meth:`Ablation.table` is the Markdown table,
  :meth:`Ablation.describe` the sentences that read it, computed from the rows.

Images are (N, H, W, C) uint8 in [0, 255], labels (N,) int64 in {0, 1}, as in :mod:`helpers.data`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from helpers import evaluation, training, validate
from helpers.data import Split
from helpers.evaluation.metrics import auc_by_ranks
from helpers.evaluation.uncertainty import resampled_interval
from helpers.transfer.ops import intervals_overlap

#: The options of :func:`helpers.models.build_improved_cnn` that the ablation switches.
MODEL_KEYS = ("global_pooling", "smooth", "standardize", "augment", "batch_norm", "dropout")
#: The options of the training recipe that it switches (:func:`helpers.training.fit_binary`).
FIT_KEYS = ("class_weight", "label_smoothing")

#: The first row: the CNN of Figure 3 (``body="figure3"``), trained without any extra.
PLAIN: dict = {"body": "figure3", "global_pooling": False, "smooth": False, "standardize": False,
               "augment": False, "batch_norm": False, "dropout": 0.0, "class_weight": False,
               "label_smoothing": 0.0}

#: The changes in the course's order: setting → (row name, what the row changes).
CHANGES: dict[str, tuple[str, str]] = {
    "body": ("deeper body", "VGG-style blocks of two 3×3 convolutions ({widths} maps) instead of "
                            "two single convolutions (8, 16 maps); still flattened"),
    "global_pooling": ("+ global average pooling", "each last feature map averaged to one number "
                                                   "instead of flattening them all"),
    "smooth": ("+ input blur", "a fixed 3×3 average of the input image"),
    "standardize": ("+ per-image standardisation", "every image rescaled to mean 0 and "
                                                   "standard deviation 1 on its own"),
    "augment": ("+ augmentation", "random shifts, rotations and zooms of the training images"),
    "batch_norm": ("+ batch norm", "batch normalisation after every convolution"),
    "dropout": ("+ dropout", "dropout of {dropout:.0f} % before the output"),
    "class_weight": ("+ class weights", "each class carries the same total weight in the loss"),
    "label_smoothing": ("+ label smoothing", "targets {half:g} and {one:g} instead of 0 and 1"),
}


def recipe_settings() -> dict:
    """The settings of the last row: those of ``python -m helpers.classifier train``
    (the defaults of :func:`helpers.models.build_improved_cnn`, with
    :class:`helpers.training.TrainSettings` for class weights and label smoothing)."""
    import inspect

    from helpers import models

    defaults = {name: p.default
                for name, p in inspect.signature(models.build_improved_cnn).parameters.items()}
    recipe = training.TrainSettings()
    defaults.update(recipe.model_options)
    return {"body": "vgg", **{key: defaults[key] for key in MODEL_KEYS},
            "class_weight": recipe.class_weight, "label_smoothing": recipe.label_smoothing}


@dataclass(frozen=True)
class AblationStep:
    """One row of the ablation: its ``name``, the setting it ``change``s (None for the first
    row), that change in words, and all its ``settings`` (the keys of :data:`PLAIN`)."""

    name: str
    change: str | None
    description: str
    settings: dict = field(hash=False)


def changed_settings(before: dict, after: dict) -> list[str]:
    """The settings (keys of :data:`PLAIN`) whose values differ between two rows."""
    return [key for key in PLAIN if before.get(key) != after.get(key)]


def _describe_change(key: str, settings: dict) -> str:
    import inspect

    from helpers import models

    widths = inspect.signature(models.build_improved_cnn).parameters["widths"].default
    s = settings["label_smoothing"]
    return CHANGES[key][1].format(widths=", ".join(map(str, widths)),
                                  dropout=100 * settings["dropout"], half=s / 2, one=1 - s / 2)


def ablation_steps(order: Sequence[str] | None = None) -> list[AblationStep]:
    """The rows of the ablation: Figure 3, then one row per change of ``order`` (keys of
    :data:`CHANGES`; default: all of them, in their order), each switching one setting from
    :data:`PLAIN` to :func:`recipe_settings`. With every change, the last row is the recipe.

    A change of the model (global pooling, blur, ...) needs the deeper body first: the Figure 3
    builder has no such options. Raises ``ValueError`` for an unknown or repeated change.
    """
    order = list(CHANGES) if order is None else list(order)
    unknown = [key for key in order if key not in CHANGES]
    if unknown:
        raise ValueError(f"unknown change(s) {unknown}; choose from {', '.join(CHANGES)}")
    if len(set(order)) != len(order):
        raise ValueError(f"a change may appear once in the order, got {order}")
    recipe = recipe_settings()
    settings = dict(PLAIN)
    steps = [AblationStep("Figure 3 CNN", None, "the CNN of Figure 3, as drawn", dict(settings))]
    for key in order:
        if key in MODEL_KEYS and settings["body"] == "figure3":
            raise ValueError(f"{key!r} is an option of the deeper CNN: put 'body' before it "
                             "in the order (the Figure 3 builder has no such option)")
        settings = {**settings, key: recipe[key]}
        steps.append(AblationStep(CHANGES[key][0], key, _describe_change(key, settings),
                                  dict(settings)))
    return steps


def build_step_model(step: AblationStep, input_shape: Sequence[int] = (28, 28, 1), *,
                     seed: int = 0):
    """The untrained binary model of ``step``, built right after seeding with ``seed``:
    :func:`helpers.models.build_figure3_cnn` or :func:`helpers.models.build_improved_cnn`
    with the step's options."""
    from helpers import course, models

    course.seed_everything(seed)
    if step.settings["body"] == "figure3":
        return models.build_figure3_cnn(input_shape)
    options = {key: step.settings[key] for key in MODEL_KEYS}
    return models.build_improved_cnn(input_shape, 2, seed=seed, **options)


def _rates_at_half(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    return evaluation.rates_from_confusion(evaluation.compute_confusion(y, p, 0.5))


class Ablation:
    """The rows of an ablation, trained and scored one call of :meth:`run` at a time.

    ``train`` fits every row, ``val`` scores it (labels 0/1, both classes present). Every row
    gets the same ``epochs``, ``batch_size``, ``learning_rate`` and ``seed`` (for the weights
    at the start, the batches, augmentation and dropout). ``n_boot`` resamples give the 95 %
    intervals. ``rows`` holds one dict per trained row (see :meth:`run`).
    """

    def __init__(self, train: Split, val: Split, *, epochs: int, batch_size: int = 128,
                 learning_rate: float = 2e-3, seed: int = 0, n_boot: int = 1000):
        training.check_split(train, "train")
        training.check_split(val, "val")
        if len(np.unique(val.labels)) < 2:
            raise ValueError("the val split holds a single class: the AUC needs two")
        self.train, self.val = train, val
        self.epochs = validate.whole_number(epochs, "epochs")
        self.batch_size = validate.whole_number(batch_size, "batch_size")
        self.learning_rate = validate.positive_number(learning_rate, "learning_rate")
        self.seed = validate.whole_number(seed, "seed", minimum=0)
        self.n_boot = validate.whole_number(n_boot, "n_boot", minimum=10)
        self.rows: list[dict] = []

    def run(self, steps: Sequence[AblationStep], *,
            log: Callable[[str], None] | None = print) -> list[dict]:
        """Train and score ``steps`` after the rows already run; return their rows.

        Each step must change exactly one setting of the row before it (``ValueError``
        otherwise). ``log`` gets a line per row, a line per epoch and a result line per row.
        A row: ``step, change, settings, auc, auc_low, auc_high, sensitivity, specificity``
        (at 0.5), ``parameters, seconds, epochs``, ``delta_auc, delta_low, delta_high``
        (against the row before; NaN for the first row) and ``probabilities`` (val, (N,)).
        """
        from helpers import models

        steps = list(steps)
        settings = [self.rows[-1]["settings"]] if self.rows else []
        for step in steps:
            if settings and len(changed_settings(settings[-1], step.settings)) != 1:
                changed = changed_settings(settings[-1], step.settings) or ["nothing"]
                raise ValueError(f"row {step.name!r} changes {', '.join(changed)} relative to "
                                 "the row before: an ablation changes one thing at a time")
            settings.append(step.settings)
        y = self.val.labels.astype(np.int64)
        new = []
        for step in steps:
            number = len(self.rows) + 1
            if log is not None:
                log(f"row {number}: {step.name} ({step.description})")
            model = build_step_model(step, self.train.images.shape[1:], seed=self.seed)
            start = time.perf_counter()
            training.fit_binary(model, self.train, self.val, epochs=self.epochs,
                                batch_size=self.batch_size, learning_rate=self.learning_rate,
                                class_weight=step.settings["class_weight"],
                                label_smoothing=step.settings["label_smoothing"], seed=self.seed,
                                log=None if log is None else (lambda line: log("  " + line)))
            seconds = time.perf_counter() - start
            p = models.predict_probabilities(model, self.val.images)
            row = {"step": step.name, "change": step.change, "settings": dict(step.settings),
                   "auc": auc_by_ranks(y, p), "parameters": models.count_parameters(model),
                   "seconds": seconds, "epochs": self.epochs, "probabilities": p,
                   **{k: v for k, v in _rates_at_half(y, p).items()
                      if k in ("sensitivity", "specificity")}}
            row["auc_low"], row["auc_high"] = evaluation.bootstrap_ci(
                y, p, evaluation.metric_at("auc"), n_boot=self.n_boot, seed=self.seed)
            row.update(self._delta(y, p))
            self.rows.append(row)
            new.append(row)
            if log is not None:
                log(f"  → val AUC {row['auc']:.3f} (95 % CI {row['auc_low']:.3f}–"
                    f"{row['auc_high']:.3f}), {row['parameters']:,} parameters, "
                    f"{seconds:.0f} s")
        return new

    def _delta(self, y: np.ndarray, p: np.ndarray) -> dict[str, float]:
        """AUC of ``p`` minus that of the last row, with a paired 95 % bootstrap interval."""
        if not self.rows:
            return {"delta_auc": float("nan"), "delta_low": float("nan"),
                    "delta_high": float("nan")}
        both = np.column_stack([self.rows[-1]["probabilities"], p])

        def difference(yy: np.ndarray, ss: np.ndarray) -> float:
            return auc_by_ranks(yy, ss[:, 1]) - auc_by_ranks(yy, ss[:, 0])

        groups = [np.flatnonzero(y == c) for c in (0, 1)]
        low, high = resampled_interval(y, both, difference, groups, n_boot=self.n_boot,
                                       level=0.95, seed=self.seed)
        return {"delta_auc": difference(y, both), "delta_low": low, "delta_high": high}

    def table(self) -> str:
        """The rows as a Markdown table (``ValueError`` before any row is run)."""
        if not self.rows:
            raise ValueError("no rows yet: call run(steps) first")
        lines = []
        for number, row in enumerate(self.rows, start=1):
            delta = "—" if np.isnan(row["delta_auc"]) else (
                f"{row['delta_auc']:+.3f} ({row['delta_low']:+.3f} to {row['delta_high']:+.3f})")
            auc = f"{row['auc']:.3f} ({row['auc_low']:.3f}–{row['auc_high']:.3f})"
            lines.append({
                "row": str(number), "step": row["step"], "val AUC (95 % CI)": auc,
                "Δ AUC vs row before (paired 95 % CI)": delta,
                "sensitivity at 0.5": f"{row['sensitivity']:.3f}",
                "specificity at 0.5": f"{row['specificity']:.3f}",
                "parameters": f"{row['parameters']:,}", "seconds": f"{row['seconds']:.0f}"})
        return evaluation.format_table(lines, list(lines[0]))

    def describe(self) -> str:
        """Sentences that read the table, computed from the rows (see :func:`describe_rows`)."""
        return describe_rows(self.rows)


def _interval(row: dict) -> tuple[float, float]:
    return row["auc_low"], row["auc_high"]


def _names(rows: Sequence[dict], numbers: Sequence[int]) -> str:
    names = [f"{rows[k]['step'].removeprefix('+ ')} (row {k + 1})" for k in numbers]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe_rows(rows: Sequence[dict]) -> str:
    """What an ablation table shows, in sentences computed from its ``rows`` (those of
    :meth:`Ablation.run`): the AUC from the first row to the last, the change that moved it
    most, which consecutive rows' 95 % intervals overlap, which paired intervals exclude 0,
    what class weights did to sensitivity and specificity, and what changed the parameters."""
    rows = list(rows)
    if len(rows) < 2:
        return "With a single row there is no change to read: run at least two rows."
    first, last = rows[0], rows[-1]
    steps = range(1, len(rows))
    lines = [f"From the first row ({first['step']}) to the last ({last['step']}) the validation "
             f"AUC went from {first['auc']:.3f} to {last['auc']:.3f} "
             f"({last['auc'] - first['auc']:+.3f})."]
    top = max(steps, key=lambda k: abs(rows[k]["delta_auc"]))
    row = rows[top]
    excludes = row["delta_low"] > 0 or row["delta_high"] < 0
    direction = "raised" if row["delta_auc"] > 0 else "lowered"
    lines.append(f"The change that moved the AUC most was {_names(rows, [top])}: it {direction} "
                 f"the AUC by {abs(row['delta_auc']):.3f} (paired 95 % interval "
                 f"{row['delta_low']:+.3f} to {row['delta_high']:+.3f}, which "
                 f"{'excludes' if excludes else 'includes'} 0).")
    apart = [k for k in steps if not intervals_overlap(_interval(rows[k - 1]), _interval(rows[k]))]
    if not apart:
        every = "the one change" if len(rows) == 2 else f"all {len(rows) - 1} changes"
        lines.append(f"The 95 % intervals of every row overlap those of the row before it "
                     f"({every}): judged by separate intervals, this validation split cannot "
                     "tell any single change from chance.")
    else:
        together = [k for k in steps if k not in apart]
        rest = (f"; they overlap for the other {len(together)} change"
                f"{'s' if len(together) != 1 else ''}." if together else
                "; for no change do they overlap.")
        lines.append(f"The 95 % intervals of consecutive rows do not overlap for "
                     f"{_names(rows, apart)}{rest}")
    paired = [k for k in steps if rows[k]["delta_low"] > 0 or rows[k]["delta_high"] < 0]
    if paired:
        lines.append(f"The paired intervals, which resample the same validation images for both "
                     f"rows and are usually narrower, exclude 0 for {_names(rows, paired)}.")
    else:
        lines.append("Even the paired intervals, which resample the same validation images for "
                     "both rows and are usually narrower, include 0 for every change.")
    weighted = [k for k in steps if rows[k]["change"] == "class_weight"]
    if weighted:
        k = weighted[0]
        before, after = rows[k - 1], rows[k]
        d_sens = after["sensitivity"] - before["sensitivity"]
        d_spec = after["specificity"] - before["specificity"]
        moved = max(abs(d_sens), abs(d_spec))
        verdict = ("they moved the operating point more than the ranking"
                   if moved > abs(after["delta_auc"]) else
                   "the operating point moved no more than the ranking")
        lines.append(f"Class weights (row {k + 1}) changed the sensitivity at 0.5 from "
                     f"{before['sensitivity']:.3f} to {after['sensitivity']:.3f} and the "
                     f"specificity from {before['specificity']:.3f} to {after['specificity']:.3f}, "
                     f"while the AUC changed by {after['delta_auc']:+.3f}: {verdict}.")
    sizes = max(steps, key=lambda k: abs(rows[k]["parameters"] - rows[k - 1]["parameters"]))
    if rows[sizes]["parameters"] != rows[sizes - 1]["parameters"]:
        lines.append(f"The parameters changed most with {_names(rows, [sizes])}: from "
                     f"{rows[sizes - 1]['parameters']:,} to {rows[sizes]['parameters']:,}.")
    lines.append(f"Training all {len(rows)} rows took {sum(r['seconds'] for r in rows):.0f} s.")
    return " ".join(lines)
