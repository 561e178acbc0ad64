"""helpers.evaluation.widget (notebook 10): the threshold and prevalence explorer and the case
browser. Their pure functions are checked over the whole grid of control values; one figure is
drawn per control value at most; the demo inputs are deterministic and show every kind of case."""

from __future__ import annotations

import warnings
from functools import partial

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import evaluation, widgets
from helpers.evaluation import widget

KINDS = ("true positive", "false negative", "false positive", "true negative")


@pytest.fixture(scope="module")
def demo():
    return evaluation.demo_case_data()


def _counted(y, s, threshold: float) -> dict:
    with warnings.catch_warnings():  # NaN rates at extreme thresholds are expected here
        warnings.simplefilter("ignore", RuntimeWarning)
        return evaluation.compute_binary_metrics(y, s, threshold)


# --------------------------------------------------------------------------- threshold explorer


def test_controls_are_the_sliders_values_with_the_data_prevalence(noisy_scores):
    y, _ = noisy_scores
    controls = widget.threshold_explorer_controls(y)
    assert controls["threshold"][0] == 0.01 and controls["threshold"][-1] == 0.99
    assert len(controls["threshold"]) == 99
    assert y.mean() in controls["prevalence"]
    assert set(widget.PREVALENCES) <= set(controls["prevalence"])
    assert min(controls["prevalence"]) == 0.01 and max(controls["prevalence"]) == 0.95


@pytest.fixture(scope="module")
def grid_states():
    """Labels, scores and {(threshold, prevalence): state} over the explorer's whole grid."""
    from evaluation_cases import make_noisy_scores

    y, s = make_noisy_scores()
    grid = widgets.control_grid(widget.threshold_explorer_controls(y))
    states = {(g["threshold"], g["prevalence"]): evaluation.threshold_explorer_state(y, s, **g)
              for g in grid}
    return y, s, states


def test_at_the_data_prevalence_the_state_is_the_counted_table(grid_states):
    y, s, states = grid_states
    own = float(y.mean())
    for threshold in widget.THRESHOLDS:
        state = states[threshold, own]
        counted = _counted(y, s, threshold)
        expected_counts = state["expected"] * len(y) / widget.PER_PEOPLE
        np.testing.assert_allclose(expected_counts, [[counted["tn"], counted["fp"]],
                                                     [counted["fn"], counted["tp"]]], atol=1e-9)
        for name in ("sensitivity", "specificity", "ppv", "npv"):
            np.testing.assert_allclose(state[name], counted[name], rtol=1e-12, err_msg=name)
        assert state["roc_point"] == pytest.approx((1 - counted["specificity"],
                                                    counted["sensitivity"]))


def test_over_the_grid_prevalence_moves_only_the_predictive_values(grid_states):
    _, _, states = grid_states
    by_threshold = {}
    for (threshold, p), state in sorted(states.items()):
        by_threshold.setdefault(threshold, []).append(state)
        assert state["expected"].sum() == pytest.approx(widget.PER_PEOPLE)
        np.testing.assert_allclose(state["expected"].sum(axis=1),
                                   [widget.PER_PEOPLE * (1 - p), widget.PER_PEOPLE * p])
    assert list(by_threshold) == list(widget.THRESHOLDS)
    for threshold, row in by_threshold.items():  # prevalence increasing along the row
        for name in ("sensitivity", "specificity"):  # a property of the test
            np.testing.assert_array_equal([r[name] for r in row], row[0][name])
        ppv, npv = (np.array([r[name] for r in row]) for name in ("ppv", "npv"))
        if np.isfinite(ppv).all():
            assert np.all(np.diff(ppv) >= -1e-12), threshold  # PPV rises with prevalence
        if np.isfinite(npv).all():
            assert np.all(np.diff(npv) <= 1e-12), threshold  # NPV falls
    middle = [states[0.5, p] for p in (0.01, 0.5, 0.95)]
    assert middle[0]["ppv"] < middle[1]["ppv"] < middle[2]["ppv"]
    assert middle[0]["npv"] > middle[1]["npv"] > middle[2]["npv"]


def test_no_positive_call_gives_an_undefined_ppv_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        state = evaluation.threshold_explorer_state([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], 0.9, 0.1)
    assert np.isnan(state["ppv"]) and state["sensitivity"] == 0 and state["specificity"] == 1
    fig = widget.plot_threshold_explorer(state, [0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4])
    assert "no one is called pneumonia" in fig._suptitle.get_text()


@pytest.mark.parametrize(("y", "s", "match"), [
    ([1, 1, 1], [0.2, 0.5, 0.9], "needs both classes"),
    ([0, 1, 1], [0.2, 1.5, 0.9], r"\[0, 1\].*not the logits"),
    ([0, 1, 1], [0.2, 0.5], "3 labels but y_score has 2"),
])
def test_bad_inputs_say_what_to_change(y, s, match):
    with pytest.raises(ValueError, match=match):
        evaluation.threshold_explorer_state(y, s, 0.5, 0.1)
    with pytest.raises(ValueError, match=match):
        evaluation.make_threshold_explorer(y, s)


def test_a_percentage_for_the_prevalence_is_explained():
    with pytest.raises(ValueError, match="0.05 for 5 %"):
        evaluation.threshold_explorer_state([0, 1], [0.2, 0.8], 0.5, 5)


def test_every_control_value_of_a_coarse_grid_draws(noisy_scores):
    y, s = noisy_scores
    coarse = {"threshold": (0.01, 0.5, 0.99), "prevalence": (0.01, float(y.mean()), 0.95)}

    def on_the_diagonal(settings):  # three figures show the six values
        return (coarse["threshold"].index(settings["threshold"])
                == coarse["prevalence"].index(settings["prevalence"]))

    chosen = widgets.covering_settings(coarse, on_the_diagonal)
    assert len(chosen) == 3
    for settings in chosen:
        result = widgets.render(widget.draw_threshold_explorer, y_true=y, scores=s,
                                start_threshold=0.42, label_names=("normal", "pneumonia"),
                                **settings)
        assert isinstance(result, Figure), (settings, result)
        state = evaluation.threshold_explorer_state(y, s, **settings)
        assert result._suptitle.get_text() == widget._summary(state, ("normal", "pneumonia"))
        roc, matrix, rates = result.axes[:3]
        assert "chosen on validation (0.42)" in [t.get_text() for t in roc.get_legend().texts]
        assert matrix.get_title().startswith("expected per 1,000 people")
        assert len(rates.patches) == 4
        plt.close(result)


def test_explorer_offers_its_controls(noisy_scores, monkeypatch):
    y, s = noisy_scores
    calls = []
    monkeypatch.setattr(widget, "draw_threshold_explorer",  # the wiring only, no drawing
                        lambda *args, **values: calls.append(values) or "drawn")
    box = evaluation.make_threshold_explorer(y, s, threshold=0.4237)
    threshold, prevalence = box.children[0].children
    assert (threshold.min, threshold.max, threshold.step, threshold.value) == (0.01, 0.99, 0.01,
                                                                              0.42)
    values = [value for _, value in prevalence.options]
    assert tuple(values) == widget.threshold_explorer_controls(y)["prevalence"]
    assert prevalence.value == y.mean()
    assert prevalence.label == f"{100 * y.mean():.3g} % (these data)"
    assert "1 %" in [label for label, _ in prevalence.options]
    threshold.value = 0.3
    prevalence.value = 0.05
    assert [(c["threshold"], c["prevalence"]) for c in calls] == [
        (0.42, y.mean()), (0.3, y.mean()), (0.3, 0.05)]
    assert calls[-1]["start_threshold"] == 0.4237


# --------------------------------------------------------------------------- case browser


def test_cases_are_browsed_most_confident_first(demo):
    from helpers import explain

    images, y, s, heat = (demo[k][:120] for k in ("test_images", "test_labels", "p_test", "heat"))
    t, names = demo["threshold"], demo["label_names"]
    seen = []
    for kind in KINDS:
        order = explain.select_cases(y, s, t, kind, n=len(y))
        assert len(order) > 0, kind
        for case in range(1, len(order) + 1):
            state = evaluation.case_browser_state(images, y, s, heat, threshold=t, kind=kind,
                                                  case=case, label_names=names)
            assert (state["n"], state["index"]) == (len(order), order[case - 1])
            truth, called = explain.CASE_KINDS[kind]
            assert (state["truth"], state["call"]) == (names[truth], names[called])
            assert (s[state["index"]] >= t) == bool(called)
            np.testing.assert_array_equal(state["image"], images[state["index"], ..., 0])
            assert state["title"].startswith(f"{kind} {case} of {len(order)}")
            seen.append(state["index"])
        distance = np.abs(s[order] - t)
        assert np.all(np.diff(distance) <= 0), kind
        with pytest.raises(ValueError, match=f"from 1 to {len(order)}"):
            evaluation.case_browser_state(images, y, s, heat, threshold=t, kind=kind,
                                          case=len(order) + 1)
    assert sorted(seen) == list(range(len(y)))  # every case is in exactly one kind


def _tiny():
    """Four images, no mistakes at threshold 0.5."""
    images = np.zeros((4, 28, 28, 1), dtype=np.uint8)
    return images, np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9]), np.zeros((4, 28, 28))


def test_a_kind_without_cases_gets_a_message():
    images, y, s, heat = _tiny()
    message = widgets.render(partial(widget.draw_case, images, y, s, heat, threshold=0.5),
                             kind="false negative", case=1)
    assert message.startswith("⚠️") and "no false negatives" in message
    assert "Choose another kind" in message


@pytest.mark.parametrize(("change", "match"), [
    ({"heatmaps": np.ones((4, 28, 28)) * 2}, r"heatmaps must lie in \[0, 1\]"),
    ({"heatmaps": np.zeros((4, 14, 14))}, "one per label"),
    ({"images": np.zeros((3, 28, 28))}, "one per label"),
    ({"images": np.full((4, 28, 28), 300.0)}, "0 – 255"),
    ({"scores": np.array([0.1, 0.2, 0.8, 3.0])}, "not the logits"),
    ({"kind": "missed"}, "kind must be one of"),
])
def test_bad_case_inputs_say_what_to_change(change, match):
    images, y, s, heat = _tiny()
    arguments = {"images": images, "y_true": y, "scores": s, "heatmaps": heat,
                 "threshold": 0.5, "kind": "true positive", **change}
    with pytest.raises(ValueError, match=match):
        evaluation.case_browser_state(**arguments)


def test_every_kind_draws(demo):
    names = demo["label_names"]
    for kind in KINDS:
        update = partial(widget.draw_case, demo["test_images"], demo["test_labels"],
                         demo["p_test"], demo["heat"], threshold=demo["threshold"],
                         label_names=names)
        result = widgets.render(update, kind=kind, case=1)
        assert isinstance(result, Figure), (kind, result)
        assert result._suptitle.get_text().startswith(f"{kind} 1 of ")
        xray = result.axes[0].images[0]
        assert xray.get_clim() == (0, 255) and xray.get_cmap().name == "gray"
        overlay = result.axes[1].images[1]
        assert overlay.get_clim() == (0, 1) and overlay.get_cmap().name == "inferno"
        assert any(ax.get_ylabel() == "Grad-CAM" for ax in result.axes)  # its colour bar
        plt.close(result)


def test_case_browser_follows_the_kind(monkeypatch):
    images, y, s, heat = _tiny()
    s = np.array([0.1, 0.6, 0.8, 0.9])  # one false positive, two true positives
    calls = []
    monkeypatch.setattr(widget, "draw_case",  # the wiring only, no drawing
                        lambda *args, **values: calls.append((values["kind"], values["case"])))
    box = evaluation.make_case_browser(images, y, s, heat, threshold=0.5)
    kind, case = box.children[0].children
    assert [label for label, _ in kind.options] == ["true positive (2)", "false negative (0)",
                                                    "false positive (1)", "true negative (1)"]
    assert (kind.value, case.max) == ("true positive", 2)
    case.value = 2
    kind.value = "false positive"
    assert (case.value, case.max, case.disabled) == (1, 1, False)
    kind.value = "false negative"
    assert case.disabled
    # a new kind starts at its most confident case: never drawn with the old kind's case
    assert calls[:3] == [("true positive", 1), ("true positive", 2), ("false positive", 1)]
    assert ("false positive", 2) not in calls and calls[-1] == ("false negative", 1)


# --------------------------------------------------------------------------- demo inputs


def test_demo_data_is_deterministic_and_shows_every_kind(demo):
    from helpers import explain

    assert set(demo) == {"test_images", "test_labels", "p_test", "heat", "threshold",
                         "label_names"}
    n = len(demo["test_labels"])
    assert demo["test_images"].shape == (n, 28, 28, 1) and demo["test_images"].dtype == np.uint8
    assert demo["heat"].shape == (n, 28, 28)
    assert 0 <= demo["heat"].min() and demo["heat"].max() <= 1
    assert np.abs(np.diff(demo["heat"], axis=1)).max() < 0.35  # smooth, like upsampled Grad-CAM
    assert 0 <= demo["p_test"].min() and demo["p_test"].max() <= 1
    assert 0 < demo["threshold"] < 1 and len(demo["label_names"]) == 2
    for kind in KINDS:
        found = explain.select_cases(demo["test_labels"], demo["p_test"], demo["threshold"],
                                     kind, n=n)
        assert len(found) >= 10, kind
    assert 0.85 < evaluation.compute_auc(demo["test_labels"], demo["p_test"]) < 0.98
    again = evaluation.demo_case_data()
    for key, value in demo.items():
        np.testing.assert_array_equal(again[key], value)
    other = evaluation.demo_case_data(seed=1)
    assert not np.array_equal(other["p_test"], demo["p_test"])
