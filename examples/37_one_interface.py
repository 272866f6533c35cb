"""One interface from k-means to a CNN: four models in one GridSearchCV / cross_val_score table.

k-means (as cluster-distance features for a logistic regression), a random forest, an MLP
and a small CNN are all scikit-learn estimators here: the networks are
``NeuralNetClassifier`` s trained by scratchgrad's Trainer, tuned through nested settings
such as ``module__channels`` exactly as the classical models are tuned. Data: 600 of
scikit-learn's 8x8 digits, a held-out quarter for the final test.

Run it with ``python examples/37_one_interface.py``.
"""
# ruff: noqa: N806

import numpy as np
from _common import section
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from scratchgrad import nn
from scratchgrad.ml import KMeans, LogisticRegression, NeuralNetClassifier, RandomForestClassifier


class SmallCNN(nn.Module):
    """(N, 64) pixels -> (N, 1, 8, 8) -> conv 3x3 -> ReLU -> max pool -> linear -> 10 logits."""

    def __init__(self, channels: int = 8) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Unflatten(1, (1, 8, 8)),
            nn.Conv2d(1, channels, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(channels * 16, 10),
        )

    def forward(self, x):
        return self.net(x)


section("Data: 600 digits, 450 for the search, 150 held out")
X, y = load_digits(return_X_y=True)
X, y = X[:600], y[:600]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
print(f"search set {X_tr.shape}, test set {X_te.shape}")

net = {"max_epochs": 25, "lr": 0.01, "random_state": 0}
MODELS = {
    "k-means + logistic": (
        make_pipeline(MinMaxScaler(), KMeans(random_state=0), LogisticRegression(max_iter=500)),
        {"kmeans__n_clusters": [20, 40]},
    ),
    "random forest": (
        RandomForestClassifier(n_estimators=30, random_state=0),
        {"max_depth": [6, None]},
    ),
    "MLP": (
        make_pipeline(MinMaxScaler(), NeuralNetClassifier(**net)),
        {"neuralnetclassifier__hidden_layer_sizes": [(32,), (64,)]},
    ),
    "CNN": (
        make_pipeline(MinMaxScaler(), NeuralNetClassifier(SmallCNN, **net)),
        {"neuralnetclassifier__module__channels": [4, 8]},
    ),
}

section("GridSearchCV (3 folds) then cross_val_score of the best, and the held-out test")
print(f"{'model':20s} {'best setting':48s} {'cv accuracy':>13s} {'test':>6s}")
test_scores = {}
for name, (estimator, grid) in MODELS.items():
    search = GridSearchCV(estimator, grid, cv=3).fit(X_tr, y_tr)
    cv = cross_val_score(search.best_estimator_, X_tr, y_tr, cv=3)
    test_scores[name] = search.score(X_te, y_te)
    best = ", ".join(f"{k.split('__', 1)[-1]}={v}" for k, v in search.best_params_.items())
    print(f"{name:20s} {best:48s} {cv.mean():.3f}+-{cv.std():.3f} {test_scores[name]:6.3f}")

# every model is far above chance (10%); the networks match the classical models
assert min(test_scores.values()) > 0.8, test_scores
print(f"\nbest on the test set: {max(test_scores, key=test_scores.__getitem__)}")
print(f"chance level: {1 / len(np.unique(y)):.2f}")
