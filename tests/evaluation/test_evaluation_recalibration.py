"""helpers.evaluation.calibration, recalibration: Platt scaling, temperature scaling and the
prior-shift correction, against scikit-learn, Bayes' rule and the offset a temperature cannot
remove."""

import numpy as np
import pytest

from helpers import evaluation as ev


def make_offset_case(n: int = 4000, offset: float = 1.5, slope: float = 1.0, seed: int = 0):
    """Labels drawn from true probabilities q, and a model whose logits are
    slope · logit(q) + offset (miscalibrated by a known map)."""
    rng = np.random.default_rng(seed)
    true_logit = rng.normal(0.8, 2.0, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-true_logit))).astype(int)
    p_model = 1 / (1 + np.exp(-(slope * true_logit + offset)))
    return y, p_model


def test_logit_is_the_inverse_of_the_sigmoid_and_clips_0_and_1():
    p = np.array([0.1, 0.5, 0.8])
    np.testing.assert_allclose(ev.compute_logit(p), np.log(p / (1 - p)))
    ends = ev.compute_logit([0.0, 1.0])
    assert np.all(np.isfinite(ends)) and ends[0] == pytest.approx(-ends[1])
    with pytest.raises(ValueError, match="logits"):
        ev.compute_logit([0.2, 3.0])


def test_platt_scaling_matches_scikit_learn_logistic_regression():
    from sklearn.linear_model import LogisticRegression

    y, p = make_offset_case(n=600, offset=-0.7, slope=1.6, seed=4)
    fitted = ev.fit_platt_scaling(y, p)
    reference = LogisticRegression(C=1e10, tol=1e-10, max_iter=10_000).fit(
        ev.compute_logit(p)[:, None], y)
    assert fitted.slope == pytest.approx(reference.coef_[0, 0], abs=1e-4)
    assert fitted.offset == pytest.approx(reference.intercept_[0], abs=1e-4)
    np.testing.assert_allclose(fitted.apply(p), reference.predict_proba(
        ev.compute_logit(p)[:, None])[:, 1], atol=1e-5)


def test_platt_scaling_undoes_a_known_slope_and_offset():
    y, p = make_offset_case(offset=1.5, slope=0.5)
    fitted = ev.fit_platt_scaling(y, p)
    # the model's logit is 0.5 · true + 1.5, so the inverse map is 2 · logit − 3
    assert fitted.slope == pytest.approx(2.0, rel=0.1)
    assert fitted.offset == pytest.approx(-3.0, rel=0.1)
    assert fitted.method == "Platt scaling" and "Platt scaling: p' = sigmoid(" in fitted.describe()


def test_temperature_scaling_cannot_remove_an_offset_but_platt_can():
    y, p = make_offset_case(offset=1.5)
    true_p = 1 / (1 + np.exp(-(ev.compute_logit(p) - 1.5)))
    temperature = ev.fit_temperature_scaling(y, p)
    platt = ev.fit_platt_scaling(y, p)
    assert temperature.offset == 0.0 and temperature.temperature == pytest.approx(
        1 / temperature.slope)
    brier = {name: ev.compute_brier(y, q) for name, q in [
        ("before", p), ("temperature", temperature.apply(p)), ("platt", platt.apply(p)),
        ("truth", true_p)]}
    assert brier["platt"] == pytest.approx(brier["truth"], abs=0.002)
    assert brier["temperature"] > brier["truth"] + 0.005  # the offset stays
    assert brier["before"] > brier["platt"]
    # a probability of 0.5 stays 0.5 under any temperature
    assert temperature.apply(0.5) == pytest.approx(0.5)


def test_temperature_scaling_finds_a_known_temperature():
    y, p = make_offset_case(offset=0.0, slope=2.5)  # over-confident: logits 2.5 times too large
    assert ev.fit_temperature_scaling(y, p).temperature == pytest.approx(2.5, rel=0.1)


def test_prior_shift_is_bayes_rule_for_a_new_prevalence():
    """Two classes with Gaussian scores: the posterior at one prevalence, corrected, is the
    posterior at another, exactly."""
    x = np.linspace(-3, 3, 13)
    likelihood_ratio = np.exp(-(x - 1) ** 2 / 2) / np.exp(-(x + 1) ** 2 / 2)

    def posterior(prevalence):
        odds = likelihood_ratio * prevalence / (1 - prevalence)
        return odds / (1 + odds)

    shift = ev.prior_shift_correction(0.05, prevalence_train=0.5)
    np.testing.assert_allclose(shift.apply(posterior(0.5)), posterior(0.05), rtol=1e-9)
    assert shift.slope == 1.0 and shift.offset == pytest.approx(np.log(0.05 / 0.95))
    back = ev.prior_shift_correction(0.74, prevalence_train=0.05)
    np.testing.assert_allclose(back.apply(posterior(0.05)), posterior(0.74), rtol=1e-9)


def test_prior_shift_by_the_odds_of_a_worked_example():
    # p = 0.8 under a 50 % prior, used where 10 % are ill: odds 4 × (1/9) = 4/9, p' = 4/13
    assert ev.prior_shift_correction(0.10).apply(0.8) == pytest.approx(4 / 13)
    assert ev.prior_shift_correction(0.3, 0.3).apply(0.8) == pytest.approx(0.8)


def test_maps_keep_the_order_of_the_cases_and_so_the_auc():
    y, p = make_offset_case(n=500, offset=0.8, slope=0.7, seed=2)
    for mapping in (ev.fit_platt_scaling(y, p), ev.fit_temperature_scaling(y, p),
                    ev.prior_shift_correction(0.2)):
        assert ev.compute_auc(y, mapping.apply(p)) == pytest.approx(ev.compute_auc(y, p))


@pytest.mark.parametrize("call, error, match", [
    (lambda: ev.prior_shift_correction(0.0), ValueError, "strictly between 0 and 1"),
    (lambda: ev.prior_shift_correction(0.3, 1.0), ValueError, "prevalence_train"),
    (lambda: ev.prior_shift_correction(5), ValueError, "0.05 for 5 %"),
    (lambda: ev.prior_shift_correction("0.1"), TypeError, "must be a number"),
    (lambda: ev.fit_platt_scaling([1, 1, 1], [0.2, 0.5, 0.9]), ValueError, "both classes"),
    (lambda: ev.fit_temperature_scaling([0, 1], [-1.0, 2.0]), ValueError, "logits"),
])
def test_bad_input_gets_a_message(call, error, match):
    with pytest.raises(error, match=match):
        call()
