"""IndexIVFFlat: exact at nprobe = nlist, recall grows with nprobe, FAISS's behaviour."""

import numpy as np
import pytest

from scratchgrad.retrieval import IndexFlatIP, IndexFlatL2, IndexIVFFlat, kmeans
from scratchgrad.retrieval.index import METRIC_INNER_PRODUCT
from tests.retrieval.conftest import brute_force


def recall(found: np.ndarray, exact: np.ndarray) -> float:
    return float(
        np.mean([len(set(f) & set(e)) / len(e) for f, e in zip(found, exact, strict=True)])
    )


def trained(xb: np.ndarray, nlist: int = 12, ip: bool = False) -> IndexIVFFlat:
    quantizer = IndexFlatIP(16) if ip else IndexFlatL2(16)
    index = IndexIVFFlat(quantizer, 16, nlist, METRIC_INNER_PRODUCT if ip else 1)
    assert not index.is_trained
    index.train(xb)
    assert index.is_trained and index.quantizer.ntotal == nlist
    index.add(xb)
    return index


@pytest.mark.parametrize("ip", [False, True])
def test_all_lists_probed_is_exact(ip, vectors) -> None:
    xb, xq = vectors
    index = trained(xb, ip=ip)
    index.nprobe = 12
    dist, ids = index.search(xq, 6)
    d_ref, i_ref = brute_force(xb, xq, 6, ip)
    np.testing.assert_array_equal(ids, i_ref)
    np.testing.assert_allclose(dist, d_ref, rtol=1e-4, atol=1e-4)


def test_recall_grows_with_nprobe(vectors) -> None:
    xb, xq = vectors
    index = trained(xb, nlist=24)
    exact = brute_force(xb, xq, 10, False)[1]
    recalls = []
    for nprobe in (1, 4, 24):
        index.nprobe = nprobe
        recalls.append(recall(index.search(xq, 10)[1], exact))
    assert recalls == sorted(recalls) and recalls[-1] == 1.0


def test_ids_padding_and_errors(vectors) -> None:
    xb, _ = vectors
    index = IndexIVFFlat(IndexFlatL2(16), 16, 4)
    with pytest.raises(RuntimeError, match="train the index before add"):
        index.add(xb)
    with pytest.raises(RuntimeError, match="train the index before search"):
        index.search(xb[:1], 1)
    index.train(xb)
    index.add_with_ids(xb[:3], [10, 20, 30])
    index.nprobe = 4
    dist, ids = index.search(xb[:1], 5)
    assert ids[0, 0] == 10 and (ids[0, 3:] == -1).all()
    assert dist[0, -1] == np.finfo(np.float32).max
    with pytest.raises(ValueError, match="quantizer has d=3"):
        IndexIVFFlat(IndexFlatL2(3), 16, 4)
    with pytest.raises(ValueError, match="nlist must be"):
        IndexIVFFlat(IndexFlatL2(16), 16, 0)
    with pytest.raises(ValueError, match="5 training points for 8 centroids"):
        kmeans(xb[:5], 8)


def test_matches_faiss_when_exact(vectors) -> None:
    faiss = pytest.importorskip("faiss")
    xb, xq = vectors
    ours = trained(xb, nlist=8)
    theirs = faiss.IndexIVFFlat(faiss.IndexFlatL2(16), 16, 8)
    theirs.train(xb)
    theirs.add(xb)
    ours.nprobe = theirs.nprobe = 8
    np.testing.assert_array_equal(ours.search(xq, 5)[1], theirs.search(xq, 5)[1])


def test_kmeans_finds_separated_clusters() -> None:
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [10, 0], [0, 10]], np.float32)
    x = (centres[rng.integers(0, 3, 300)] + 0.1 * rng.standard_normal((300, 2))).astype(np.float32)
    found = kmeans(x, 3, niter=10)
    nearest = np.sqrt(((centres[:, None] - found[None]) ** 2).sum(-1)).min(axis=1)
    assert nearest.max() < 0.1
