"""Linear models: least squares in closed form and by gradient descent; logistic regression.

Curriculum rows shown here:
    D1  a linear model y_hat = X w + b is a hyperplane. Linear regression minimises the mean
        squared error; the closed form solves the normal equations X^T X w = X^T y (here by
        np.linalg.lstsq), gradient descent walks downhill with grad = 2/n X^T (X w - y).
        Both reach the same minimum, since the loss is convex: the fits agree (asserted).
    D2  logistic regression: p(y = 1 | x) = sigmoid(w . x + b), fitted by minimising the
        cross-entropy. Its decision boundary, where p = 0.5, is the line w . x + b = 0.

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    14_logistic_boundary.png  two Gaussian blobs, the p = 0.5 line and the probability.

Run it with ``python examples/14_linear_models.py``.
"""
# ruff: noqa: N806, N816

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402

from scratchgrad.ml import LinearRegression, LogisticRegression  # noqa: E402

rng = np.random.default_rng(0)

# ---------------------------------------------------------------------------------------
# D1. Linear regression two ways
# ---------------------------------------------------------------------------------------
section("D1. Linear regression: closed form vs gradient descent")

TRUE_W, TRUE_B = np.array([2.0, -3.0, 0.5]), 4.0
X = rng.normal(size=(200, 3))
y = X @ TRUE_W + TRUE_B + 0.1 * rng.normal(size=200)  # a plane plus a little noise

closed = LinearRegression(solver="lstsq").fit(X, y)
gd = LinearRegression(solver="gd", max_iter=10000, tol=1e-10).fit(X, y)
print(f"{'':14s}{'w1':>9s}{'w2':>9s}{'w3':>9s}{'b':>9s}{'MSE':>10s}")
for name, w, b in [
    ("true", TRUE_W, TRUE_B),
    ("closed form", closed.coef_, closed.intercept_),
    ("grad. descent", gd.coef_, gd.intercept_),
]:
    mse = np.mean((X @ w + b - y) ** 2)
    print(f"{name:14s}" + "".join(f"{v:9.4f}" for v in w) + f"{b:9.4f}{mse:10.6f}")
gap = max(np.abs(closed.coef_ - gd.coef_).max(), abs(closed.intercept_ - gd.intercept_))
print(f"largest difference between the two fits: {gap:.1e}")
assert gap < 1e-6, "closed form and gradient descent must agree"
assert np.abs(closed.coef_ - TRUE_W).max() < 0.05  # and both recover the true plane

# ---------------------------------------------------------------------------------------
# D2. Logistic regression and its decision boundary
# ---------------------------------------------------------------------------------------
section("D2. Logistic regression: a linear decision boundary")

Xc, yc = make_blobs(
    n_samples=200, centers=[[-1.5, -1.0], [1.5, 1.0]], cluster_std=1.0, random_state=0
)
clf = LogisticRegression().fit(Xc, yc)
(w1, w2), b = clf.coef_[0], clf.intercept_[0]
acc = clf.score(Xc, yc)
print(f"boundary: {w1:.3f} x1 {w2:+.3f} x2 {b:+.3f} = 0")
print(f"training accuracy: {acc:.1%}")
p = clf.predict_proba(np.array([[0.0, 0.0], [3.0, 2.0], [-3.0, -2.0]]))[:, 1]
print(f"p(y = 1) at (0, 0), (3, 2), (-3, -2): {p[0]:.3f}, {p[1]:.3f}, {p[2]:.3f}")
assert acc > 0.9
assert p[1] > 0.95 and p[2] < 0.05

g1, g2 = np.meshgrid(np.linspace(-5, 5, 201), np.linspace(-4, 4, 161))
proba = clf.predict_proba(np.c_[g1.ravel(), g2.ravel()])[:, 1].reshape(g1.shape)
fig, ax = plt.subplots(figsize=(6.5, 5))
cs = ax.contourf(g1, g2, proba, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
ax.contour(g1, g2, proba, levels=[0.5], colors="k")
for cls, color in [(0, "tab:blue"), (1, "tab:red")]:
    ax.scatter(
        *Xc[yc == cls].T, c=color, s=15, edgecolors="k", linewidths=0.3, label=f"class {cls}"
    )
fig.colorbar(cs, ax=ax, label="p(y = 1 | x)")
ax.set(
    xlabel="x1", ylabel="x2", title=f"Logistic regression: p = 0.5 line (black), accuracy {acc:.0%}"
)
ax.legend(loc="upper left")
fig.tight_layout()
path = out_dir() / "14_logistic_boundary.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")
