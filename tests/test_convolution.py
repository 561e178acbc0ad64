"""helpers.convolution and helpers.check_convolution (notebook 02): Equation (1) from scratch,
padding/stride/output sizes, conv layers, kernels, figures, the widget and the exercise checkers."""

import itertools
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import scipy.signal
from matplotlib.figure import Figure

from helpers import convolution, course, widgets
from helpers.checks import convolution as check_convolution

TOLERANCE = 1e-5
KERNEL_SHAPES = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (2, 3), (4, 1)]
STRIDES = [1, 2, 3]
PADDINGS = ["valid", 0, 1, 2, "same"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def keras():
    course.import_tensorflow_quietly()
    import keras

    return keras


def _inputs(kernel_shape, seed=0, image_shape=(13, 11)):
    rng = np.random.default_rng(seed)
    return rng.random(image_shape), rng.uniform(-1.0, 1.0, kernel_shape)


def _scipy_reference(operation, image, kernel, stride, padding):
    """SciPy's result on the zero-padded image, subsampled with the stride."""
    p = 0 if padding == "valid" else padding
    return operation(np.pad(image, p), kernel, mode="valid")[::stride, ::stride]


def _max_difference(a, b) -> float:
    assert np.shape(a) == np.shape(b), (np.shape(a), np.shape(b))
    return float(np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))))


# --------------------------------------------------------------------------- Equation (1)


@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("padding", ["valid", 0, 1, 2])
def test_loops_and_vectorised_equal_scipy(kernel_shape, stride, padding):
    image, kernel = _inputs(kernel_shape, seed=stride)
    conv = _scipy_reference(scipy.signal.convolve2d, image, kernel, stride, padding)
    corr = _scipy_reference(scipy.signal.correlate2d, image, kernel, stride, padding)
    options = {"stride": stride, "padding": padding}
    assert _max_difference(convolution.convolve2d_loops(image, kernel, **options), conv) < TOLERANCE
    assert _max_difference(convolution.convolve2d_fast(image, kernel, **options), conv) < TOLERANCE
    assert _max_difference(convolution.correlate2d_loops(image, kernel, **options), corr) < TOLERANCE
    assert _max_difference(convolution.correlate2d_fast(image, kernel, **options), corr) < TOLERANCE


@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
def test_same_padding_equals_scipy_same_for_odd_and_even_kernels(kernel_shape):
    image, kernel = _inputs(kernel_shape, seed=7)
    for ours, theirs in [(convolution.convolve2d_fast, scipy.signal.convolve2d),
                         (convolution.convolve2d_loops, scipy.signal.convolve2d),
                         (convolution.correlate2d_fast, scipy.signal.correlate2d),
                         (convolution.correlate2d_loops, scipy.signal.correlate2d)]:
        assert _max_difference(ours(image, kernel, padding="same"),
                               theirs(image, kernel, mode="same")) < TOLERANCE


@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("padding", PADDINGS)
def test_correlation_equals_keras_conv(kernel_shape, stride, padding):
    image, kernel = _inputs(kernel_shape, seed=3, image_shape=(12, 15))
    keras_result = convolution.correlate2d_keras(image, kernel, stride=stride, padding=padding)
    options = {"stride": stride, "padding": padding}
    assert _max_difference(convolution.correlate2d_fast(image, kernel, **options), keras_result) < TOLERANCE
    assert _max_difference(convolution.correlate2d_loops(image, kernel, **options), keras_result) < TOLERANCE


def test_keras_conv2d_layer_is_cross_correlation_not_convolution(keras):
    image, kernel = _inputs((3, 3), seed=11)
    layer = keras.layers.Conv2D(1, 3, use_bias=False)
    layer.build((None, *image.shape, 1))
    layer.set_weights([kernel[:, :, None, None]])
    out = keras.ops.convert_to_numpy(layer(image[None, :, :, None].astype("float32")))[0, :, :, 0]
    assert _max_difference(out, convolution.correlate2d_fast(image, kernel)) < TOLERANCE
    assert _max_difference(out, convolution.convolve2d_fast(image, kernel)) > 0.01
    flipped = convolution.flip_kernel(kernel)
    assert _max_difference(convolution.convolve2d_fast(image, kernel),
                           convolution.correlate2d_fast(image, flipped)) < TOLERANCE


def test_tf_nn_conv2d_is_cross_correlation():
    tf = course.import_tensorflow_quietly()
    image, kernel = _inputs((4, 3), seed=5)
    out = tf.nn.conv2d(image[None, :, :, None].astype("float32"),
                       kernel[:, :, None, None].astype("float32"), strides=2, padding="SAME")
    expected = convolution.correlate2d_fast(image, kernel, stride=2, padding="same")
    assert _max_difference(out.numpy()[0, :, :, 0], expected) < TOLERANCE


# --------------------------------------------------------------------------- sizes and padding


@pytest.mark.parametrize("n,k,p,s", [(128, 3, 0, 1), (128, 5, 1, 2), (28, 3, 0, 2), (64, 7, 3, 4),
                                     (10, 4, 2, 3), (9, 9, 0, 1), (5, 2, 0, 5)])
def test_output_size_formula_matches_the_arrays(n, k, p, s):
    expected = (n + 2 * p - k) // s + 1
    assert convolution.conv_output_size(n, k, p, s) == expected
    image = np.zeros((n, n))
    kernel = np.ones((k, k))
    assert convolution.correlate2d_fast(image, kernel, stride=s, padding=p).shape == (expected,) * 2
    assert convolution.correlate2d_keras(image, kernel, stride=s, padding=p).shape == (expected,) * 2


@pytest.mark.parametrize("n,k,s", [(128, 3, 1), (128, 4, 2), (15, 5, 3), (7, 2, 4)])
def test_same_padding_gives_ceil_n_over_s(n, k, s):
    assert convolution.conv_output_size(n, k, "same", s) == math.ceil(n / s)
    assert convolution.correlate2d_fast(np.zeros((n, n)), np.ones((k, k)), stride=s,
                                        padding="same").shape == (math.ceil(n / s),) * 2


def test_bad_sizes_strides_and_paddings_raise_clear_errors():
    image = np.zeros((8, 8))
    with pytest.raises(ValueError, match="does not fit"):
        convolution.correlate2d_fast(image, np.ones((9, 9)))
    with pytest.raises(ValueError, match="does not fit"):
        convolution.conv_output_size(8, 11, padding=1)
    with pytest.raises(ValueError, match="stride"):
        convolution.convolve2d_loops(image, np.ones((3, 3)), stride=0)
    with pytest.raises(ValueError, match="padding"):
        convolution.convolve2d_fast(image, np.ones((3, 3)), padding=-1)
    with pytest.raises(ValueError, match="padding"):
        convolution.correlate2d_fast(image, np.ones((3, 3)), padding="full")
    with pytest.raises(ValueError, match="2-D"):
        convolution.correlate2d_fast(np.zeros((8, 8, 3)), np.ones((3, 3)))


def test_even_same_padding_puts_the_extra_zero_where_keras_and_scipy_do():
    assert convolution.resolve_padding((10, 10), (4, 4)) == ((0, 0), (0, 0))
    assert convolution.resolve_padding((10, 10), (4, 4), padding="same") == ((1, 2), (1, 2))
    assert convolution.resolve_padding((10, 10), (4, 4), padding="same", flipped=True) == ((2, 1), (2, 1))


# --------------------------------------------------------------------------- conv layers


@pytest.mark.parametrize("k,c_in,c_out,stride,padding", [(3, 3, 4, 1, "valid"), (5, 2, 3, 2, "same"),
                                                         (2, 1, 2, 1, "same"), (3, 4, 1, 3, "valid")])
def test_conv_layer_forward_equals_keras_conv2d(keras, k, c_in, c_out, stride, padding):
    rng = np.random.default_rng(k + c_in)
    inputs = rng.random((17, 14, c_in))
    weights = rng.normal(0, 0.3, (k, k, c_in, c_out))
    bias = rng.normal(0, 0.1, c_out)
    layer = keras.layers.Conv2D(c_out, k, strides=stride, padding=padding)
    layer.build((None, 17, 14, c_in))
    layer.set_weights([weights, bias])
    expected = keras.ops.convert_to_numpy(layer(inputs[None].astype("float32")))[0]
    ours = convolution.conv_layer_forward(inputs, weights, bias, stride=stride, padding=padding)
    assert _max_difference(ours, expected) < TOLERANCE
    per_channel = sum(convolution.correlate2d_fast(inputs[..., c], weights[:, :, c, 0], stride=stride,
                                                   padding=padding) for c in range(c_in)) + bias[0]
    assert _max_difference(ours[..., 0], per_channel) < TOLERANCE


def test_conv_layer_forward_rejects_mismatched_channels():
    with pytest.raises(ValueError, match="channels"):
        convolution.conv_layer_forward(np.zeros((8, 8, 3)), np.zeros((3, 3, 2, 4)))
    with pytest.raises(ValueError, match="one per filter"):
        convolution.conv_layer_forward(np.zeros((8, 8, 2)), np.zeros((3, 3, 2, 4)), np.zeros(2))


@pytest.mark.parametrize("k,c_in,c_out,bias", [(3, 1, 16, True), (3, 16, 32, True), (5, 3, 8, False),
                                               (1, 64, 10, True)])
def test_parameter_count_equals_keras(keras, k, c_in, c_out, bias):
    model = keras.Sequential([keras.Input((32, 32, c_in)), keras.layers.Conv2D(c_out, k, use_bias=bias)])
    assert convolution.count_conv_parameters(k, c_in, c_out, use_bias=bias) == model.count_params()


# --------------------------------------------------------------------------- kernels and figures


@pytest.mark.parametrize("name", convolution.KERNEL_NAMES)
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 9, 21])
def test_kernels_have_the_documented_shape_and_sum(name, size):
    kernel = convolution.make_kernel(name, size)
    side = size if name in convolution.SIZE_VARIABLE else 3
    assert kernel.shape == (side, side) and kernel.dtype == np.float64
    expected_sum = 0.0 if name in ("sobel x", "sobel y", "laplacian") else 1.0
    assert kernel.sum() == pytest.approx(expected_sum, abs=1e-12)
    np.testing.assert_allclose(kernel, kernel[::-1, ::-1] if name not in ("sobel x", "sobel y")
                               else -kernel[::-1, ::-1])


def test_sobel_x_is_positive_where_brightness_increases_to_the_right():
    ramp = np.tile(np.arange(10.0), (6, 1))
    assert np.all(convolution.correlate2d_fast(ramp, convolution.make_kernel("sobel x")) > 0)
    assert np.all(convolution.convolve2d_fast(ramp, convolution.make_kernel("sobel x")) < 0)


def test_unknown_kernel_and_bad_size_raise():
    with pytest.raises(ValueError, match="choose from"):
        convolution.make_kernel("emboss")
    with pytest.raises(ValueError, match="positive"):
        convolution.make_kernel("gaussian", 0)


def test_figures_return_what_they_drew_on():
    image = convolution.load_widget_image("ct_vertebra")
    assert isinstance(convolution.plot_kernels(), Figure)
    assert isinstance(convolution.plot_kernel_responses(image), Figure)
    maps = convolution.conv_layer_forward(image[..., None], np.random.default_rng(0).normal(size=(3, 3, 1, 4)))
    assert isinstance(convolution.plot_feature_maps(maps), Figure)
    fig, ax = plt.subplots()
    assert convolution.plot_padded_input(image[:16, :16], 3, 2, 1, ax=ax) is ax
    assert convolution.plot_kernel(np.eye(3), ax=ax) is ax


def test_widget_images_are_in_range_and_read_only():
    for key in convolution.WIDGET_IMAGES:
        image = convolution.load_widget_image(key)
        assert image.ndim == 2 and image.dtype == np.float32
        assert 0.0 <= image.min() and image.max() <= 1.0
        assert not image.flags.writeable
    assert convolution.load_widget_image("ct_zoom").shape == (16, 16)


# --------------------------------------------------------------------------- the widget


def _widget_grid():
    return itertools.product(convolution.WIDGET_IMAGES, convolution.WIDGET_KERNELS,
                             convolution.WIDGET_SIZES, convolution.WIDGET_STRIDES,
                             convolution.WIDGET_PADDINGS)


@pytest.mark.slow
@pytest.mark.parametrize("image", list(convolution.WIDGET_IMAGES))
def test_widget_update_over_its_whole_grid(image):
    """Every control combination the widget offers gives a Figure or a clear message."""
    figures = messages = 0
    for values in _widget_grid():
        if values[0] != image:
            continue
        kwargs = dict(zip(["image", "kernel", "size", "stride", "padding"], values, strict=True))
        result = widgets.render(convolution.update_convolution_widget, **kwargs)
        if isinstance(result, Figure):
            figures += 1
            plt.close(result)
            continue
        assert isinstance(result, str), result
        kernel, size, padding = kwargs["kernel"], kwargs["size"], kwargs["padding"]
        if kernel not in convolution.SIZE_VARIABLE and size != 3:
            assert "set size to 3" in result, result
        else:  # the only other impossible combination: a kernel larger than the padded image
            assert "does not fit" in result, (kwargs, result)
            p = {"valid": 0, "same": None}.get(padding, padding)
            assert p is not None and size > convolution.load_widget_image(image).shape[0] + 2 * p
        messages += 1
    assert figures > 0


def test_widget_shows_the_output_shape_of_the_formula():
    fig = convolution.update_convolution_widget("ct_vertebra", "gaussian", 5, 2, 1)
    text = fig._suptitle.get_text()
    assert "⌊(128 + 2·1 − 5)/2⌋ + 1 = 63" in text
    assert any(ax.get_title().startswith("output 63×63") for ax in fig.axes)


def test_widget_impossible_combination_gives_a_message():
    result = widgets.render(convolution.update_convolution_widget, image="ct_zoom", kernel="box blur",
                            size=21, stride=1, padding="valid")
    assert isinstance(result, str) and "does not fit" in result and "padding" in result


@pytest.mark.parametrize("weights", [
    {},  # all zeros: a black output, not an error
    {"w11": 1.0},
    {"w00": -1.0, "w02": 1.0, "w10": -2.0, "w12": 2.0, "w20": -1.0, "w22": 1.0},
    {f"w{j}{k}": 1e6 for j in range(3) for k in range(3)},
])
def test_widget_custom_kernels(weights):
    for padding in convolution.WIDGET_PADDINGS:
        result = widgets.render(convolution.update_convolution_widget, image="ct_zoom",
                                kernel="custom 3×3", size=3, stride=2, padding=padding, **weights)
        assert isinstance(result, Figure), result
        plt.close(result)


def test_widget_rejects_bad_custom_values_with_a_message():
    result = widgets.render(convolution.update_convolution_widget, image="mr_small", kernel="custom 3×3",
                            size=3, stride=1, padding="same", w00=float("nan"))
    assert isinstance(result, str) and "finite" in result
    result = widgets.render(convolution.update_convolution_widget, image="mr_small", kernel="sobel x",
                            size=3, stride=1, padding="same", w33=1.0)
    assert isinstance(result, str) and "w33" in result


def test_widget_box_wires_every_control():
    box = convolution.make_convolution_widget()
    controls = {c.description: c for c in box.children[0].children[0].children[0].children}
    controls["kernel"].value = "gaussian"
    assert not box.children[0].children[0].children[1].children[0].disabled
    controls["kernel"].value = "laplacian"
    size = box.children[0].children[0].children[1].children[0]
    assert size.value == 3 and size.disabled


# --------------------------------------------------------------------------- exercise checkers


def _conv_solution(image, kernel):
    f, h = np.asarray(image, float), np.asarray(kernel, float)
    out = np.zeros((f.shape[0] - h.shape[0] + 1, f.shape[1] - h.shape[1] + 1))
    for m in range(out.shape[0]):
        for n in range(out.shape[1]):
            out[m, n] = np.sum(f[m : m + h.shape[0], n : n + h.shape[1]] * h[::-1, ::-1])
    return out


def _not_written(image, kernel):
    raise NotImplementedError


def test_check_conv2d():
    assert check_convolution.check_conv2d(_conv_solution)
    assert check_convolution.check_conv2d(lambda f, h: scipy.signal.convolve2d(f, h, mode="valid"))
    wrong = {
        "did you flip the kernel": lambda f, h: scipy.signal.correlate2d(f, h, mode="valid"),
        "upside down only": lambda f, h: scipy.signal.correlate2d(f, h[::-1], mode="valid"),
        "left-right only": lambda f, h: scipy.signal.correlate2d(f, h[:, ::-1], mode="valid"),
        "transposed": lambda f, h: scipy.signal.correlate2d(f, h.T, mode="valid"),
        "size of the input": lambda f, h: scipy.signal.convolve2d(f, h, mode="same"),
        "raised ZeroDivisionError": lambda f, h: 1 / 0,
        "not written yet": _not_written,
        "returns None": lambda f, h: None,
    }
    for hint, function in wrong.items():
        result = check_convolution.check_conv2d(function)
        assert not result and hint in result.message, (hint, result.message)


def test_check_output_size_formula():
    assert check_convolution.check_output_size_formula(lambda n, k, p, s: (n + 2 * p - k) // s + 1)
    assert check_convolution.check_output_size_formula(
        lambda n, k, p, s: math.floor((n + 2 * p - k) / s) + 1)
    wrong = {
        "off by one": lambda n, k, p, s: (n + 2 * p - k) // s,
        "padding counts on both sides": lambda n, k, p, s: (n + p - k) // s + 1,
        "forgot the stride": lambda n, k, p, s: n + 2 * p - k + 1,
        "forgot the padding": lambda n, k, p, s: (n - k) // s + 1,
        "round down, not up": lambda n, k, p, s: -(-(n + 2 * p - k) // s) + 1,
        "use //": lambda n, k, p, s: (n + 2 * p - k) / s + 1,
        "returns None": lambda n, k, p, s: None,
    }
    for hint, function in wrong.items():
        result = check_convolution.check_output_size_formula(function)
        assert not result and hint in result.message, (hint, result.message)


def test_output_size_mistakes_are_distinguishable_on_the_cases():
    cases = check_convolution.OUTPUT_SIZE_CASES
    formulas = [lambda n, k, p, s: (n + 2 * p - k) // s + 1, lambda n, k, p, s: (n + 2 * p - k) // s,
                lambda n, k, p, s: (n + p - k) // s + 1, lambda n, k, p, s: n + 2 * p - k + 1,
                lambda n, k, p, s: (n - k) // s + 1, lambda n, k, p, s: -(-(n + 2 * p - k) // s) + 1,
                lambda n, k, p, s: (n + 2 * p - k + 1) // s]
    answers = {tuple(f(*case) for case in cases) for f in formulas}
    assert len(answers) == len(formulas)


def test_check_shift_kernel():
    correct = np.zeros((3, 3))
    correct[1, 2] = 1
    assert check_convolution.check_shift_kernel(correct)
    assert check_convolution.check_shift_kernel(correct.tolist())
    image = np.random.default_rng(0).random((6, 6))
    moved = convolution.convolve2d_fast(image, correct, padding="same")
    np.testing.assert_allclose(moved[:, 1:], image[:, :-1])  # the claim the exercise makes
    cases = {"cross-correlation": (1, 0), "the first index is the row": (0, 1), "identity": (1, 1)}
    for hint, (row, col) in cases.items():
        wrong = np.zeros((3, 3))
        wrong[row, col] = 1
        result = check_convolution.check_shift_kernel(wrong)
        assert not result and hint in result.message, (hint, result.message)
    assert "shape" in check_convolution.check_shift_kernel(np.zeros((2, 2))).message
    assert "no answer" in check_convolution.check_shift_kernel(...).message


def test_check_parameter_count():
    assert check_convolution.check_parameter_count((3 * 3 * 1 * 16 + 16) + (3 * 3 * 16 * 32 + 32))
    wrong = {
        "forgot the biases:": 3 * 3 * 16 + 3 * 3 * 16 * 32,
        "forgot the input channels": (3 * 3 * 16 + 16) + (3 * 3 * 32 + 32),
        "biases and the input channels": 3 * 3 * 16 + 3 * 3 * 32,
        "second layer alone": 3 * 3 * 16 * 32 + 32,
        "first layer alone": 3 * 3 * 16 + 16,
        "not per input channel": (3 * 3 * 16 + 1) + (3 * 3 * 16 * 32 + 16),
    }
    for hint, answer in wrong.items():
        result = check_convolution.check_parameter_count(answer)
        assert not result and hint in result.message, (hint, result.message)


def test_parameter_count_exercise_agrees_with_keras(keras):
    model = keras.Sequential([keras.Input((64, 64, 1)), keras.layers.Conv2D(16, 3), keras.layers.Conv2D(32, 3)])
    assert check_convolution.check_parameter_count(model.count_params())


def test_checkers_never_reveal_the_answer():
    results = [check_convolution.check_parameter_count(1), check_convolution.check_parameter_count(4752),
               check_convolution.check_shift_kernel(np.ones((3, 3)))]
    for result in results:
        assert "4800" not in result.message and "[1, 2]" not in result.message


# --------------------------------------------------------------------------- the benchmark


def test_benchmark_rows_have_names_values_and_units():
    import importlib.util

    path = course.REPO_ROOT / "benchmarks" / "bench_convolution.py"
    spec = importlib.util.spec_from_file_location("bench_convolution", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.run(size=24, repeats=1)
    assert rows and all(isinstance(n, str) and isinstance(v, float) and isinstance(u, str) for n, v, u in rows)
