"""Real medical images that work offline: the CT and MR scans shipped inside pydicom's wheel.

Intensities are handled the way a radiology viewer does it:

1. stored pixel values → modality values with ``RescaleSlope``/``RescaleIntercept``
   (for CT these are Hounsfield units, HU: air −1000, water 0, soft tissue 20–80, bone 400+);
2. a *window* (centre, width) maps the range of interest to grey levels in [0, 1];
   everything below is black and everything above is white.

Used from notebook 01 (history) on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import validate

#: Scans shipped with pydicom (no download): name → (file, description, default window).
SAMPLES: dict[str, tuple[str, str, tuple[float, float]]] = {
    "ct_vertebra": ("CT_small.dcm", "CT, axial slice through a vertebra (128×128)", (40.0, 400.0)),
    "mr_abdomen": ("examples_overlay.dcm", "MR, abdomen (300×484)", (450.0, 790.0)),
    "mr_small": ("MR_small.dcm", "MR, small slice (64×64)", (600.0, 1600.0)),
}

#: Common CT windows as (centre, width) in HU.
CT_WINDOWS: dict[str, tuple[float, float]] = {
    "brain": (40.0, 80.0),
    "soft tissue": (40.0, 400.0),
    "lung": (-600.0, 1500.0),
    "bone": (400.0, 1800.0),
}


@dataclass(frozen=True)
class Scan:
    """One scan: modality values (HU for CT), its modality and a default display window."""

    name: str
    description: str
    modality: str
    values: np.ndarray  # (H, W) float32, modality units (HU for CT)
    window: tuple[float, float]  # (centre, width)
    pixel_spacing_mm: tuple[float, float] | None


def _sample_path(name: str) -> str:
    if name not in SAMPLES:
        raise ValueError(f"unknown sample {name!r}; choose from {', '.join(SAMPLES)}")
    from pydicom.data import get_testdata_file

    path = get_testdata_file(SAMPLES[name][0], download=False)
    if path is None:
        raise FileNotFoundError(
            f"{SAMPLES[name][0]} is not in this pydicom installation: reinstall the pinned "
            "pydicom (`make install`), which ships it."
        )
    return path


def to_modality_values(dataset) -> np.ndarray:
    """Stored pixels → modality values (HU for CT) with RescaleSlope/Intercept, as float32."""
    pixels = dataset.pixel_array.astype(np.float32)
    slope = float(getattr(dataset, "RescaleSlope", 1.0) or 1.0)
    intercept = float(getattr(dataset, "RescaleIntercept", 0.0) or 0.0)
    return pixels * slope + intercept


def load_scan(name: str) -> Scan:
    """Load one of :data:`SAMPLES` (offline) as a :class:`Scan`."""
    import pydicom

    dataset = pydicom.dcmread(_sample_path(name))
    spacing = getattr(dataset, "PixelSpacing", None)
    return Scan(
        name=name,
        description=SAMPLES[name][1],
        modality=str(dataset.Modality),
        values=to_modality_values(dataset),
        window=SAMPLES[name][2],
        pixel_spacing_mm=(float(spacing[0]), float(spacing[1])) if spacing else None,
    )


def apply_window(values: np.ndarray, center: float, width: float) -> np.ndarray:
    """Map ``[center - width/2, center + width/2]`` linearly to [0, 1], clipping outside.

    values: any shape, modality units. Returns float32 in [0, 1] of the same shape.
    """
    width = validate.positive_number(width, "window width")
    low = center - width / 2.0
    return np.clip((np.asarray(values, dtype=np.float32) - low) / width, 0.0, 1.0)


def resize(image: np.ndarray, size: int) -> np.ndarray:
    """Resize a (H, W) image to (size, size) with area averaging (anti-aliased); float32."""
    size = validate.whole_number(size, "size", minimum=4, hint="pixels")
    from PIL import Image

    image = np.asarray(image, dtype=np.float32)
    return np.asarray(Image.fromarray(image, mode="F").resize((size, size), Image.Resampling.BOX),
                      dtype=np.float32)


def load_sample_image(name: str = "ct_vertebra", size: int | None = 128) -> np.ndarray:
    """A sample scan shown through its default window: (size, size) float32 in [0, 1].

    ``size=None`` keeps the scan's own shape. Non-square scans are centre-cropped to a square
    before resizing.
    """
    scan = load_scan(name)
    image = apply_window(scan.values, *scan.window)
    if size is None:
        return image
    h, w = image.shape
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    return np.clip(resize(image[top : top + side, left : left + side], size), 0.0, 1.0)
