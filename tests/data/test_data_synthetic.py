"""helpers.data.synthetic: the offline chest-X-ray-like data set."""

from __future__ import annotations

import time

import numpy as np
import pytest

from helpers import data


def test_synthetic_chest_is_deterministic_balanced_and_fast():
    start = time.perf_counter()
    ds = data.make_synthetic_chest()
    assert time.perf_counter() - start < 1.0
    assert ds.label_names == ["normal", "opacity"] and ds.task == "binary-class"
    assert ds.source == "synthetic (offline fallback) – not real patients"
    for split, n in (("train", 600), ("val", 200), ("test", 200)):
        s = ds.split(split)
        assert s.images.shape == (n, 28, 28, 1) and s.images.dtype == np.uint8
        assert s.labels.dtype == np.int64
        assert 0.65 <= s.labels.mean() <= 0.75
        assert s.images.std() > 20  # real contrast, not a flat field
    again = data.make_synthetic_chest()
    np.testing.assert_array_equal(ds.split("train").images, again.split("train").images)
    np.testing.assert_array_equal(ds.split("test").labels, again.split("test").labels)
    other = data.make_synthetic_chest(seed=1)
    assert not np.array_equal(ds.split("train").images, other.split("train").images)
    bigger = data.make_synthetic_chest(n_train=50, seed=0)  # val/test do not depend on n_train
    np.testing.assert_array_equal(ds.split("val").images, bigger.split("val").images)
    small = data.make_synthetic_chest(n_train=10, n_val=0, n_test=0, size=32)
    assert list(small.splits) == ["train"] and small.split("train").images.shape == (10, 32, 32, 1)
    with pytest.raises(ValueError, match="n_train"):
        data.make_synthetic_chest(n_train=-1)


def test_synthetic_chest_is_learnable_but_not_trivial():
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    ds = data.make_synthetic_chest()
    train, test = ds.split("train"), ds.split("test")
    # the mean brightness alone hardly separates the classes ...
    assert roc_auc_score(train.labels, train.images.mean(axis=(1, 2, 3))) < 0.7
    # ... a linear model on 2x2-pooled pixels finds much of the signal but not all of it
    # (a small CNN reaches a test AUC of about 0.95 after some 20 epochs)
    def pooled(split):
        x = split.images[..., 0].reshape(len(split), 14, 2, 14, 2).mean(axis=(2, 4))
        return x.reshape(len(split), -1) / 255.0

    model = LogisticRegression(C=1.0, max_iter=2000).fit(pooled(train), train.labels)
    auc = roc_auc_score(test.labels, model.predict_proba(pooled(test))[:, 1])
    assert 0.75 < auc < 0.95
