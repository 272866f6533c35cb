"""Decision trees (CART) with a split search vectorised over sorted feature values.

The tree is grown depth first from an explicit stack into flat arrays, as scikit-learn's
``tree_``: ``children_left``, ``children_right``, ``feature``, ``threshold``, ``value``.
Forests reuse :meth:`_BaseDecisionTree._fit_encoded` to fit on a weighted (bootstrap) sample
with a given random generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin  # type: ignore[import-untyped]
from sklearn.utils import check_random_state  # type: ignore[import-untyped]
from sklearn.utils.multiclass import check_classification_targets  # type: ignore[import-untyped]
from sklearn.utils.validation import check_is_fitted, validate_data  # type: ignore[import-untyped]

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor"]

Array = NDArray[Any]
_LEAF = -1
_FEATURE_THRESHOLD = 1e-7  # values closer than this are treated as equal (as scikit-learn)
_CHUNK_ELEMENTS = 1 << 22  # cap on n_node * n_features_chunk * n_stats per evaluation


@dataclass
class _Tree:
    """A fitted tree as flat arrays indexed by node id (root is 0).

    Attributes:
        children_left: left child ids, shape (n_nodes,); -1 at leaves.
        children_right: right child ids, shape (n_nodes,); -1 at leaves.
        feature: split feature, shape (n_nodes,); -1 at leaves.
        threshold: go left when ``x[feature] <= threshold``, shape (n_nodes,).
        value: class fractions (n_nodes, n_classes) or means (n_nodes, 1).
        impurity: node impurity, shape (n_nodes,).
        weighted_n_node_samples: total sample weight per node, shape (n_nodes,).
        n_node_samples: sample count per node, shape (n_nodes,).
        max_depth: depth of the deepest leaf (root alone has depth 0).
    """

    children_left: NDArray[np.intp]
    children_right: NDArray[np.intp]
    feature: NDArray[np.intp]
    threshold: NDArray[np.float64]
    value: NDArray[np.float64]
    impurity: NDArray[np.float64]
    weighted_n_node_samples: NDArray[np.float64]
    n_node_samples: NDArray[np.intp]
    max_depth: int

    @property
    def node_count(self) -> int:
        """Number of nodes."""
        return int(self.children_left.shape[0])

    @property
    def n_leaves(self) -> int:
        """Number of leaves."""
        return int(np.sum(self.children_left == _LEAF))

    def apply(self, X: Array) -> NDArray[np.intp]:
        """Leaf id reached by each row; one vectorised step per tree level.

        Args:
            X: samples, shape (n_samples, n_features).

        Returns:
            Leaf ids, shape (n_samples,).
        """
        node = np.zeros(X.shape[0], dtype=np.intp)
        rows = np.arange(X.shape[0])
        for _ in range(self.max_depth):
            feat = np.maximum(self.feature[node], 0)  # leaves carry -1; any column will do
            go_left = X[rows, feat] <= self.threshold[node]
            nxt = np.where(go_left, self.children_left[node], self.children_right[node])
            node = np.where(self.children_left[node] == _LEAF, node, nxt)
        return node

    def feature_importances(self, n_features: int) -> NDArray[np.float64]:
        """Total weighted impurity decrease per feature, normalised to sum to 1.

        Args:
            n_features: number of input features.

        Returns:
            Importances, shape (n_features,).
        """
        inner = np.flatnonzero(self.children_left != _LEAF)
        left, right = self.children_left[inner], self.children_right[inner]
        wimp = self.weighted_n_node_samples * self.impurity  # (n_nodes,)
        gain = wimp[inner] - wimp[left] - wimp[right]
        imp = np.bincount(self.feature[inner], weights=gain, minlength=n_features)
        imp = imp / self.weighted_n_node_samples[0]
        total = imp.sum()
        out: NDArray[np.float64] = imp / total if total > 0 else imp
        return out


@dataclass
class _Nodes:
    """Growable per-node lists, frozen into a :class:`_Tree` at the end."""

    left: list[int] = field(default_factory=list)
    right: list[int] = field(default_factory=list)
    feature: list[int] = field(default_factory=list)
    threshold: list[float] = field(default_factory=list)
    value: list[Array] = field(default_factory=list)
    impurity: list[float] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    count: list[int] = field(default_factory=list)

    def add(self, stats: Array, criterion: str) -> int:
        """Append a leaf for the samples whose stats rows are ``stats`` (n, m); return its id."""
        total = stats.sum(axis=0)  # (m,)
        self.left.append(_LEAF)
        self.right.append(_LEAF)
        self.feature.append(_LEAF)
        self.threshold.append(-2.0)
        self.value.append(_node_value(total, criterion))
        self.impurity.append(_node_impurity(stats, criterion))
        self.weight.append(float(total[0] if criterion == "squared_error" else total.sum()))
        self.count.append(int(stats.shape[0]))
        return len(self.left) - 1

    def freeze(self, max_depth: int) -> _Tree:
        """Convert to arrays."""
        return _Tree(
            children_left=np.asarray(self.left, dtype=np.intp),
            children_right=np.asarray(self.right, dtype=np.intp),
            feature=np.asarray(self.feature, dtype=np.intp),
            threshold=np.asarray(self.threshold, dtype=np.float64),
            value=np.asarray(self.value, dtype=np.float64),
            impurity=np.asarray(self.impurity, dtype=np.float64),
            weighted_n_node_samples=np.asarray(self.weight, dtype=np.float64),
            n_node_samples=np.asarray(self.count, dtype=np.intp),
            max_depth=max_depth,
        )


def _sample_stats(y: Array, weight: Array, criterion: str, n_classes: int) -> Array:
    """Per-sample additive statistics whose sums determine a node's impurity.

    Args:
        y: class indices (classification) or targets (regression), shape (n,).
        weight: sample weights, shape (n,).
        criterion: "gini", "entropy" or "squared_error".
        n_classes: number of classes (ignored for regression).

    Returns:
        Weighted one-hot counts (n, n_classes), or ``[w, w*y, w*y**2]`` (n, 3).
    """
    if criterion == "squared_error":
        yf = y.astype(np.float64)
        return np.stack([weight, weight * yf, weight * yf * yf], axis=1)
    onehot = np.zeros((y.shape[0], n_classes), dtype=np.float64)
    onehot[np.arange(y.shape[0]), y] = weight
    return onehot


def _xlogx(a: Array) -> Array:
    """Elementwise ``a * log2(a)`` with ``0 log 0 = 0``."""
    safe = np.where(a > 0, a, 1.0)
    out: Array = np.where(a > 0, a * np.log2(safe), 0.0)
    return out


def _weighted_impurity(s: Array, criterion: str) -> Array:
    """Node weight times impurity from summed stats; the split proxy to minimise.

    Args:
        s: summed stats, shape (..., m).
        criterion: "gini", "entropy" or "squared_error".

    Returns:
        Weighted impurity, shape (...).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if criterion == "squared_error":
            out: Array = s[..., 2] - s[..., 1] ** 2 / s[..., 0]
        elif criterion == "gini":
            w = s.sum(axis=-1)
            out = w - np.sum(s * s, axis=-1) / w
        else:
            out = _xlogx(s.sum(axis=-1)) - _xlogx(s).sum(axis=-1)
    return out


def _node_value(total: Array, criterion: str) -> Array:
    """Class fractions, shape (n_classes,), or the weighted mean, shape (1,)."""
    if criterion == "squared_error":
        return np.array([total[1] / total[0]])
    out: Array = total / total.sum()
    return out


def _node_impurity(stats: Array, criterion: str) -> float:
    """Impurity of one node; the variance is computed in two passes for accuracy."""
    if criterion != "squared_error":
        total = stats.sum(axis=0)
        return float(_weighted_impurity(total, criterion) / total.sum())
    w = stats[:, 0]
    y = stats[:, 1] / np.where(w > 0, w, 1.0)
    mean = np.sum(stats[:, 1]) / np.sum(w)
    return float(np.sum(w * (y - mean) ** 2) / np.sum(w))


def _best_split_chunk(
    Xn: Array, stats: Array, criterion: str, min_leaf: int
) -> tuple[float, int, float]:
    """Best split over the columns of ``Xn``, all thresholds evaluated at once.

    Args:
        Xn: node samples on candidate features, shape (n, k).
        stats: node sample stats, shape (n, m).
        criterion: impurity criterion.
        min_leaf: minimum number of samples per child.

    Returns:
        ``(proxy, column, threshold)``; proxy is ``inf`` when no valid split exists.
    """
    n = Xn.shape[0]
    order = np.argsort(Xn, axis=0, kind="stable")  # (n, k)
    xs = np.take_along_axis(Xn, order, axis=0).astype(np.float64)  # (n, k)
    cum = np.cumsum(stats[order], axis=0)[:-1]  # (n-1, k, m): left stats per position
    proxy = _weighted_impurity(cum, criterion)
    proxy = proxy + _weighted_impurity(stats.sum(axis=0) - cum, criterion)  # (n-1, k)
    n_left = np.arange(1, n)[:, None]  # (n-1, 1)
    valid = (xs[1:] > xs[:-1] + _FEATURE_THRESHOLD) & (n_left >= min_leaf)
    valid &= n - n_left >= min_leaf
    flat = np.where(valid, proxy, np.inf).T.ravel()  # feature-major: first feature wins ties
    best = int(np.argmin(flat))
    col, pos = divmod(best, n - 1)
    lo, hi = xs[pos, col], xs[pos + 1, col]
    thr = (lo + hi) / 2.0
    if thr >= hi or np.isinf(thr):
        thr = lo
    return float(flat[best]), col, float(thr)


def _candidate_features(Xn: Array, k: int, rng: np.random.RandomState) -> NDArray[np.intp]:
    """Up to ``k`` non-constant features in random order, shape (<= k,)."""
    span = Xn.max(axis=0).astype(np.float64) - Xn.min(axis=0)
    perm = rng.permutation(Xn.shape[1])
    out: NDArray[np.intp] = perm[span[perm] > _FEATURE_THRESHOLD][:k]
    return out


def _find_split(
    Xn: Array, stats: Array, criterion: str, params: _Params, rng: np.random.RandomState
) -> tuple[int, float] | None:
    """Best ``(feature, threshold)`` for one node, or None when no valid split exists."""
    feats = _candidate_features(Xn, params.max_features, rng)
    if feats.size == 0:
        return None
    step = max(1, _CHUNK_ELEMENTS // max(1, Xn.shape[0] * stats.shape[1]))
    best: tuple[float, int, float] = (np.inf, -1, 0.0)
    for start in range(0, feats.size, step):
        chunk = feats[start : start + step]
        proxy, col, thr = _best_split_chunk(Xn[:, chunk], stats, criterion, params.min_leaf)
        if proxy < best[0]:
            best = (proxy, int(chunk[col]), thr)
    return None if best[1] < 0 else (best[1], best[2])


@dataclass(frozen=True)
class _Params:
    """Resolved stopping and sampling parameters."""

    max_depth: int
    min_split: int
    min_leaf: int
    max_features: int


def _is_leaf(n: int, depth: int, impurity: float, params: _Params) -> bool:
    """Stopping rules checked before searching a split."""
    return bool(
        depth >= params.max_depth
        or n < params.min_split
        or n < 2 * params.min_leaf
        or impurity <= np.finfo(np.float64).eps
    )


def _build_tree(
    X: Array, stats: Array, criterion: str, params: _Params, rng: np.random.RandomState
) -> _Tree:
    """Grow a tree depth first from an explicit stack.

    Args:
        X: samples, shape (n, d), float32.
        stats: per-sample stats from :func:`_sample_stats`, shape (n, m).
        criterion: impurity criterion.
        params: resolved parameters.
        rng: generator for the feature permutation at each node.

    Returns:
        The fitted :class:`_Tree`.
    """
    nodes = _Nodes()
    nodes.add(stats, criterion)
    stack: list[tuple[int, NDArray[np.intp], int]] = [(0, np.arange(X.shape[0]), 0)]
    depth_reached = 0
    while stack:
        node, idx, depth = stack.pop()
        depth_reached = max(depth_reached, depth)
        if _is_leaf(idx.size, depth, nodes.impurity[node], params):
            continue
        split = _find_split(X[idx], stats[idx], criterion, params, rng)
        if split is None:
            continue
        feat, thr = split
        go_left = X[idx, feat] <= thr
        left_idx, right_idx = idx[go_left], idx[~go_left]
        left = nodes.add(stats[left_idx], criterion)
        right = nodes.add(stats[right_idx], criterion)
        nodes.left[node], nodes.right[node] = left, right
        nodes.feature[node], nodes.threshold[node] = feat, thr
        stack.append((right, right_idx, depth + 1))
        stack.append((left, left_idx, depth + 1))
    return nodes.freeze(depth_reached)


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


class _BaseDecisionTree(BaseEstimator):  # type: ignore[misc]
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
    ) -> _BaseDecisionTree:
        """Fit on validated arrays; the entry point for forests.

        Args:
            X: samples, shape (n, d), float32.
            y: class indices into ``classes_`` or float targets, shape (n,).
            sample_weight: weights, shape (n,) (e.g. bootstrap counts), or None for ones.
                Rows with zero weight are dropped.
            rng: generator for the per-node feature permutation.
            n_classes: number of classes (0 for regression).

        Returns:
            self, with ``tree_``, ``n_features_in_`` and ``max_features_`` set.
        """
        params = self._params(X.shape[1])
        weight = np.ones(X.shape[0]) if sample_weight is None else np.asarray(sample_weight, float)
        keep = weight > 0
        stats = _sample_stats(y[keep], weight[keep], self.criterion, n_classes)
        self.tree_ = _build_tree(X[keep], stats, self.criterion, params, rng)
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


class DecisionTreeClassifier(ClassifierMixin, _BaseDecisionTree):  # type: ignore[misc]
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


class DecisionTreeRegressor(RegressorMixin, _BaseDecisionTree):  # type: ignore[misc]
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
