"""Exact indexes: FAISS's distances and ids (or brute force), padding, growth, checks."""

import numpy as np
import pytest

from scratchgrad.retrieval.flat import IndexFlat, IndexFlatIP, IndexFlatL2
from tests.retrieval.conftest import brute_force


@pytest.mark.parametrize("cls", [IndexFlatL2, IndexFlatIP])
def test_matches_brute_force(cls, vectors) -> None:
    xb, xq = vectors
    index = cls(16)
    index.add(xb[:250])
    index.add(xb[250:])  # added in two pieces
    assert index.ntotal == 600 and index.is_trained
    dist, ids = index.search(xq, 7)
    d_ref, i_ref = brute_force(xb, xq, 7, ip=cls is IndexFlatIP)
    np.testing.assert_array_equal(ids, i_ref)
    np.testing.assert_allclose(dist, d_ref, rtol=1e-4, atol=1e-4)
    assert dist.dtype == np.float32 and ids.dtype == np.int64


@pytest.mark.parametrize("name", ["IndexFlatL2", "IndexFlatIP"])
def test_matches_faiss(name, vectors) -> None:
    faiss = pytest.importorskip("faiss")
    xb, xq = vectors
    ours, theirs = (
        getattr(__import__("scratchgrad.retrieval", fromlist=[name]), name)(16),
        getattr(faiss, name)(16),
    )
    ours.add(xb)
    theirs.add(xb)
    for k in (1, 10, 700):  # 700 > ntotal: FAISS pads with -1
        d, i = ours.search(xq, k)
        d_f, i_f = theirs.search(xq, k)
        np.testing.assert_array_equal(i, i_f)
        np.testing.assert_allclose(d, d_f, rtol=1e-4, atol=1e-4)


def test_padding_ids_and_reset() -> None:
    index = IndexFlatL2(2)
    dist, ids = index.search(np.zeros((1, 2), np.float32), 2)
    assert ids.tolist() == [[-1, -1]] and dist[0, 0] == np.finfo(np.float32).max
    index.add_with_ids(np.array([[0, 0], [1, 1]], np.float32), np.array([70, 80]))
    index.add(np.array([[5, 5]], np.float32))  # ids go on from ntotal
    dist, ids = index.search(np.array([[1, 1]], np.float32), 4)
    assert ids.tolist() == [[80, 70, 2, -1]]
    np.testing.assert_allclose(dist[0, :3], [0, 2, 32])
    ip = IndexFlatIP(2)
    ip.add(np.ones((1, 2), np.float32))
    assert ip.search(np.ones((1, 2), np.float32), 2)[0][0, 1] == -np.finfo(np.float32).max
    index.reset()
    assert index.ntotal == 0 and index.reconstruct_n().shape == (0, 2)


def test_large_batches_are_blocked(monkeypatch, vectors) -> None:
    xb, xq = vectors
    index = IndexFlatL2(16)
    index.add(xb)
    expected = index.search(xq, 5)
    monkeypatch.setattr("scratchgrad.retrieval.flat.BLOCK_ELEMENTS", 1000)  # one query a block
    np.testing.assert_array_equal(index.search(xq, 5)[1], expected[1])


def test_bad_arguments() -> None:
    index = IndexFlatL2(3)
    with pytest.raises(ValueError, match=r"vectors must be \(n, d=3\), got shape \(2, 4\)"):
        index.add(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="k must be an integer >= 1"):
        index.search(np.zeros((1, 3)), 0)
    with pytest.raises(ValueError, match="2 ids for 1 vectors"):
        index.add_with_ids(np.zeros((1, 3)), [1, 2])
    with pytest.raises(ValueError, match="d must be an integer >= 1"):
        IndexFlatL2(0)
    with pytest.raises(ValueError, match="unknown metric"):
        IndexFlat(3, metric=7)
