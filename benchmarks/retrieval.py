"""Vector search against faiss-cpu: queries per second of exact and IVF search, IVF recall.

One thread for both (BLAS via threadpoolctl, FAISS via omp_set_num_threads), the same
data, one process: 100,000 database vectors of dimension 64 and 1,000 queries, k = 10.
The vectors are embedding-like: a mixture of 100 Gaussian clusters (centres N(0, 1),
spread 0.5), so nearest neighbours lie in a few k-means cells. Pure N(0, 1) noise has
no such structure and IVF recall on it is poor for FAISS as for us.

Rows: IndexFlatL2 (exact), and IndexIVFFlat (nlist 1024, trained on the database) for
nprobe 1 to 32 with its recall@10 against the exact answer. Times are medians of three
searches. Goals: Flat >= 0.8x FAISS's queries/s; IVF recall@10 >= 0.95 at >= 5x our
Flat's queries/s. Needs faiss-cpu (``pip install 'scratchgrad[test]'``).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from benchmarks._timing import RESULTS, parse_args
from scratchgrad.retrieval import IndexFlatL2, IndexIVFFlat

N, NQ, D, K, NLIST = 100_000, 1_000, 64, 10, 1024
NPROBES = (1, 2, 4, 8, 16, 32)


def make_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(database (N, D), queries (NQ, D)) float32 from one mixture of 100 clusters."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((100, D))

    def draw(n: int) -> np.ndarray:
        return (centres[rng.integers(0, 100, n)] + 0.5 * rng.standard_normal((n, D))).astype(
            np.float32
        )

    return draw(N), draw(NQ)


def queries_per_second(search: Callable[[], Any], repeat: int = 3) -> float:
    """NQ / the median time of ``repeat`` searches."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        search()
        times.append(time.perf_counter() - t0)
    return NQ / statistics.median(times)


def recall(found: np.ndarray, exact: np.ndarray) -> float:
    """Recall@k: the share of the exact k nearest found, averaged over queries."""
    hits = [len(set(f) & set(e)) for f, e in zip(found, exact, strict=True)]
    return float(np.mean(hits)) / exact.shape[1]


def measure(faiss: Any, xb: np.ndarray, xq: np.ndarray) -> list[dict[str, Any]]:
    """One row per index: queries/s of ours and FAISS's, recall of each."""
    ours, theirs = IndexFlatL2(D), faiss.IndexFlatL2(D)
    ours.add(xb)
    theirs.add(xb)
    exact = ours.search(xq, K)[1]
    rows = [{
        "index": "IndexFlatL2", "ours_qps": queries_per_second(lambda: ours.search(xq, K)),
        "faiss_qps": queries_per_second(lambda: theirs.search(xq, K)),
        "ours_recall": 1.0, "faiss_recall": recall(theirs.search(xq, K)[1], exact),
    }]  # fmt: skip
    quantizer = faiss.IndexFlatL2(D)  # kept referenced: FAISS does not own it
    ivf, ivf_f = IndexIVFFlat(IndexFlatL2(D), D, NLIST), faiss.IndexIVFFlat(quantizer, D, NLIST)
    for index in (ivf, ivf_f):
        index.train(xb)
        index.add(xb)
    for nprobe in NPROBES:
        ivf.nprobe = ivf_f.nprobe = nprobe
        rows.append({
            "index": f"IndexIVFFlat nprobe={nprobe}",
            "ours_qps": queries_per_second(lambda: ivf.search(xq, K)),
            "faiss_qps": queries_per_second(lambda: ivf_f.search(xq, K)),
            "ours_recall": recall(ivf.search(xq, K)[1], exact),
            "faiss_recall": recall(ivf_f.search(xq, K)[1], exact),
        })  # fmt: skip
    return rows


def report(rows: list[dict[str, Any]]) -> None:
    """Print the table and the goals; save it as benchmarks/results/retrieval.json."""
    flat = rows[0]["ours_qps"]
    print(f"\nVector search vs faiss-cpu, one thread: {N:,} x {D}, {NQ:,} queries, k={K}")
    print(f"{'index':28s} {'ours q/s':>10s} {'faiss q/s':>10s} {'ratio':>6s} "
          f"{'vs our flat':>11s} {'recall':>7s} {'faiss rec':>9s}")  # fmt: skip
    for r in rows:
        print(
            f"{r['index']:28s} {r['ours_qps']:10.0f} {r['faiss_qps']:10.0f} "
            f"{r['ours_qps'] / r['faiss_qps']:6.2f} {r['ours_qps'] / flat:10.1f}x "
            f"{r['ours_recall']:7.3f} {r['faiss_recall']:9.3f}"
        )
    ok = [r for r in rows[1:] if r["ours_recall"] >= 0.95 and r["ours_qps"] >= 5 * flat]
    flat_ratio = rows[0]["ours_qps"] / rows[0]["faiss_qps"]
    print(f"goal Flat >= 0.8x FAISS: {flat_ratio:.2f}x; IVF recall >= 0.95 at >= 5x our Flat: "
          f"{ok[0]['index'] if ok else 'not met'}")  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "retrieval.json").write_text(json.dumps({"rows": rows}, indent=2))


def main(argv: list[str] | None = None) -> None:
    """Measure and print the comparison."""
    parse_args("retrieval", __doc__, argv)
    try:
        import faiss
    except ImportError:
        raise SystemExit(
            "benchmarks.retrieval needs faiss-cpu: pip install 'scratchgrad[test]'"
        ) from None
    faiss.omp_set_num_threads(1)
    xb, xq = make_data()
    with threadpool_limits(1):
        report(measure(faiss, xb, xq))


if __name__ == "__main__":
    main()
