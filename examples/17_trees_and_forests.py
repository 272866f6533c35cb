"""Decision trees and random forests: one tree against an ensemble of them on digits (D8).

Curriculum row shown here:
    D8  a decision tree splits the data again and again on one feature at a time,
        choosing each split to make the children as pure as possible (lowest Gini
        impurity). Grown fully it fits the training set exactly, but a different sample
        gives a quite different tree: it has high variance. A random forest averages many
        trees, each grown on a bootstrap sample of the rows and choosing each split among
        a random subset of the features (sqrt(64) = 8 here). The trees' errors are partly
        independent, so averaging cancels much of the variance: the forest generalises
        better than any one tree.

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    17_forest.png  validation accuracy of a forest against its number of trees, with the
                   single tree's accuracy for comparison.

Run it with ``python examples/17_trees_and_forests.py``.
"""
# ruff: noqa: N806, N816

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
from _common import out_dir, section  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from scratchgrad.ml.ensemble import RandomForestClassifier  # noqa: E402
from scratchgrad.ml.tree import DecisionTreeClassifier  # noqa: E402

section("Data: digits, split 70/30")
X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
print(f"train {X_train.shape}, validation {X_val.shape}")

section("D8. One decision tree")
tree = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
tree_train, tree_val = tree.score(X_train, y_train), tree.score(X_val, y_val)
print(f"depth {tree.get_depth()}, {tree.get_n_leaves()} leaves")
print(f"tree:   train accuracy {tree_train:.3f}, validation accuracy {tree_val:.3f}")
assert tree_train == 1.0  # grown fully, it fits the training set exactly

section("D8. Random forests of a growing number of trees")
N_TREES = [1, 5, 10, 25, 50]
forest_val = []
print(f"{'trees':>6s}{'train':>8s}{'val':>8s}")
for n in N_TREES:
    forest = RandomForestClassifier(n_estimators=n, random_state=0).fit(X_train, y_train)
    forest_val.append(forest.score(X_val, y_val))
    print(f"{n:6d}{forest.score(X_train, y_train):8.3f}{forest_val[-1]:8.3f}")
print(f"tree {tree_val:.3f} vs forest of 50 trees {forest_val[-1]:.3f}")
assert forest_val[-1] > tree_val + 0.05, "the forest must beat the single tree"
assert forest_val[-1] > forest_val[0]  # more trees, less variance

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.plot(N_TREES, forest_val, "o-", label="random forest")
ax.axhline(tree_val, color="tab:red", ls="--", label="one decision tree")
ax.set(
    xscale="log",
    xlabel="number of trees",
    ylabel="validation accuracy",
    title="Digits: a forest against a single tree",
)
ax.legend()
fig.tight_layout()
path = out_dir() / "17_forest.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")
