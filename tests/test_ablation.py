"""helpers.ablation: every row changes exactly one thing, the last row is the command line's
recipe, and the sentences that read the table follow from its numbers."""

import inspect
import math

import numpy as np
import pytest

from helpers import ablation, data, models, training


def test_every_row_changes_exactly_one_setting_and_the_last_is_the_recipe():
    steps = ablation.ablation_steps()
    assert steps[0].settings == ablation.PLAIN and steps[0].change is None
    assert len(steps) == 1 + len(ablation.CHANGES)
    for before, after in zip(steps, steps[1:], strict=False):
        assert ablation.changed_settings(before.settings, after.settings) == [after.change]
    assert steps[-1].settings == ablation.recipe_settings()


def test_the_recipe_is_that_of_the_command_line():
    recipe = ablation.recipe_settings()
    defaults = inspect.signature(models.build_improved_cnn).parameters
    for key in ablation.MODEL_KEYS:
        assert recipe[key] == defaults[key].default
    settings = training.TrainSettings()
    assert recipe["class_weight"] == settings.class_weight
    assert recipe["label_smoothing"] == settings.label_smoothing
    # the recipe switches every setting away from the plain CNN: no change is empty
    assert not [key for key in ablation.CHANGES if recipe[key] == ablation.PLAIN[key]]


def test_descriptions_state_the_values_of_the_recipe():
    steps = {step.change: step for step in ablation.ablation_steps()}
    assert "30 %" in steps["dropout"].description
    assert "0.05 and 0.95" in steps["label_smoothing"].description
    assert "16, 32, 64" in steps["body"].description


def test_another_order_and_a_subset_of_changes():
    steps = ablation.ablation_steps(["class_weight", "body", "batch_norm"])
    assert [s.change for s in steps] == [None, "class_weight", "body", "batch_norm"]
    assert steps[1].settings["body"] == "figure3" and steps[1].settings["class_weight"]
    assert steps[-1].settings["batch_norm"] and not steps[-1].settings["augment"]


@pytest.mark.parametrize("order, message", [
    (["depth"], "unknown change"),
    (["body", "body"], "once"),
    (["augment", "body"], "put 'body' before it"),
])
def test_bad_orders_are_refused(order, message):
    with pytest.raises(ValueError, match=message):
        ablation.ablation_steps(order)


def test_each_row_builds_its_own_model():
    steps = ablation.ablation_steps()
    figure3 = ablation.build_step_model(steps[0])
    assert figure3.name == "figure3_cnn"
    assert models.count_parameters(figure3) == models.count_parameters(models.build_figure3_cnn())
    deeper = ablation.build_step_model(steps[1])
    names = [layer.name for layer in deeper.layers]
    assert "flatten" in names and "smooth" not in names and "dropout" not in names
    pooled = ablation.build_step_model(steps[2])
    assert "global_pool" in [layer.name for layer in pooled.layers]
    assert models.count_parameters(pooled) < models.count_parameters(deeper)
    last = ablation.build_step_model(steps[-1])
    assert models.count_parameters(last) == models.count_parameters(models.build_improved_cnn())


@pytest.fixture(scope="module")
def tiny():
    chest = data.make_synthetic_chest(n_train=64, n_val=40, n_test=0, seed=6)
    return chest.split("train"), chest.split("val")


@pytest.fixture(scope="module")
def ran(tiny):
    lines = []
    study = ablation.Ablation(*tiny, epochs=1, batch_size=32, seed=1, n_boot=50)
    steps = ablation.ablation_steps()
    study.run(steps[:2], log=lines.append)
    study.run(steps[2:3], log=lines.append)  # a second call continues the table
    return study, lines


def test_a_run_gives_one_scored_row_per_step(ran, tiny):
    study, lines = ran
    assert [row["step"] for row in study.rows] == ["Figure 3 CNN", "deeper body",
                                                   "+ global average pooling"]
    for row in study.rows:
        assert row["auc_low"] <= row["auc"] <= row["auc_high"]
        assert 0 <= row["sensitivity"] <= 1 and 0 <= row["specificity"] <= 1
        assert row["probabilities"].shape == (len(tiny[1]),) and row["seconds"] > 0
    assert math.isnan(study.rows[0]["delta_auc"])
    second = study.rows[1]
    assert second["delta_auc"] == pytest.approx(second["auc"] - study.rows[0]["auc"])
    assert second["delta_low"] <= second["delta_auc"] <= second["delta_high"]
    # one line naming the row, one per epoch, one result line: for each of the 3 rows
    assert len(lines) == 3 * 3
    assert lines[0].startswith("row 1: Figure 3 CNN") and "epoch" in lines[1]
    assert "val AUC" in lines[2] and lines[3].startswith("row 2")


def test_the_table_and_the_sentences(ran):
    study, _ = ran
    table = study.table().splitlines()
    assert len(table) == 2 + 3 and "| 1 | Figure 3 CNN |" in table[2] and "—" in table[2]
    text = study.describe()
    assert "From the first row (Figure 3 CNN)" in text and "Training all 3 rows" in text


def test_a_row_that_changes_two_things_is_refused(tiny):
    study = ablation.Ablation(*tiny, epochs=1, batch_size=32, n_boot=50)
    steps = ablation.ablation_steps()
    with pytest.raises(ValueError, match="one thing at a time"):
        study.run([steps[0], steps[2]], log=None)
    assert study.rows == []
    with pytest.raises(ValueError, match="no rows yet"):
        study.table()


def test_bad_arguments_are_refused(tiny):
    train, val = tiny
    one_class = data.Split(val.images[val.labels == 1], val.labels[val.labels == 1])
    with pytest.raises(ValueError, match="single class"):
        ablation.Ablation(train, one_class, epochs=1)
    with pytest.raises(ValueError, match="epochs"):
        ablation.Ablation(train, val, epochs=0)


def row(step, change, auc, ci, delta=(math.nan,) * 3, sens=0.9, spec=0.6, parameters=100):
    return {"step": step, "change": change, "auc": auc, "auc_low": ci[0], "auc_high": ci[1],
            "delta_auc": delta[0], "delta_low": delta[1], "delta_high": delta[2],
            "sensitivity": sens, "specificity": spec, "parameters": parameters, "seconds": 10.0}


def test_the_sentences_follow_from_the_numbers():
    rows = [row("Figure 3 CNN", None, 0.90, (0.87, 0.93), parameters=2033),
            row("deeper body", "body", 0.96, (0.94, 0.98), (0.06, 0.03, 0.09), parameters=74929),
            row("+ dropout", "dropout", 0.955, (0.93, 0.97), (-0.005, -0.02, 0.01),
                parameters=74929),
            row("+ class weights", "class_weight", 0.957, (0.93, 0.97), (0.002, -0.01, 0.01),
                sens=0.80, spec=0.85, parameters=74929)]
    text = ablation.describe_rows(rows)
    assert "from 0.900 to 0.957 (+0.057)" in text
    assert "moved the AUC most was deeper body (row 2): it raised the AUC by 0.060" in text
    assert "excludes 0" in text
    assert "do not overlap for deeper body (row 2); they overlap for the other 2 changes" in text
    assert "exclude 0 for deeper body (row 2)." in text
    assert "sensitivity at 0.5 from 0.900 to 0.800" in text
    assert "specificity from 0.600 to 0.850" in text
    assert "more than the ranking" in text
    assert "from 2,033 to 74,929" in text


def test_the_sentences_when_every_interval_overlaps():
    rows = [row("Figure 3 CNN", None, 0.90, (0.85, 0.95)),
            row("deeper body", "body", 0.91, (0.86, 0.96), (0.01, -0.02, 0.04))]
    text = ablation.describe_rows(rows)
    assert "overlap those of the row before it (the one change)" in text
    assert "include 0 for every change" in text
    assert "Class weights" not in text and "parameters changed" not in text
    assert "single row" in ablation.describe_rows(rows[:1])
    assert np.isfinite(rows[1]["delta_auc"])
