"""Receptive fields, the Neocognitron and the big picture: simulations and figures of
``notebooks/01_history.ipynb``.

The notebook calls everything through this package (``history.make_bar(...)``); the code lives in:

- ``cells``        – stimuli (bars, gratings), Gabor receptive fields, simple and complex cells,
  tuning and position curves, the recorded "mystery" cell, a bank of cells on an image.
- ``figures``      – plots of a recording, receptive fields, tuning/position curves, response maps.
- ``widget``       – the cell explorer: :data:`EXPLORER_CONTROLS`, the pure
  :func:`compute_cell_responses`, its figure and the sliders.
- ``neocognitron`` – glyph images, S- and C-layers (built on ``helpers.convolution`` and
  ``helpers.pooling``), the two-stage hierarchy and its figure.
- ``timeline``     – the milestones from 1959 to today and their figure.

What a Keras model is made of (``describe_layers``, ``plot_layer_stack``) lives in
``helpers.layers``; the numerical gradient check (``finite_difference``) in ``helpers.gradients``.
"""

from helpers.history.cells import (
    BAR_WIDTH,
    CELL_KINDS,
    FIELD_SIZE,
    KERNEL_SIZE,
    ORIENTATIONS,
    POOL_RADIUS,
    STIMULI,
    WAVELENGTH,
    apply_cell_bank,
    cell_response,
    complex_cell_response,
    gabor_size,
    make_bar,
    make_gabor_kernel,
    make_grating,
    measure_position_curve,
    measure_tuning_curve,
    record_mystery_cell,
    simple_cell_response,
)
from helpers.history.figures import (
    plot_position_curves,
    plot_receptive_fields,
    plot_recording,
    plot_response_maps,
    plot_tuning_curves,
)
from helpers.history.neocognitron import (
    GLYPHS,
    apply_c_layer,
    apply_s_layer,
    make_glyph_image,
    make_s1_kernels,
    make_s2_kernels,
    plot_hierarchy,
    run_neocognitron,
)
from helpers.history.timeline import KIND_COLOURS, MILESTONES, Milestone, plot_timeline
from helpers.history.widget import (
    EXPLORER_CONTROLS,
    CellResponses,
    compute_cell_responses,
    draw_cell_responses,
    make_cell_explorer,
    plot_cell_responses,
)

__all__ = [
    "BAR_WIDTH", "CELL_KINDS", "EXPLORER_CONTROLS", "FIELD_SIZE", "GLYPHS", "KERNEL_SIZE",
    "KIND_COLOURS", "MILESTONES", "ORIENTATIONS", "POOL_RADIUS", "STIMULI", "WAVELENGTH",
    "CellResponses", "Milestone",
    "apply_c_layer", "apply_cell_bank", "apply_s_layer", "cell_response",
    "complex_cell_response", "compute_cell_responses", "draw_cell_responses", "gabor_size",
    "make_bar", "make_cell_explorer", "make_gabor_kernel", "make_glyph_image", "make_grating",
    "make_s1_kernels", "make_s2_kernels", "measure_position_curve", "measure_tuning_curve",
    "plot_cell_responses", "plot_hierarchy", "plot_position_curves", "plot_receptive_fields",
    "plot_recording", "plot_response_maps", "plot_timeline", "plot_tuning_curves",
    "record_mystery_cell", "run_neocognitron", "simple_cell_response",
]
