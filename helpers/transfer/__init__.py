"""Other organs and transfer learning, lesson 08 (``notebooks/08_transfer_learning.ipynb``).

    from helpers import transfer
    transfer.freeze_stages(model, 2)

Modules:

- ``transfer.ops``          – the positive class on purpose, stages, freezing, copying weights,
  and the transfer experiment with bootstrap intervals.
- ``transfer.imagenet``     – ImageNet's numbers, ImageNet-style inputs, the pretrained
  MobileNetV2 backbone with its offline fallback.
- ``transfer.applications`` – the entry's application list with the MedMNIST set for each.
- ``transfer.figures``      – AUC intervals, weights per stage, a confusion matrix of grades.
- ``transfer.widget``       – the fine-tuning explorer: :data:`DEMO_CONTROLS`, the pure
  :func:`compute_freezing_demo` and the drawing.

Every public name of these modules is available here, e.g. ``transfer.freeze_stages``.
"""

from helpers.transfer.applications import (
    APPLICATIONS,
    Application,
    format_applications,
    with_medmnist,
)
from helpers.transfer.figures import plot_auc_intervals, plot_stage_weights
from helpers.transfer.imagenet import (
    BACKBONE,
    BACKBONE_ALPHA,
    BACKBONE_SIZES,
    ILSVRC_CLASSES,
    ILSVRC_TRAIN_IMAGES,
    ILSVRC_VAL_IMAGES,
    IMAGENET_CATEGORIES,
    IMAGENET_FACTS,
    IMAGENET_IMAGES,
    WEIGHTS_HOST,
    build_backbone,
    build_backbone_classifier,
    can_reach,
    format_imagenet_facts,
    load_imagenet_backbone,
    prepare_images,
    weights_file,
)
from helpers.transfer.ops import (
    HEAD,
    MODEL_OPTIONS,
    STRATEGIES,
    TransferResult,
    copy_weights,
    count_stages,
    count_trainable,
    describe_overlap,
    feature_stages,
    freeze_stages,
    intervals_overlap,
    pretrain,
    remap_positive,
    run_transfer_experiment,
)
from helpers.transfer.widget import (
    DEMO_CONTROLS,
    DEMO_NETWORKS,
    FROZEN_SLIDER_DESCRIPTION,
    FreezingDemo,
    build_demo_network,
    compute_freezing_demo,
    draw_freezing_demo,
    make_transfer_widget,
    plot_freezing_demo,
)

__all__ = [
    "APPLICATIONS", "BACKBONE", "BACKBONE_ALPHA", "BACKBONE_SIZES", "DEMO_CONTROLS",
    "DEMO_NETWORKS", "FROZEN_SLIDER_DESCRIPTION", "HEAD", "ILSVRC_CLASSES",
    "ILSVRC_TRAIN_IMAGES", "ILSVRC_VAL_IMAGES", "IMAGENET_CATEGORIES", "IMAGENET_FACTS",
    "IMAGENET_IMAGES", "MODEL_OPTIONS", "STRATEGIES", "WEIGHTS_HOST", "Application",
    "FreezingDemo", "TransferResult", "build_backbone", "build_backbone_classifier",
    "build_demo_network", "can_reach", "compute_freezing_demo", "copy_weights", "count_stages",
    "count_trainable", "describe_overlap", "draw_freezing_demo", "feature_stages",
    "format_applications", "format_imagenet_facts", "freeze_stages", "intervals_overlap",
    "load_imagenet_backbone", "make_transfer_widget", "plot_auc_intervals",
    "plot_freezing_demo", "plot_stage_weights", "prepare_images",
    "pretrain", "remap_positive", "run_transfer_experiment", "weights_file", "with_medmnist",
]
