"""Data sets of each kind, and train / validation / test splits.

Curriculum rows shown here:
    A1  examples, features and labels; the kinds of task: regression (predict a number),
        classification (predict one class), multi-label tagging (predict every tag that
        applies) and ranking / recommendation (order items by relevance). One data set of
        each kind is loaded and described.
    A2  training, validation and test sets: fit on the first, tune hyperparameters on the
        second, judge the final model once on the third. A stratified split keeps every
        class's share in each of them; a seed makes the split the same on every run.
    E3  inputs scaled into the range a model expects: the digit images' grey levels 0-16
        are divided by 16 into [0, 1]; tabular features are standardised with the train
        split's mean and standard deviation only.

Every claim is checked with ``assert``. Run it with ``python examples/10_datasets_and_splits.py``.
"""

import numpy as np
from _common import section

from scratchgrad.data.builtin import DataSplits, bundled, toy
from scratchgrad.data.splits import split_sizes, train_val_test_split


def numbers(values: np.ndarray, digits: int = 2) -> str:
    """A short list of numbers for printing: [0.21, -2.06, ...]."""
    rounded = np.round(np.asarray(values, dtype=float), digits) + 0.0  # + 0.0: no "-0.00"
    return "[" + ", ".join(f"{v:.{digits}f}" for v in rounded) + "]"


def first_example(splits: DataSplits) -> str:
    """The first training example as 'features -> target'."""
    x, y = (t.numpy()[0] for t in splits.train.tensors[:2])
    more = " ..." if x.size > 6 else ""
    return f"{numbers(x.reshape(-1)[:6])}{more} -> {y.tolist()}"


# ---------------------------------------------------------------------------------------
# A1. One data set of each kind
# ---------------------------------------------------------------------------------------
section("A1. Regression: diabetes (predict a number)")
diabetes = bundled.diabetes()
print(diabetes.describe())
print("first example:", first_example(diabetes))
assert diabetes.task == "regression" and diabetes.train.tensors[1].shape == (310, 1)

section("A1. Classification: iris (tabular) and digits (images)")
iris = bundled.iris()
print(iris.describe())
print("features:", ", ".join(iris.feature_names), "  classes:", ", ".join(iris.class_names))
print("first example:", first_example(iris))
assert iris.num_classes == 3 and len(iris.train) + len(iris.val) + len(iris.test) == 150

digits = bundled.digits()
print()
print(digits.describe())
assert digits.train.tensors[0].shape[1:] == (1, 8, 8)  # (N, C, H, W): one grey channel

section("A1. Multi-label tagging: tags (every tag that applies)")
tags = toy.tags()
print(tags.describe())
x0, y0 = (t.numpy()[0] for t in tags.train.tensors)
on = [name for name, flag in zip(tags.class_names, y0, strict=True) if flag]
print(f"first document: {int(x0.sum())} words, tags {on}  (target row {y0.tolist()})")
assert tags.task == "multilabel" and y0.sum() >= 1

section("A1. Ranking / recommendation: ratings (order items by relevance)")
ratings = toy.ratings()
print(ratings.describe())
pairs, relevant, stars = (t.numpy() for t in ratings.train.tensors)
user = pairs[0, 0]
mine = pairs[:, 0] == user
liked = sorted(pairs[mine & (relevant == 1), 1].tolist())
print(f"user {user} rated {mine.sum()} items in train; relevant ones (4-5 stars): {liked}")
assert ratings.task == "ranking" and np.all(relevant == (stars >= 4))

# ---------------------------------------------------------------------------------------
# A2. A stratified train / validation / test split
# ---------------------------------------------------------------------------------------
section("A2. Stratified vs plain random split of an imbalanced label set")
labels = np.repeat([0, 1, 2], [120, 45, 15])  # 180 samples, 67% / 25% / 8%
features = np.arange(len(labels), dtype=np.float32)[:, None]
n_split = split_sizes(len(labels))  # 70% / 15% / 15%
print(f"{len(labels)} samples, class counts {np.bincount(labels).tolist()}; sizes {n_split}")
print(f"{'':12s}{'split':7s}{'class 0':>8s}{'class 1':>8s}{'class 2':>8s}   exact share")
for name, stratify in [("stratified", labels), ("random", None)]:
    (_, (y_tr, y_va, y_te)) = train_val_test_split(features, labels, stratify=stratify, seed=2)
    for split, y in zip(("train", "val", "test"), (y_tr, y_va, y_te), strict=True):
        counts = np.bincount(y, minlength=3)
        share = np.bincount(labels) * len(y) / len(labels)
        print(f"{name:12s}{split:7s}" + "".join(f"{c:8d}" for c in counts), f"  {numbers(share)}")
        if stratify is not None:  # every class within one sample of its exact share
            assert np.all(np.abs(counts - share) < 1) and np.all(counts >= 1)
        name = ""
print("a plain random split can miss a rare class, or hold it twice as often as its share")

# A seed fixes the split: the same seed gives the same rows, another seed other rows.
again = train_val_test_split(features, seed=2)[0][0]
assert np.array_equal(again, train_val_test_split(features, seed=2)[0][0])
assert not np.array_equal(again, train_val_test_split(features, seed=3)[0][0])
print("same seed, same split: True; seed 3 gives another split")

# ---------------------------------------------------------------------------------------
# E3. Inputs in the range the model expects
# ---------------------------------------------------------------------------------------
section("E3. Scaling: pixels to [0, 1], features standardised on train only")
pixels = digits.train.tensors[0].numpy()
print(f"digit pixels: grey levels 0-16 divided by 16 -> min {pixels.min()}, max {pixels.max()}")
assert pixels.min() == 0.0 and pixels.max() == 1.0
x_train, x_test = iris.train.tensors[0].numpy(), iris.test.tensors[0].numpy()
print(f"iris train features: mean {numbers(x_train.mean(0))}, std {numbers(x_train.std(0))}")
print(f"iris test features:  mean {numbers(x_test.mean(0))}, std {numbers(x_test.std(0))}")
print("(scaled with the train split's statistics: nothing leaks from the test split)")
assert np.allclose(x_train.mean(0), 0, atol=1e-5) and np.allclose(x_train.std(0), 1, atol=1e-4)
assert not np.allclose(x_test.mean(0), 0, atol=1e-3)

print("\nAll data sets load, and every split checks out.")
