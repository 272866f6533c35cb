"""k-nearest neighbours for classification and regression: accuracy against k (D6).

Curriculum row shown here:
    D6  k-NN stores the training set and predicts from the k training points closest to
        the query (Euclidean distance): the majority class for classification, the mean
        target for regression. Small k follows every noisy point (high variance; k = 1
        scores 100% on its own training set); large k averages over far-away points (high
        bias). The validation score picks k in between.

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    15_knn.png  validation accuracy on iris and R^2 on a noisy sine against k.

Run it with ``python examples/15_knn.py``.
"""
# ruff: noqa: N806, N816

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from scratchgrad.ml.neighbors import KNeighborsClassifier, KNeighborsRegressor  # noqa: E402

KS = [1, 3, 5, 9, 15, 25, 45, 75]

section("D6. Classification: iris, accuracy against k")
X, y = load_iris(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.4, random_state=0, stratify=y)
clf_train, clf_val = [], []
print(f"{'k':>4s}{'train acc':>11s}{'val acc':>9s}")
for k in KS:
    clf = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)
    clf_train.append(clf.score(X_train, y_train))
    clf_val.append(clf.score(X_val, y_val))
    print(f"{k:4d}{clf_train[-1]:11.3f}{clf_val[-1]:9.3f}")
assert clf_train[0] == 1.0  # k = 1: each training point is its own nearest neighbour
assert max(clf_val) > 0.93
assert clf_val[-1] < max(clf_val) - 0.1  # k = 75 of 90 points: too smooth

section("D6. Regression: a noisy sine, R^2 against k")
rng = np.random.default_rng(0)
x = np.sort(rng.uniform(0, 2 * np.pi, 200))[:, None]
t = np.sin(x[:, 0]) + 0.3 * rng.normal(size=200)
x_val = rng.uniform(0, 2 * np.pi, 200)[:, None]
t_val = np.sin(x_val[:, 0]) + 0.3 * rng.normal(size=200)
reg_train, reg_val = [], []
print(f"{'k':>4s}{'train R^2':>11s}{'val R^2':>9s}")
for k in KS:
    reg = KNeighborsRegressor(n_neighbors=k).fit(x, t)
    reg_train.append(reg.score(x, t))
    reg_val.append(reg.score(x_val, t_val))
    print(f"{k:4d}{reg_train[-1]:11.3f}{reg_val[-1]:9.3f}")
best = KS[int(np.argmax(reg_val))]
print(f"best k for regression: {best} (validation R^2 {max(reg_val):.3f})")
assert reg_train[0] == 1.0  # k = 1 interpolates the noise
assert reg_val[0] < max(reg_val) - 0.1 and reg_val[-1] < max(reg_val) - 0.1
assert 1 < best < 75

fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(15, 4.2))
for ax, tr, va, what in [
    (ax1, clf_train, clf_val, "accuracy (iris)"),
    (ax2, reg_train, reg_val, "R^2 (noisy sine)"),
]:
    ax.plot(KS, tr, "o-", label="training")
    ax.plot(KS, va, "s-", label="validation")
    ax.set(xscale="log", xlabel="k (neighbours)", ylabel=what, title=f"k-NN: {what} vs k")
    ax.legend()
grid = np.linspace(0, 2 * np.pi, 400)[:, None]
ax3.scatter(x[:, 0], t, s=8, c="gray", label="training data")
for k in (1, best, 75):
    pred = KNeighborsRegressor(n_neighbors=k).fit(x, t).predict(grid)
    ax3.plot(grid[:, 0], pred, label=f"k = {k}")
ax3.set(xlabel="x", ylabel="y", title="k-NN regression fits")
ax3.legend(fontsize=8)
fig.tight_layout()
path = out_dir() / "15_knn.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")
