"""Support vector machines: the hinge loss, and the RBF kernel's non-linear boundary (D9).

Curriculum row shown here:
    D9  a linear SVM scores x with f(x) = w . x + b and predicts sign(f). With labels
        y in {-1, +1} it minimises
            0.5 ||w||^2 + C * sum_i max(0, 1 - y_i f(x_i))      (the hinge loss)
        The hinge is zero for points beyond the margin (y f >= 1), so only the points on
        or inside the margin, the support vectors, shape the solution. The dual form uses
        the data only through dot products x_i . x_j; replacing them with the RBF kernel
            k(x, x') = exp(-gamma ||x - x'||^2)
        fits a linear boundary in an implicit, infinite-dimensional feature space, which is
        a curved boundary in the input space.

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    18_svm_moons.png  the two moons, a linear SVM's boundary against an RBF SVC's, with
                      the margins (f = +-1) and the support vectors circled.

Run it with ``python examples/18_svm.py``.
"""
# ruff: noqa: N806, N816

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402
from sklearn.datasets import make_moons  # noqa: E402

from scratchgrad.ml.svm import SVC  # noqa: E402

# ---------------------------------------------------------------------------------------
# The hinge loss, worked
# ---------------------------------------------------------------------------------------
section("D9. The hinge loss max(0, 1 - y f(x))")

print(f"{'y f(x)':>8s}{'hinge':>8s}{'0-1 loss':>10s}  meaning")
meanings = {
    -1.0: "wrong side: penalised linearly",
    0.0: "on the boundary",
    0.5: "right side, inside the margin",
    1.0: "on the margin: no loss",
    2.0: "beyond the margin: no loss",
}
margins = np.array(list(meanings))
hinge = np.maximum(0.0, 1.0 - margins)
for m, h in zip(margins, hinge, strict=True):
    print(f"{m:8.1f}{h:8.1f}{float(m <= 0):10.0f}  {meanings[m]}")
assert hinge.tolist() == [2.0, 1.0, 0.5, 0.0, 0.0]

# ---------------------------------------------------------------------------------------
# Linear against RBF on the moons
# ---------------------------------------------------------------------------------------
section("D9. A linear SVM against an RBF SVC on the two moons")

X, y = make_moons(n_samples=300, noise=0.15, random_state=0)
X_val, y_val = make_moons(n_samples=300, noise=0.15, random_state=1)
models = {
    "linear": SVC(kernel="linear", C=1.0),
    "rbf": SVC(kernel="rbf", C=10.0, gamma=1.0),
}
scores = {}
print(f"{'kernel':8s}{'train acc':>11s}{'val acc':>9s}{'support vectors':>17s}")
for name, model in models.items():
    model.fit(X, y)
    scores[name] = (model.score(X, y), model.score(X_val, y_val))
    n_sv = len(model.support_)
    print(f"{name:8s}{scores[name][0]:11.1%}{scores[name][1]:9.1%}{n_sv:17d}")
assert scores["rbf"][1] > 0.95, "the RBF kernel bends around the moons"
assert scores["linear"][1] < 0.9, "no straight line separates them"
assert scores["rbf"][1] > scores["linear"][1] + 0.05

fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
g1, g2 = np.meshgrid(np.linspace(-1.5, 2.5, 241), np.linspace(-1.0, 1.5, 151))
grid = np.c_[g1.ravel(), g2.ravel()]
for ax, (name, model) in zip(axes, models.items(), strict=True):
    f = model.decision_function(grid).reshape(g1.shape)
    ax.contourf(g1, g2, f > 0, levels=[-0.5, 0.5, 1.5], colors=["#dde6f5", "#f7dccc"])
    ax.contour(g1, g2, f, levels=[-1, 0, 1], colors="k", linestyles=["--", "-", "--"])
    ax.scatter(*X[y == 0].T, c="tab:blue", s=12, label="class 0")
    ax.scatter(*X[y == 1].T, c="tab:red", s=12, label="class 1")
    sv = model.support_vectors_
    ax.scatter(
        *sv.T, s=60, facecolors="none", edgecolors="k", linewidths=0.7, label="support vectors"
    )
    ax.set(
        xlabel="x1", ylabel="x2", title=f"{name} kernel: validation accuracy {scores[name][1]:.0%}"
    )
axes[0].legend(loc="lower left", fontsize=8)
fig.suptitle("SVC boundary f = 0 (solid) and margins f = +-1 (dashed)")
fig.tight_layout()
path = out_dir() / "18_svm_moons.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")
