"""Clinical evaluation of a binary or multi-class classifier: ROC/AUC, operating points,
thresholds, confidence intervals, calibration, and the published PneumoniaMNIST results.

Taught in ``notebooks/10_clinical_evaluation.ipynb``. Notebooks call everything through the
package (``evaluation.evaluate_binary(...)``); the code lives in these modules:

- :mod:`~helpers.evaluation.metrics` – input checks, ROC curve, AUC, confusion matrix,
  sensitivity, specificity, PPV, NPV, accuracy (the conventions for labels and scores);
- :mod:`~helpers.evaluation.thresholds` – choosing the decision threshold on validation data;
- :mod:`~helpers.evaluation.uncertainty` – bootstrap confidence intervals (also for group means);
- :mod:`~helpers.evaluation.calibration` – reliability bins, the Brier score, and recalibration
  (Platt scaling, temperature scaling, the prior-shift correction);
- :mod:`~helpers.evaluation.multiclass` – K > 2 classes: macro one-vs-rest AUC, accuracy,
  per-class sensitivity, the K × K confusion matrix, bootstrap intervals;
- :mod:`~helpers.evaluation.report` – the full report (dict and text) and the published table;
- :mod:`~helpers.evaluation.figures` – ROC, confusion-matrix and reliability plots;
- :mod:`~helpers.evaluation.widget` – the threshold and prevalence explorer and the case
  browser (notebook 10), with synthetic demo inputs.

Everything is plain NumPy (plus scikit-learn's ROC curve and SciPy's ranks), so it can be
tested on tiny hand-made cases.
"""

from helpers.evaluation.calibration import (
    CalibrationBins,
    LogitMap,
    compute_brier,
    compute_calibration,
    compute_logit,
    fit_platt_scaling,
    fit_temperature_scaling,
    prior_shift_correction,
)
from helpers.evaluation.figures import (
    plot_calibration,
    plot_confusion,
    plot_multiclass_confusion,
    plot_roc,
)
from helpers.evaluation.metrics import (
    RATE_NAMES,
    check_binary_inputs,
    compute_auc,
    compute_binary_metrics,
    compute_confusion,
    compute_roc,
    predictive_values,
    rates_from_confusion,
)
from helpers.evaluation.multiclass import (
    check_multiclass_inputs,
    compute_multiclass_confusion,
    evaluate_multiclass,
    format_multiclass_report,
    macro_auc,
    per_class_auc,
)
from helpers.evaluation.report import (
    BENCHMARK_INPUTS,
    BENCHMARK_SOURCE,
    PNEUMONIAMNIST_BENCHMARK,
    benchmark_table,
    evaluate_binary,
    format_report,
    format_table,
)
from helpers.evaluation.thresholds import (
    THRESHOLD_METHODS,
    choose_threshold,
    choose_threshold_robustly,
)
from helpers.evaluation.uncertainty import bootstrap_ci, compare_groups, metric_at
from helpers.evaluation.widget import (
    case_browser_state,
    demo_case_data,
    make_case_browser,
    make_threshold_explorer,
    threshold_explorer_state,
)

__all__ = [
    "BENCHMARK_SOURCE", "PNEUMONIAMNIST_BENCHMARK", "RATE_NAMES", "THRESHOLD_METHODS",
    "CalibrationBins", "benchmark_table", "bootstrap_ci", "compare_groups", "check_binary_inputs",
    "check_multiclass_inputs", "compute_multiclass_confusion", "evaluate_multiclass",
    "format_multiclass_report", "macro_auc", "per_class_auc",
    "choose_threshold", "choose_threshold_robustly", "compute_auc", "compute_binary_metrics",
    "compute_brier", "compute_calibration", "compute_confusion", "compute_roc",
    "evaluate_binary", "format_report", "format_table", "metric_at", "plot_calibration",
    "plot_confusion", "plot_multiclass_confusion", "plot_roc", "rates_from_confusion",
    "predictive_values", "threshold_explorer_state", "make_threshold_explorer",
    "case_browser_state", "make_case_browser", "demo_case_data",
    "BENCHMARK_INPUTS", "LogitMap", "compute_logit", "fit_platt_scaling",
    "fit_temperature_scaling", "prior_shift_correction",
]
