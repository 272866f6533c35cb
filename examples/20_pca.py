"""PCA: remove redundancy, keep variance; explained variance and a 2-d view of digits (D11).

Curriculum row shown here:
    D11 principal component analysis centres the data and finds orthogonal directions
        (the principal components: the eigenvectors of the covariance matrix, or the right
        singular vectors of the centred X) ordered by the variance along them. Keeping
        the first few drops the directions that carry little variance: correlated,
        redundant features collapse onto one component. The explained variance ratio of
        a component is its variance over the total.

Two figures are written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    20_pca_variance.png  the explained variance ratio of each component of digits, and
                         the cumulative sum.
    20_pca_digits_2d.png the 1797 digits (64 pixels each) projected on 2 components.

Run it with ``python examples/20_pca.py``.
"""
# ruff: noqa: N806, N816

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

from scratchgrad.ml.decomposition import PCA  # noqa: E402

# ---------------------------------------------------------------------------------------
# Redundancy: two features that say the same thing
# ---------------------------------------------------------------------------------------
section("D11. Redundancy: two correlated features")

rng = np.random.default_rng(0)
t = rng.normal(size=500)
X2 = np.c_[t, 2 * t + 0.1 * rng.normal(size=500)]  # the second is (almost) twice the first
pca2 = PCA(n_components=2).fit(X2)
ratio2 = pca2.explained_variance_ratio_
print(f"explained variance ratio: {ratio2[0]:.4f}, {ratio2[1]:.4f}")
print(f"first component (direction): {np.round(pca2.components_[0], 3).tolist()}")
print("one component keeps almost all of the variance: the second feature was redundant")
assert ratio2[0] > 0.99

# ---------------------------------------------------------------------------------------
# Digits: how many of the 64 pixels' directions matter
# ---------------------------------------------------------------------------------------
section("D11. Explained variance on digits (64 pixels)")

digits = load_digits()
X, y = digits.data, digits.target
pca = PCA().fit(X)
ratio = pca.explained_variance_ratio_
cumulative = np.cumsum(ratio)
print(f"{'component':>10s}{'ratio':>9s}{'cumulative':>12s}")
for i in [0, 1, 2, 3, 4, 9, 19, 29, 39]:
    print(f"{i + 1:10d}{ratio[i]:9.4f}{cumulative[i]:12.4f}")
needed = {q: int(np.searchsorted(cumulative, q) + 1) for q in (0.5, 0.9, 0.95, 0.99)}
for q, n in needed.items():
    print(f"components for {q:.0%} of the variance: {n} of 64")
assert np.all(np.diff(ratio) <= 1e-12)  # sorted by variance
assert abs(cumulative[-1] - 1.0) < 1e-9
assert needed[0.9] < 32  # half the dimensions keep 90% of the variance

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.bar(np.arange(1, 65), ratio, label="each component")
ax.plot(np.arange(1, 65), cumulative, "k.-", label="cumulative")
ax.axhline(0.9, color="gray", ls="--")
ax.axvline(needed[0.9], color="gray", ls="--")
ax.set(
    xlabel="principal component",
    ylabel="explained variance ratio",
    title=f"PCA on digits: {needed[0.9]} of 64 components keep 90% of the variance",
)
ax.legend()
fig.tight_layout()
path = out_dir() / "20_pca_variance.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")

# ---------------------------------------------------------------------------------------
# A 2-d projection
# ---------------------------------------------------------------------------------------
section("D11. Digits projected on 2 components")

Z = PCA(n_components=2).fit_transform(X)
print(f"X {X.shape} -> Z {Z.shape}, keeping {cumulative[1]:.1%} of the variance")
print(f"{'digit':>6s}{'mean PC1':>10s}{'mean PC2':>10s}")
means = np.array([Z[y == d].mean(0) for d in range(10)])
for d in range(10):
    print(f"{d:6d}{means[d, 0]:10.2f}{means[d, 1]:10.2f}")
assert np.allclose(Z.mean(0), 0.0, atol=1e-9)  # the projection is centred
assert abs(np.var(Z[:, 0]) / np.var(X, axis=0).sum() - ratio[0]) < 1e-9

fig, ax = plt.subplots(figsize=(7, 6))
sc = ax.scatter(*Z.T, c=y, cmap="tab10", s=8)
for d in range(10):
    ax.text(*means[d], str(d), fontsize=16, weight="bold", ha="center", va="center")
fig.colorbar(sc, ax=ax, label="digit")
ax.set(xlabel="PC 1", ylabel="PC 2", title="Digits (64-d) projected on 2 principal components")
fig.tight_layout()
path = out_dir() / "20_pca_digits_2d.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")
