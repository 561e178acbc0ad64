"""Pooling from scratch, lesson 03 (``notebooks/03_pooling.ipynb``).

    from helpers import pooling
    pooling.max_pool2d(feature_map, 2)

Modules:

- ``pooling.ops``     – max, average and global pooling (checked against Keras), the output size
  and "same" padding (convolution's window arithmetic, ``helpers.convolution.ops``).
- ``pooling.shift``   – the shift experiment: edge features, shifted crops, relative change;
  striped images that alias.
- ``pooling.figures`` – input and pooled output side by side; the shift experiment's curves.
- ``pooling.widget``  – the interactive demo: :data:`DEMO_CONTROLS`, the pure
  :func:`compute_pooling_demo` and the drawing.

Every public name of these modules is available here, e.g. ``pooling.max_pool2d``.
"""

from helpers.pooling.figures import plot_pooling, plot_shift_sensitivity
from helpers.pooling.ops import (
    PADDINGS,
    POOL_KINDS,
    TOY_IMAGE,
    average_pool2d,
    compute_pooled_size,
    compute_same_padding,
    global_pool2d,
    global_pool_with_keras,
    max_pool2d,
    pool2d,
    pool_with_keras,
)
from helpers.pooling.shift import (
    SHIFT_POOLINGS,
    compute_edge_features,
    compute_relative_change,
    crop_shifted,
    make_stripes,
    measure_shift_sensitivity,
)
from helpers.pooling.widget import (
    DEMO_CONTROLS,
    DEMO_SOURCES,
    PoolingDemo,
    compute_pooling_demo,
    draw_pooling_demo,
    load_demo_input,
    make_pooling_widget,
    plot_pooling_demo,
)

__all__ = [
    "DEMO_CONTROLS", "DEMO_SOURCES", "PADDINGS", "POOL_KINDS", "SHIFT_POOLINGS", "TOY_IMAGE",
    "PoolingDemo", "average_pool2d", "compute_edge_features", "compute_pooled_size",
    "compute_pooling_demo", "compute_relative_change", "compute_same_padding", "crop_shifted",
    "draw_pooling_demo", "global_pool2d", "global_pool_with_keras", "load_demo_input",
    "make_pooling_widget", "make_stripes", "max_pool2d", "measure_shift_sensitivity",
    "plot_pooling", "plot_pooling_demo", "plot_shift_sensitivity", "pool2d", "pool_with_keras",
]
