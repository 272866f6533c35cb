"""Overfitting and underfitting: train against validation accuracy as a tree grows (D12).

Curriculum row shown here:
    D12 a model's capacity is how complex a function it can fit. Too little and it
        underfits: both training and validation scores are poor. Too much and it overfits:
        it memorises the training set (training score near 100%) while the validation
        score stalls or falls, so the gap between them grows. Here the capacity is the
        maximum depth of a decision tree on the digits: a tree of depth d has at most 2^d
        leaves.

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    21_overfitting.png  training and validation accuracy against the depth, with the gap.

Run it with ``python examples/21_overfitting.py``.
"""
# ruff: noqa: N806, N816

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from scratchgrad.ml.tree import DecisionTreeClassifier  # noqa: E402

section("Data: digits, split 60/40")
X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.4, random_state=0, stratify=y)
print(f"train {X_train.shape}, validation {X_val.shape}")

section("D12. Train vs validation accuracy as the depth grows")
DEPTHS = list(range(1, 16))
train_acc, val_acc, leaves = [], [], []
for depth in DEPTHS:
    tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X_train, y_train)
    train_acc.append(tree.score(X_train, y_train))
    val_acc.append(tree.score(X_val, y_val))
    leaves.append(tree.get_n_leaves())
gap = np.array(train_acc) - np.array(val_acc)
print(f"{'depth':>6s}{'leaves':>8s}{'train':>8s}{'val':>8s}{'gap':>8s}")
for i, depth in enumerate(DEPTHS):
    print(f"{depth:6d}{leaves[i]:8d}{train_acc[i]:8.3f}{val_acc[i]:8.3f}{gap[i]:8.3f}")
best = DEPTHS[int(np.argmax(val_acc))]
print(f"best validation accuracy {max(val_acc):.3f} at depth {best}")
print(f"gap at depth 2: {gap[1]:.3f}; at depth 15: {gap[-1]:.3f}")

assert train_acc[0] < 0.4 and val_acc[0] < 0.4  # depth 1 underfits: both poor
assert train_acc[-1] == 1.0  # the deep tree memorises the training set
assert gap[-1] > gap[1] + 0.1  # the gap grows with capacity ...
assert gap[-5:].mean() > gap[:5].mean()  # ... on average, not only at the ends
assert max(val_acc) - val_acc[-1] < 0.05  # the validation score has stopped improving

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.plot(DEPTHS, train_acc, "o-", label="training")
ax.plot(DEPTHS, val_acc, "s-", label="validation")
ax.fill_between(DEPTHS, val_acc, train_acc, alpha=0.2, color="gray", label="gap")
ax.axvline(best, color="gray", ls="--")
ax.set(
    xlabel="max depth (capacity)",
    ylabel="accuracy",
    title="Decision tree on digits: underfitting (left), overfitting (right)",
)
ax.legend()
fig.tight_layout()
path = out_dir() / "21_overfitting.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")
