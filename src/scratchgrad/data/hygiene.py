"""Data-split hygiene: find what lets held-out data leak into training or model selection.

Four problems, each reported as a :class:`Finding` that names it and the rows it touches:

- identical samples in more than one of train / val / test (:func:`duplicate_samples`);
- a scaler or normaliser whose statistics come from rows outside the training split
  (:func:`scaler_outside_train`);
- a tokenizer vocabulary holding tokens seen only in validation or test text
  (:func:`vocabulary_leak`);
- a test metric used for model selection: early stopping or the best checkpoint
  monitoring ``test_*`` (:func:`selection_on_test_metric`).

:func:`warn_findings` turns findings into ``DataLeakageWarning`` s; the split helpers, the
built-in data sets and the Trainer call it, and ``scratchgrad check-data RECIPE`` prints
the findings for a recipe's data.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scratchgrad.errors import DataLeakageWarning
from scratchgrad.tensor import Tensor


@dataclass(frozen=True)
class Finding:
    """One hygiene problem.

    Attributes:
        problem: what is wrong, e.g. "identical samples in train and test".
        rows: how many rows (samples, text positions) it touches.
        detail: where: split names and the first row indices.
    """

    problem: str
    rows: int
    detail: str

    def __str__(self) -> str:
        return f"{self.problem}: {self.detail}"


def _array(x: Any) -> NDArray[Any]:
    """The inputs of a split as an array (N, ...): a tensor, an array, or a dataset's first."""
    if hasattr(x, "tensors"):  # a TensorDataset: its inputs
        x = x.tensors[0]
    return x.array if isinstance(x, Tensor) else np.asarray(x)


def _row_keys(a: NDArray[Any]) -> list[bytes]:
    flat = np.ascontiguousarray(a.reshape(len(a), -1))
    return [row.tobytes() for row in flat]


def _first(indices: Sequence[int], k: int = 5) -> str:
    shown = ", ".join(str(i) for i in indices[:k])
    return shown + (", ..." if len(indices) > k else "")


def duplicate_samples(splits: Mapping[str, Any]) -> list[Finding]:
    """Identical input rows in two splits.

    Args:
        splits: split name -> inputs (N, ...) as a tensor, an array or a TensorDataset.

    Returns:
        One finding per pair of splits sharing rows; its row count is the later split's
        rows that also occur in the earlier one.

    >>> duplicate_samples({"train": np.eye(3), "test": np.eye(3)[[2, 0]]})[0].rows
    2
    """
    keys = {name: _row_keys(_array(x)) for name, x in splits.items()}
    findings = []
    for a, b in combinations(keys, 2):
        seen = set(keys[a])
        rows = [i for i, k in enumerate(keys[b]) if k in seen]
        if rows:
            findings.append(
                Finding(
                    f"identical samples in {a} and {b}",
                    len(rows),
                    f"{len(rows)} of {len(keys[b])} {b} rows also occur in {a} "
                    f"({b} rows {_first(rows)})",
                )
            )
    return findings


def scaler_outside_train(
    mean: Any, splits: Mapping[str, Any], name: str = "scaler", train: str = "train"
) -> list[Finding]:
    """A scaler whose per-feature mean is not the training split's.

    Args:
        mean: the fitted mean, shape (F,) (``StandardScaler.mean_``, ``Standardize.mean``).
        splits: split name -> inputs (N, F); must hold ``train``.
        name: the scaler's name for the message.
        train: the training split's name.

    Returns:
        A finding naming the rows outside ``train`` that the statistics include (all of
        the other splits when the mean is theirs together with train), else [].
    """
    m = _array(mean).astype(np.float64).reshape(-1)
    parts = {k: _array(v).reshape(len(_array(v)), -1).astype(np.float64) for k, v in splits.items()}
    if np.allclose(m, parts[train].mean(axis=0), rtol=1e-4, atol=1e-6):
        return []
    others = [k for k in parts if k != train]
    for k in range(len(others), 0, -1):
        for extra in combinations(others, k):
            rows = np.concatenate([parts[train], *(parts[e] for e in extra)])
            if np.allclose(m, rows.mean(axis=0), rtol=1e-4, atol=1e-6):
                n = sum(len(parts[e]) for e in extra)
                where = " and ".join(extra)
                return [
                    Finding(
                        f"{name} fitted on rows outside the training split",
                        n,
                        f"its mean is that of {train} + {where}: {n} {where} rows were used",
                    )
                ]
    n_out = sum(len(parts[e]) for e in others)
    return [
        Finding(
            f"{name} fitted on rows outside the training split",
            n_out,
            f"its mean differs from the {train} rows' mean by up to "
            f"{np.abs(m - parts[train].mean(axis=0)).max():.3g}",
        )
    ]


def _tokens(text: str, vocab: set[str]) -> list[str]:
    return list(text) if all(len(v) == 1 for v in vocab) else text.split()


def vocabulary_leak(
    vocab: Iterable[str], texts: Mapping[str, str], train: str = "train"
) -> list[Finding]:
    """Vocabulary entries that occur in held-out text but never in the training text.

    Args:
        vocab: the tokenizer's tokens (characters for a character tokenizer).
        texts: split name -> text; must hold ``train``.
        train: the training split's name.

    >>> vocabulary_leak("abz", {"train": "abba", "test": "zab"})[0].rows
    1
    """
    vocab_set = set(vocab)
    in_train = set(_tokens(texts[train], vocab_set))
    leaked = sorted(t for t in vocab_set - in_train if any(t in s for s in texts.values()))
    if not leaked:
        return []
    uses = {k: sum(tok in leaked for tok in _tokens(t, vocab_set)) for k, t in texts.items()}
    held = {k: n for k, n in uses.items() if k != train and n}
    where = ", ".join(f"{n} in {k}" for k, n in held.items())
    shown = ", ".join(repr(t) for t in leaked[:8]) + (", ..." if len(leaked) > 8 else "")
    return [
        Finding(
            "tokenizer vocabulary built from validation or test text",
            sum(held.values()),
            f"{len(leaked)} tokens occur only outside {train} ({shown}); positions: {where}",
        )
    ]


def selection_on_test_metric(monitors: Mapping[str, str]) -> list[Finding]:
    """Model selection that monitors a test metric.

    Args:
        monitors: what selects -> the metric it monitors, e.g.
            {"EarlyStopping": "test_loss", "best checkpoint": "val_accuracy"}.

    >>> [f.problem for f in selection_on_test_metric({"EarlyStopping": "test_loss"})]
    ['test set used for model selection']
    """
    bad = {who: m for who, m in monitors.items() if m.startswith("test_")}
    if not bad:
        return []
    where = ", ".join(f"{who} monitors {m!r}" for who, m in bad.items())
    return [
        Finding(
            "test set used for model selection",
            0,
            f"{where}; select on a validation metric (val_*) and judge the test set once",
        )
    ]


def model_selection_monitors(monitor: str, callbacks: Iterable[Any]) -> dict[str, str]:
    """What selects the model -> the metric it monitors: the best checkpoint and callbacks.

    >>> model_selection_monitors("val_loss", [])
    {'best checkpoint': 'val_loss'}
    """
    found = {"best checkpoint": monitor}
    for cb in callbacks:
        if isinstance(getattr(cb, "monitor", None), str):
            found[type(cb).__name__] = cb.monitor
    return found


def warn_findings(findings: Iterable[Finding], stacklevel: int = 3) -> None:
    """Issue one ``DataLeakageWarning`` per finding."""
    for f in findings:
        warnings.warn(str(f), DataLeakageWarning, stacklevel=stacklevel)


__all__ = [
    "Finding",
    "duplicate_samples",
    "model_selection_monitors",
    "scaler_outside_train",
    "selection_on_test_metric",
    "vocabulary_leak",
    "warn_findings",
]
