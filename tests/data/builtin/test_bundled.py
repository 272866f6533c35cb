"""scikit-learn's bundled sets: shapes, dtypes, splits, sources and standardisation."""

import numpy as np
import pytest
import sklearn.datasets

from scratchgrad.data.builtin import bundled, load, toy
from tests.data.builtin._common import _all, _check_layout


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer"])
def test_tabular_classification_matches_scikit_learn(name: str) -> None:
    source = getattr(sklearn.datasets, f"load_{name}")()
    splits = load(name)
    n, d = source.data.shape
    assert splits.task == "classification" and splits.num_classes == len(source.target_names)
    _check_layout(splits, n, (d,), ())
    y = _all(splits, 1)
    assert y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), np.bincount(source.target))
    assert splits.feature_names == tuple(source.feature_names)
    assert splits.class_names == tuple(source.target_names)
    for s in (splits.train, splits.val, splits.test):  # stratified: every class everywhere
        assert len(np.unique(s.tensors[1].numpy())) == splits.num_classes


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "diabetes"])
def test_standardisation_uses_the_train_split_only(name: str) -> None:
    scaled, raw = load(name), load(name, standardize=False)
    x_train, x_val, x_test = (s.tensors[0].numpy() for s in scaled.splits.values())
    np.testing.assert_allclose(x_train.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(x_train.std(axis=0), 1, atol=1e-4)
    assert np.abs(x_val.mean(axis=0)).max() > 1e-3  # val and test are not centred on their own
    assert np.abs(x_test.std(axis=0) - 1).max() > 1e-3
    raw_train, raw_val = raw.train.tensors[0].numpy(), raw.val.tensors[0].numpy()
    np.testing.assert_allclose(scaled.info["mean"], raw_train.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(scaled.info["std"], raw_train.std(axis=0), rtol=1e-5)
    expected_val = (raw_val - raw_train.mean(axis=0)) / raw_train.std(axis=0)
    np.testing.assert_allclose(x_val, expected_val, rtol=1e-4, atol=1e-4)
    assert "mean" not in raw.info


def test_diabetes_is_regression_on_the_unscaled_source() -> None:
    source = sklearn.datasets.load_diabetes(scaled=False)
    splits = bundled.diabetes(standardize=False)
    assert splits.task == "regression" and splits.num_classes is None
    _check_layout(splits, 442, (10,), (1,))
    y = _all(splits, 1)
    assert y.dtype == np.float32 and y.shape == (442, 1)
    np.testing.assert_array_equal(np.sort(y[:, 0]), np.sort(source.target).astype(np.float32))
    x = _all(splits, 0)
    np.testing.assert_allclose(np.sort(x, axis=0), np.sort(source.data, axis=0), rtol=1e-6)
    assert splits.feature_names[:3] == ("age", "sex", "bmi")


def test_digits_are_images_scaled_to_unit_range() -> None:
    source = sklearn.datasets.load_digits()
    splits = bundled.digits()
    _check_layout(splits, 1797, (1, 8, 8), ())
    x, y = _all(splits, 0), _all(splits, 1)
    assert x.min() == 0.0 and x.max() == 1.0
    np.testing.assert_array_equal(x * 16, np.round(x * 16))  # grey levels 0-16 divided by 16
    assert y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), np.bincount(source.target))
    # each split's images keep their labels: the first train image is a source image
    first, label = splits.train.tensors[0].numpy()[0, 0], splits.train.tensors[1].numpy()[0]
    match = np.flatnonzero((source.images == first * 16).all(axis=(1, 2)))
    assert label in source.target[match]


def test_same_seed_same_data_other_seed_other_split() -> None:
    a, b, c = bundled.iris(seed=3), bundled.iris(seed=3), bundled.iris(seed=4)
    np.testing.assert_array_equal(a.test.tensors[0].numpy(), b.test.tensors[0].numpy())
    assert not np.array_equal(a.test.tensors[0].numpy(), c.test.tensors[0].numpy())
    again = [toy.spirals(seed=2).train.tensors[0].numpy() for _ in range(2)]
    np.testing.assert_array_equal(again[0], again[1])


def test_fractions_are_passed_on() -> None:
    splits = bundled.iris(fractions=(0.6, 0.2, 0.2))
    assert [len(s) for s in splits.splits.values()] == [90, 30, 30]
