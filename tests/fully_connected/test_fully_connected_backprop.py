"""helpers.fully_connected.backprop (notebook 04): the backward pass by hand equals finite
differences and tf.GradientTape; the batched gradients equal the one-image ones; gradient
descent and Keras fit with SGD trace the same curve."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import fully_connected, gradients

RNG = np.random.default_rng(1)
IMAGES = RNG.random((6, 12, 12))
LABELS = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])


@pytest.fixture(scope="module")
def params():
    return fully_connected.init_tiny_network(12, filters=2, seed=3)


def test_forward_shapes(params):
    cache = fully_connected.forward(params, IMAGES[0], 1)
    assert cache.conv.shape == (10, 10, 2) and cache.pooled.shape == (5, 5, 2)
    assert cache.flat.shape == (50,) == (params["dense_W"].shape[1],)
    assert 0 < cache.probability < 1 and cache.loss > 0
    with pytest.raises(ValueError, match="channel axis"):
        fully_connected.forward(params, IMAGES[0][..., None], 1)


def test_backward_matches_finite_differences(params):
    cache = fully_connected.forward(params, IMAGES[0], 1)
    grads = fully_connected.backward(params, cache).parameter_gradients()
    entries = [(name, tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(g)), g.shape)))
               for name, g in grads.items()]
    entries.append(("conv_kernel", (0, 0, 0, 1)))

    def loss(p):
        return fully_connected.forward(p, IMAGES[0], 1).loss

    for _, _, backprop, numeric in gradients.check_with_finite_differences(loss, params, grads, entries):
        assert backprop == pytest.approx(numeric, rel=1e-5, abs=1e-9)


def test_max_pool_backward_routes_to_the_argmax_only():
    a = np.array([[1.0, 5.0, 2.0], [3.0, 0.0, 9.0], [7.0, 7.0, 7.0]])[..., None]
    grad = fully_connected.max_pool_backward(a, np.array([[[2.0]]]))
    expected = np.zeros((3, 3, 1))
    expected[0, 1] = 2.0          # the 5 wins the only full window; row/column 2 are dropped
    assert np.array_equal(grad, expected)
    ties = fully_connected.max_pool_backward(np.ones((2, 2, 1)), np.array([[[1.0]]]))
    assert ties.sum() == 1.0 and ties[0, 0, 0] == 1.0


def test_layer_gradients_by_definition():
    assert fully_connected.sigmoid_bce_backward(0.8, 1) == pytest.approx(-0.2)
    d_w, d_b, d_x = fully_connected.dense_backward(np.array([[1.0, 2.0]]), np.array([3.0, 4.0]), 0.5)
    assert np.allclose(d_w, [[1.5, 2.0]]) and np.allclose(d_b, [0.5]) and np.allclose(d_x, [0.5, 1.0])
    assert np.array_equal(fully_connected.relu_backward(np.array([-1.0, 0.0, 2.0]), np.ones(3)), [0, 0, 1])
    x, g = RNG.random((6, 6)), RNG.random((4, 4, 1))
    d_k, d_b = fully_connected.conv_backward(x, g)
    assert d_k[1, 2, 0, 0] == pytest.approx(np.sum(x[1:5, 2:6] * g[..., 0]))
    assert d_b == pytest.approx([g.sum()])


def test_batched_gradients_equal_the_mean_of_one_image_passes(params):
    loss, grads = fully_connected.loss_and_gradients(params, IMAGES, LABELS)
    caches = [fully_connected.forward(params, x, y) for x, y in zip(IMAGES, LABELS, strict=True)]
    singles = [fully_connected.backward(params, c).parameter_gradients() for c in caches]
    mean = {n: np.mean([s[n] for s in singles], axis=0) for n in fully_connected.PARAMETER_NAMES}
    assert loss == pytest.approx(np.mean([c.loss for c in caches]))
    assert max(gradients.max_abs_differences(grads, mean).values()) < 1e-12
    with pytest.raises(ValueError, match="one label each"):
        fully_connected.loss_and_gradients(params, IMAGES, LABELS[:3])


def test_gradient_descent_lowers_the_loss_and_leaves_params_alone(params):
    before = {n: v.copy() for n, v in params.items()}
    trained, losses = fully_connected.gradient_descent(params, IMAGES, LABELS, learning_rate=0.5, steps=10)
    assert losses.shape == (10,) and losses[-1] < losses[0]
    assert all(np.array_equal(before[n], params[n]) for n in params)
    with pytest.raises(ValueError, match="learning_rate"):
        fully_connected.gradient_descent(params, IMAGES, LABELS, learning_rate=-1, steps=3)


def test_keras_tape_agrees_with_ours(params):
    model = fully_connected.build_keras_tiny_network(params, image_side=12)
    ours_loss, ours = fully_connected.loss_and_gradients(params, IMAGES, LABELS)
    tape_loss, tape = fully_connected.keras_gradients(model, IMAGES, LABELS)
    assert tape_loss == pytest.approx(ours_loss, rel=1e-9)
    assert max(gradients.max_abs_differences(ours, tape).values()) < 1e-9


@pytest.mark.slow
def test_keras_fit_with_sgd_retraces_our_gradient_descent(params):
    import keras

    model = fully_connected.build_keras_tiny_network(params, image_side=12)
    trained, losses = fully_connected.gradient_descent(params, IMAGES, LABELS, learning_rate=0.5, steps=4)
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss=keras.losses.BinaryCrossentropy(dtype="float64"))
    history = model.fit(IMAGES[..., None], LABELS, batch_size=len(IMAGES), epochs=4, shuffle=False, verbose=0)
    assert np.allclose(history.history["loss"], losses, atol=1e-6)
    final = dict(zip(fully_connected.PARAMETER_NAMES, model.get_weights(), strict=True))
    final["dense_W"] = final["dense_W"].T
    assert max(gradients.max_abs_differences(trained, final).values()) < 1e-6
