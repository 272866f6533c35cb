"""Decision trees (CART) with the scikit-learn estimator API.

The tree is grown breadth first by :func:`scratchgrad.ml._splitter.grow` into flat arrays, as
scikit-learn's ``tree_``: ``children_left``, ``children_right``, ``feature``, ``threshold``,
``value``. Forests reuse :meth:`_BaseDecisionTree._fit_encoded` to fit on a weighted
(bootstrap) sample with a given random generator.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from scratchgrad.backend import Array
from scratchgrad.ml._splitter import grow, presort
from scratchgrad.ml._tree_arrays import _Params, _Tree

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor"]


def _resolve_max_features(max_features: Any, n_features: int) -> int:
    """Number of features tried per split, in [1, n_features]."""
    if max_features is None:
        return n_features
    if max_features == "sqrt":
        return max(1, int(np.sqrt(n_features)))
    if max_features == "log2":
        return max(1, int(np.log2(n_features)))
    if isinstance(max_features, (int, np.integer)) and not isinstance(max_features, bool):
        if 1 <= max_features <= n_features:
            return int(max_features)
    elif isinstance(max_features, (float, np.floating)) and 0.0 < max_features <= 1.0:
        return max(1, int(max_features * n_features))
    raise ValueError(
        f"max_features must be None, 'sqrt', 'log2', an int in [1, n_features] or a "
        f"float in (0, 1]; got {max_features!r}"
    )


def _check_int(name: str, value: Any, low: int) -> int:
    """``value`` as an int >= ``low``, else ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be an int >= {low}; got {value!r}")
    return int(value)


class _BaseDecisionTree(BaseEstimator):
    """Shared fitting and traversal; subclasses fix the criterion family and outputs."""

    _criteria: tuple[str, ...] = ()
    tree_: _Tree
    n_features_in_: int
    max_features_: int

    def __init__(
        self,
        *,
        criterion: str,
        max_depth: int | None = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        max_features: int | float | str | None = None,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.random_state = random_state

    def _params(self, n_features: int) -> _Params:
        """Validate hyperparameters against the data; raise ValueError on bad values."""
        if self.criterion not in self._criteria:
            raise ValueError(f"criterion must be one of {self._criteria}; got {self.criterion!r}")
        depth = np.iinfo(np.int32).max
        if self.max_depth is not None:
            depth = _check_int("max_depth", self.max_depth, 1)
        return _Params(
            max_depth=depth,
            min_split=_check_int("min_samples_split", self.min_samples_split, 2),
            min_leaf=_check_int("min_samples_leaf", self.min_samples_leaf, 1),
            max_features=_resolve_max_features(self.max_features, n_features),
        )

    def _fit_encoded(
        self,
        X: Array,
        y: Array,
        sample_weight: Array | None,
        rng: np.random.RandomState,
        n_classes: int = 0,
        presorted: tuple[Array, Array] | None = None,
    ) -> _BaseDecisionTree:
        """Fit on validated arrays; the entry point for forests.

        Args:
            X: samples, shape (n, d), float32.
            y: class indices into ``classes_`` or float targets, shape (n,).
            sample_weight: weights, shape (n,) (e.g. bootstrap counts), or None for ones.
                Rows with zero weight are dropped.
            rng: generator for the per-node feature permutation.
            n_classes: number of classes (0 for regression).
            presorted: ``presort(X)``, shared by the trees of a forest, or None.

        Returns:
            self, with ``tree_``, ``n_features_in_`` and ``max_features_`` set.
        """
        params = self._params(X.shape[1])
        Xt, order = presort(X) if presorted is None else presorted
        weight = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        self.tree_ = grow(Xt, y, weight, self.criterion, n_classes, params, rng, order)
        self.n_features_in_ = X.shape[1]
        self.max_features_ = params.max_features
        return self

    def _validate_for_predict(self, X: Any) -> Array:
        """Check a fitted model and validate X for prediction, shape (n, d) float32."""
        check_is_fitted(self, "tree_")
        out: Array = validate_data(self, X, dtype=np.float32, reset=False)
        return out

    def apply(self, X: Any) -> NDArray[np.intp]:
        """Index of the leaf each sample ends in.

        Args:
            X: samples, shape (n_samples, n_features).

        Returns:
            Leaf node ids, shape (n_samples,).
        """
        X = self._validate_for_predict(X)  # checks fitted before touching tree_
        return self.tree_.apply(X)

    def get_depth(self) -> int:
        """Depth of the tree (a lone root has depth 0)."""
        check_is_fitted(self, "tree_")
        return self.tree_.max_depth

    def get_n_leaves(self) -> int:
        """Number of leaves."""
        check_is_fitted(self, "tree_")
        return self.tree_.n_leaves

    @property
    def feature_importances_(self) -> NDArray[np.float64]:
        """Normalised total impurity decrease per feature, shape (n_features,)."""
        check_is_fitted(self, "tree_")
        return self.tree_.feature_importances(self.n_features_in_)


class DecisionTreeClassifier(ClassifierMixin, _BaseDecisionTree):
    """CART classification tree (Gini or entropy), scikit-learn API.

    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> DecisionTreeClassifier().fit(X, [0, 0, 1, 1]).predict([[0.5], [2.5]]).tolist()
    [0, 1]
    """

    _criteria = ("gini", "entropy")
    classes_: Array
    n_classes_: int

    def __init__(
        self,
        *,
        criterion: str = "gini",
        max_depth: int | None = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        max_features: int | float | str | None = None,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        super().__init__(
            criterion=criterion,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            max_features=max_features,
            random_state=random_state,
        )

    def fit(self, X: Any, y: Any) -> DecisionTreeClassifier:
        """Grow the tree.

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
        rng = check_random_state(self.random_state)
        self._fit_encoded(X, y_idx.ravel(), None, rng, self.n_classes_)
        return self

    def predict_proba(self, X: Any) -> NDArray[np.float64]:
        """Class fractions of the leaf each sample reaches.

        Args:
            X: samples, shape (n_samples, n_features).

        Returns:
            Probabilities, shape (n_samples, n_classes); rows sum to 1.
        """
        leaves = self.apply(X)  # checks fitted before touching tree_
        out: NDArray[np.float64] = self.tree_.value[leaves]
        return out

    def predict(self, X: Any) -> Array:
        """Most probable class per sample, shape (n_samples,)."""
        proba = self.predict_proba(X)  # checks fitted before touching classes_
        out: Array = self.classes_[np.argmax(proba, axis=1)]
        return out


class DecisionTreeRegressor(RegressorMixin, _BaseDecisionTree):
    """CART regression tree (squared error), scikit-learn API.

    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> DecisionTreeRegressor(max_depth=1).fit(X, [1.0, 1.0, 3.0, 3.0]).predict([[3.0]]).tolist()
    [3.0]
    """

    _criteria = ("squared_error",)

    def __init__(
        self,
        *,
        criterion: str = "squared_error",
        max_depth: int | None = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        max_features: int | float | str | None = None,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        super().__init__(
            criterion=criterion,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            max_features=max_features,
            random_state=random_state,
        )

    def fit(self, X: Any, y: Any) -> DecisionTreeRegressor:
        """Grow the tree.

        Args:
            X: samples, shape (n_samples, n_features).
            y: targets, shape (n_samples,).

        Returns:
            self.
        """
        X, y = validate_data(self, X, y, dtype=np.float32, y_numeric=True)
        rng = check_random_state(self.random_state)
        self._fit_encoded(X, np.asarray(y, dtype=np.float64), None, rng)
        return self

    def predict(self, X: Any) -> NDArray[np.float64]:
        """Mean target of the leaf each sample reaches, shape (n_samples,)."""
        leaves = self.apply(X)  # checks fitted before touching tree_
        out: NDArray[np.float64] = self.tree_.value[leaves, 0]
        return out
