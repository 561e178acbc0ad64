"""helpers.explain: feature maps and Grad-CAM for sigmoid and softmax Keras models, and their
plots (fixed grey levels, perceptually uniform heatmaps with a colorbar)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import course, explain, models, training
from helpers.data import Split

keras = models.keras


def random_images(n=4, side=28, channels=1, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, side, side, channels)).astype(np.uint8)


def make_patch_data(n=320, seed=0):
    """Noise images; class 1 has a bright 6×6 square at a random place. Returns images,
    labels and the square's top-left corner (-1 for class 0)."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 60, (n, 28, 28, 1)).astype(np.uint8)
    labels = (np.arange(n) % 2).astype(np.int64)
    corners = np.full((n, 2), -1)
    for i in np.flatnonzero(labels == 1):
        r, c = rng.integers(3, 19, size=2)
        images[i, r:r + 6, c:c + 6] = 220
        corners[i] = r, c
    return images, labels, corners


@pytest.fixture(scope="module")
def trained_patch_model():
    """A Figure-3 CNN trained to find the bright square (a few seconds on a CPU)."""
    images, labels, _ = make_patch_data()
    course.seed_everything(0)
    model = models.build_figure3_cnn()
    training.fit_binary(model, Split(images, labels), None, epochs=6, batch_size=32,
                        learning_rate=3e-3, seed=0)
    return model, make_patch_data(n=40, seed=1)


# --------------------------------------------------------------------------- feature maps


def test_feature_maps_of_both_figure3_conv_layers_have_the_right_shapes():
    model = models.build_figure3_cnn()
    maps = explain.compute_feature_maps(model, random_images(3))
    assert list(maps) == ["conv1", "conv2"]
    assert maps["conv1"].shape == (3, 28, 28, 8)
    assert maps["conv2"].shape == (3, 14, 14, 16)
    assert all(m.dtype == np.float32 and m.min() >= 0 for m in maps.values())  # after ReLU


def test_feature_maps_of_the_first_layer_are_relu_of_the_convolution():
    model = models.build_figure3_cnn()
    image = random_images(1, seed=3)
    maps = explain.compute_feature_maps(model, image[0], ["conv1"])  # one image is accepted
    kernel, bias = model.get_layer("conv1").get_weights()
    x = np.pad(image[0, ..., 0].astype(np.float64) / 255.0, 1)
    expected = np.zeros((28, 28, 8))
    for i in range(28):
        for j in range(28):
            expected[i, j] = np.tensordot(x[i:i + 3, j:j + 3], kernel[..., 0, :], axes=2) + bias
    np.testing.assert_allclose(maps["conv1"][0], np.maximum(expected, 0), atol=1e-5)


def test_feature_maps_of_the_improved_cnn_are_taken_after_batch_norm_and_relu():
    model = models.build_improved_cnn(seed=0)
    maps = explain.compute_feature_maps(model, random_images(2), ["conv1_1", "conv3_2"])
    assert maps["conv1_1"].shape == (2, 28, 28, 16)
    assert maps["conv3_2"].shape == (2, 7, 7, 64)
    assert maps["conv3_2"].min() >= 0


# --------------------------------------------------------------------------- Grad-CAM


@pytest.mark.parametrize("build, channels", [
    (lambda: models.build_figure3_cnn(), 1),
    (lambda: models.build_improved_cnn(seed=0), 1),
    (lambda: models.build_figure3_cnn((28, 28, 3), n_classes=5), 3),
    (lambda: models.build_improved_cnn((28, 28, 3), n_classes=8, seed=0), 3),
    (lambda: models.attach_threshold(models.build_figure3_cnn(), 0.4), 1),
])
def test_gradcam_shape_and_range_for_sigmoid_and_softmax_models(build, channels):
    course.seed_everything(1)
    model = build()
    heat = explain.compute_gradcam(model, random_images(5, channels=channels))
    assert heat.shape == (5, 28, 28) and heat.dtype == np.float32
    assert heat.min() >= 0.0 and heat.max() <= 1.0
    for image_heat in heat:  # each map is scaled to a peak of 1, or all zero
        assert image_heat.max() == pytest.approx(1.0) or image_heat.max() == 0.0


def test_gradcam_finds_the_bright_square_after_training(trained_patch_model):
    model, (images, labels, corners) = trained_patch_model
    positives = np.flatnonzero(labels == 1)
    heat = explain.compute_gradcam(model, images[positives])
    assert heat.std() > 0.05  # not a flat map
    inside = []
    for h, (r, c) in zip(heat, corners[positives], strict=True):
        mask = np.zeros((28, 28), bool)
        mask[max(r - 2, 0):r + 8, max(c - 2, 0):c + 8] = True  # the square and a 2-pixel rim
        inside.append(h[mask].mean() > 2 * h[~mask].mean())
    assert np.mean(inside) >= 0.8


def test_gradcam_class_choice_for_a_sigmoid_model(trained_patch_model):
    model, (images, labels, _) = trained_patch_model
    positive = images[labels == 1][:6]
    towards_1 = explain.compute_gradcam(model, positive, class_index=1)
    towards_0 = explain.compute_gradcam(model, positive, class_index=0)
    np.testing.assert_array_equal(explain.compute_gradcam(model, positive), towards_1)
    assert not np.allclose(towards_1, towards_0)


def test_gradcam_for_softmax_uses_the_predicted_class_by_default():
    course.seed_everything(2)
    model = models.build_figure3_cnn((28, 28, 3), n_classes=4)
    images = random_images(3, channels=3)
    predicted = np.argmax(model.predict(images.astype(np.float32), verbose=0), axis=1)
    default = explain.compute_gradcam(model, images)
    for i, c in enumerate(predicted):
        np.testing.assert_allclose(default[i], explain.compute_gradcam(
            model, images[i:i + 1], class_index=int(c))[0], atol=1e-6)


def test_gradcam_of_an_earlier_layer_is_finer():
    model = models.build_improved_cnn(seed=0)
    heat = explain.compute_gradcam(model, random_images(2), layer_name="conv2_2")
    assert heat.shape == (2, 28, 28)


def test_clear_errors_for_models_and_inputs_that_do_not_fit():
    dense_only = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                   keras.layers.Dense(1, activation="sigmoid")])
    with pytest.raises(ValueError, match="no Conv2D layer"):
        explain.compute_gradcam(dense_only, random_images(1))
    with pytest.raises(ValueError, match="no Conv2D layer"):
        explain.compute_feature_maps(dense_only, random_images(1))
    model = models.build_figure3_cnn()
    with pytest.raises(ValueError, match="has no layer 'conv9'"):
        explain.compute_gradcam(model, random_images(1), layer_name="conv9")
    with pytest.raises(ValueError, match="pick a convolutional layer"):
        explain.compute_gradcam(model, random_images(1), layer_name="flatten")
    with pytest.raises(ValueError, match="class_index must be a whole number from 0 to 1"):
        explain.compute_gradcam(model, random_images(1), class_index=2)
    with pytest.raises(ValueError, match=r"expects images of shape \(N, 28, 28, 1\)"):
        explain.compute_gradcam(model, random_images(1, side=32))


def test_border_share():
    heat = np.zeros((2, 28, 28))
    heat[0, 10:18, 10:18] = 1.0  # all in the middle
    heat[1, :2, :] = 1.0  # all in the top rows
    np.testing.assert_allclose(explain.compute_border_share(heat), [0.0, 1.0])
    assert np.isnan(explain.compute_border_share(np.zeros((1, 28, 28)))[0])
    with pytest.raises(ValueError, match="border"):
        explain.compute_border_share(heat, border=14)


def test_frame_mask_is_the_region_of_the_border_share():
    frame = explain.make_frame_mask((28, 28), border=4)
    assert frame.dtype == bool and frame.sum() == 384  # 49 % of 784 pixels
    heat = np.random.default_rng(0).random((3, 28, 28))
    share, baseline = explain.compute_region_share(heat, frame)
    np.testing.assert_allclose(share, explain.compute_border_share(heat, border=4))
    assert baseline == pytest.approx(384 / 784)


def make_chest_like_mean(side=28):
    """A bright chest with two dark ellipses (lungs), inside a dark edge (air outside), with
    a little noise so that no two pixels tie."""
    rows, cols = np.mgrid[:side, :side]
    mean = np.full((side, side), 150.0)
    for centre in (8, 19):
        mean[((rows - 13) / 7) ** 2 + ((cols - centre) / 3) ** 2 <= 1] = 60.0
    mean[:, :2] = mean[:, -2:] = 40.0  # darker than the lungs, but outside the chest
    return mean + np.random.default_rng(0).uniform(0, 5, mean.shape)


def test_lung_mask_keeps_the_two_dark_fields_inside_the_chest():
    mean = make_chest_like_mean()
    expected = (mean > 55) & (mean < 70)
    share = expected[2:-2, 2:-2].mean()  # of the pixels inside the 2-pixel margin
    lungs = explain.make_lung_mask(mean[..., np.newaxis], dark_fraction=share, margin=2)
    assert lungs.shape == (28, 28) and lungs.dtype == bool
    assert not lungs[:, :2].any() and not lungs[:, -2:].any()  # the film's edge is left out
    assert expected[lungs].all() and lungs[expected].all()  # the two fields, and only they
    from scipy import ndimage

    assert ndimage.label(lungs)[1] == 2


def test_region_share_against_the_uniform_baseline():
    mask = np.zeros((4, 4), dtype=bool)
    mask[:2, :2] = True  # a quarter of the image
    heat = np.zeros((3, 4, 4))
    heat[0] = 1.0  # uniform: the share equals the area
    heat[1, 0, 0] = 2.0  # all inside
    share, baseline = explain.compute_region_share(heat, mask)
    assert baseline == 0.25
    np.testing.assert_allclose(share[:2], [0.25, 1.0])
    assert np.isnan(share[2])  # an all-zero map has no share
    with pytest.raises(ValueError, match="bool"):
        explain.compute_region_share(heat, mask.astype(int))
    with pytest.raises(ValueError, match="empty"):
        explain.compute_region_share(heat, np.zeros((4, 4), dtype=bool))


def test_select_cases_orders_by_confidence_and_may_return_fewer():
    y = np.array([1, 1, 1, 0, 0, 0])
    s = np.array([0.9, 0.6, 0.2, 0.7, 0.1, 0.45])
    np.testing.assert_array_equal(explain.select_cases(y, s, 0.5, "true positive"), [0, 1])
    np.testing.assert_array_equal(explain.select_cases(y, s, 0.5, "false negative"), [2])
    np.testing.assert_array_equal(explain.select_cases(y, s, 0.5, "false positive"), [3])
    np.testing.assert_array_equal(explain.select_cases(y, s, 0.5, "true negative", n=1), [4])
    assert len(explain.select_cases(y, s, 0.05, "false negative")) == 0
    with pytest.raises(ValueError, match="unknown kind"):
        explain.select_cases(y, s, 0.5, "false alarm")


def test_feature_map_plot_uses_one_scale_and_a_colorbar():
    maps = np.random.default_rng(0).random((14, 14, 16)).astype(np.float32)
    fig = explain.plot_feature_maps(maps, title="conv2")
    shown = [ax.images[0] for ax in fig.axes if ax.images and ax.get_title().startswith("map")]
    assert len(shown) == 16
    assert len({im.get_clim() for im in shown}) == 1
    assert shown[0].get_cmap().name == "magma"
    assert any(ax.get_ylabel() == "activation" for ax in fig.axes)  # the colorbar
    with pytest.raises(ValueError, match="perceptually uniform"):
        explain.plot_feature_maps(maps, cmap="jet")
    with pytest.raises(ValueError, match="one image"):
        explain.plot_feature_maps(np.zeros((2, 3, 14, 14, 4)))


def test_gradcam_overlay_keeps_fixed_grey_levels_and_honours_ax():
    image = random_images(1)[0]
    heat = np.linspace(0, 1, 28 * 28).reshape(28, 28)
    fig, ax = plt.subplots()
    returned = explain.plot_gradcam(image, heat, ax=ax, title="case")
    assert returned is ax
    grey, overlay = ax.images
    assert grey.get_clim() == (0.0, 255.0) and grey.get_cmap().name == "gray"
    assert overlay.get_clim() == (0.0, 1.0) and overlay.get_cmap().name == "inferno"
    alpha = np.asarray(overlay.get_alpha())
    assert alpha[0, 0] == 0.0 and alpha[-1, -1] > alpha[14, 14] > 0  # more heat, more colour
    assert len(fig.axes) == 2  # the colorbar
    with pytest.raises(ValueError, match="perceptually uniform"):
        explain.plot_gradcam(image, heat, cmap="jet")
    with pytest.raises(ValueError, match="same size"):
        explain.plot_gradcam(image, heat[:14])


def test_gradcam_case_figure_shows_plain_and_overlaid_images():
    images = random_images(6)
    heat = np.random.default_rng(1).random((6, 28, 28))
    fig = explain.plot_gradcam_cases(images, heat, {"true positive": [0, 1], "false negative": []},
                                     scores=np.linspace(0, 1, 6), ncols=3)
    with_images = [ax for ax in fig.axes if ax.images]
    assert len(with_images) == 4  # two cases, each plain and overlaid
    assert sum(len(ax.images) == 2 for ax in with_images) == 2
    assert any("no such case" in text.get_text() for ax in fig.axes for text in ax.texts)
    labels = [text.get_text() for ax in fig.axes for text in ax.texts]
    assert "true positive" in labels and "false negative" in labels
