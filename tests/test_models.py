"""Tests of helpers.models: the Figure-3 CNN, the improved CNN, the stored threshold."""

import numpy as np
import pytest

from helpers import models

# Keras saves weights through an __array__ call that NumPy 2 flags; not our code.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")

keras = models.keras
layers = keras.layers


def test_figure3_cnn_has_the_five_layers_of_the_figure():
    model = models.build_figure3_cnn()
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["InputLayer", "Rescaling", "Conv2D", "MaxPooling2D", "Conv2D",
                     "MaxPooling2D", "Flatten", "Dense"]
    convs = [layer for layer in model.layers if isinstance(layer, layers.Conv2D)]
    assert convs[1].filters > convs[0].filters  # more feature maps after the first pooling
    dense = model.layers[-1]
    assert dense.units == 1 and dense.activation.__name__ == "sigmoid"


@pytest.mark.parametrize("side", [28, 64, 30])
def test_figure3_each_pooling_halves_the_image(side):
    model = models.build_figure3_cnn((side, side, 1))
    pools = [layer for layer in model.layers if isinstance(layer, layers.MaxPooling2D)]
    assert len(pools) == 2
    conv1 = model.get_layer("conv1")
    assert conv1.output.shape[1:3] == (side, side)
    assert pools[0].output.shape[1:3] == (side // 2, side // 2)
    assert pools[1].output.shape[1:3] == (side // 4, side // 4)
    assert model.output_shape == (None, 1)


def test_figure3_output_is_a_probability_for_raw_images():
    model = models.build_figure3_cnn()
    images = np.random.default_rng(0).integers(0, 256, (16, 28, 28, 1)).astype(np.uint8)
    out = model.predict(images, verbose=0)
    assert out.shape == (16, 1)
    assert np.all((out >= 0) & (out <= 1))
    assert model.get_layer("rescale").scale == pytest.approx(1 / 255)


def test_parameter_counts_stay_below_one_million():
    for model in (models.build_figure3_cnn(), models.build_improved_cnn(),
                  models.build_improved_cnn(n_classes=9),
                  models.build_improved_cnn(global_pooling=False, batch_norm=False)):
        assert 0 < models.count_parameters(model) < models.MAX_PARAMETERS, model.name
    # 3x3x1x8+8, 3x3x8x16+16, 7x7x16+1
    assert models.count_parameters(models.build_figure3_cnn()) == 80 + 1168 + 785


def test_softmax_variant_for_several_classes():
    for build in (models.build_figure3_cnn, models.build_improved_cnn):
        model = build((28, 28, 3), n_classes=4)
        out = model.predict(np.zeros((3, 28, 28, 3), np.uint8), verbose=0)
        assert out.shape == (3, 4)
        np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)
        assert model.layers[-1].activation.__name__ == "softmax"


def test_improved_cnn_options_switch_layers_on_and_off():
    def kinds(model):
        found = set()
        for layer in model.layers:
            found.add(type(layer).__name__)
            if isinstance(layer, keras.Sequential):
                found |= {type(inner).__name__ for inner in layer.layers}
        return found

    full = kinds(models.build_improved_cnn())
    assert {"AveragePooling2D", "RandomTranslation", "RandomRotation", "RandomZoom",
            "LayerNormalization", "BatchNormalization", "Dropout",
            "GlobalAveragePooling2D"} <= full
    assert "RandomFlip" not in full
    plain = kinds(models.build_improved_cnn(augment=False, smooth=False, standardize=False,
                                            batch_norm=False, dropout=0.0,
                                            global_pooling=False))
    assert not {"AveragePooling2D", "RandomTranslation", "LayerNormalization",
                "BatchNormalization", "Dropout", "GlobalAveragePooling2D"} & plain
    assert "Flatten" in plain
    with_contrast = kinds(models.build_improved_cnn(augmentation={"contrast": 0.2}))
    assert "RandomContrast" in with_contrast and "RandomContrast" not in full


def test_standardized_model_ignores_exposure():
    """What the first layers pass on is (almost) the same for a brighter, more contrasted copy;
    compared where standardising acts, so that the result does not depend on random weights."""
    from helpers import start_here

    model = models.build_improved_cnn(seed=0)
    rng = np.random.default_rng(4)
    chest = 40.0 + 150.0 * start_here.make_phantom(28)  # structure that survives the smoothing
    images = (chest + rng.normal(0, 3, (4, 28, 28)))[..., None].astype(np.float32)
    brighter = 1.2 * images + 20.0  # more contrast and brighter, still within [0, 255]

    def seen(layer_name, x):
        probe = keras.Model(model.inputs, model.get_layer(layer_name).output)
        return keras.ops.convert_to_numpy(probe(x, training=False))  # no augmentation

    def relative_change(layer_name):
        a, b = seen(layer_name, images), seen(layer_name, brighter)
        return float(np.abs(b - a).max() / np.abs(a).max())

    # LayerNormalization's epsilon (1e-3 on the variance) leaves a change of a few per cent
    assert relative_change("standardize") < 0.05
    assert relative_change("smooth") > 0.2  # before standardising, the exposure shows (about 0.32)
    assert models.count_parameters(model) == models.count_parameters(
        models.build_improved_cnn(standardize=False))  # standardising learns nothing


def test_augmentation_changes_images_only_in_training():
    augment = models.build_augmentation(seed=1)
    x = np.random.default_rng(1).random((4, 28, 28, 1)).astype(np.float32)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(augment(x, training=False)), x)
    assert not np.allclose(keras.ops.convert_to_numpy(augment(x, training=True)), x)
    assert [type(s).__name__ for s in models.build_augmentation(rotation=0).layers] == [
        "RandomTranslation", "RandomZoom"]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: models.build_figure3_cnn((28, 28)), "height, width, channels"),
        (lambda: models.build_figure3_cnn((2, 2, 1)), "too small"),
        (lambda: models.build_figure3_cnn(n_classes=1), "n_classes"),
        (lambda: models.build_figure3_cnn(filters=(8,)), "filters"),
        (lambda: models.build_improved_cnn(dropout=1.0), "dropout"),
        (lambda: models.build_improved_cnn(widths=()), "widths"),
        (lambda: models.build_improved_cnn((8, 8, 1), widths=(4, 8, 16, 32, 64)), "too small"),
        (lambda: models.build_augmentation(flip=0.5), "unknown augmentation"),
    ],
)
def test_bad_arguments_are_explained(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_compile_classifier_picks_the_loss_from_the_output():
    binary = models.compile_classifier(models.build_figure3_cnn(), 1e-3, decay_steps=10)
    assert isinstance(binary.loss, keras.losses.BinaryCrossentropy)
    multi = models.compile_classifier(models.build_figure3_cnn(n_classes=3))
    assert isinstance(multi.loss, keras.losses.SparseCategoricalCrossentropy)
    one_hot = models.compile_classifier(models.build_figure3_cnn(n_classes=3), one_hot=True,
                                        label_smoothing=0.1)
    assert isinstance(one_hot.loss, keras.losses.CategoricalCrossentropy)
    assert one_hot.loss.get_config()["label_smoothing"] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="needs one-hot labels"):
        models.compile_classifier(models.build_figure3_cnn(n_classes=3), label_smoothing=0.1)
    with pytest.raises(ValueError, match="learning_rate"):
        models.compile_classifier(models.build_figure3_cnn(), 0.0)
    with pytest.raises(ValueError, match="label_smoothing"):
        models.compile_classifier(models.build_figure3_cnn(), label_smoothing=1.0)
    smooth = models.compile_classifier(models.build_figure3_cnn(), label_smoothing=0.1)
    assert smooth.loss.get_config()["label_smoothing"] == pytest.approx(0.1)


def test_threshold_is_saved_inside_the_keras_file(tmp_path):
    model = models.build_improved_cnn(seed=0)
    with_threshold = models.attach_threshold(model, 0.37)
    assert models.read_threshold(with_threshold) == pytest.approx(0.37)
    images = np.random.default_rng(2).integers(0, 256, (8, 28, 28, 1)).astype(np.float32)
    before = with_threshold.predict(images, verbose=0)
    np.testing.assert_array_equal(before, model.predict(images, verbose=0))  # pass-through
    path = tmp_path / "model.keras"
    with_threshold.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert models.read_threshold(loaded) == pytest.approx(0.37)
    np.testing.assert_allclose(loaded.predict(images, verbose=0), before, rtol=1e-6, atol=1e-7)
    # attaching again updates the value instead of stacking a second layer
    again = models.attach_threshold(loaded, 0.6)
    assert again is loaded and models.read_threshold(loaded) == pytest.approx(0.6)


def test_threshold_errors():
    with pytest.raises(ValueError, match="stores no decision threshold"):
        models.read_threshold(models.build_figure3_cnn())
    with pytest.raises(ValueError, match="binary model"):
        models.attach_threshold(models.build_figure3_cnn(n_classes=3), 0.5)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        models.attach_threshold(models.build_figure3_cnn(), 1.5)


def test_smoothing_is_a_fixed_three_by_three_average():
    model = models.build_improved_cnn()
    smooth = model.get_layer("smooth")
    impulse = np.zeros((1, 9, 9, 1), np.float32)
    impulse[0, 4, 4, 0] = 9.0
    out = keras.ops.convert_to_numpy(smooth(impulse))[0, :, :, 0]
    expected = np.zeros((9, 9))
    expected[3:6, 3:6] = 1.0
    np.testing.assert_allclose(out, expected, atol=1e-6)
    assert not smooth.weights  # nothing to learn


def test_batch_norm_statistics_follow_training_quickly():
    # With about 30 batches per epoch, the default momentum of 0.99 leaves the running
    # statistics far from the real ones for several epochs, and validation scores collapse.
    model = models.build_improved_cnn()
    norms = [layer for layer in model.layers if isinstance(layer, layers.BatchNormalization)]
    assert norms and all(layer.momentum == pytest.approx(0.9) for layer in norms)


def test_predict_probabilities_gives_one_probability_per_image():
    model = models.build_figure3_cnn()
    images = np.random.default_rng(3).integers(0, 256, (5, 28, 28, 1)).astype(np.uint8)
    p = models.predict_probabilities(model, images)
    assert p.shape == (5,) and p.dtype == np.float64 and np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p, model.predict(images, verbose=0)[:, 0], rtol=1e-6)
    with pytest.raises(ValueError, match=r"expects images of shape \(N, 28, 28, 1\)"):
        models.predict_probabilities(model, images[:, :14])
    multi = models.build_figure3_cnn(n_classes=3)
    p3 = models.predict_probabilities(multi, images)
    assert p3.shape == (5, 3) and p3.dtype == np.float64
    np.testing.assert_allclose(p3.sum(axis=1), 1.0, rtol=1e-5)


def test_load_classifier_refuses_what_it_cannot_load(tmp_path):
    with pytest.raises(FileNotFoundError, match="no model file"):
        models.load_classifier(tmp_path / "absent.keras")
    not_keras = tmp_path / "model.h5"
    not_keras.write_bytes(b"")
    with pytest.raises(ValueError, match="not a .keras file"):
        models.load_classifier(not_keras)
    broken = tmp_path / "broken.keras"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match="could not be loaded"):
        models.load_classifier(broken)
    good = tmp_path / "good.keras"
    models.attach_threshold(models.build_figure3_cnn(), 0.5).save(good)
    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ValueError, match="damaged"):
        models.load_classifier(truncated)


INFO = {"dataset": "retinamnist", "label_names": ["grade 0", "grade 1", "grade 2"],
        "positive_class": None, "task": "multi-class", "image_shape": [28, 28, 3]}


def test_model_info_survives_saving_and_load_classifier(tmp_path):
    model = models.build_figure3_cnn((28, 28, 3), n_classes=3)
    recorded = models.attach_info(model, INFO)
    assert models.read_info(recorded) == INFO and models.read_info(model) == {}
    path = tmp_path / "multi.keras"
    recorded.save(path)
    loaded = models.load_classifier(path)  # K classes: no threshold needed
    assert models.read_info(loaded) == INFO
    images = np.zeros((2, 28, 28, 3), np.uint8)
    np.testing.assert_allclose(models.predict_probabilities(loaded, images),
                               models.predict_probabilities(model, images), rtol=1e-6)
    again = models.attach_info(loaded, {**INFO, "dataset": "other"})
    assert again is loaded and models.read_info(loaded)["dataset"] == "other"
    with pytest.raises(ValueError, match="JSON values"):
        models.attach_info(model, {"shape": np.zeros(2)})


def test_binary_model_keeps_threshold_and_info_together(tmp_path):
    model = models.attach_info(models.attach_threshold(models.build_figure3_cnn(), 0.4),
                               {"dataset": "breastmnist", "positive_class": 0})
    assert models.attach_threshold(model, 0.3) is model  # updated, not stacked
    path = tmp_path / "binary.keras"
    model.save(path)
    loaded = models.load_classifier(path)
    assert models.read_threshold(loaded) == pytest.approx(0.3)
    assert models.read_info(loaded)["positive_class"] == 0


def test_average_models_is_the_mean_of_the_members():
    members = [models.build_figure3_cnn(n_classes=3) for _ in range(2)]
    ensemble = models.average_models(members)
    images = np.random.default_rng(4).integers(0, 256, (4, 28, 28, 1)).astype(np.uint8)
    expected = np.mean([models.predict_probabilities(m, images) for m in members], axis=0)
    np.testing.assert_allclose(models.predict_probabilities(ensemble, images), expected,
                               rtol=1e-5)
    assert models.average_models(members[:1]) is members[0]
    with pytest.raises(ValueError, match="differ"):
        models.average_models([members[0], models.build_figure3_cnn()])


@pytest.mark.parametrize("side", [64, 128, 224])
def test_builders_accept_the_medmnist_plus_sizes(side):
    for channels in (1, 3):
        improved = models.build_improved_cnn((side, side, channels), n_classes=5)
        assert improved.output_shape == (None, 5)
        assert models.count_parameters(improved) < models.MAX_PARAMETERS
    assert models.build_figure3_cnn((side, side, 1)).output_shape == (None, 1)


def test_mlp_has_one_weight_per_pixel_and_unit_and_the_course_outputs():
    mlp = models.build_mlp((28, 28, 1), hidden=8)
    assert mlp.count_params() == (28 * 28 + 1) * 8 + (8 + 1)
    assert mlp.output_shape == (None, 1)
    assert models.build_mlp((28, 28, 3), 5, hidden=4).output_shape == (None, 5)
    with pytest.raises(ValueError, match="height, width, channels"):
        models.build_mlp((28, 28))
