"""Classical estimators against scikit-learn: fit time, predict time and score, one run.

Two tables. The first trains ours and scikit-learn's equivalent on the same split of a
bundled data set; the second on a larger synthetic set (20,000 x 50: make_regression for
regressors, make_classification for the others; MultinomialNB's features shifted to be
non-negative; rows that scale standardise first in both libraries). Splits are
test_size=0.25, random_state=0. Each time is the median of up to three runs, ours and scikit-learn's
alternating (a slow row stops after the runs that fit in a few seconds), after an untimed
fit on 300 rows in which compiled kernels compile (``coldstart`` measures that cost); the
ratio is ours / scikit-learn's (the goal for fit is <= 2.0), followed by both test scores.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import time
from collections.abc import Callable
from typing import Any

from sklearn import datasets
from sklearn.base import is_regressor
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import scratchgrad.ml

# (our class in scratchgrad.ml, scikit-learn's as "module.Class", bundled data, scale first)
ROWS = [
    ("LinearRegression", "linear_model.LinearRegression", "diabetes", False),
    ("Ridge", "linear_model.Ridge", "diabetes", False),
    ("LogisticRegression", "linear_model.LogisticRegression", "breast_cancer", True),
    ("Perceptron", "linear_model.Perceptron", "breast_cancer", True),
    ("LinearSVC", "svm.LinearSVC", "breast_cancer", True),
    ("SVC", "svm.SVC", "digits", False),
    ("KNeighborsClassifier", "neighbors.KNeighborsClassifier", "digits", False),
    ("KNeighborsRegressor", "neighbors.KNeighborsRegressor", "diabetes", False),
    ("DecisionTreeClassifier", "tree.DecisionTreeClassifier", "digits", False),
    ("DecisionTreeRegressor", "tree.DecisionTreeRegressor", "diabetes", False),
    ("RandomForestClassifier", "ensemble.RandomForestClassifier", "digits", False),
    ("RandomForestRegressor", "ensemble.RandomForestRegressor", "diabetes", False),
    ("GaussianNB", "naive_bayes.GaussianNB", "digits", False),
    ("MultinomialNB", "naive_bayes.MultinomialNB", "digits", False),
    ("KMeans", "cluster.KMeans", "digits", False),
    ("PCA", "decomposition.PCA", "digits", False),
    ("StandardScaler", "preprocessing.StandardScaler", "digits", False),
]

LARGE = (20_000, 50)
"""(samples, features) of the synthetic table."""

BUDGET_S = 4.0
"""A row's repeats stop once its runs so far took this long (at least one run each)."""

Split = tuple[Any, Any, Any, Any]


def _ours(name: str) -> Callable[..., Any]:
    """Our estimator class by its exported name; a missing one stops the benchmark."""
    if name not in scratchgrad.ml.__all__:
        raise SystemExit(f"classical: scratchgrad.ml exports no {name!r}")
    cls: Callable[..., Any] = getattr(scratchgrad.ml, name)
    return cls


def _theirs(path: str) -> Callable[..., Any]:
    """scikit-learn's class from "module.Class"."""
    module, name = path.rsplit(".", 1)
    cls: Callable[..., Any] = getattr(importlib.import_module(f"sklearn.{module}"), name)
    return cls


def _make(cls: Callable[..., Any], scale: bool) -> Any:
    params = cls.__init__.__code__.co_varnames  # type: ignore[misc]
    kwargs: dict[str, Any] = {"random_state": 0} if "random_state" in params else {}
    if cls.__name__ == "KMeans":
        kwargs["n_clusters"] = 10
    est = cls(**kwargs)
    return make_pipeline(StandardScaler(), est) if scale else est


def _times(fns: list[Callable[[], Any]]) -> list[float]:
    """Median time of each function, run alternately up to three times within BUDGET_S."""
    runs: list[list[float]] = [[] for _ in fns]
    start = time.perf_counter()
    while len(runs[0]) < 3 and (not runs[0] or time.perf_counter() - start < BUDGET_S):
        for fn, out in zip(fns, runs, strict=True):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return [statistics.median(r) for r in runs]


def _score(est: Any, X: Any, y: Any) -> float:
    if hasattr(est, "score") and hasattr(est, "predict"):  # transformers: no test score
        try:
            return float(est.score(X, y))
        except TypeError:
            return float(est.score(X))
    return float("nan")


def _predict(est: Any, X: Any) -> Any:
    return est.predict(X) if hasattr(est, "predict") else est.transform(X)


def bundled(data: str) -> Split:
    """The bundled data set's split (X_tr, X_te, y_tr, y_te)."""
    X, y = getattr(datasets, f"load_{data}")(return_X_y=True)
    split: Split = tuple(train_test_split(X, y, test_size=0.25, random_state=0))
    return split


def synthetic(regression: bool, nonnegative: bool = False) -> Split:
    """The 20,000 x 50 split: make_regression or make_classification, random_state=0.

    Args:
        regression: regression targets (else two classes).
        nonnegative: shift every feature so its minimum is 0 (count models).
    """
    n, d = LARGE
    make = datasets.make_regression if regression else datasets.make_classification
    X, y = make(n_samples=n, n_features=d, random_state=0)
    if nonnegative:
        X = X - X.min(axis=0)
    split: Split = tuple(train_test_split(X, y, test_size=0.25, random_state=0))
    return split


def measure(ours_cls: Any, theirs_cls: Any, split: Split, scale: bool) -> tuple[float, ...]:
    """(fit ours, fit theirs, predict ours, predict theirs, score ours, score theirs)."""
    X_tr, X_te, y_tr, y_te = split
    models = [_make(ours_cls, scale), _make(theirs_cls, scale)]
    for m in models:  # warm-up on 300 rows: compiled kernels compile here, untimed
        _predict(m.fit(X_tr[:300], y_tr[:300]), X_te[:50])
    fits = _times([lambda m=m: m.fit(X_tr, y_tr) for m in models])
    preds = _times([lambda m=m: _predict(m, X_te) for m in models])
    return (*fits, *preds, *(_score(m, X_te, y_te) for m in models))


def _header(title: str) -> None:
    print(f"\n{title} (times in ms; ratio = ours / sklearn)")
    print(
        f"{'estimator':24s} {'data':14s} {'fit':>9s} {'sk fit':>9s} {'ratio':>6s} "
        f"{'pred':>8s} {'sk pred':>8s} {'ratio':>6s} {'score':>7s} {'sk score':>8s}"
    )


def _row(name: str, data: str, m: tuple[float, ...]) -> None:
    f1, f2, p1, p2, s1, s2 = m
    print(
        f"{name:24s} {data:14s} {f1 * 1e3:9.2f} {f2 * 1e3:9.2f} {f1 / f2:6.2f} "
        f"{p1 * 1e3:8.2f} {p2 * 1e3:8.2f} {p1 / p2:6.2f} {s1:7.4f} {s2:8.4f}",
        flush=True,
    )


def run(table: str, only: list[str]) -> None:
    """Print the bundled and/or the synthetic table for the rows named in ``only`` (all)."""
    rows = [r for r in ROWS if not only or r[0] in only]
    pairs = [(_ours(name), _theirs(path), name, data, s) for name, path, data, s in rows]
    if table in ("bundled", "both"):
        _header("Classical estimators vs scikit-learn, bundled data")
        for ours, theirs, name, data, scale in pairs:
            _row(name, data, measure(ours, theirs, bundled(data), scale))
    if table in ("large", "both"):
        n, d = LARGE
        _header(f"Classical estimators vs scikit-learn, synthetic {n} x {d}")
        for ours, theirs, name, _, scale in pairs:
            reg = bool(is_regressor(theirs()))
            split = synthetic(reg, nonnegative=name == "MultinomialNB")
            _row(
                name,
                "make_" + ("regression" if reg else "classif."),
                measure(ours, theirs, split, scale),
            )


def main(argv: list[str] | None = None) -> None:
    """Print the comparison tables."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.classical", description=__doc__)
    parser.add_argument(
        "--table",
        choices=("bundled", "large", "both"),
        default="both",
        help="bundled data sets, the 20,000 x 50 synthetic set, or both (default)",
    )
    parser.add_argument("--only", nargs="*", default=[], metavar="NAME", help="estimator names")
    args = parser.parse_args(argv)
    unknown = [n for n in args.only if n not in {r[0] for r in ROWS}]
    if unknown:
        parser.error(f"unknown estimator {unknown[0]!r}")
    run(args.table, args.only)


if __name__ == "__main__":
    main()
