"""helpers.classic_ml.features: each hand-crafted feature on images whose answer is known."""

import numpy as np
import pytest

from helpers import history
from helpers.classic_ml import features


def _step(vertical: bool = True, size: int = 28) -> np.ndarray:
    """A dark left (or top) half and a bright right (or bottom) half, uint8."""
    image = np.zeros((size, size), dtype=np.uint8)
    if vertical:
        image[:, size // 2:] = 255
    else:
        image[size // 2:, :] = 255
    return image


def test_grey_batches_accept_uint8_and_unit_floats():
    batch = np.full((2, 28, 28, 1), 255, dtype=np.uint8)
    assert features.as_grey_batch(batch).shape == (2, 28, 28)
    assert features.as_grey_batch(batch).max() == 1.0
    assert features.as_grey_batch(np.zeros((28, 28))).shape == (1, 28, 28)
    with pytest.raises(ValueError, match="divide by 255"):
        features.as_grey_batch(np.full((1, 28, 28), 200.0))
    with pytest.raises(ValueError, match="grey"):
        features.as_grey_batch(np.zeros((1, 28, 28, 3), dtype=np.uint8))


def test_histogram_counts_grey_levels():
    h = features.intensity_histogram(_step()[None], bins=4)
    np.testing.assert_allclose(h, [[0.5, 0.0, 0.0, 0.5]])
    many = features.intensity_histogram(np.random.default_rng(0).integers(0, 256, (5, 28, 28),
                                                                          dtype=np.uint8))
    np.testing.assert_allclose(many.sum(axis=1), 1.0)


def test_edge_statistics_see_the_direction_of_a_step():
    flat = features.edge_statistics(np.full((1, 28, 28), 128, dtype=np.uint8))
    np.testing.assert_allclose(flat, 0.0, atol=1e-6)  # float32 Sobel
    vertical = features.edge_statistics(_step(vertical=True)[None])[0]
    horizontal = features.edge_statistics(_step(vertical=False)[None])[0]
    names = features.EDGE_STATISTICS
    assert vertical[names.index("max")] == pytest.approx(1.0)  # a 0 → 1 step gives 1
    assert vertical[names.index("mean |gx|")] > 0.01 > abs(vertical[names.index("mean |gy|")])
    assert horizontal[names.index("mean |gy|")] > 0.01 > abs(horizontal[names.index("mean |gx|")])


def test_hog_has_the_documented_length_and_sees_orientation():
    images = np.stack([_step(True), _step(False)])
    hog = features.hog_features(images)
    assert hog.shape == (2, 3 * 3 * 4 * features.HOG_ORIENTATIONS)
    assert features.hog_features(images, cell_size=14).shape == (2, 4 * 9)
    assert not np.allclose(hog[0], hog[1])
    assert features.hog_picture(images[0]).shape == (28, 28)
    with pytest.raises(ValueError, match="cell_size"):
        features.hog_features(images, cell_size=20)


def test_gabor_features_reuse_lesson_01s_bank():
    image = np.random.default_rng(1).integers(0, 256, (28, 28), dtype=np.uint8)
    maps = features.gabor_maps(image)
    expected = history.apply_cell_bank(image / 255.0, features.GABOR_ORIENTATIONS,
                                       wavelength=features.GABOR_WAVELENGTH)
    np.testing.assert_array_equal(maps, expected)
    gabor = features.gabor_features(image[None])
    grid = features.GABOR_GRID
    assert gabor.shape == (1, grid * grid * len(features.GABOR_ORIENTATIONS))
    window = 28 // grid
    first_region = maps[:, :window, :window].mean(axis=(1, 2))  # region (0, 0), every orientation
    n = len(features.GABOR_ORIENTATIONS)
    np.testing.assert_allclose(gabor[0, :n], first_region, rtol=1e-5)


def test_extract_features_stacks_the_kinds_and_takes_no_labels():
    images = np.random.default_rng(2).integers(0, 256, (3, 28, 28, 1), dtype=np.uint8)
    table = features.extract_features(images)
    assert list(table.columns) == list(features.FEATURE_KINDS)
    assert table.values.shape[0] == 3
    assert table.values.shape[1] == max(s.stop for s in table.columns.values())
    np.testing.assert_array_equal(table.select(["hog"]), features.hog_features(images))
    np.testing.assert_array_equal(table.rows([0, 2]).values, table.values[[0, 2]])
    again = features.extract_features(images)
    np.testing.assert_array_equal(again.values, table.values)  # a fixed function of the pixels
    with pytest.raises(ValueError, match="feature kind"):
        features.extract_features(images, ["colour"])
    with pytest.raises(ValueError, match="choose kinds"):
        table.select(["colour"])


def test_compare_with_designed_recognises_a_sobel_kernel_up_to_sign_and_scale():
    from helpers import convolution

    learned = np.stack([-2.5 * convolution.make_kernel("sobel y"),
                        convolution.make_kernel("box blur")], axis=-1)[:, :, None, :]
    pairs = features.compare_with_designed(learned)
    assert pairs[0] == ("sobel y", pytest.approx(1.0))
    assert pairs[1] == ("box blur", pytest.approx(1.0))
    assert features.compare_with_designed(np.zeros((3, 3, 1)))[0][1] == 0.0
    with pytest.raises(ValueError, match="3, 3"):
        features.compare_with_designed(np.zeros((5, 5, 2)))
