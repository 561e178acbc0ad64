"""CNNs against MLPs and classic machine learning, lesson 07 (``notebooks/07_classic_ml.ipynb``).

    from helpers import classic_ml
    table = classic_ml.extract_features(split.images)      # hand-crafted, no labels involved

Modules:

- ``classic_ml.sharing``   – weights of one fully connected neuron on an image, a convolutional
  layer with and without parameter sharing, and the same counts from Keras.
- ``classic_ml.features``  – hand-crafted features: intensity histogram, edge statistics, HOG
  (scikit-image), lesson 01's Gabor bank; learned kernels against designed ones.
- ``classic_ml.pipelines`` – features → logistic regression, random forest or SVM
  (scikit-learn); an MLP and the Figure-3 CNN trained with the course's recipe; the comparison
  table with bootstrap intervals.
- ``classic_ml.curves``    – learning curves over training-set sizes and the sentence that
  reports them.
- ``classic_ml.figures``   – hand-crafted views of an X-ray, learning curves, kernels and
  feature maps side by side.
- ``classic_ml.widget``    – the feature explorer: :data:`FEATURE_CONTROLS`, the pure
  :meth:`FeatureExplorer.compute` and the drawing.

Every public name of these modules is available here, e.g. ``classic_ml.hog_features``.
"""

from helpers.classic_ml.curves import (
    LearningCurve,
    best_classic,
    curve_sizes,
    describe_learning_curve,
    find_crossover,
    run_learning_curve,
)
from helpers.classic_ml.features import (
    DESIGNED_KERNELS,
    EDGE_STATISTICS,
    FEATURE_KINDS,
    GABOR_GRID,
    GABOR_ORIENTATIONS,
    GABOR_WAVELENGTH,
    HISTOGRAM_BINS,
    HOG_CELL,
    HOG_ORIENTATIONS,
    FeatureTable,
    as_grey_batch,
    as_grey_image,
    compare_with_designed,
    compute_gradients,
    edge_statistics,
    extract_features,
    gabor_features,
    gabor_maps,
    hog_features,
    hog_picture,
    intensity_histogram,
)
from helpers.classic_ml.figures import (
    plot_handcrafted_views,
    plot_kernel_comparison,
    plot_learning_curves,
    plot_map_rows,
)
from helpers.classic_ml.pipelines import (
    CLASSIC_MODELS,
    FOREST_TREES,
    MLP_HIDDEN,
    MODEL_NAMES,
    NETWORKS,
    ModelResult,
    build_mlp,
    count_learned_numbers,
    fit_classic,
    fit_models,
    fit_network,
    format_comparison,
    make_classic_pipeline,
    repeat_split,
    repeats_for,
    summarise,
)
from helpers.classic_ml.sharing import (
    LAYER_KINDS,
    count_multiply_adds,
    count_neuron_weights,
    count_output_positions,
    count_unshared_parameters,
    count_with_keras,
)
from helpers.classic_ml.widget import (
    EXAMPLES_PER_CLASS,
    FEATURE_CONTROLS,
    N_FILTERS,
    FeatureDemo,
    FeatureExplorer,
    choose_examples,
    compute_cnn_maps,
    make_feature_widget,
    plot_feature_demo,
)

__all__ = [
    "CLASSIC_MODELS", "DESIGNED_KERNELS", "EDGE_STATISTICS", "EXAMPLES_PER_CLASS",
    "FEATURE_CONTROLS", "FEATURE_KINDS", "FOREST_TREES", "GABOR_GRID", "GABOR_ORIENTATIONS",
    "GABOR_WAVELENGTH", "HISTOGRAM_BINS", "HOG_CELL", "HOG_ORIENTATIONS", "LAYER_KINDS",
    "MLP_HIDDEN", "MODEL_NAMES", "NETWORKS", "N_FILTERS",
    "FeatureDemo", "FeatureExplorer", "FeatureTable", "LearningCurve", "ModelResult",
    "as_grey_batch", "as_grey_image", "best_classic", "build_mlp", "choose_examples",
    "compare_with_designed",
    "compute_cnn_maps", "compute_gradients", "count_learned_numbers",
    "count_multiply_adds", "count_neuron_weights", "count_output_positions",
    "count_unshared_parameters", "count_with_keras", "curve_sizes", "describe_learning_curve",
    "edge_statistics", "extract_features", "find_crossover", "fit_classic",
    "fit_models", "fit_network", "format_comparison", "gabor_features", "gabor_maps",
    "hog_features", "hog_picture", "intensity_histogram", "make_classic_pipeline",
    "make_feature_widget", "plot_feature_demo", "plot_handcrafted_views",
    "plot_kernel_comparison", "plot_learning_curves", "plot_map_rows", "repeat_split",
    "repeats_for", "run_learning_curve", "summarise",
]
