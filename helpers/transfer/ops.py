"""Freezing, fine-tuning and the transfer experiment of lesson 08
(``notebooks/08_transfer_learning.ipynb``).

- :func:`remap_positive` makes the disease class 1, explicitly (BreastMNIST's class 0 is
  *malignant*, so its labels must be turned round before a binary model is fitted).
- :func:`feature_stages` groups a model's layers with weights by the size of the feature maps
  they produce (one stage per resolution); :func:`freeze_stages` freezes the first stages,
  :func:`count_trainable` counts what training can still change.
- :func:`copy_weights` moves learned weights from one model into another of the same design.
- :func:`run_transfer_experiment` pre-trains on one data set (PneumoniaMNIST), then trains on a
  small one (BreastMNIST) from scratch, with frozen features and fully fine-tuned, and gives
  each AUC with a 95 % bootstrap interval (:func:`helpers.evaluation.bootstrap_ci`).

Models are built by :func:`helpers.models.build_improved_cnn` and fitted by the course's one
recipe, :func:`helpers.training.fit_binary`. Images are (N, H, W, C) uint8, labels (N,) int64.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from helpers import evaluation, validate
from helpers.data import Split

#: What each strategy of :func:`run_transfer_experiment` does: the number of feature stages
#: frozen after copying the pre-trained weights ("all" = every stage, only the output layer
#: learns), or None for a network trained from scratch (nothing copied, nothing frozen).
STRATEGIES: dict[str, int | str | None] = {
    "from scratch": None,
    "pretrained, features frozen": "all",
    "pretrained, first stage frozen": 1,
    "pretrained, fine-tuned": 0,
}

#: The course CNN of this lesson (``models.build_improved_cnn`` options, augmentation aside):
#: one convolution per block, so three stages of 28×28, 14×14 and 7×7 feature maps.
MODEL_OPTIONS = {"widths": (16, 32, 64), "convs_per_block": 1}

#: The head: layers after the last feature map (global pooling, dropout, the output layer).
HEAD = "head"


def remap_positive(split: Split, positive: int) -> Split:
    """A copy of ``split`` whose labels are 1 for class ``positive`` and 0 for every other.

    BreastMNIST: ``remap_positive(train, 0)`` makes *malignant* (class 0) the positive class 1,
    so that sensitivity, PPV and the model's output all speak about cancer.
    """
    if not isinstance(split, Split):
        raise TypeError(f"split must be a data.Split, got {type(split).__name__}")
    positive = validate.whole_number(positive, "positive class", minimum=0)
    if not np.any(split.labels == positive):
        raise ValueError(f"no image has label {positive}: choose a class that is in the data "
                         f"(labels present: {sorted(np.unique(split.labels).tolist())})")
    return Split(split.images, (split.labels == positive).astype(np.int64))


# --------------------------------------------------------------------------- stages and freezing


def _weighted_layers(model) -> list:
    """Layers holding weights, in order, looking inside nested models (a backbone)."""
    found = []
    for layer in model.layers:
        if hasattr(layer, "layers") and layer.count_params():
            found.extend(_weighted_layers(layer))
        elif layer.count_params():
            found.append(layer)
    return found


def feature_stages(model) -> dict[str, list]:
    """The layers with weights of ``model``, grouped by what they output: ``"stage 1"``,
    ``"stage 2"`` ... one per feature-map size (28×28, 14×14, ...), in order, then
    :data:`HEAD` for the layers after the last feature map. Values: lists of Keras layers."""
    stages: dict[str, list] = {}
    sizes: list[int] = []
    for layer in _weighted_layers(model):
        shape = tuple(layer.output.shape)
        if len(shape) != 4:
            stages.setdefault(HEAD, []).append(layer)
            continue
        if shape[1] not in sizes:
            sizes.append(shape[1])
        stages.setdefault(f"stage {sizes.index(shape[1]) + 1}", []).append(layer)
    return stages


def count_stages(model) -> int:
    """How many feature stages (feature-map sizes) ``model`` has: the most that can be frozen."""
    return sum(name != HEAD for name in feature_stages(model))


def freeze_stages(model, n_frozen: int | str):
    """Freeze the layers of the first ``n_frozen`` feature stages of ``model`` (``"all"``: every
    stage, so only the head learns) and make every other layer trainable; returns ``model``.

    Frozen BatchNormalization layers also keep their running statistics (Keras runs them in
    inference mode). Compile again after changing this (:func:`helpers.training.fit_binary`
    compiles anyway).
    """
    stages = feature_stages(model)
    n_stages = count_stages(model)
    if n_frozen == "all":
        n_frozen = n_stages
    n_frozen = validate.whole_number(n_frozen, "number of frozen stages", minimum=0,
                                     maximum=n_stages, hint=f"(this network has {n_stages} "
                                     "stages; 'all' freezes every one)")
    model.trainable = True
    for index, (name, layers) in enumerate(stages.items()):
        for layer in layers:
            layer.trainable = name == HEAD or index >= n_frozen
    return model


def count_trainable(model) -> int:
    """Number of weights that training changes (frozen layers and BatchNormalization's running
    statistics excluded)."""
    return int(sum(int(np.prod(w.shape)) for w in model.trainable_weights))


def copy_weights(source, target, skip: Sequence[str] = ("output",)) -> list[str]:
    """Copy the weights of every layer of ``source`` into the layer of the same name in
    ``target``, except the layers named in ``skip`` (by default the output layer, which a new
    task learns afresh). Returns the names copied; ``ValueError`` when shapes differ."""
    copied = []
    wanted = {layer.name: layer for layer in _weighted_layers(target) if layer.name not in skip}
    for layer in _weighted_layers(source):
        if layer.name not in wanted:
            continue
        theirs = [w.shape for w in wanted[layer.name].get_weights()]
        ours = [w.shape for w in layer.get_weights()]
        if theirs != ours:
            raise ValueError(f"layer {layer.name!r} has weights of shapes {ours} in the source "
                             f"but {theirs} in the target: build both with the same options")
        wanted[layer.name].set_weights(layer.get_weights())
        copied.append(layer.name)
    if not copied:
        raise ValueError("no layer names in common: was the target built like the source?")
    return copied


# --------------------------------------------------------------------------- the experiment


def intervals_overlap(a: Sequence[float], b: Sequence[float]) -> bool:
    """True when the closed intervals ``a = (low, high)`` and ``b`` share at least one point."""
    return bool(max(a[0], b[0]) <= min(a[1], b[1]))


@dataclass
class TransferResult:
    """One strategy of :func:`run_transfer_experiment` on the evaluation images."""

    strategy: str
    probabilities: np.ndarray  #: (N,) probability of the positive class
    auc: float
    ci: tuple[float, float]  #: 95 % bootstrap interval of the AUC
    trainable: int  #: weights training changed
    total: int  #: all weights of the model
    history: dict = field(default_factory=dict)


def _build(input_shape, model_options: dict, seed: int):
    from helpers import course, models

    course.seed_everything(seed)
    return models.build_improved_cnn(input_shape, 2, seed=seed, **model_options)


def pretrain(source: Split, *, epochs: int, model_options: dict | None = None, seed: int = 0,
             **fit_options):
    """Train the improved CNN (``model_options``) on ``source`` (labels already 0/1, positive 1)
    with :func:`helpers.training.fit_binary` and balanced class weights; returns the model."""
    from helpers import training

    model = _build(source.images.shape[1:], model_options or {}, seed)
    training.fit_binary(model, source, None, epochs=epochs, class_weight=True, seed=seed,
                        **fit_options)
    return model


def run_transfer_experiment(
    pretrained,
    train: Split,
    test: Split,
    *,
    strategies: Sequence[str] = tuple(STRATEGIES),
    epochs: int,
    model_options: dict | None = None,
    seed: int = 0,
    n_boot: int = 1000,
    log: Callable[[str], None] | None = None,
    **fit_options,
) -> dict[str, TransferResult]:
    """Train one model per strategy of :data:`STRATEGIES` on ``train`` and score it on ``test``.

    ``pretrained``: a model from :func:`pretrain` built with the same ``model_options`` (its
    weights are copied, never changed). ``train``/``test``: labels 0/1 with the disease as 1
    (:func:`remap_positive`). Every model gets the same seed, epochs and recipe
    (:func:`helpers.training.fit_binary`, balanced class weights; ``fit_options`` such as
    ``batch_size`` and ``learning_rate`` are passed on). Returns ``{strategy: TransferResult}``.
    """
    from helpers import models, training

    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown:
        raise ValueError(f"unknown strategy {unknown[0]!r}; choose from {', '.join(STRATEGIES)}")
    options = model_options or {}
    results = {}
    for strategy in strategies:
        model = _build(train.images.shape[1:], options, seed)
        frozen = STRATEGIES[strategy]
        if frozen is not None:
            copy_weights(pretrained, model)
            freeze_stages(model, frozen)
        history = training.fit_binary(model, train, None, epochs=epochs, class_weight=True,
                                      seed=seed, **fit_options)
        p = models.predict_probabilities(model, test.images)
        auc = evaluation.compute_auc(test.labels, p)
        ci = evaluation.bootstrap_ci(test.labels, p, evaluation.metric_at("auc"),
                                     n_boot=n_boot, seed=seed)
        results[strategy] = TransferResult(strategy, p, auc, ci, count_trainable(model),
                                           models.count_parameters(model), history)
        if log is not None:
            log(f"{strategy:<32} AUC {auc:.3f}  95 % CI [{ci[0]:.3f}, {ci[1]:.3f}]")
    return results


def describe_overlap(results: dict[str, TransferResult], reference: str = "from scratch") -> str:
    """One sentence per strategy saying whether its AUC interval overlaps ``reference``'s, and
    what that means; computed from the intervals, never written by hand."""
    if reference not in results:
        raise ValueError(f"no result for {reference!r}: run it too")
    base = results[reference]
    lines = []
    for name, result in results.items():
        if name == reference:
            continue
        difference = result.auc - base.auc
        if intervals_overlap(result.ci, base.ci):
            verdict = ("the intervals overlap, so this test set cannot tell the two apart")
        else:
            better = "better" if difference > 0 else "worse"
            verdict = f"the intervals do not overlap: {name} is {better} beyond chance here"
        lines.append(f"{name}: AUC {difference:+.3f} against {reference}; {verdict}.")
    return "\n".join(lines)
