"""What every built-in data set returns, and the registry of them by name.

A data set is a function returning a :class:`DataSplits` (three ``TensorDataset`` splits
plus what the data is) or a :class:`TextCorpus`. The kinds of ``task``:

- regression: targets float32 (N, 1).
- classification: labels int64 (N,); splits stratified by class.
- multi-label tagging: targets float32 multi-hot (N, n_tags).
- ranking / recommendation: (user, item) pairs with implicit relevance.

Each source module (``bundled``, ``toy``, ``mnist``, ``text``) marks its data sets with
:func:`register`, so :data:`DATASETS` is built from the functions themselves: adding a
data set is writing one decorated function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import numpy as np
from numpy.typing import NDArray

from scratchgrad.data import hygiene
from scratchgrad.data.dataset import TensorDataset
from scratchgrad.data.splits import split_indices

Task = Literal["regression", "classification", "multilabel", "ranking"]
F32 = NDArray[np.float32]
FRACTIONS = (0.7, 0.15, 0.15)
"""The default shares of train, validation and test."""


# ------------------------------------------------------------------------ containers
@dataclass(frozen=True)
class DataSplits:
    """A data set split into train, validation and test, with what it is.

    Attributes:
        name: the registry name, e.g. "iris".
        task: "regression", "classification", "multilabel" or "ranking".
        train: samples to fit on; each a tuple (inputs, targets, ...) of tensors.
        val: samples to tune hyperparameters on.
        test: samples to judge the final model on, once.
        description: a short paragraph: source, sizes, features, task.
        num_classes: classes (or tags) for classification and tagging, else None.
        feature_names: a name per input feature, when known.
        class_names: a name per class (or tag), when known.
        info: anything else: the true weights of a synthetic set, standardisation
            statistics, latent factors.
    """

    name: str
    task: Task
    train: TensorDataset
    val: TensorDataset
    test: TensorDataset
    description: str
    num_classes: int | None = None
    feature_names: tuple[str, ...] = ()
    class_names: tuple[str, ...] = ()
    info: Mapping[str, Any] = field(default_factory=dict)

    @property
    def splits(self) -> dict[str, TensorDataset]:
        """The three splits by name: {"train": ..., "val": ..., "test": ...}."""
        return {"train": self.train, "val": self.val, "test": self.test}

    def describe(self) -> str:
        """The description, then one line per split: tensor shapes and class balance."""
        unit = "tags" if self.task == "multilabel" else "classes"
        kind = f", {self.num_classes} {unit}" if self.num_classes else ""
        lines = [f"{self.name} ({self.task}{kind})", self.description]
        for split, ds in self.splits.items():
            shapes = "  ".join(f"{tuple(t.shape)} {t.dtype}" for t in ds.tensors)
            balance = _balance(self, ds.tensors[1].array)
            lines.append(f"  {split:5s} {len(ds):6d}  {shapes}  {balance}")
        return "\n".join(lines)


def _balance(ds: DataSplits, y: NDArray[Any]) -> str:
    """Class counts, tag frequencies, relevance rate or target statistics of one split."""
    if ds.task == "regression":
        return f"target mean {y.mean():.3g}, std {y.std():.3g}"
    if ds.task == "ranking":
        return f"relevant {y.mean():.0%}"
    names = ds.class_names or tuple(str(k) for k in range(ds.num_classes or 0))
    counts = y.sum(axis=0) if ds.task == "multilabel" else np.bincount(y, minlength=len(names))
    label = "tag counts" if ds.task == "multilabel" else "class counts"
    return f"{label}: " + ", ".join(f"{n}={int(c)}" for n, c in zip(names, counts, strict=True))


@dataclass(frozen=True)
class TextCorpus:
    """A text split into training and validation characters.

    Attributes:
        name: the file's name.
        train: the first part of the text.
        val: the rest.
        description: source and sizes.
    """

    name: str
    train: str
    val: str
    description: str

    @property
    def chars(self) -> str:
        """The distinct characters of the whole text, sorted (a character vocabulary)."""
        return "".join(sorted(set(self.train) | set(self.val)))

    def describe(self) -> str:
        """The description, the split sizes and the vocabulary size."""
        return (
            f"{self.name} (text)\n{self.description}\n"
            f"  train {len(self.train):,} characters, val {len(self.val):,} characters, "
            f"{len(self.chars)} distinct"
        )


# ------------------------------------------------------------------------- building
_TASKS: dict[Task, str] = {
    "regression": "Task: regression (predict a number).",
    "classification": "Task: classification (predict one class).",
    "multilabel": "Task: multi-label tagging (predict every tag that applies).",
    "ranking": "Task: ranking / recommendation (order items by relevance).",
}


def task_sentence(task: Task) -> str:
    """The sentence a description uses for ``task``, e.g. "Task: regression (...)."."""
    return _TASKS[task]


def _standardize(parts: list[F32]) -> tuple[list[F32], F32, F32]:
    """Scale every part with the first (train) part's mean and std per feature."""
    mean = parts[0].mean(axis=0)
    std = parts[0].std(axis=0)
    std = np.where(std > 0, std, 1).astype(np.float32)  # a constant feature stays as is
    return [((p - mean) / std).astype(np.float32) for p in parts], mean, std


def build_splits(
    name: str,
    task: Task,
    arrays: Sequence[NDArray[Any]],
    *,
    description: str,
    fractions: Sequence[float],
    seed: int,
    stratify: NDArray[Any] | None = None,
    standardize: bool = False,
    **meta: Any,
) -> DataSplits:
    """Split ``arrays`` (inputs first), optionally standardise the inputs, wrap it up.

    Args:
        name: the registry name.
        task: the kind of task; its sentence and the split sizes end the description.
        arrays: inputs (N, ...), targets (N, ...) and any more per-sample arrays.
        description: what the data is; completed with the task and the split.
        fractions: shares of train, val and test.
        seed: seeds the split.
        stratify: labels (N,) to stratify the split by, or None.
        standardize: scale the inputs with the train split's mean and std (kept in
            ``info["mean"]`` and ``info["std"]``, shape (F,)).
        **meta: the other fields of :class:`DataSplits` (``num_classes``, names, ``info``).

    Returns:
        The splits, each a TensorDataset of ``arrays`` rows.
    """
    idx = split_indices(len(arrays[0]), fractions=fractions, stratify=stratify, seed=seed)
    columns = [[a[i] for i in idx] for a in arrays]  # per array: train, val, test
    info = dict(meta.pop("info", {}))
    sizes = "/".join(str(len(i)) for i in idx)
    by = "user" if task == "ranking" else "class"
    how = f", stratified by {by}" if stratify is not None else ""
    description += f" {_TASKS[task]} Split {sizes} (train/val/test, seed {seed}{how})."
    if standardize:
        columns[0], info["mean"], info["std"] = _standardize(columns[0])
        description += " Features standardised with the train split's mean and std."
    train, val, test = (TensorDataset(*(col[s] for col in columns)) for s in range(3))
    return DataSplits(name, task, train, val, test, description, info=info, **meta)


# ---------------------------------------------------------------------- registry
Loader = TypeVar("Loader", bound=Callable[..., DataSplits | TextCorpus])

DATASETS: dict[str, Callable[..., DataSplits | TextCorpus]] = {}
"""Every built-in data set by name, filled by :func:`register`."""


def register(fn: Loader) -> Loader:
    """Add a data set function to :data:`DATASETS` under its ``__name__``.

    Raises:
        ValueError: if the name is taken.
    """
    if fn.__name__ in DATASETS:
        raise ValueError(f"register: a data set is already called {fn.__name__!r}")
    DATASETS[fn.__name__] = fn
    return fn


def load(name: str, **kwargs: Any) -> DataSplits | TextCorpus:
    """The data set called ``name``, made with ``kwargs``.

    Raises:
        ValueError: for an unknown name (the message lists the known ones).

    >>> load("moons", n_samples=100).describe().splitlines()[0]
    'moons (classification, 2 classes)'
    """
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; known: {', '.join(sorted(DATASETS))}")
    data = DATASETS[name](**kwargs)
    if isinstance(data, DataSplits):  # identical samples across splits leak the test set
        hygiene.warn_findings(hygiene.duplicate_samples(data.splits))
    return data


__all__ = [
    "DATASETS",
    "FRACTIONS",
    "DataSplits",
    "Task",
    "TextCorpus",
    "build_splits",
    "load",
    "register",
    "task_sentence",
]
