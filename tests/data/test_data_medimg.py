"""helpers.data.medimg: the CT/MR scans shipped with pydicom, Hounsfield units and windows."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.data import medimg


def test_ct_sample_is_in_hounsfield_units():
    scan = medimg.load_scan("ct_vertebra")
    assert scan.modality == "CT" and scan.values.shape == (128, 128)
    assert scan.values.dtype == np.float32
    assert scan.values.min() < -500 < 500 < scan.values.max()  # air/fat and bone
    assert scan.window == medimg.SAMPLES["ct_vertebra"][2]


def test_window_maps_its_range_to_0_1_and_clips_outside():
    hu = np.array([-1000.0, -160.0, 40.0, 240.0, 1000.0])
    np.testing.assert_allclose(medimg.apply_window(hu, 40.0, 400.0), [0.0, 0.0, 0.5, 1.0, 1.0])
    with pytest.raises(ValueError, match="window width must be a positive number"):
        medimg.apply_window(hu, 40.0, 0.0)


def test_sample_image_is_square_in_0_1_and_sizes_are_checked():
    image = medimg.load_sample_image("mr_abdomen", 64)  # 300 × 484: centre-cropped to a square
    assert image.shape == (64, 64) and image.dtype == np.float32
    assert 0.0 <= image.min() and image.max() <= 1.0
    with pytest.raises(ValueError, match="size must be a whole number of at least 4 pixels"):
        medimg.resize(image, 3)
    with pytest.raises(ValueError, match="unknown sample 'xray'; choose from ct_vertebra"):
        medimg.load_scan("xray")
