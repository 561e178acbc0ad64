"""helpers.history and helpers.check_history: the simulations, figures, widget and checkers of
notebook 01."""

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers import history, widgets
from helpers.checks import history as check_history

ANGLES = np.arange(0.0, 180.0, 5.0)
POSITIONS = np.arange(-8.0, 8.5, 1.0)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- stimuli and kernels


def test_bar_lies_where_its_orientation_and_position_say():
    centre = history.FIELD_SIZE // 2
    horizontal = history.make_bar(0.0)
    assert horizontal.dtype == np.float32 and 0.0 <= horizontal.min() and horizontal.max() <= 1.0
    assert horizontal[centre].min() == 1.0 and horizontal[0].max() == 0.0
    assert history.make_bar(90.0)[:, centre].min() == 1.0
    moved_up = history.make_bar(0.0, position=5.0)
    assert moved_up[centre - 5].min() == 1.0 and moved_up[centre + 5].max() == 0.0
    diagonal = history.make_bar(45.0, width=1.0)
    assert diagonal[0, -1] == 1.0 and diagonal[-1, 0] == 1.0 and diagonal[0, 0] == 0.0


def test_grating_is_in_range_and_oriented():
    grating = history.make_grating(90.0)
    assert grating.shape == (history.FIELD_SIZE,) * 2 and grating.dtype == np.float32
    assert 0.0 <= grating.min() and grating.max() <= 1.0
    assert np.allclose(grating, grating[0:1, :])  # vertical stripes: every row is the same


def test_gabor_kernel_ignores_uniform_light_and_scores_the_best_bar_as_one():
    for orientation in history.ORIENTATIONS:
        kernel = history.make_gabor_kernel(orientation)
        assert kernel.shape == (history.KERNEL_SIZE, history.KERNEL_SIZE)
        assert kernel.dtype == np.float32
        assert abs(float(kernel.sum())) < 1e-5
        bar = history.make_bar(orientation, size=history.KERNEL_SIZE)
        assert float(np.sum(kernel * bar)) == pytest.approx(1.0, abs=1e-5)


def test_raw_gabor_follows_the_formula():
    kernel = history.make_gabor_kernel(30.0, normalise=False)
    row, col = 7, 13
    c = (history.KERNEL_SIZE - 1) / 2
    x, y = col - c, c - row
    theta = np.radians(30.0)
    u, v = x * np.cos(theta) + y * np.sin(theta), -x * np.sin(theta) + y * np.cos(theta)
    lam = history.WAVELENGTH
    expected = np.exp(-(u**2) / (2 * (0.5 * lam) ** 2) - v**2 / (2 * (0.3 * lam) ** 2))
    expected *= np.cos(2 * np.pi * v / lam)
    assert kernel[row, col] == pytest.approx(expected, rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_orientation_must_be_finite(bad):
    with pytest.raises(ValueError, match="finite"):
        history.make_bar(bad)


def test_stimulus_too_small_for_the_cell_is_explained():
    with pytest.raises(ValueError, match="at least"):
        history.complex_cell_response(np.zeros((25, 25)), 0.0)
    with pytest.raises(ValueError, match="2-D"):
        history.simple_cell_response(np.zeros((41, 41, 3)), 0.0)


# --------------------------------------------------------------------------- key properties


@pytest.mark.parametrize("preferred", history.ORIENTATIONS)
def test_simple_cell_responds_most_at_its_preferred_orientation(preferred):
    curve = history.measure_tuning_curve(preferred, ANGLES)
    assert ANGLES[np.argmax(curve)] == preferred
    assert curve.max() == pytest.approx(1.0, abs=1e-5)
    orthogonal = ANGLES[np.argmin(np.abs(ANGLES - (preferred + 90) % 180))]
    assert curve[ANGLES == orthogonal][0] < 0.05
    assert (curve >= 0).all()


@pytest.mark.parametrize("preferred", history.ORIENTATIONS)
def test_complex_cell_is_orientation_tuned_too(preferred):
    curve = history.measure_tuning_curve(preferred, ANGLES, cell="complex")
    assert ANGLES[np.argmax(curve)] == preferred


def test_gratings_give_the_same_preferred_orientation():
    curve = history.measure_tuning_curve(45.0, ANGLES, stimulus="grating")
    assert ANGLES[np.argmax(curve)] == 45.0


@pytest.mark.parametrize("preferred", history.ORIENTATIONS)
def test_complex_cell_is_nearly_constant_over_position_but_simple_cell_is_not(preferred):
    simple = history.measure_position_curve(preferred, preferred, POSITIONS, cell="simple")
    complex_ = history.measure_position_curve(preferred, preferred, POSITIONS, cell="complex")
    assert complex_.min() / complex_.max() > 0.9
    assert simple.min() / simple.max() < 0.1
    assert POSITIONS[np.argmax(simple)] == 0.0


def test_simple_cell_response_is_the_rectified_dot_product():
    stimulus = history.make_bar(20.0, 1.5)
    kernel = history.make_gabor_kernel(45.0)
    k, top = kernel.shape[0], (stimulus.shape[0] - kernel.shape[0]) // 2
    expected = max(0.0, float(np.sum(kernel * stimulus[top : top + k, top : top + k])))
    assert history.simple_cell_response(stimulus, 45.0) == pytest.approx(expected, abs=1e-6)


def test_complex_cell_is_the_max_of_shifted_simple_cells():
    stimulus = history.make_bar(45.0, 6.0)
    kernel = history.make_gabor_kernel(45.0)
    k = kernel.shape[0]
    shifted = [float(np.sum(kernel * stimulus[r : r + k, c : c + k]))
               for r in range(stimulus.shape[0] - k + 1) for c in range(stimulus.shape[1] - k + 1)]
    assert history.complex_cell_response(stimulus, 45.0) == pytest.approx(max(shifted), abs=1e-5)


def test_mystery_cell_has_one_clear_preferred_orientation():
    angles, rates = history.record_mystery_cell()
    assert angles.shape == rates.shape == (36,)
    top_two = np.sort(rates)[-2:]
    assert top_two[1] - top_two[0] > 1.0
    assert np.array_equal(rates, history.record_mystery_cell()[1])  # deterministic


# ------------------------------------------------------------------ images and the Neocognitron


def test_cell_bank_on_the_ct_slice():
    from helpers.data import medimg

    image = medimg.load_sample_image("ct_vertebra", 128)
    maps = history.apply_cell_bank(image)
    assert maps.shape == (4, 128, 128) and maps.dtype == np.float32
    assert maps.min() >= 0.0 and maps.max() > 0.0
    fig = history.plot_response_maps(image, maps)
    assert isinstance(fig, Figure)


@pytest.mark.parametrize("orientation", history.ORIENTATIONS)
def test_cell_bank_picks_the_matching_orientation(orientation):
    bar = history.make_bar(orientation, size=48, width=2.4)
    maps = history.apply_cell_bank(bar)
    centre = maps[:, 24, 24]
    assert history.ORIENTATIONS[int(np.argmax(centre))] == orientation


def test_c_layer_takes_block_maxima_and_drops_partial_blocks():
    x = np.arange(5 * 7, dtype=np.float32).reshape(5, 7, 1)
    pooled = history.apply_c_layer(x, 2)
    assert pooled.shape == (2, 3, 1)
    assert pooled[0, 0, 0] == x[1, 1, 0] and pooled[1, 2, 0] == x[3, 5, 0]
    with pytest.raises(ValueError, match="size"):
        history.apply_c_layer(x, 9)


def test_s_layer_explains_a_channel_mismatch():
    with pytest.raises(ValueError, match="input map"):
        history.apply_s_layer(np.zeros((8, 8, 3)), np.zeros((3, 3, 1, 2)))


def test_neocognitron_stages_and_what_the_s2_cells_detect():
    stages = history.run_neocognitron(history.make_glyph_image(64))
    shapes = {name: maps.shape for name, maps in stages.items()}
    assert shapes == {"input": (64, 64, 1), "S1": (64, 64, 4), "C1": (32, 32, 4),
                      "S2": (32, 32, 2), "C2": (16, 16, 2)}
    c2 = stages["C2"]
    quadrant = {"plus": c2[:8, :8], "cross": c2[:8, 8:], "L": c2[8:, :8], "slash": c2[8:, 8:]}
    peak = {name: maps.max(axis=(0, 1)) for name, maps in quadrant.items()}
    assert peak["plus"][0] > 0.2 and peak["plus"][1] == 0
    assert peak["cross"][1] > 0.2 and peak["cross"][0] == 0
    assert peak["L"].max() == 0 and peak["slash"].max() == 0
    assert isinstance(history.plot_hierarchy(stages), Figure)


def test_numpy_s_and_c_layers_match_keras():
    from helpers import course

    course.import_tensorflow_quietly()
    import keras

    image = history.make_glyph_image(64)
    s2_kernels, s2_bias = history.make_s2_kernels()
    model = keras.Sequential([
        keras.Input((64, 64, 1)),
        keras.layers.Conv2D(4, 9, padding="same", activation="relu", use_bias=False),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(2, 7, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2),
    ])
    model.layers[0].set_weights([history.make_s1_kernels()])
    model.layers[2].set_weights([s2_kernels, s2_bias])
    from_keras = model(image[None, ..., None]).numpy()[0]
    assert np.allclose(from_keras, history.run_neocognitron(image)["C2"], atol=1e-5)


# ------------------------------------------------------------ timeline, layer stack, gradients


def test_timeline_is_in_order_and_holds_the_entry_facts():
    years = [m.year for m in history.MILESTONES]
    assert years == sorted(years) and years[0] == 1959
    labels = " ".join(m.label for m in history.MILESTONES)
    assert "14,197,122" in labels and "21,841" in labels
    assert {m.kind for m in history.MILESTONES} <= set(history.KIND_COLOURS)
    assert isinstance(history.plot_timeline(), Axes)
    with pytest.raises(ValueError, match="unknown kind"):
        history.plot_timeline([history.Milestone(2000, "x", "astrology", "")])


def test_layer_table_and_stack_come_from_the_model():
    from helpers import course

    course.import_tensorflow_quietly()
    import keras

    model = keras.Sequential([keras.Input((12, 12, 1)), keras.layers.Conv2D(4, 3, name="c"),
                              keras.layers.MaxPooling2D(2, name="p"),
                              keras.layers.Flatten(name="f"), keras.layers.Dense(3, name="d")])
    rows = history.describe_layers(model)
    assert [(r["name"], r["shape"], r["params"]) for r in rows] == [
        ("input", (12, 12, 1), 0), ("c", (10, 10, 4), 40), ("p", (5, 5, 4), 0),
        ("f", (100,), 0), ("d", (3,), 303)]
    table = history.format_layer_table(rows)
    assert "10×10×4" in table and "343" in table
    assert isinstance(history.plot_layer_stack(model), Axes)


def test_finite_difference_of_a_known_function():
    weights = np.array([[1.0, 2.0], [3.0, -1.0]])
    gradient = history.finite_difference(lambda w: float(np.sum(w**3)), weights, (1, 0))
    assert gradient == pytest.approx(27.0, rel=1e-6)
    assert weights[1, 0] == 3.0  # unchanged
    with pytest.raises(TypeError, match="floating"):
        history.finite_difference(lambda w: 0.0, np.array([1, 2]), (0,))


def test_plot_helpers_draw_on_given_axes():
    fig, ax = plt.subplots()
    assert history.plot_tuning_curves(ANGLES, ax=ax) is ax
    assert history.plot_position_curves(POSITIONS, ax=ax) is ax
    assert history.plot_recording(*history.record_mystery_cell(), ax=ax) is ax
    fig, axes = plt.subplots(1, 4)
    assert history.plot_receptive_fields(axes=axes) is fig
    with pytest.raises(ValueError, match="equal length"):
        history.plot_recording(np.arange(3), np.arange(4))


# --------------------------------------------------------------------------- the widget


def test_widget_update_over_its_whole_grid():
    for angle, position in itertools.product(history.WIDGET_ANGLES, history.WIDGET_POSITIONS):
        result = widgets.render(history.draw_cell_responses, bar_angle=angle,
                                bar_position=position)
        assert isinstance(result, Figure), (angle, position, result)
        plt.close(result)


@pytest.mark.parametrize("preferred", history.ORIENTATIONS)
def test_widget_update_for_other_preferred_orientations(preferred):
    for angle, position in [(0, -10), (90, 0), (165, 10)]:
        result = widgets.render(history.draw_cell_responses, bar_angle=angle,
                                bar_position=position, preferred_angle=preferred)
        assert isinstance(result, Figure), (angle, position, preferred, result)
        plt.close(result)


@pytest.mark.parametrize(("values", "message"), [
    ({"bar_position": 14}, "between -10 and 10"),
    ({"bar_angle": float("nan")}, "finite"),
])
def test_widget_explains_impossible_values(values, message):
    result = widgets.render(history.draw_cell_responses, **values)
    assert isinstance(result, str) and message in result


def test_widget_controls_match_the_tested_grid():
    box = history.make_cell_explorer()
    angle, position = box.children[0].children
    assert tuple(range(angle.min, angle.max + 1, angle.step)) == history.WIDGET_ANGLES
    assert tuple(range(position.min, position.max + 1, position.step)) == history.WIDGET_POSITIONS
    assert isinstance(box.children[1].outputs, tuple)


# --------------------------------------------------------------------------- exercise checkers


def _assert_fails_with(result, hint_part):
    assert not result.ok, result
    assert hint_part in result.message, result.message


def test_preferred_orientation_checker():
    angles, rates = history.record_mystery_cell()
    best = int(np.argmax(rates))
    correct = angles[best]
    assert check_history.check_preferred_orientation(correct).ok
    assert check_history.check_preferred_orientation(int(correct)).ok
    _assert_fails_with(check_history.check_preferred_orientation(best), "index")
    _assert_fails_with(check_history.check_preferred_orientation(angles[np.argmin(rates)]),
                       "fires least")
    _assert_fails_with(check_history.check_preferred_orientation(np.deg2rad(correct)), "radians")
    _assert_fails_with(check_history.check_preferred_orientation(rates[best]), "how strongly")
    _assert_fails_with(check_history.check_preferred_orientation(correct + 5), "close")
    _assert_fails_with(check_history.check_preferred_orientation(...), "no answer yet")
    for wrong in (best, np.deg2rad(correct), correct + 5, 7.0):
        assert f"{correct:g}" not in check_history.check_preferred_orientation(wrong).message


def _c_cell(feature_map, size):
    x = np.asarray(feature_map)
    h, w = x.shape[0] // size, x.shape[1] // size
    return x[: h * size, : w * size].reshape(h, size, w, size).max(axis=(1, 3))


def _average(feature_map, size):
    x = np.asarray(feature_map)
    h, w = x.shape[0] // size, x.shape[1] // size
    return x[: h * size, : w * size].reshape(h, size, w, size).mean(axis=(1, 3))


def _overlapping(feature_map, size):
    x = np.asarray(feature_map)
    return np.array([[x[r : r + size, c : c + size].max() for c in range(x.shape[1] - size + 1)]
                     for r in range(x.shape[0] - size + 1)])


def _with_partial_blocks(feature_map, size):
    x = np.asarray(feature_map)
    return np.array([[x[r : r + size, c : c + size].max() for c in range(0, x.shape[1], size)]
                     for r in range(0, x.shape[0], size)])


def test_c_cell_layer_checker():
    assert check_history.check_c_cell_layer(_c_cell).ok
    assert check_history.check_c_cell_layer(
        lambda m, s: history.apply_c_layer(np.asarray(m)[..., None], s)[..., 0]).ok
    _assert_fails_with(check_history.check_c_cell_layer(_average), "averaged")
    _assert_fails_with(check_history.check_c_cell_layer(_overlapping), "overlap")
    _assert_fails_with(check_history.check_c_cell_layer(_with_partial_blocks), "incomplete")

    def unfinished(feature_map, size):
        raise NotImplementedError

    _assert_fails_with(check_history.check_c_cell_layer(unfinished), "not written yet")
    _assert_fails_with(check_history.check_c_cell_layer(lambda m, s: None), "returns None")
    _assert_fails_with(check_history.check_c_cell_layer(42), "expected a function")


def test_output_shape_checker():
    assert check_history.check_output_shape((31, 31, 32)).ok
    assert check_history.check_output_shape([31, 31, 32]).ok
    _assert_fails_with(check_history.check_output_shape((32, 32, 32)), "padded")
    _assert_fails_with(check_history.check_output_shape((30, 30, 32)), "padding='same'")
    _assert_fails_with(check_history.check_output_shape((62, 62, 32)), "two pooling layers")
    _assert_fails_with(check_history.check_output_shape((31, 31, 16)), "last")
    _assert_fails_with(check_history.check_output_shape((None, 31, 31, 32)), "batch")
    _assert_fails_with(check_history.check_output_shape((31, 31)), "three numbers")
    for wrong in [(32, 32, 32), (30, 30, 32), (1, 2, 3)]:
        message = check_history.check_output_shape(wrong).message
        assert "31" not in message


def test_parameter_count_checker():
    assert check_history.check_parameter_count(4640).ok
    _assert_fails_with(check_history.check_parameter_count(4608), "biases")
    _assert_fails_with(check_history.check_parameter_count(320), "16 input channels")
    _assert_fails_with(check_history.check_parameter_count(5120), "one bias per filter")
    _assert_fails_with(check_history.check_parameter_count(416), "first convolution")
    for wrong in (4608, 320, 1):
        assert "4640" not in check_history.check_parameter_count(wrong).message
        assert "4,640" not in check_history.check_parameter_count(wrong).message


def test_parameter_count_matches_keras():
    from helpers import course

    course.import_tensorflow_quietly()
    import keras

    model = keras.Sequential([keras.Input((128, 128, 1)), keras.layers.Conv2D(16, 5),
                              keras.layers.MaxPooling2D(2),
                              keras.layers.Conv2D(32, 3, padding="same"),
                              keras.layers.MaxPooling2D(2)])
    shape = tuple(model.layers[-1].output.shape[1:])
    assert shape == (31, 31, 32)
    assert check_history.check_output_shape(shape).ok
    assert check_history.check_parameter_count(model.layers[2].count_params()).ok
