"""Random forests: bagged CART trees with per-split feature subsampling (Breiman, 2001).

Each tree is grown by :meth:`_BaseDecisionTree._fit_encoded` on the full training set with a
bootstrap sample expressed as sample weights (the draw counts), so rows never drawn get weight
zero and are the tree's out-of-bag (OOB) rows. X is validated, transposed and sorted per
feature once for the whole forest (:func:`presort`); each tree only drops its unused rows.
Seeding follows scikit-learn's scheme: one int32 seed per tree is drawn from ``random_state``;
that seed drives both the tree's bootstrap draw and its per-node feature permutation, so a fixed
``random_state`` gives identical forests whatever ``n_jobs`` is.

Parallelism: trees are fit through :class:`joblib.Parallel` with ``prefer="threads"`` (a soft
hint: an enclosing ``joblib.parallel_backend("loky")`` switches to processes; the estimators
pickle). Threads share the training arrays without copies, and the compiled tree builder
(:mod:`scratchgrad.kernels.tree`) releases the GIL, so threads use both cores of a 2-core
machine where trees are large (20,000 x 50, 20 trees: 1.0 s with one job, 0.6 s with two); on
small sets (digits) the Python calls between tree levels dominate and a second thread gains
little, as with the NumPy reference (``SCRATCHGRAD_KERNELS=numpy``), which holds the GIL in
its many small calls. ``n_jobs=None`` means one job (joblib's and scikit-learn's convention).
Results do not depend on ``n_jobs`` or the backend.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from scratchgrad.backend import Array
from scratchgrad.ml._splitter import presort
from scratchgrad.ml.tree import DecisionTreeClassifier, DecisionTreeRegressor, _BaseDecisionTree

_MAX_INT = np.iinfo(np.int32).max


def _bootstrap_counts(seed: int, n_samples: int, bootstrap: bool) -> NDArray[np.float64]:
    """How often each row is drawn, shape (n_samples,); all ones without bootstrap."""
    if not bootstrap:
        return np.ones(n_samples)
    rng = np.random.RandomState(seed)
    drawn = rng.randint(0, n_samples, n_samples)
    return np.bincount(drawn, minlength=n_samples).astype(np.float64)


def _fit_tree(
    tree: _BaseDecisionTree,
    X: Array,
    y: Array,
    seed: int,
    bootstrap: bool,
    n_classes: int,
    presorted: tuple[Array, Array],
) -> tuple[_BaseDecisionTree, NDArray[np.bool_]]:
    """Fit one tree on its bootstrap sample; return it and its OOB mask, shape (n,).

    ``presorted`` is :func:`presort` of X, computed once for the whole forest.
    """
    counts = _bootstrap_counts(seed, X.shape[0], bootstrap)
    tree._fit_encoded(X, y, counts, np.random.RandomState(seed), n_classes, presorted)
    return tree, counts == 0


class _BaseForest(BaseEstimator):
    """Shared bagging, parallel fitting, OOB bookkeeping and importances."""

    estimators_: list[Any]
    n_features_in_: int
    oob_score_: float

    def __init__(
        self,
        *,
        n_estimators: int,
        criterion: str,
        max_depth: int | None,
        min_samples_split: int,
        min_samples_leaf: int,
        max_features: int | float | str | None,
        bootstrap: bool,
        oob_score: bool,
        n_jobs: int | None,
        random_state: int | np.random.RandomState | None,
    ) -> None:
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _make_tree(self, seed: int) -> _BaseDecisionTree:
        raise NotImplementedError

    def _tree_output(self, tree: Any, X: Array) -> NDArray[np.float64]:
        """One tree's output: class fractions (n, n_classes) or predictions (n, 1)."""
        out: NDArray[np.float64] = tree.tree_.value[tree.tree_.apply(X)]
        return out

    def _fit_forest(self, X: Array, y: Array, n_classes: int) -> NDArray[np.float64] | None:
        """Grow all trees; return the OOB-averaged outputs (n, m) when ``oob_score`` is set.

        Rows never out of bag get NaN (with a warning, as scikit-learn warns).
        """
        n_est = self.n_estimators
        if isinstance(n_est, bool) or not isinstance(n_est, (int, np.integer)) or n_est < 1:
            raise ValueError(f"n_estimators must be an int >= 1; got {n_est!r}")
        if self.oob_score and not self.bootstrap:
            raise ValueError("Out of bag estimation only available if bootstrap=True")
        rng = check_random_state(self.random_state)
        seeds = rng.randint(_MAX_INT, size=int(n_est))
        trees = [self._make_tree(int(s)) for s in seeds]
        presorted = presort(X)  # every tree reuses the feature sort of the full sample
        results = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(_fit_tree)(t, X, y, int(s), bool(self.bootstrap), n_classes, presorted)
            for t, s in zip(trees, seeds, strict=True)
        )
        self.estimators_ = [tree for tree, _ in results]
        self.n_features_in_ = X.shape[1]
        if not self.oob_score:
            return None
        total: NDArray[np.float64] | None = None
        hits = np.zeros(X.shape[0])
        for tree, oob in results:
            out = np.zeros((X.shape[0], tree.tree_.value.shape[1]))
            if oob.any():
                out[oob] = self._tree_output(tree, X[oob])
            total = out if total is None else total + out
            hits += oob
        assert total is not None
        if (hits == 0).any():
            warnings.warn(
                "Some inputs do not have OOB scores; try more estimators.",
                UserWarning,
                stacklevel=3,
            )
        with np.errstate(invalid="ignore", divide="ignore"):
            avg: NDArray[np.float64] = total / hits[:, None]
        avg[hits == 0] = np.nan
        return avg

    def _validate_for_predict(self, X: Any) -> Array:
        """Check fitted and validate X, shape (n, d) float32."""
        check_is_fitted(self, "estimators_")
        out: Array = validate_data(self, X, dtype=np.float32, reset=False)
        return out

    def _mean_output(self, X: Any) -> NDArray[np.float64]:
        """Mean of the trees' outputs, shape (n_samples, m)."""
        X = self._validate_for_predict(X)
        total = np.zeros((X.shape[0], self.estimators_[0].tree_.value.shape[1]))
        for tree in self.estimators_:
            total += self._tree_output(tree, X)
        out: NDArray[np.float64] = total / len(self.estimators_)
        return out

    @property
    def feature_importances_(self) -> NDArray[np.float64]:
        """Mean of the trees' normalised impurity decreases, shape (n_features,)."""
        check_is_fitted(self, "estimators_")
        imps = [t.tree_.feature_importances(self.n_features_in_) for t in self.estimators_]
        mean: NDArray[np.float64] = np.mean(imps, axis=0)
        s = mean.sum()
        return mean / s if s > 0 else mean


class RandomForestClassifier(ClassifierMixin, _BaseForest):
    """Random forest classifier: mean of bootstrapped trees' class probabilities.

    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]] * 5)
    >>> y = [0, 0, 1, 1] * 5
    >>> RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y).predict([[0.2], [2.8]])
    array([0, 1])
    """

    classes_: Array
    n_classes_: int
    oob_decision_function_: NDArray[np.float64]

    def __init__(
        self,
        n_estimators: int = 100,
        *,
        criterion: str = "gini",
        max_depth: int | None = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        max_features: int | float | str | None = "sqrt",
        bootstrap: bool = True,
        oob_score: bool = False,
        n_jobs: int | None = None,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        super().__init__(
            n_estimators=n_estimators,
            criterion=criterion,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            max_features=max_features,
            bootstrap=bootstrap,
            oob_score=oob_score,
            n_jobs=n_jobs,
            random_state=random_state,
        )

    def _make_tree(self, seed: int) -> _BaseDecisionTree:
        tree = DecisionTreeClassifier(
            criterion=self.criterion,
            max_depth=self.max_depth,
            min_samples_split=self.min_samples_split,
            min_samples_leaf=self.min_samples_leaf,
            max_features=self.max_features,
            random_state=seed,
        )
        tree.classes_ = self.classes_
        tree.n_classes_ = self.n_classes_
        return tree

    def fit(self, X: Any, y: Any) -> RandomForestClassifier:
        """Grow ``n_estimators`` trees on bootstrap samples.

        Args:
            X: samples, shape (n_samples, n_features).
            y: labels, shape (n_samples,).

        Returns:
            self.
        """
        X, y = validate_data(self, X, y, dtype=np.float32)
        check_classification_targets(y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        self.n_classes_ = int(self.classes_.shape[0])
        oob = self._fit_forest(X, y_idx.ravel(), self.n_classes_)
        if oob is not None:
            self.oob_decision_function_ = oob
            seen = ~np.isnan(oob[:, 0])
            pred = self.classes_[np.argmax(oob[seen], axis=1)]
            self.oob_score_ = float(accuracy_score(y[seen], pred))
        return self

    def predict_proba(self, X: Any) -> NDArray[np.float64]:
        """Mean of the trees' leaf class fractions.

        Args:
            X: samples, shape (n_samples, n_features).

        Returns:
            Probabilities, shape (n_samples, n_classes); rows sum to 1.
        """
        return self._mean_output(X)

    def predict(self, X: Any) -> Array:
        """Most probable class per sample, shape (n_samples,)."""
        proba = self.predict_proba(X)
        out: Array = self.classes_[np.argmax(proba, axis=1)]
        return out


class RandomForestRegressor(RegressorMixin, _BaseForest):
    """Random forest regressor: mean of bootstrapped trees' predictions.

    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]] * 5)
    >>> y = [1.0, 1.0, 3.0, 3.0] * 5
    >>> est = RandomForestRegressor(n_estimators=5, random_state=0).fit(X, y)
    >>> est.predict([[0.0], [3.0]]).tolist()
    [1.0, 3.0]
    """

    oob_prediction_: NDArray[np.float64]

    def __init__(
        self,
        n_estimators: int = 100,
        *,
        criterion: str = "squared_error",
        max_depth: int | None = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        max_features: int | float | str | None = 1.0,
        bootstrap: bool = True,
        oob_score: bool = False,
        n_jobs: int | None = None,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        super().__init__(
            n_estimators=n_estimators,
            criterion=criterion,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            max_features=max_features,
            bootstrap=bootstrap,
            oob_score=oob_score,
            n_jobs=n_jobs,
            random_state=random_state,
        )

    def _make_tree(self, seed: int) -> _BaseDecisionTree:
        return DecisionTreeRegressor(
            criterion=self.criterion,
            max_depth=self.max_depth,
            min_samples_split=self.min_samples_split,
            min_samples_leaf=self.min_samples_leaf,
            max_features=self.max_features,
            random_state=seed,
        )

    def fit(self, X: Any, y: Any) -> RandomForestRegressor:
        """Grow ``n_estimators`` trees on bootstrap samples.

        Args:
            X: samples, shape (n_samples, n_features).
            y: targets, shape (n_samples,).

        Returns:
            self.
        """
        X, y = validate_data(self, X, y, dtype=np.float32, y_numeric=True)
        y = np.asarray(y, dtype=np.float64)
        oob = self._fit_forest(X, y, 0)
        if oob is not None:
            self.oob_prediction_ = oob[:, 0]
            seen = ~np.isnan(self.oob_prediction_)
            self.oob_score_ = float(r2_score(y[seen], self.oob_prediction_[seen]))
        return self

    def predict(self, X: Any) -> NDArray[np.float64]:
        """Mean of the trees' predictions, shape (n_samples,)."""
        out: NDArray[np.float64] = self._mean_output(X)[:, 0]
        return out
