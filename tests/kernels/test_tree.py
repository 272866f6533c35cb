"""Tree kernels against the NumPy reference (the same trees) and scikit-learn (scores)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from sklearn import datasets
from sklearn import ensemble as sk_ensemble
from sklearn import tree as sk_tree
from tests.ml._common import assert_score_close, split

from scratchgrad import kernels
from scratchgrad.kernels import tree as tree_kernels
from scratchgrad.ml.ensemble import RandomForestClassifier, RandomForestRegressor
from scratchgrad.ml.tree import DecisionTreeClassifier, DecisionTreeRegressor

pytestmark = pytest.mark.skipif(kernels.mode() == "numpy", reason="compiled kernels are off")


def _fit_both(est: Any, X: Any, y: Any) -> tuple[Any, Any]:
    """The estimator fitted with the kernels and with the NumPy reference."""
    with kernels.use("numba"):
        compiled = copy.deepcopy(est).fit(X, y)
    with kernels.use("numpy"):
        reference = copy.deepcopy(est).fit(X, y)
    return compiled, reference


def _assert_same_tree(a: Any, b: Any) -> None:
    """Identical structure, thresholds, counts and node statistics, bit for bit."""
    names = ("children_left", "children_right", "feature", "threshold", "n_node_samples")
    for name in (*names, "value", "impurity", "weighted_n_node_samples"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert a.max_depth == b.max_depth


CASES = [
    ("digits", DecisionTreeClassifier(random_state=0)),
    ("digits", DecisionTreeClassifier(max_features="sqrt", min_samples_leaf=3, random_state=1)),
    ("iris", DecisionTreeClassifier(max_depth=3, random_state=2)),
    (
        "breast_cancer",
        DecisionTreeClassifier(max_features=0.3, min_samples_split=6, random_state=4),
    ),
    ("diabetes", DecisionTreeRegressor(random_state=0)),
    ("diabetes", DecisionTreeRegressor(max_features=3, max_depth=6, random_state=0)),
    ("diabetes", DecisionTreeRegressor(min_samples_leaf=4, random_state=3)),
]


@pytest.mark.parametrize(("dataset", "est"), CASES)
def test_tree_equals_numpy_reference(dataset: str, est: Any) -> None:
    X_tr, _, y_tr, _ = split(dataset)
    a, b = _fit_both(est, X_tr, y_tr)
    _assert_same_tree(a.tree_, b.tree_)


@pytest.mark.parametrize("forest", [RandomForestClassifier, RandomForestRegressor])
def test_forest_equals_numpy_reference(forest: Any) -> None:
    X_tr, X_te, y_tr, _ = split("diabetes" if forest is RandomForestRegressor else "wine")
    a, b = _fit_both(forest(n_estimators=8, random_state=0), X_tr, y_tr)
    for ta, tb in zip(a.estimators_, b.estimators_, strict=True):
        _assert_same_tree(ta.tree_, tb.tree_)
    with kernels.use("numpy"):
        want = b.predict(X_te)
    np.testing.assert_allclose(a.predict(X_te), want, rtol=1e-12)


def test_entropy_predictions_agree_with_reference() -> None:
    # entropy sums logarithms in another order: an exact tie may break the other way
    X_tr, X_te, y_tr, _ = split("digits")
    a, b = _fit_both(DecisionTreeClassifier(criterion="entropy", random_state=0), X_tr, y_tr)
    assert a.tree_.feature[0] == b.tree_.feature[0]
    assert a.tree_.threshold[0] == b.tree_.threshold[0]
    assert np.mean(a.predict(X_te) == b.predict(X_te)) >= 0.9


@pytest.mark.parametrize(
    ("dataset", "ours", "theirs"),
    [
        ("digits", DecisionTreeClassifier, sk_tree.DecisionTreeClassifier),
        ("diabetes", DecisionTreeRegressor, sk_tree.DecisionTreeRegressor),
    ],
)
def test_tree_score_close_to_sklearn(dataset: str, ours: Any, theirs: Any) -> None:
    with kernels.use("numba"):
        assert_score_close(ours(max_depth=5, random_state=0), theirs(max_depth=5), dataset)


def test_forest_score_close_to_sklearn() -> None:
    with kernels.use("numba"):
        ours = RandomForestClassifier(n_estimators=30, random_state=0)
        theirs = sk_ensemble.RandomForestClassifier(n_estimators=30, random_state=0)
        assert_score_close(ours, theirs, "digits", points=0.025)


@pytest.mark.parametrize("n_rows", [1, 8, 13, 178])
def test_apply_matches_numpy(n_rows: int) -> None:
    X, y = datasets.load_wine(return_X_y=True)
    tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y).tree_
    X32 = np.asarray(X[:n_rows], dtype=np.float32)
    with kernels.use("numpy"):
        want = tree.apply(X32)
    inner = tree.children_left >= 0
    np.testing.assert_array_equal(tree.children_right[inner], tree.children_left[inner] + 1)
    got = tree_kernels.apply(X32, tree.children_left, tree.feature, tree.threshold)
    np.testing.assert_array_equal(got, want)


def test_grow_a_pure_root_is_a_leaf() -> None:
    # one class: the root is not searched and the tree is the root alone
    Xt = np.array([[0.0, 1.0, 2.0]])
    params = np.array([10, 1, 2, 1, tree_kernels.GINI], dtype=np.int64)
    order = np.argsort(Xt, axis=1)
    ints, floats, value, tot, depth = tree_kernels.grow(
        Xt, np.zeros(3), np.ones(3), order, params, 1, lambda n: np.zeros((n, 1), np.int64)
    )
    assert ints.shape == (1, 4) and depth == 0 and ints[0, tree_kernels.LEFT] == -1
    assert value[0, 0] == 1.0 and tot[0, 0] == 3.0 and floats[0, tree_kernels.IMPURITY] == 0.0
