"""helpers.transfer.imagenet: the facts, ImageNet-style inputs, and the weights loader's offline
fallback, tested without any network (a closed port on 127.0.0.1, a builder that fails)."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from helpers.transfer import imagenet


def _closed_port() -> int:
    """A local port with nothing listening (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def no_cached_weights(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("CNN_COURSE_DATA", str(tmp_path / "course-data"))  # nor a classroom copy
    assert not imagenet.weights_file(96).exists()


def _must_not_build(*args, **kwargs):
    raise AssertionError("the builder must not be called")


def test_the_facts_are_the_entry_and_ilsvrc_figures():
    assert (imagenet.IMAGENET_IMAGES, imagenet.IMAGENET_CATEGORIES) == (14_197_122, 21_841)
    assert (imagenet.ILSVRC_TRAIN_IMAGES, imagenet.ILSVRC_CLASSES) == (1_281_167, 1000)
    table = imagenet.format_imagenet_facts()
    assert "14,197,122" in table and "21,841" in table and "1,281,167" in table


def test_no_download_is_tried_when_not_asked(no_cached_weights):
    backbone, message = imagenet.load_imagenet_backbone(try_download=False, builder=_must_not_build)
    assert backbone is None and "not tried" in message and "from-scratch" in message


def test_an_unreachable_host_falls_back_at_once(no_cached_weights):
    port = _closed_port()
    assert not imagenet.can_reach("127.0.0.1", port, timeout=0.5)
    backbone, message = imagenet.load_imagenet_backbone(host="127.0.0.1", port=port, timeout=0.5,
                                                        builder=_must_not_build)
    assert backbone is None
    assert message.startswith("ImageNet weights: offline (127.0.0.1 did not answer")


def test_a_failed_download_is_caught(no_cached_weights, monkeypatch):
    monkeypatch.setattr(imagenet, "can_reach", lambda *args, **kwargs: True)

    def failing_builder(size, weights):
        raise OSError("URL fetch failure: connection refused")

    backbone, message = imagenet.load_imagenet_backbone(builder=failing_builder)
    assert backbone is None
    assert "could not be loaded (OSError: URL fetch failure" in message


def test_cached_weights_need_no_network(no_cached_weights, monkeypatch):
    path = imagenet.weights_file(96)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    monkeypatch.setattr(imagenet, "can_reach", _must_not_build)
    backbone, message = imagenet.load_imagenet_backbone(
        try_download=False, builder=lambda size, weights: imagenet.build_backbone(size, None))
    assert backbone is not None and not backbone.trainable
    assert message.startswith("ImageNet weights: loaded")


def test_prepare_images_matches_the_classifier_front_end():
    rng = np.random.default_rng(0)
    grey = rng.integers(0, 256, size=(2, 28, 28, 1)).astype(np.uint8)
    prepared = imagenet.prepare_images(grey, 96)
    assert prepared.shape == (2, 96, 96, 3) and prepared.dtype == np.float32
    assert prepared.min() >= -1.0 and prepared.max() <= 1.0
    np.testing.assert_array_equal(prepared[..., 0], prepared[..., 2])
    import keras

    model = imagenet.build_backbone_classifier(imagenet.build_backbone(96), (28, 28, 1))
    front = keras.Model(model.input, model.get_layer("preprocess").output)
    np.testing.assert_allclose(front.predict(grey.astype(np.float32), verbose=0), prepared,
                               atol=1e-4)
    assert model.output_shape == (None, 1)
    with pytest.raises(ValueError, match="one of 96"):
        imagenet.build_backbone(28)
    with pytest.raises(ValueError, match=r"\(N, H, W, 1\)"):
        imagenet.prepare_images(grey[..., 0], 96)
