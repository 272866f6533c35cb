"""k-means clustering: the clusters it finds, and how the inertia falls with k (D7).

Curriculum row shown here:
    D7  k-means splits the points into k clusters by alternating two steps (Lloyd's
        algorithm): assign each point to its nearest centre, then move each centre to the
        mean of its points. Each step lowers the inertia, the sum of squared distances of
        the points to their centres, so it converges (to a local minimum; k-means++
        seeding and several restarts make a good one likely).

The inertia always falls as k grows (more centres, shorter distances), so it cannot pick
k by itself; the "elbow", where it stops falling fast, hints at the true number of groups.

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    16_kmeans.png  the clusters found for k = 4 on four blobs, and the inertia against k.

Run it with ``python examples/16_kmeans.py``.
"""
# ruff: noqa: N806, N816

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402

from scratchgrad.ml.cluster import KMeans  # noqa: E402

section("Data: four blobs")
X, y_true = make_blobs(n_samples=400, centers=4, cluster_std=0.8, random_state=1)
print(f"X: {X.shape}, true groups: {np.bincount(y_true).tolist()} points each")

section("D7. k-means with k = 4")
km = KMeans(n_clusters=4, n_init=10, random_state=0).fit(X)
sizes = np.bincount(km.labels_, minlength=4)
print(f"cluster sizes: {sorted(sizes.tolist())}")
print(f"inertia: {km.inertia_:.1f}, iterations: {km.n_iter_}")
# every true group lands in exactly one cluster (agreement up to renaming the labels)
purity = sum(np.bincount(km.labels_[y_true == g]).max() for g in range(4)) / len(X)
print(f"purity against the true groups: {purity:.1%}")
assert purity > 0.95

section("D7. Inertia against k")
KS = list(range(1, 9))
inertias = [KMeans(n_clusters=k, n_init=10, random_state=0).fit(X).inertia_ for k in KS]
print(f"{'k':>3s}{'inertia':>12s}{'drop':>10s}")
for i, (k, inertia) in enumerate(zip(KS, inertias, strict=True)):
    drop = "" if i == 0 else f"{inertias[i - 1] / inertia:9.2f}x"
    print(f"{k:3d}{inertia:12.1f}{drop:>10s}")
assert all(a > b for a, b in zip(inertias, inertias[1:], strict=False))  # falls with k
drops = [inertias[i - 1] / inertias[i] for i in range(1, len(KS))]
assert min(drops[:3]) > max(drops[3:])  # the elbow: big drops up to k = 4, small after
print("the elbow is at k = 4: each centre up to 4 removes much, later ones little")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.5))
ax1.scatter(*X.T, c=km.labels_, cmap="tab10", s=12, vmin=0, vmax=9)
ax1.scatter(*km.cluster_centers_.T, c="k", marker="x", s=150, linewidths=3, label="centres")
ax1.set(xlabel="x1", ylabel="x2", title=f"k-means, k = 4 (inertia {km.inertia_:.0f})")
ax1.legend()
ax2.plot(KS, inertias, "o-")
ax2.axvline(4, color="gray", ls="--")
ax2.set(xlabel="k (number of clusters)", ylabel="inertia", title="Inertia against k: the elbow")
fig.tight_layout()
path = out_dir() / "16_kmeans.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")
