"""scikit-learn's bundled data sets (no download), split into train / validation / test.

Tabular features are standardised with the mean and standard deviation of the TRAIN
split only (kept in ``info["mean"]``, ``info["std"]``), so nothing about validation or
test leaks into the inputs; pass ``standardize=False`` for the raw values. The digit
images are scaled to [0, 1] (curriculum E3).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from scratchgrad.data.builtin.registry import FRACTIONS, DataSplits, Task, build_splits, register

_SKLEARN: dict[str, tuple[Task, str, str]] = {
    "iris": (
        "classification",
        "Iris: x (N, 4) float32, y (N,) int64 in {0, 1, 2}; 150 samples, stratified split.",
        "Fisher's iris flowers (scikit-learn's bundled copy of the UCI data): 150 flowers, "
        "4 features (sepal and petal length and width, cm), 3 species, 50 of each.",
    ),
    "wine": (
        "classification",
        "Wine: x (N, 13) float32, y (N,) int64 in {0, 1, 2}; 178 samples, stratified split.",
        "Wines from three cultivars of one Italian region (scikit-learn's bundled copy of "
        "the UCI data): 178 wines, 13 chemical features, 3 classes (59, 71, 48).",
    ),
    "breast_cancer": (
        "classification",
        "Breast cancer: x (N, 30) float32, y (N,) int64 (0 malignant, 1 benign); 569 samples.",
        "Breast tumours (Wisconsin diagnostic data, scikit-learn's bundled copy): 569 "
        "samples, 30 features of cell nuclei measured on images of fine-needle aspirates, "
        "2 classes: malignant (212) and benign (357).",
    ),
    "diabetes": (
        "regression",
        "Diabetes regression: x (N, 10) float32, y (N, 1) float32 (not scaled); 442 samples.",
        "Diabetes progression (Efron et al. 2004, scikit-learn's bundled copy): 442 "
        "patients, 10 baseline features (age, sex, body mass index, blood pressure, six "
        "blood serum measurements s1-s6); target: a measure of disease progression one "
        "year later (25-346), float32 (N, 1). Loaded unscaled (scaled=False).",
    ),
}
"""Per tabular set: its task, the loader's summary line, and the description."""

_TABULAR_ARGS = """

    Args:
        standardize: scale features with the train split's mean and std.
        fractions: shares of train, val and test.
        seed: seeds the split (stratified by class for classification).
"""


def _sklearn_datasets() -> ModuleType:
    """scikit-learn's data set loaders, imported only when asked for (a second's import)."""
    return importlib.import_module("sklearn.datasets")


def _sklearn(name: str, standardize: bool, fractions: Sequence[float], seed: int) -> DataSplits:
    """One tabular set: x (N, F) float32; y (N,) int64 labels or (N, 1) float32 targets."""
    task, _, text = _SKLEARN[name]
    kwargs = {"scaled": False} if name == "diabetes" else {}
    bunch = getattr(_sklearn_datasets(), f"load_{name}")(**kwargs)
    x = np.asarray(bunch.data, dtype=np.float32)
    if task == "regression":
        y: NDArray[Any] = np.asarray(bunch.target, dtype=np.float32).reshape(-1, 1)
        meta: dict[str, Any] = {}
    else:
        y = np.asarray(bunch.target, dtype=np.int64)
        names = tuple(str(n) for n in bunch.target_names)
        meta = {"num_classes": len(names), "class_names": names}
    return build_splits(
        name,
        task,
        [x, y],
        description=text,
        fractions=fractions,
        seed=seed,
        stratify=y if task == "classification" else None,
        standardize=standardize,
        feature_names=tuple(str(n) for n in bunch.feature_names),
        **meta,
    )


class TabularLoader(Protocol):
    """The signature of every tabular set: ``iris(standardize, fractions, seed)``."""

    def __call__(
        self, standardize: bool = True, fractions: Sequence[float] = FRACTIONS, seed: int = 0
    ) -> DataSplits:
        """The splits of x (N, F) float32 and y (N,) int64 or (N, 1) float32."""
        ...


def _tabular(name: str) -> TabularLoader:
    """The registered loader of the tabular set ``name``, documented from ``_SKLEARN``."""

    def load(
        standardize: bool = True, fractions: Sequence[float] = FRACTIONS, seed: int = 0
    ) -> DataSplits:
        return _sklearn(name, standardize, fractions, seed)

    load.__name__ = load.__qualname__ = name
    load.__doc__ = _SKLEARN[name][1] + _TABULAR_ARGS
    return register(load)


iris = _tabular("iris")
wine = _tabular("wine")
breast_cancer = _tabular("breast_cancer")
diabetes = _tabular("diabetes")


@register
def digits(fractions: Sequence[float] = FRACTIONS, seed: int = 0) -> DataSplits:
    """Digits: images (N, 1, 8, 8) float32 in [0, 1], labels (N,) int64 in 0-9; N = 1797.

    Args:
        fractions: shares of train, val and test.
        seed: seeds the split (stratified).
    """
    bunch = _sklearn_datasets().load_digits()
    images = (np.asarray(bunch.images, dtype=np.float32) / 16.0)[:, None]  # (N, 1, 8, 8)
    labels = np.asarray(bunch.target, dtype=np.int64)
    text = (
        "Handwritten digits (scikit-learn's bundled copy of the UCI optical recognition "
        "test set): 1797 images of 8x8 pixels with grey levels 0-16, divided by 16 into "
        "[0, 1]; 10 classes (about 180 each)."
    )
    return build_splits(
        "digits",
        "classification",
        [images, labels],
        description=text,
        fractions=fractions,
        seed=seed,
        stratify=labels,
        num_classes=10,
        class_names=tuple("0123456789"),
        feature_names=tuple(f"pixel_{r}_{c}" for r in range(8) for c in range(8)),
    )


__all__ = ["TabularLoader", "breast_cancer", "diabetes", "digits", "iris", "wine"]
