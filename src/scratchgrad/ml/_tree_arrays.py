"""The fitted-tree container shared by the tree builder and the estimators."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scratchgrad import kernels
from scratchgrad.backend import Array
from scratchgrad.kernels import tree as tree_kernels

_LEAF = -1


@dataclass(frozen=True)
class _Params:
    """Resolved stopping and sampling parameters."""

    max_depth: int
    min_split: int
    min_leaf: int
    max_features: int


@dataclass
class _Tree:
    """A fitted tree as flat arrays indexed by node id (root is 0, breadth-first order).

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
        if kernels.enabled():  # rows descend eight at a time: scratchgrad.kernels.tree.apply
            leaves: NDArray[np.intp] = tree_kernels.apply(
                X, self.children_left, self.feature, self.threshold
            )
            return leaves
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
