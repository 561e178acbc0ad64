"""helpers.history.cells: stimuli, receptive fields, simple and complex cells, the cell bank."""

import numpy as np
import pytest

from helpers import history

ANGLES = np.arange(0.0, 180.0, 5.0)
POSITIONS = np.arange(-8.0, 8.5, 1.0)


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


def test_bad_stimulus_sizes_are_explained():
    with pytest.raises(ValueError, match="width must be a positive number of pixels"):
        history.make_bar(0.0, width=0)
    with pytest.raises(ValueError, match="size must be a whole number of at least 3"):
        history.make_bar(0.0, size=2)
    with pytest.raises(ValueError, match="at least"):
        history.complex_cell_response(np.zeros((25, 25)), 0.0)
    with pytest.raises(ValueError, match="2-D"):
        history.simple_cell_response(np.zeros((41, 41, 3)), 0.0)
    with pytest.raises(ValueError, match="pool_radius must be a non-negative integer"):
        history.complex_cell_response(np.zeros((41, 41)), 0.0, pool_radius=-1)
    with pytest.raises(ValueError, match="cell must be one of"):
        history.measure_tuning_curve(0.0, ANGLES, cell="hypercomplex")


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


# --------------------------------------------------------------------------- cells on an image


def test_cell_bank_on_the_ct_slice_is_the_rectified_correlation():
    from helpers.data import medimg

    image = medimg.load_sample_image("ct_vertebra", 128)
    maps = history.apply_cell_bank(image)
    assert maps.shape == (4, 128, 128) and maps.dtype == np.float32
    assert maps.min() >= 0.0 and maps.max() > 0.0
    kernel = history.make_gabor_kernel(history.ORIENTATIONS[1], wavelength=8.0)
    r = kernel.shape[0] // 2
    row, col = 40, 70  # a cell centred on this pixel sees the k×k window around it
    window = image[row - r : row + r + 1, col - r : col + r + 1]
    expected = max(0.0, float(np.sum(kernel * window)))
    assert maps[1, row, col] == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize("orientation", history.ORIENTATIONS)
def test_cell_bank_picks_the_matching_orientation(orientation):
    bar = history.make_bar(orientation, size=48, width=2.4)
    maps = history.apply_cell_bank(bar)
    centre = maps[:, 24, 24]
    assert history.ORIENTATIONS[int(np.argmax(centre))] == orientation
