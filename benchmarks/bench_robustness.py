"""What each robustness choice of the pneumonia classifier buys, on the official val split.

Trains the command line's classifier (:func:`helpers.training.train_classifier`, settings from
:func:`helpers.training.default_settings`) on the official PneumoniaMNIST train split of the real
copy in ``shared/datasets/`` and compares, on the official val split (where the threshold is also
chosen):

- one model with the default settings;
- the same, predicting with test-time augmentation (:func:`helpers.robustness.predict_with_tta`);
- three models with seeds 42, 43, 44 averaged (``members=3``);
- one model with added intensity augmentation (random contrast and brightness).

For each: val AUC, accuracy, sensitivity and specificity at the model's saved threshold, the
accuracy re-weighted to the official test split's 62.5 % prevalence
(:func:`helpers.robustness.accuracy_at_prevalence`), the worst accuracy and AUC over the simulated
acquisition changes (:func:`helpers.robustness.stress_test`), parameters and training wall time.
The official test split is never used. ``python benchmarks/bench_robustness.py [variant ...]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: variant → (settings that differ from the defaults, predict with TTA?)
VARIANTS: dict[str, tuple[dict, bool]] = {
    "one model": ({}, False),
    "one model + TTA": ({}, True),
    "3 models averaged": ({"members": 3}, False),
    "intensity augmentation": ({"model_options": {"augmentation": {"contrast": 0.3,
                                                                   "brightness": 0.15}}}, False),
}


def run(names: list[str] | None = None) -> list[tuple[str, float, str]]:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from helpers import data, models, robustness, training
    from helpers.data import locations

    shared = locations.shared_dataset(locations.PNEUMONIA_TRAINVAL)
    if shared is None:
        return [("robustness: no real PneumoniaMNIST copy found, skipped", float("nan"), "")]
    dataset = data.load_dataset(str(shared))
    val = dataset.split("val")
    rows, trained = [], {}
    for name in names or list(VARIANTS):
        changes, tta = VARIANTS[name]
        key = repr(sorted(changes.items()))
        if key not in trained:
            trained[key] = training.train_classifier(
                dataset, training.default_settings(dataset.name, **changes), log=None)
        result = trained[key]

        def predict(images, model=result.model, tta=tta):
            return (robustness.predict_with_tta(model, images) if tta
                    else models.predict_probabilities(model, images))

        table = robustness.stress_test(predict, val.images, val.labels, result.threshold,
                                       prevalence=robustness.PNEUMONIAMNIST_TEST_PREVALENCE)
        plain = table[0]
        prefix = f"robustness ({name})"
        rows += [
            (f"{prefix}: val AUC", plain["AUC"], ""),
            (f"{prefix}: val accuracy at saved threshold", plain["accuracy"], ""),
            (f"{prefix}: val sensitivity", plain["sensitivity"], ""),
            (f"{prefix}: val specificity", plain["specificity"], ""),
            (f"{prefix}: val accuracy re-weighted to 62.5 % pneumonia",
             plain[f"accuracy at {robustness.PNEUMONIAMNIST_TEST_PREVALENCE:.1%}"], ""),
            (f"{prefix}: worst AUC over simulated acquisition changes",
             min(r["AUC"] for r in table[1:]), ""),
            (f"{prefix}: worst accuracy over simulated acquisition changes",
             min(r["accuracy"] for r in table[1:]), ""),
            (f"{prefix}: parameters", float(result.n_parameters), "weights"),
            (f"{prefix}: fit wall time, {result.settings.members} x {result.settings.epochs} epochs",
             result.seconds, "s"),
        ]
    return rows


if __name__ == "__main__":
    chosen = sys.argv[1:] or None
    unknown = set(chosen or []) - set(VARIANTS)
    if unknown:
        sys.exit(f"unknown variant(s) {sorted(unknown)}; choose from {list(VARIANTS)}")
    for row_name, value, unit in run(chosen):
        print(f"{row_name:<78} {value:10.4f} {unit}", flush=True)
