"""The stress test's image changes, test-time augmentation and accuracy at another prevalence."""

import numpy as np
import pytest

from helpers import robustness


def images(n=6, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, 28, 28, 1), dtype=np.uint8)


@pytest.mark.parametrize("change", ["none", *robustness.ACQUISITION_CHANGES])
def test_every_change_keeps_the_shape_and_type(change):
    x = images()
    y = robustness.simulate_acquisition(x, change)
    assert y.shape == x.shape and y.dtype == np.uint8
    assert (change == "none") == np.array_equal(x, y)


def test_the_changes_do_what_their_names_say():
    x = images(20)
    change = robustness.simulate_acquisition
    assert change(x, "darker exposure (gamma 1.4)").mean() < x.mean()
    assert change(x, "brighter exposure (gamma 0.7)").mean() > x.mean()
    assert change(x, "lower contrast (× 0.7)").std() < x.std()
    assert change(x, "softer image (blur σ 0.8 px)").std() < x.std()
    shifted = change(x, "off-centre by 2 px")
    np.testing.assert_array_equal(shifted[:, 2:, :-2], x[:, :-2, 2:])  # 2 down, 2 left
    with pytest.raises(ValueError, match="acquisition change"):
        change(x, "upside down")
    with pytest.raises(ValueError, match=r"\(N, H, W, C\)"):
        change(x[..., 0], "none")


def test_accuracy_at_a_prevalence_weights_sensitivity_and_specificity():
    assert robustness.accuracy_at_prevalence(0.9, 0.8, 0.625) == pytest.approx(0.8625)
    np.testing.assert_allclose(robustness.accuracy_at_prevalence(0.9, 0.8, [0, 1]), [0.8, 0.9])
    with pytest.raises(ValueError, match="between 0 and 1"):
        robustness.accuracy_at_prevalence(0.9, 0.8, 1.5)


class MeanBrightness:
    """A stand-in model: the probability is the image's mean grey level, scaled to [0, 1]."""

    input_shape = (None, 28, 28, 1)
    output_shape = (None, 1)

    def predict(self, x, batch_size=None, verbose=0):
        return x.mean(axis=(1, 2, 3)).reshape(-1, 1) / 255.0


def test_tta_averages_the_shifted_copies_and_the_stress_test_reports_each_change():
    x = images(8)
    model = MeanBrightness()
    p = robustness.predict_with_tta(model, x)
    assert p.shape == (8,)
    np.testing.assert_allclose(p, x.mean(axis=(1, 2, 3)) / 255, atol=0.02)  # edges repeated
    labels = (x.mean(axis=(1, 2, 3)) > np.median(x.mean(axis=(1, 2, 3)))).astype(int)
    rows = robustness.stress_test(lambda imgs: robustness.predict_with_tta(model, imgs), x,
                                  labels, 0.5, prevalence=0.625)
    assert [r["images"] for r in rows] == ["none", *robustness.ACQUISITION_CHANGES]
    assert rows[0]["AUC"] == pytest.approx(1.0)
    assert all(0 <= r["accuracy at 62.5%"] <= 1 for r in rows)
