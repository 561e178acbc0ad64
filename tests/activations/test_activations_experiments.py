"""helpers.activations.experiments (notebook 06): vanishing gradients and dying ReLU units, as the
lesson measures them."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import activations, course


@pytest.fixture(scope="module", autouse=True)
def tensorflow():
    course.import_tensorflow_quietly()


def test_regression_data_is_seeded_and_shaped():
    x, y = activations.make_regression_data(64, 5, seed=3)
    x2, y2 = activations.make_regression_data(64, 5, seed=3)
    assert x.shape == (64, 5) and y.shape == (64, 1) and x.dtype == np.float32
    assert np.array_equal(x, x2) and np.array_equal(y, y2)


def test_sigmoid_gradients_vanish_and_relu_gradients_do_not():
    norms = activations.compare_gradient_norms(("sigmoid", "relu"), depth=8, width=16, n=64, seed=1)
    assert set(norms) == {"sigmoid", "relu"}
    assert all(len(v) == 9 for v in norms.values())  # 8 hidden layers + the output
    sig, rel = norms["sigmoid"], norms["relu"]
    assert sig[0] < sig[-2] / 1000
    assert rel[-2] / 10 < rel[0] < rel[-2] * 10


def test_build_deep_net_checks_its_arguments():
    with pytest.raises(ValueError, match="activation must be one of"):
        activations.build_deep_net("softplus")
    net = activations.build_deep_net("tanh", depth=3, width=4, n_features=2, seed=0)
    assert [layer.units for layer in net.layers] == [4, 4, 4, 1]


def test_dead_fraction_counts_units_silent_for_every_input():
    z = np.array([[-1.0, 2.0, 0.0], [-3.0, -1.0, 0.0]])
    assert activations.dead_fraction(z) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="examples, units"):
        activations.dead_fraction(np.zeros(3))


def test_large_negative_bias_kills_every_unit_for_good():
    run = activations.measure_dying_relu(0.05, -5.0, steps=10, width=16, n=128, seed=0)
    assert run.dead_before == run.dead_after == 1.0
    healthy = activations.measure_dying_relu(0.05, 0.0, steps=10, width=16, n=128, seed=0)
    assert healthy.dead_before == 0.0 and healthy.loss_after < healthy.loss_before


def test_dying_relu_checks_its_arguments():
    with pytest.raises(ValueError, match="learning_rate"):
        activations.measure_dying_relu(0.0)
