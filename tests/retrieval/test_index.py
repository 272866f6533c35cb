"""The shared parts: top-k selection, result padding, argument conversion."""

import numpy as np
import pytest

from scratchgrad.retrieval.index import (
    METRIC_INNER_PRODUCT,
    METRIC_L2,
    Index,
    as_ids,
    as_vectors,
    empty_result,
    smallest_k,
)


def test_smallest_k_sorts_and_breaks_ties_by_column() -> None:
    keys = np.array([[3.0, 1.0, 2.0, 1.0, 0.5]], np.float32)
    assert smallest_k(keys, 3).tolist() == [[4, 1, 3]]
    assert smallest_k(keys, 9).tolist() == [[4, 1, 3, 2, 0]]
    rng = np.random.default_rng(0)
    many = rng.standard_normal((20, 50)).astype(np.float32)
    np.testing.assert_array_equal(smallest_k(many, 5), np.argsort(many, axis=1)[:, :5])


def test_empty_result_and_conversions() -> None:
    d, i = empty_result(2, 3, METRIC_L2)
    assert d.shape == i.shape == (2, 3) and (i == -1).all() and d.dtype == np.float32
    assert (empty_result(1, 1, METRIC_INNER_PRODUCT)[0] < 0).all()
    assert as_vectors([[1, 2]], 2, "x").dtype == np.float32
    assert as_ids([[4], [5]], 2).tolist() == [4, 5]
    with pytest.raises(ValueError, match="vectors must be"):
        as_vectors([1, 2], 2, "x")


def test_base_index_is_abstract() -> None:
    index = Index(2)
    index.train(np.zeros((1, 2)))  # nothing to learn
    with pytest.raises(NotImplementedError):
        index.add(np.zeros((1, 2)))
    with pytest.raises(NotImplementedError):
        index.search(np.zeros((1, 2)), 1)
    with pytest.raises(NotImplementedError):
        index.reset()
