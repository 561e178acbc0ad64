"""helpers.convolution.ops (notebook 02): Equation (1) from scratch against SciPy and Keras,
padding, stride and output sizes, a Conv2D layer from scratch, and the speed comparison."""

import math

import numpy as np
import pytest
import scipy.signal

from helpers import convolution, course

TOLERANCE = 1e-5
KERNEL_SHAPES = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (2, 3), (4, 1)]
STRIDES = [1, 2, 3]
PADDINGS = ["valid", 0, 1, 2, "same"]
diff = convolution.max_difference


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


def test_max_difference_compares_like_with_like():
    assert diff(np.zeros((2, 3)), np.full((2, 3), -0.5, dtype=np.float32)) == 0.5
    assert diff(np.zeros(0), np.zeros(0)) == 0.0
    with pytest.raises(ValueError, match="different shapes"):
        diff(np.zeros((2, 3)), np.zeros((3, 2)))


# --------------------------------------------------------------------------- Equation (1)


@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("padding", ["valid", 0, 1, 2])
def test_loops_and_vectorised_equal_scipy(kernel_shape, stride, padding):
    image, kernel = _inputs(kernel_shape, seed=stride)
    conv = _scipy_reference(scipy.signal.convolve2d, image, kernel, stride, padding)
    corr = _scipy_reference(scipy.signal.correlate2d, image, kernel, stride, padding)
    options = {"stride": stride, "padding": padding}
    assert diff(convolution.convolve2d_loops(image, kernel, **options), conv) < TOLERANCE
    assert diff(convolution.convolve2d_fast(image, kernel, **options), conv) < TOLERANCE
    assert diff(convolution.correlate2d_loops(image, kernel, **options), corr) < TOLERANCE
    assert diff(convolution.correlate2d_fast(image, kernel, **options), corr) < TOLERANCE


@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
def test_same_padding_equals_scipy_same_for_odd_and_even_kernels(kernel_shape):
    image, kernel = _inputs(kernel_shape, seed=7)
    for ours, theirs in [(convolution.convolve2d_fast, scipy.signal.convolve2d),
                         (convolution.convolve2d_loops, scipy.signal.convolve2d),
                         (convolution.correlate2d_fast, scipy.signal.correlate2d),
                         (convolution.correlate2d_loops, scipy.signal.correlate2d)]:
        assert diff(ours(image, kernel, padding="same"), theirs(image, kernel, mode="same")) < TOLERANCE


@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("padding", PADDINGS)
def test_correlation_equals_keras_conv(kernel_shape, stride, padding):
    image, kernel = _inputs(kernel_shape, seed=3, image_shape=(12, 15))
    keras_result = convolution.correlate2d_keras(image, kernel, stride=stride, padding=padding)
    options = {"stride": stride, "padding": padding}
    assert diff(convolution.correlate2d_fast(image, kernel, **options), keras_result) < TOLERANCE
    assert diff(convolution.correlate2d_loops(image, kernel, **options), keras_result) < TOLERANCE


def test_keras_conv2d_layer_is_cross_correlation_not_convolution(keras):
    image, kernel = _inputs((3, 3), seed=11)
    layer = keras.layers.Conv2D(1, 3, use_bias=False)
    layer.build((None, *image.shape, 1))
    layer.set_weights([kernel[:, :, None, None]])
    out = keras.ops.convert_to_numpy(layer(image[None, :, :, None].astype("float32")))[0, :, :, 0]
    assert diff(out, convolution.correlate2d_fast(image, kernel)) < TOLERANCE
    assert diff(out, convolution.convolve2d_fast(image, kernel)) > 0.01
    flipped = convolution.flip_kernel(kernel)
    assert diff(convolution.convolve2d_fast(image, kernel),
                convolution.correlate2d_fast(image, flipped)) < TOLERANCE


def test_tf_nn_conv2d_is_cross_correlation():
    tf = course.import_tensorflow_quietly()
    image, kernel = _inputs((4, 3), seed=5)
    out = tf.nn.conv2d(image[None, :, :, None].astype("float32"),
                       kernel[:, :, None, None].astype("float32"), strides=2, padding="SAME")
    expected = convolution.correlate2d_fast(image, kernel, stride=2, padding="same")
    assert diff(out.numpy()[0, :, :, 0], expected) < TOLERANCE


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
    with pytest.raises(ValueError, match="stride must be a positive integer"):
        convolution.convolve2d_loops(image, np.ones((3, 3)), stride=0)
    with pytest.raises(ValueError, match="padding must be a non-negative integer"):
        convolution.convolve2d_fast(image, np.ones((3, 3)), padding=-1)
    with pytest.raises(ValueError, match="padding .* or 'valid' or 'same', got 'full'"):
        convolution.correlate2d_fast(image, np.ones((3, 3)), padding="full")
    with pytest.raises(ValueError, match="2-D"):
        convolution.correlate2d_fast(np.zeros((8, 8, 3)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="image side n"):
        convolution.conv_output_size(0, 3)


def test_even_same_padding_puts_the_extra_zero_where_keras_and_scipy_do():
    assert convolution.resolve_padding((10, 10), (4, 4)) == ((0, 0), (0, 0))
    assert convolution.resolve_padding((10, 10), (4, 4), padding="same") == ((1, 2), (1, 2))
    assert convolution.resolve_padding((10, 10), (4, 4), padding="same", flipped=True) == ((2, 1), (2, 1))
    assert convolution.resolve_padding((10, 9), (4, 3), 2, "same") == ((1, 1), (1, 1))
    assert convolution.same_padding(10, 4, 2) == (1, 1)  # last window at 8..11: 2 zeros in all
    assert convolution.same_padding(5, 2, 2) == (0, 1)


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
    assert diff(ours, expected) < TOLERANCE
    per_channel = sum(convolution.correlate2d_fast(inputs[..., c], weights[:, :, c, 0], stride=stride,
                                                   padding=padding) for c in range(c_in)) + bias[0]
    assert diff(ours[..., 0], per_channel) < TOLERANCE


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


def test_parameter_count_rejects_empty_layers():
    assert convolution.count_conv_parameters((3, 5), 2, 4) == 3 * 5 * 2 * 4 + 4
    with pytest.raises(ValueError, match="filters must be a positive integer"):
        convolution.count_conv_parameters(3, 1, 0)


# --------------------------------------------------------------------------- speed


def test_compare_speed_times_the_three_implementations():
    image, kernel = _inputs((3, 3), image_shape=(16, 16))
    seconds = convolution.compare_speed(image, kernel, repeats=1)
    assert list(seconds) == ["loops", "vectorised NumPy", "Keras"]
    assert all(isinstance(t, float) and t > 0 for t in seconds.values())


def test_benchmark_rows_have_names_values_and_units():
    import importlib.util

    path = course.REPO_ROOT / "benchmarks" / "bench_convolution.py"
    spec = importlib.util.spec_from_file_location("bench_convolution", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.run(size=24, repeats=1)
    assert rows and all(isinstance(n, str) and isinstance(v, float) and isinstance(u, str) for n, v, u in rows)
