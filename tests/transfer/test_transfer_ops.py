"""helpers.transfer.ops: the positive class, stages, freezing, copying weights, the experiment."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import course, models
from helpers.data import Split
from helpers.transfer import ops


def _course_cnn(seed: int = 0):
    course.seed_everything(seed)
    return models.build_improved_cnn((28, 28, 1), 2, seed=seed, augment=False, **ops.MODEL_OPTIONS)


def _toy_split(n: int, seed: int, flip: bool = False) -> Split:
    """Bright squares (class 1) against dark ones (class 0): learnable in one epoch."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    images = rng.integers(0, 60, size=(n, 28, 28, 1))
    images[labels == 1, 8:20, 8:20] += 150
    return Split(images.astype(np.uint8), (1 - labels if flip else labels).astype(np.int64))


def test_remap_positive_makes_the_chosen_class_one():
    split = Split(np.zeros((4, 2, 2, 1), np.uint8), np.array([0, 1, 1, 0]))
    remapped = ops.remap_positive(split, 0)
    assert remapped.labels.tolist() == [1, 0, 0, 1]
    assert ops.remap_positive(split, 1).labels.tolist() == [0, 1, 1, 0]
    assert split.labels.tolist() == [0, 1, 1, 0]  # the original is untouched
    with pytest.raises(ValueError, match="no image has label 2"):
        ops.remap_positive(split, 2)


def test_stages_follow_the_feature_map_sizes():
    stages = ops.feature_stages(_course_cnn())
    assert list(stages) == ["stage 1", "stage 2", "stage 3", ops.HEAD]
    assert [layer.name for layer in stages["stage 2"]] == ["conv2_1", "conv2_1_bn"]
    assert [layer.name for layer in stages[ops.HEAD]] == ["output"]


def test_freezing_counts_exactly():
    model = _course_cnn()
    bn_statistics = 2 * (16 + 32 + 64)  # moving mean and variance never train
    total = models.count_parameters(model)
    assert ops.count_trainable(ops.freeze_stages(model, 0)) == total - bn_statistics
    # stage 1: conv 3·3·1·16 and BN γ, β (16 each)
    assert ops.count_trainable(ops.freeze_stages(model, 1)) == total - bn_statistics - 144 - 32
    assert ops.count_trainable(ops.freeze_stages(model, "all")) == 64 + 1
    assert ops.count_trainable(ops.freeze_stages(model, 0)) == total - bn_statistics  # reversible
    with pytest.raises(ValueError, match="from 0 to 3"):
        ops.freeze_stages(model, 4)


def test_copy_weights_keeps_the_new_output_layer():
    source, target = _course_cnn(1), _course_cnn(2)
    before = target.get_layer("output").get_weights()[0].copy()
    copied = ops.copy_weights(source, target)
    assert "output" not in copied and "conv3_1" in copied
    np.testing.assert_array_equal(target.get_layer("conv1_1").get_weights()[0],
                                  source.get_layer("conv1_1").get_weights()[0])
    np.testing.assert_array_equal(target.get_layer("output").get_weights()[0], before)
    other = models.build_improved_cnn((28, 28, 1), 2, augment=False, widths=(8, 16, 32),
                                      convs_per_block=1)
    with pytest.raises(ValueError, match="same options"):
        ops.copy_weights(source, other)


def test_intervals_overlap_is_symmetric_and_closed():
    assert ops.intervals_overlap((0.5, 0.7), (0.7, 0.9))
    assert ops.intervals_overlap((0.5, 0.95), (0.6, 0.7)) and ops.intervals_overlap((0.6, 0.7), (0.5, 0.95))
    assert not ops.intervals_overlap((0.5, 0.6), (0.65, 0.9))
    assert not ops.intervals_overlap((0.65, 0.9), (0.5, 0.6))


def test_the_experiment_wires_copying_freezing_and_intervals(monkeypatch):
    """The experiment without the training (fit_binary replaced by a recorder): what is copied,
    what is frozen, and the intervals around each AUC."""
    from helpers import training

    fitted = []

    def fake_fit(model, train, val, **options):
        fitted.append((model.get_layer("conv1_1").get_weights()[0].copy(),
                       ops.count_trainable(model), options["class_weight"]))
        return {"loss": [0.0]}

    monkeypatch.setattr(training, "fit_binary", fake_fit)
    options = {**ops.MODEL_OPTIONS, "augment": False}
    pretrained = _course_cnn(5)
    train, test = _toy_split(8, 1), _toy_split(30, 2)
    results = ops.run_transfer_experiment(pretrained, train, test, epochs=1,
                                          model_options=options, n_boot=50)
    assert list(results) == list(ops.STRATEGIES)
    source_kernel = pretrained.get_layer("conv1_1").get_weights()[0]
    assert not np.array_equal(fitted[0][0], source_kernel)  # from scratch: nothing copied
    for kernel, _, weighted in fitted[1:]:
        np.testing.assert_array_equal(kernel, source_kernel)
        assert weighted
    total = models.count_parameters(pretrained)
    assert [trainable for _, trainable, _ in fitted] == [total - 224, 65, total - 224 - 176,
                                                         total - 224]
    for result in results.values():
        assert 0.0 <= result.ci[0] <= result.auc <= result.ci[1] <= 1.0


@pytest.mark.slow
def test_the_experiment_copies_freezes_and_reports_intervals():
    """One tiny real run: frozen features change nothing but the head; every AUC lies in its CI."""
    options = {**ops.MODEL_OPTIONS, "augment": False}
    source = _toy_split(64, 0)
    pretrained = ops.pretrain(source, epochs=1, model_options=options, batch_size=32)
    conv_before = pretrained.get_layer("conv1_1").get_weights()[0].copy()
    train, test = _toy_split(48, 1, flip=True), _toy_split(40, 2, flip=True)
    results = ops.run_transfer_experiment(
        pretrained, train, test, strategies=("from scratch", "pretrained, features frozen"),
        epochs=1, model_options=options, n_boot=50, batch_size=32)
    np.testing.assert_array_equal(pretrained.get_layer("conv1_1").get_weights()[0], conv_before)
    assert results["pretrained, features frozen"].trainable == 65
    assert results["from scratch"].trainable == results["from scratch"].total - 224
    for result in results.values():
        assert 0.0 <= result.ci[0] <= result.auc <= result.ci[1] <= 1.0
        assert result.probabilities.shape == (40,)
    text = ops.describe_overlap(results)
    assert text.startswith("pretrained, features frozen: AUC") and "overlap" in text
    with pytest.raises(ValueError, match="unknown strategy"):
        ops.run_transfer_experiment(pretrained, train, test, strategies=("magic",), epochs=1)


def test_describe_overlap_says_what_the_intervals_say():
    def result(name, auc, ci):
        return ops.TransferResult(name, np.zeros(1), auc, ci, 1, 1)

    results = {"from scratch": result("from scratch", 0.70, (0.60, 0.80)),
               "a": result("a", 0.75, (0.65, 0.85)), "b": result("b", 0.95, (0.90, 0.99))}
    lines = ops.describe_overlap(results).splitlines()
    assert lines[0] == ("a: AUC +0.050 against from scratch; the intervals overlap, so this test "
                        "set cannot tell the two apart.")
    assert "do not overlap: b is better" in lines[1]
    with pytest.raises(ValueError, match="run it too"):
        ops.describe_overlap(results, reference="nothing")
