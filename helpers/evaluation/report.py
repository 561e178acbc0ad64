"""The report of a diagnostic study: every metric with its interval, as a dict and as text, and
the published PneumoniaMNIST results to put beside it."""

from __future__ import annotations

from collections.abc import Sequence

from helpers.evaluation.calibration import compute_brier
from helpers.evaluation.metrics import (
    RATE_NAMES,
    auc_by_ranks,
    check_binary_inputs,
    compute_binary_metrics,
    compute_confusion,
    rates_from_confusion,
    require_both_classes,
)
from helpers.evaluation.uncertainty import bootstrap_ci, metric_at


def evaluate_binary(
    y_true,
    y_score,
    threshold: float = 0.5,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> dict[str, float]:
    """A full report: AUC, the operating-point metrics at ``threshold`` and at 0.5, the Brier
    score, and bootstrap intervals ``<name>_ci_low``/``<name>_ci_high`` for the AUC and every
    rate (skipped when ``n_boot=0``).

    Keys: ``auc, threshold, n, n_positive, tp, fp, tn, fn, sensitivity, specificity, ppv, npv,
    accuracy, accuracy_at_0.5, sensitivity_at_0.5, specificity_at_0.5, brier`` and the CIs.
    """
    y, s = check_binary_inputs(y_true, y_score)
    require_both_classes(y, "the evaluation")
    report: dict[str, float] = {"auc": auc_by_ranks(y, s)}
    report.update(compute_binary_metrics(y, s, threshold))
    report["n_positive"] = int(y.sum())
    at_half = rates_from_confusion(compute_confusion(y, s, 0.5))
    for name in ("accuracy", "sensitivity", "specificity"):
        report[f"{name}_at_0.5"] = at_half[name]
    if s.min() >= 0.0 and s.max() <= 1.0:
        report["brier"] = compute_brier(y, s)
    if n_boot:
        for name in ("auc", *RATE_NAMES):
            low, high = bootstrap_ci(y, s, metric_at(name, threshold), n_boot=n_boot,
                                     level=level, seed=seed)
            report[f"{name}_ci_low"], report[f"{name}_ci_high"] = low, high
    return report


def format_report(report: dict[str, float], title: str) -> str:
    """A readable multi-line summary of an :func:`evaluate_binary` report, under ``title``;
    the 95 % intervals are shown when the report has them. A report with ``"positive"`` (the
    name of the positive class) says which class that is; a multi-class report
    (:func:`helpers.evaluation.evaluate_multiclass`) is passed to
    :func:`helpers.evaluation.format_multiclass_report`."""
    if report.get("task") == "multi-class":
        from helpers.evaluation.multiclass import format_multiclass_report

        return format_multiclass_report(report, title)

    def ci(name: str) -> str:
        low, high = report.get(f"{name}_ci_low"), report.get(f"{name}_ci_high")
        return f"  (95 % CI {low:.3f}–{high:.3f})" if low is not None else ""

    lines = [title]
    if "positive" in report:
        lines.append(f"  positive class {report['positive']!r} (the sensitivity is its recall)")
    lines += [
        f"  cases          {report['n']} ({report['n_positive']} positive, "
        f"{report['n'] - report['n_positive']} negative)",
        f"  AUC            {report['auc']:.4f}{ci('auc')}",
        f"  threshold      {report['threshold']:.4f} (chosen on validation data)",
        f"  accuracy       {report['accuracy']:.4f}{ci('accuracy')}",
        f"  sensitivity    {report['sensitivity']:.4f}{ci('sensitivity')}",
        f"  specificity    {report['specificity']:.4f}{ci('specificity')}",
        f"  PPV            {report['ppv']:.4f}{ci('ppv')}",
        f"  NPV            {report['npv']:.4f}{ci('npv')}",
        f"  confusion      TN {report['tn']}  FP {report['fp']}  FN {report['fn']}  "
        f"TP {report['tp']}",
        f"  at 0.5         accuracy {report['accuracy_at_0.5']:.4f}, sensitivity "
        f"{report['sensitivity_at_0.5']:.4f}, specificity {report['specificity_at_0.5']:.4f}",
    ]
    if "brier" in report:
        lines.append(f"  Brier score    {report['brier']:.4f}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- published results


#: PneumoniaMNIST test-split results published with MedMNIST v2 (Yang et al., Scientific Data
#: 10, 41, 2023, the benchmark table of the 2D data sets): (method, AUC, ACC). ACC is at the
#: authors' decision rule (a score of 0.5). The number in brackets is the side of the images the
#: ResNets were given, not of the information in them: see :data:`BENCHMARK_INPUTS`.
PNEUMONIAMNIST_BENCHMARK: tuple[tuple[str, float, float], ...] = (
    ("ResNet-18 (28)", 0.944, 0.854),
    ("ResNet-18 (224)", 0.956, 0.864),
    ("ResNet-50 (28)", 0.948, 0.854),
    ("ResNet-50 (224)", 0.962, 0.884),
    ("auto-sklearn", 0.942, 0.855),
    ("AutoKeras", 0.947, 0.878),
    ("Google AutoML Vision", 0.991, 0.946),
)

#: What each published model was given, from MedMNIST's experiment code
#: (github.com/MedMNIST/experiments): its README says that the "224" ResNets were trained on the
#: 28×28 images resized to 224×224 by nearest-neighbour interpolation, auto-sklearn read the 784
#: pixel values as a flat vector, and ``MedMNIST2D/eval_google_automl_vision.py`` enlarges each
#: 28×28 image to 224×224 RGB for the AutoML Vision model. Every row saw the same 28×28 images,
#: some of them enlarged: none saw more detail.
BENCHMARK_INPUTS: dict[str, str] = {
    "ResNet-18 (28)": "28×28",
    "ResNet-18 (224)": "28×28 enlarged to 224×224 (nearest neighbour)",
    "ResNet-50 (28)": "28×28",
    "ResNet-50 (224)": "28×28 enlarged to 224×224 (nearest neighbour)",
    "auto-sklearn": "28×28, as 784 numbers",
    "AutoKeras": "28×28",
    "Google AutoML Vision": "28×28 enlarged to 224×224 RGB",
}

BENCHMARK_SOURCE = "MedMNIST v2, Yang et al., Scientific Data 10, 41 (2023)"


def benchmark_table(extra_rows: Sequence[tuple] = ()) -> list[dict]:
    """Published PneumoniaMNIST **test** results as rows ``{"method", "auc", "acc", "input",
    "source"}`` (``input``: what the model was given, :data:`BENCHMARK_INPUTS`), followed by
    ``extra_rows`` given as ``(method, auc, acc)`` or ``(method, auc, acc, input)`` (e.g. your
    own model; the input defaults to "28×28").
    """
    rows = [{"method": m, "auc": a, "acc": c, "input": BENCHMARK_INPUTS[m],
             "source": BENCHMARK_SOURCE} for m, a, c in PNEUMONIAMNIST_BENCHMARK]
    for row in extra_rows:
        if len(row) not in (3, 4):
            raise ValueError(f"extra rows are (method, auc, acc) triples or (method, auc, acc, "
                             f"input), got {row!r}")
        method, auc, acc, *given = row
        rows.append({"method": str(method), "auc": float(auc), "acc": float(acc),
                     "input": str(given[0]) if given else "28×28", "source": "this course"})
    return rows


def format_table(rows: Sequence[dict], columns: Sequence[str] = ("method", "auc", "acc")) -> str:
    """Rows of dicts as a Markdown table; floats with three decimals."""
    if not rows:
        raise ValueError("no rows to format")
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise ValueError(f"columns {missing} not in the rows; they have {sorted(rows[0])}")

    def cell(value) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines)
