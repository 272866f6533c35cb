import numpy as np
import pytest
from sklearn import preprocessing as skp
from sklearn.exceptions import NotFittedError

from scratchgrad.ml.preprocessing import MinMaxScaler, StandardScaler
from tests.ml._common import DATASETS, run_check_estimator

PAIRS = [
    (StandardScaler, skp.StandardScaler, {}),
    (StandardScaler, skp.StandardScaler, {"with_mean": False}),
    (StandardScaler, skp.StandardScaler, {"with_std": False}),
    (MinMaxScaler, skp.MinMaxScaler, {}),
    (MinMaxScaler, skp.MinMaxScaler, {"feature_range": (-2, 3)}),
]


def _with_constant_columns(name: str) -> np.ndarray:
    X, _ = DATASETS[name]()
    return np.hstack([X, np.full((len(X), 1), 3.7), np.zeros((len(X), 1))])


@pytest.mark.parametrize("ours", [StandardScaler(), MinMaxScaler()])
def test_check_estimator(ours):
    run_check_estimator(ours)


@pytest.mark.parametrize(("cls", "sk_cls", "kw"), PAIRS)
@pytest.mark.parametrize("name", ["iris", "wine", "digits", "diabetes"])
def test_matches_sklearn(cls, sk_cls, kw, name):
    X = _with_constant_columns(name)
    ours, theirs = cls(**kw).fit(X), sk_cls(**kw).fit(X)
    Z, Z_sk = ours.transform(X), theirs.transform(X)
    np.testing.assert_allclose(Z, Z_sk, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.inverse_transform(Z), theirs.inverse_transform(Z_sk), 1e-12)
    np.testing.assert_allclose(ours.inverse_transform(Z), X, rtol=1e-12, atol=1e-12)
    for attr in ("scale_", "mean_", "var_", "min_", "data_min_", "data_max_", "data_range_"):
        if getattr(theirs, attr, None) is not None:
            np.testing.assert_allclose(getattr(ours, attr), getattr(theirs, attr), 1e-12, 1e-12)
    assert ours.n_samples_seen_ == theirs.n_samples_seen_


def test_zero_variance_features_scale_one():
    X = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    assert StandardScaler().fit(X).scale_[1] == 1.0
    assert MinMaxScaler().fit(X).scale_[1] == 1.0
    np.testing.assert_array_equal(StandardScaler().fit_transform(X)[:, 1], 0.0)


def test_nan_ignored_in_fit_and_kept_like_sklearn():
    X = _with_constant_columns("iris")
    X[::7, 0] = np.nan
    for cls, sk_cls in ((StandardScaler, skp.StandardScaler), (MinMaxScaler, skp.MinMaxScaler)):
        Z, Z_sk = cls().fit_transform(X), sk_cls().fit_transform(X)
        np.testing.assert_allclose(Z, Z_sk, rtol=1e-12, atol=1e-12)
        assert np.isnan(Z[::7, 0]).all()
    ours, theirs = StandardScaler().fit(X), skp.StandardScaler().fit(X)
    np.testing.assert_array_equal(ours.n_samples_seen_, theirs.n_samples_seen_)


def test_feature_names_out():
    X = np.ones((3, 2))
    for est in (StandardScaler(), MinMaxScaler()):
        assert list(est.fit(X).get_feature_names_out()) == ["x0", "x1"]
        assert list(est.get_feature_names_out(["a", "b"])) == ["a", "b"]


def test_clip():
    s = MinMaxScaler(clip=True).fit(np.array([[0.0], [1.0]]))
    np.testing.assert_array_equal(s.transform(np.array([[-1.0], [2.0]])), [[0.0], [1.0]])


@pytest.mark.parametrize("cls", [StandardScaler, MinMaxScaler])
def test_bad_inputs(cls):
    X = np.arange(12.0).reshape(4, 3)
    with pytest.raises(NotFittedError):
        cls().transform(X)
    est = cls().fit(X)
    with pytest.raises(ValueError, match="features"):
        est.transform(X[:, :2])
    with pytest.raises(ValueError, match="2D array"):
        cls().fit(X[:, 0])
    with pytest.raises(ValueError, match="infinity"):
        cls().fit(np.array([[1.0], [np.inf]]))


def test_bad_feature_range():
    with pytest.raises(ValueError, match="feature range"):
        MinMaxScaler(feature_range=(1, 0)).fit(np.ones((2, 1)))
