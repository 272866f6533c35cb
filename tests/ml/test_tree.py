from typing import Any

import numpy as np
import pytest
from sklearn import tree as sk_tree
from sklearn.exceptions import NotFittedError

from scratchgrad.ml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from tests.ml._common import DATASETS, assert_score_close, run_check_estimator, split

CLASSIFICATION = ("iris", "wine", "breast_cancer", "digits")
DEPTHS = (None, 3, 5)
SEEDS = range(5)


def _pair(dataset: str, **kw: Any) -> tuple[Any, Any]:
    if dataset == "diabetes":
        return DecisionTreeRegressor(**kw), sk_tree.DecisionTreeRegressor(**kw)
    return DecisionTreeClassifier(**kw), sk_tree.DecisionTreeClassifier(**kw)


def _splits(tree: Any) -> list[tuple[int, float]]:
    """Sorted (feature, threshold) of the inner nodes: equal lists mean identical trees."""
    inner = tree.children_left >= 0
    pairs = zip(tree.feature[inner].tolist(), tree.threshold[inner].tolist(), strict=True)
    return sorted((int(f), round(float(t), 5)) for f, t in pairs)


@pytest.mark.parametrize("est", [DecisionTreeClassifier(), DecisionTreeRegressor()])
def test_check_estimator(est: Any) -> None:
    run_check_estimator(est, expected_failed={})


# Ties between equally good splits are broken by a random feature order, which cannot match
# scikit-learn's RNG stream; single-seed scores then differ by tie-breaking noise (wine, depth
# None: 0.844 vs 0.933 at seed 0, yet both libraries reach each of those values over seeds).
# So score parity is asserted on the mean over seeds, and exactly where the trees coincide.
@pytest.mark.parametrize("max_depth", DEPTHS)
@pytest.mark.parametrize("dataset", [*CLASSIFICATION, "diabetes"])
def test_mean_score_matches_sklearn(dataset: str, max_depth: int | None) -> None:
    X_tr, X_te, y_tr, y_te = split(dataset)
    ours, theirs = [], []
    for seed in SEEDS:
        a, b = _pair(dataset, max_depth=max_depth, random_state=seed)
        ours.append(a.fit(X_tr, y_tr).score(X_te, y_te))
        theirs.append(b.fit(X_tr, y_tr).score(X_te, y_te))
    assert np.mean(ours) >= np.mean(theirs) - 0.02, (np.mean(ours), np.mean(theirs))


@pytest.mark.parametrize(
    ("dataset", "max_depth"),
    [("iris", None), ("iris", 3), ("wine", 3), ("digits", 3), ("digits", 5), ("diabetes", 3)],
)
def test_score_close_where_tie_free(dataset: str, max_depth: int | None) -> None:
    ours, theirs = _pair(dataset, max_depth=max_depth, random_state=0)
    assert_score_close(ours, theirs, dataset)


@pytest.mark.parametrize("seed", SEEDS)
def test_depth_and_leaves_equal_sklearn_on_iris(seed: int) -> None:
    X, y = DATASETS["iris"]()
    ours = DecisionTreeClassifier(random_state=seed).fit(X, y)
    theirs = sk_tree.DecisionTreeClassifier(random_state=seed).fit(X, y)
    assert (ours.get_depth(), ours.get_n_leaves()) == (theirs.get_depth(), theirs.get_n_leaves())
    assert ours.tree_.node_count == theirs.tree_.node_count


@pytest.mark.parametrize(
    ("dataset", "max_depth", "cols"),
    [("iris", None, [1, 2]), ("wine", 3, None), ("digits", 3, None), ("diabetes", 3, None)],
)
def test_feature_importances_match_identical_trees(
    dataset: str, max_depth: int | None, cols: list[int] | None
) -> None:
    X, _, y, _ = split(dataset)
    X = X if cols is None else X[:, cols]
    ours, theirs = _pair(dataset, max_depth=max_depth, random_state=0)
    ours.fit(X, y)
    theirs.fit(X, y)
    assert _splits(ours.tree_) == _splits(theirs.tree_)
    np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_, atol=1e-9)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X))
    assert ours.feature_importances_.sum() == pytest.approx(1.0)


def test_predict_proba_matches_identical_tree() -> None:
    X_tr, X_te, y_tr, _ = split("wine")
    ours = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X_tr, y_tr)
    theirs = sk_tree.DecisionTreeClassifier(max_depth=3, random_state=0).fit(X_tr, y_tr)
    np.testing.assert_allclose(ours.predict_proba(X_te), theirs.predict_proba(X_te))
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    assert ours.n_features_in_ == X_tr.shape[1]


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
def test_criterion_fits_training_data(criterion: str) -> None:
    X, y = DATASETS["wine"]()
    est = DecisionTreeClassifier(criterion=criterion, random_state=0).fit(X, y)
    assert est.score(X, y) == 1.0
    theirs = sk_tree.DecisionTreeClassifier(criterion=criterion, max_depth=2, random_state=0)
    ours = DecisionTreeClassifier(criterion=criterion, max_depth=2, random_state=0)
    assert _splits(ours.fit(X, y).tree_) == _splits(theirs.fit(X, y).tree_)


@pytest.mark.parametrize("min_leaf", [1, 5, 20])
@pytest.mark.parametrize("dataset", ["breast_cancer", "diabetes"])
def test_min_samples_leaf_respected(dataset: str, min_leaf: int) -> None:
    X, y = DATASETS[dataset]()
    est, _ = _pair(dataset, min_samples_leaf=min_leaf, random_state=0)
    leaves = est.fit(X, y).apply(X)
    assert np.bincount(leaves).max() >= min_leaf
    assert np.bincount(leaves)[np.unique(leaves)].min() >= min_leaf
    assert np.unique(leaves).size == est.get_n_leaves()


def test_min_samples_split_and_max_depth_limit_growth() -> None:
    X, y = DATASETS["digits"]()
    assert DecisionTreeClassifier(max_depth=2).fit(X, y).get_n_leaves() <= 4
    big = DecisionTreeClassifier(min_samples_split=200, random_state=0).fit(X, y)
    counts = big.tree_.n_node_samples[big.tree_.children_left >= 0]
    assert counts.min() >= 200


@pytest.mark.parametrize("max_features", ["sqrt", "log2", 3, 0.5])
def test_max_features_is_seeded(max_features: Any) -> None:
    X_tr, X_te, y_tr, y_te = split("digits")
    a = DecisionTreeClassifier(max_features=max_features, random_state=1).fit(X_tr, y_tr)
    b = DecisionTreeClassifier(max_features=max_features, random_state=1).fit(X_tr, y_tr)
    np.testing.assert_array_equal(a.tree_.threshold, b.tree_.threshold)
    assert a.score(X_te, y_te) > 0.6


def test_bootstrap_weights_equal_duplicated_rows() -> None:
    X, y = DATASETS["diabetes"]()
    rng = np.random.RandomState(0)
    counts = np.bincount(rng.randint(0, len(y), len(y)), minlength=len(y)).astype(float)
    Xf = X.astype(np.float32)
    weighted = DecisionTreeRegressor(max_depth=4)._fit_encoded(
        Xf, y.astype(float), counts, np.random.RandomState(0)
    )
    rows = np.repeat(np.arange(len(y)), counts.astype(int))
    dup = DecisionTreeRegressor(max_depth=4, random_state=0).fit(X[rows], y[rows])  # same ties
    np.testing.assert_allclose(weighted.predict(X), dup.predict(X))


def test_bad_inputs() -> None:
    X, y = DATASETS["iris"]()
    with pytest.raises(NotFittedError):
        DecisionTreeClassifier().predict(X)
    with pytest.raises(NotFittedError):
        DecisionTreeRegressor().apply(X)
    est = DecisionTreeClassifier().fit(X, y)
    with pytest.raises(ValueError, match="features"):
        est.predict(X[:, :3])
    with pytest.raises(ValueError, match="2D array"):
        DecisionTreeClassifier().fit(X[:, 0], y)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        DecisionTreeClassifier().fit(X_nan, y)
    with pytest.raises(ValueError, match="NaN"):
        est.predict(X_nan)
    with pytest.raises(ValueError, match="Unknown label type"):
        DecisionTreeClassifier().fit(X, y + 0.5)


@pytest.mark.parametrize(
    "params",
    [
        {"criterion": "mse"},
        {"max_depth": 0},
        {"min_samples_leaf": 0},
        {"min_samples_split": 1},
        {"max_features": 0},
        {"max_features": 1.5},
        {"max_features": "all"},
    ],
)
def test_bad_hyperparameters_raise_in_fit(params: dict[str, Any]) -> None:
    X, y = DATASETS["iris"]()
    est = DecisionTreeClassifier(**params)
    assert est.get_params()[next(iter(params))] == params[next(iter(params))]  # stored verbatim
    with pytest.raises(ValueError):
        est.fit(X, y)


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
def test_run_and_position_scores_agree(criterion: str) -> None:
    # Classification splits are scored per run of equal values when values repeat (digits:
    # 17 levels per pixel) and per position otherwise; both paths must give the same proxies.
    from scratchgrad.ml import _criteria as sp
    from scratchgrad.ml._splitter import presort

    X, y = DATASETS["digits"]()
    Xt, order = presort(X.astype(np.float32))
    n = order.shape[1]
    data = sp._Data(Xt, y, None, criterion, 10)
    st = sp._group_stats(data, order[0], np.zeros(n, dtype=np.intp), 1)
    xs = np.take_along_axis(Xt, order, 1)
    brk = xs[:, 1:] > xs[:, :-1] + 1e-7
    ends = np.ones(order.shape, dtype=bool)
    ends[:, :-1] = brk
    seg = np.zeros(n, dtype=np.intp)
    runs = sp._run_proxy(data, order, seg, ends, int(ends.sum()), brk, st)[brk]
    n_left = np.arange(1, n + 1)
    positions = sp._scores(data, order, seg, np.array([0, n]), n_left, st)[:, :-1][brk]
    if criterion == "gini":  # integer counts: exactly equal
        np.testing.assert_array_equal(runs, positions)
    else:
        np.testing.assert_allclose(runs, positions, rtol=1e-10)


@pytest.mark.parametrize("cls", [DecisionTreeClassifier, DecisionTreeRegressor])
def test_fractional_weights_scale_free(cls: Any) -> None:
    # Halving every weight (exact in binary) must not change the tree.
    X, y = DATASETS["wine"]()
    Xf = X.astype(np.float32)
    y_enc = np.unique(y, return_inverse=True)[1] if cls is DecisionTreeClassifier else y * 1.0
    m = 3 if cls is DecisionTreeClassifier else 0
    half = cls()._fit_encoded(Xf, y_enc, np.full(len(y), 0.5), np.random.RandomState(0), m)
    full = cls()._fit_encoded(Xf, y_enc, None, np.random.RandomState(0), m)
    np.testing.assert_array_equal(half.tree_.threshold, full.tree_.threshold)
    np.testing.assert_array_equal(half.tree_.feature, full.tree_.feature)
