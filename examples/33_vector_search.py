"""E6: vector search: the digits nearest to a query digit, and IVF recall against nprobe.

Curriculum row shown here:
    E6  retrieval embeds every item as a vector and returns the nearest vectors to the
        query's. An exact index (IndexFlatL2) compares the query with every vector; an
        inverted-file index (IndexIVFFlat) groups the vectors by k-means and compares
        only with those in the ``nprobe`` cells nearest the query: faster, but it can
        miss a neighbour that sits in another cell (recall below 1).

The embeddings are a small CNN's penultimate features (64 numbers per 8x8 digit). The
names and conventions are FAISS's: ``search`` returns squared distances and ids.

Two figures go to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default examples/out/):
    33_nearest_digits.png  query digits and their five nearest training digits.
    33_recall_nprobe.png   IVF recall@10 and the share of vectors scanned, against nprobe.

Run it with ``python examples/33_vector_search.py``.
"""

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

import scratchgrad as sg  # noqa: E402
from scratchgrad.data.builtin import load  # noqa: E402
from scratchgrad.recipes.transfer import accuracy, fit, transfer_cnn  # noqa: E402
from scratchgrad.retrieval import IndexFlatL2, IndexIVFFlat, cnn_embeddings  # noqa: E402

section("Embeddings: a CNN's penultimate layer")
digits = load("digits", seed=0)
(x_train, y_train), (x_test, y_test) = (
    tuple(t.numpy() for t in split.tensors) for split in (digits.train, digits.test)
)
sg.manual_seed(0)
cnn = transfer_cnn()
fit(cnn, (x_train, y_train), epochs=10, lr=0.003, batch_size=32, seed=0)
print(f"CNN test accuracy: {accuracy(cnn, (x_test, y_test)):.3f}")
db, queries = cnn_embeddings(cnn, x_train), cnn_embeddings(cnn, x_test)
print(f"database: {db.shape}, queries: {queries.shape}")

section("E6. Exact search: the 5 nearest training digits of each test digit")
index = IndexFlatL2(db.shape[1])
index.add(db)
dist, ids = index.search(queries, 5)
agree = (y_train[ids] == y_test[:, None]).mean()
print(f"neighbours with the query's label: {agree:.1%}")
print("first query's squared distances: " + ", ".join(f"{d:.1f}" for d in dist[0]))
assert agree > 0.9 and (np.diff(dist, axis=1) >= 0).all()

fig, axes = plt.subplots(4, 6, figsize=(7, 5))
for row, q in enumerate([0, 1, 2, 3]):
    axes[row, 0].imshow(x_test[q, 0], cmap="gray_r")
    axes[row, 0].set_title(f"query {y_test[q]}", fontsize=8)
    for j in range(5):
        axes[row, j + 1].imshow(x_train[ids[q, j], 0], cmap="gray_r")
        axes[row, j + 1].set_title(f"{y_train[ids[q, j]]}: {dist[q, j]:.1f}", fontsize=8)
for ax in axes.ravel():
    ax.axis("off")
fig.tight_layout()
fig.savefig(out_dir() / "33_nearest_digits.png", dpi=100)

section("E6. IVF: recall@10 against nprobe (20,000 clustered vectors, 128 cells)")
rng = np.random.default_rng(0)
centres = rng.standard_normal((50, 32))
vectors = centres[rng.integers(0, 50, 20_000)] + 0.6 * rng.standard_normal((20_000, 32))
xb, xq = vectors[:19_500].astype(np.float32), vectors[19_500:].astype(np.float32)
exact = IndexFlatL2(32)
exact.add(xb)
truth = exact.search(xq, 10)[1]
ivf = IndexIVFFlat(IndexFlatL2(32), 32, 128)
ivf.train(xb)
ivf.add(xb)
nprobes, recalls = [1, 2, 4, 8, 16, 32, 128], []
for nprobe in nprobes:
    ivf.nprobe = nprobe
    found = ivf.search(xq, 10)[1]
    recalls.append(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)]))
    print(f"nprobe {nprobe:3d}: recall@10 {recalls[-1]:.3f}, scans ~{nprobe / 128:.1%} of vectors")
assert recalls == sorted(recalls) and recalls[-1] == 1.0  # all cells: exact

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(nprobes, recalls, "o-", label="recall@10")
ax.plot(nprobes, [n / 128 for n in nprobes], "s--", label="share scanned")
ax.set(xscale="log", xlabel="nprobe (of 128 cells)", ylim=(0, 1.05), title="IndexIVFFlat")
ax.legend()
fig.tight_layout()
fig.savefig(out_dir() / "33_recall_nprobe.png", dpi=100)
print(f"wrote {out_dir() / '33_nearest_digits.png'} and 33_recall_nprobe.png")
