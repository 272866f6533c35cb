"""Classical estimators against scikit-learn: fit time, predict time and score, one run.

Each row trains ours and scikit-learn's equivalent on the same split of a bundled data
set (test_size=0.25, random_state=0) and prints both times and their ratio
(ours / scikit-learn's; the goal for fit is <= 2.0) and both test scores.
"""

from __future__ import annotations

import importlib
import statistics
import time
from collections.abc import Callable
from typing import Any

from sklearn import datasets
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from benchmarks._timing import parse_args

# (ours as "module.Class", scikit-learn's as "module.Class", data set, scale features first)
ROWS = [
    ("linear.LinearRegression", "linear_model.LinearRegression", "diabetes", False),
    ("linear.Ridge", "linear_model.Ridge", "diabetes", False),
    ("linear.LogisticRegression", "linear_model.LogisticRegression", "breast_cancer", True),
    ("linear.Perceptron", "linear_model.Perceptron", "breast_cancer", True),
    ("linear.LinearSVC", "svm.LinearSVC", "breast_cancer", True),
    ("svm.SVC", "svm.SVC", "digits", False),
    ("neighbors.KNeighborsClassifier", "neighbors.KNeighborsClassifier", "digits", False),
    ("neighbors.KNeighborsRegressor", "neighbors.KNeighborsRegressor", "diabetes", False),
    ("tree.DecisionTreeClassifier", "tree.DecisionTreeClassifier", "digits", False),
    ("tree.DecisionTreeRegressor", "tree.DecisionTreeRegressor", "diabetes", False),
    ("ensemble.RandomForestClassifier", "ensemble.RandomForestClassifier", "digits", False),
    ("ensemble.RandomForestRegressor", "ensemble.RandomForestRegressor", "diabetes", False),
    ("naive_bayes.GaussianNB", "naive_bayes.GaussianNB", "digits", False),
    ("naive_bayes.MultinomialNB", "naive_bayes.MultinomialNB", "digits", False),
    ("cluster.KMeans", "cluster.KMeans", "digits", False),
    ("decomposition.PCA", "decomposition.PCA", "digits", False),
    ("preprocessing.StandardScaler", "preprocessing.StandardScaler", "digits", False),
]


def _load(path: str, package: str) -> Callable[..., Any] | None:
    module, name = path.rsplit(".", 1)
    try:
        return getattr(importlib.import_module(f"{package}.{module}"), name)  # type: ignore[no-any-return]
    except (ImportError, AttributeError):
        return None


def _make(cls: Callable[..., Any], scale: bool) -> Any:
    params = cls.__init__.__code__.co_varnames  # type: ignore[misc]
    kwargs: dict[str, Any] = {"random_state": 0} if "random_state" in params else {}
    if cls.__name__ == "KMeans":
        kwargs["n_clusters"] = 10
    est = cls(**kwargs)
    return make_pipeline(StandardScaler(), est) if scale else est


def _time(fn: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _score(est: Any, X: Any, y: Any) -> float:
    if hasattr(est, "score") and hasattr(est, "predict"):  # transformers: no test score
        try:
            return float(est.score(X, y))
        except TypeError:
            return float(est.score(X))
    return float("nan")


def _predict(est: Any, X: Any) -> Any:
    return est.predict(X) if hasattr(est, "predict") else est.transform(X)


def measure(ours_cls: Any, theirs_cls: Any, data: str, scale: bool) -> tuple[float, ...]:
    """(fit ours, fit theirs, predict ours, predict theirs, score ours, score theirs)."""
    X, y = getattr(datasets, f"load_{data}")(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)
    out = []
    models = [_make(ours_cls, scale), _make(theirs_cls, scale)]
    for m in models:
        out.append(_time(lambda m=m: m.fit(X_tr, y_tr)))
    for m in models:
        out.append(_time(lambda m=m: _predict(m, X_te)))
    out += [_score(m, X_te, y_te) for m in models]
    return tuple(out)


def main(argv: list[str] | None = None) -> None:
    """Print the comparison table."""
    parse_args("classical", __doc__, argv)
    print("\nClassical estimators vs scikit-learn (times in ms; ratio = ours / sklearn)")
    print(
        f"{'estimator':30s} {'data':14s} {'fit':>9s} {'sk fit':>9s} {'ratio':>6s} "
        f"{'pred':>8s} {'sk pred':>8s} {'ratio':>6s} {'score':>7s} {'sk score':>8s}"
    )
    for ours_path, theirs_path, data, scale in ROWS:
        ours, theirs = _load(ours_path, "scratchgrad.ml"), _load(theirs_path, "sklearn")
        if ours is None or theirs is None:
            continue
        f1, f2, p1, p2, s1, s2 = measure(ours, theirs, data, scale)
        print(
            f"{ours.__name__:30s} {data:14s} {f1 * 1e3:9.2f} {f2 * 1e3:9.2f} {f1 / f2:6.2f} "
            f"{p1 * 1e3:8.2f} {p2 * 1e3:8.2f} {p1 / p2:6.2f} {s1:7.4f} {s2:8.4f}"
        )


if __name__ == "__main__":
    main()
