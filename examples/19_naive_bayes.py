"""Naive Bayes: Gaussian on iris and wine, multinomial on digits' pixel counts (D10).

Curriculum row shown here:
    D10 Bayes' rule gives p(c | x) proportional to p(c) p(x | c). Naive Bayes assumes the
        features independent within each class, so p(x | c) = prod_j p(x_j | c), which
        needs only one small model per feature and class. GaussianNB models each x_j as
        a normal distribution (a mean and a variance per class); MultinomialNB treats x as
        counts (here the digits' pixel intensities, 0 to 16) with one probability per
        feature and class, smoothed by alpha (Laplace smoothing for alpha = 1). The
        assumption is wrong for most data, yet the classifier is often good.

Run it with ``python examples/19_naive_bayes.py``.
"""
# ruff: noqa: N803, N806, N816

import numpy as np
from _common import section
from sklearn.datasets import load_digits, load_iris, load_wine
from sklearn.model_selection import train_test_split

from scratchgrad.ml.naive_bayes import GaussianNB, MultinomialNB


def split(X: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """A stratified 70/30 split, the same for every run."""
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


section("D10. GaussianNB on iris and wine")
scores = {}
print(f"{'data set':10s}{'samples':>9s}{'features':>10s}{'classes':>9s}{'val acc':>9s}")
for name, loader in [("iris", load_iris), ("wine", load_wine)]:
    X, y = loader(return_X_y=True)
    X_train, X_val, y_train, y_val = split(X, y)
    model = GaussianNB().fit(X_train, y_train)
    scores[name] = model.score(X_val, y_val)
    print(f"{name:10s}{len(X):9d}{X.shape[1]:10d}{len(model.classes_):9d}{scores[name]:9.3f}")
assert scores["iris"] > 0.9 and scores["wine"] > 0.9

X, y = load_iris(return_X_y=True)
model = GaussianNB().fit(X, y)
print("iris, per class: the mean of each feature (the Gaussians' centres)")
for c, mean in zip(model.classes_, model.theta_, strict=True):
    print(f"  class {c}: {np.round(mean, 2).tolist()}")
proba = model.predict_proba(X[[0, 50, 100]])
print(f"p(class | x) for samples 0, 50, 100:\n{np.round(proba, 3)}")
assert np.allclose(proba.sum(1), 1.0)

section("D10. MultinomialNB on digits (pixel intensities as counts)")
X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = split(X, y)
print(f"{'alpha':>7s}{'val acc':>9s}")
digit_scores = {}
for alpha in [0.01, 0.1, 1.0, 10.0]:
    model = MultinomialNB(alpha=alpha).fit(X_train, y_train)
    digit_scores[alpha] = model.score(X_val, y_val)
    print(f"{alpha:7.2f}{digit_scores[alpha]:9.3f}")
gauss = GaussianNB().fit(X_train, y_train).score(X_val, y_val)
print(f"GaussianNB on the same digits: {gauss:.3f}")
assert digit_scores[1.0] > 0.85
assert digit_scores[1.0] > gauss  # counts suit the multinomial model better
