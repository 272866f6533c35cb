"""Run folders: ``runs/<name>-<timestamp>/`` with the config, metrics, plots and checkpoints.

Every file is written atomically. ``metrics.csv`` has one row per epoch; ``loss.png`` and
``metrics.png`` plot the curves; classifiers get ``confusion_matrix.png``.
"""

from __future__ import annotations

import csv
import errno
import io
import itertools
import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from scratchgrad._io import atomic_write, atomic_write_text


def new_run_dir(root: Path, name: str) -> Path:
    """A fresh folder ``root/<name>-<YYYYmmdd-HHMMSS>`` (a suffix if that exists).

    Raises:
        NotADirectoryError: if ``root``, or a folder above it, is a file.
    """
    for folder in (root, *root.parents):
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(
                errno.ENOTDIR, "is a file; expected a folder for run folders", str(folder)
            )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    root.mkdir(parents=True, exist_ok=True)
    for n in itertools.count(1):
        path = root / (f"{name}-{stamp}" if n == 1 else f"{name}-{stamp}-{n}")
        try:
            path.mkdir()  # atomic: two processes starting at once get two folders
        except FileExistsError:
            continue
        return path
    raise AssertionError("unreachable")  # pragma: no cover


class RunFolder:
    """Writes one run's files.

    Args:
        path: the run's folder (created if missing).
        rows: metric rows already written (when resuming a run).
    """

    def __init__(self, path: Path, rows: Sequence[Mapping[str, float]] = ()) -> None:
        self.path = path
        self.path.mkdir(parents=True, exist_ok=True)
        self.rows: list[dict[str, float]] = [dict(r) for r in rows]

    @property
    def checkpoints(self) -> Path:
        """The folder of checkpoints."""
        return self.path / "checkpoints"

    def write_config(self, config: Mapping[str, Any]) -> None:
        """``config.json``: the settings the run was started with."""
        self.write_json("config.json", config)

    def write_json(self, name: str, values: Mapping[str, Any]) -> None:
        """``name`` in the run folder: ``values`` as indented JSON, written atomically."""
        atomic_write_text(self.path / name, json.dumps(dict(values), indent=2, default=str))

    def add_row(self, row: Mapping[str, float]) -> None:
        """Append an epoch's metrics and rewrite ``metrics.csv``."""
        self.rows.append(dict(row))
        columns = list(dict.fromkeys(k for r in self.rows for k in r))
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns)
        writer.writeheader()
        writer.writerows(self.rows)
        atomic_write_text(self.path / "metrics.csv", buf.getvalue())

    def plot_curves(self) -> None:
        """``loss.png`` (train and val loss per epoch) and ``metrics.png`` (the others)."""
        if not self.rows:
            return
        names = [k for k in self.rows[-1] if k not in ("epoch", "step")]
        losses = [k for k in names if k.endswith("loss")]
        others = sorted({k.split("_", 1)[-1] for k in names if k not in losses})
        title = self.path.name
        _plot_series(self.path / "loss.png", self.rows, [losses], "loss", title)
        if others:
            groups = [[k for k in names if k.split("_", 1)[-1] == o] for o in others]
            _plot_series(self.path / "metrics.png", self.rows, groups, "", title)

    def plot_confusion(self, matrix: ArrayLike, class_names: Sequence[str] | None = None) -> None:
        """``confusion_matrix.png``: rows are true classes, columns predictions.

        Args:
            matrix: the confusion matrix (C, C), as a NumPy array or nested lists.
            class_names: C labels for the axes; by default the class indices.
        """
        counts = np.asarray(matrix)  # matplotlib draws host NumPy arrays
        plt = _pyplot()
        n = counts.shape[0]
        fig, ax = plt.subplots(figsize=(1 + 0.5 * n, 1 + 0.5 * n))
        ax.imshow(counts, cmap="Blues")
        labels = list(class_names) if class_names else [str(i) for i in range(n)]
        ax.set_xticks(range(n), labels, rotation=90)
        ax.set_yticks(range(n), labels)
        for (i, j), v in np.ndenumerate(counts):
            color = "white" if v > counts.max() / 2 else "black"
            ax.text(j, i, str(int(v)), ha="center", va="center", fontsize=7, color=color)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(f"{self.path.name}\nconfusion matrix (test)")
        _save(fig, self.path / "confusion_matrix.png")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _plot_series(
    path: Path,
    rows: Sequence[Mapping[str, float]],
    groups: Sequence[Sequence[str]],
    ylabel: str,
    title: str,
) -> None:
    """One panel per group of metric columns against the epoch, counted from 1 as printed."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(groups), figsize=(4.5 * len(groups), 3.6), squeeze=False)
    fig.suptitle(title)
    epochs = [r.get("epoch", i) + 1 for i, r in enumerate(rows)]  # rows count from 0
    for ax, keys in zip(axes[0], groups, strict=True):
        for k in keys:
            ax.plot(epochs, [r.get(k, np.nan) for r in rows], marker="o", label=k)
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel or keys[0].split("_", 1)[-1])
        ax.grid(alpha=0.3)
        ax.legend()
    _save(fig, path)


def _save(fig: Any, path: Path) -> None:
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    _pyplot().close(fig)


def read_rows(path: Path) -> list[dict[str, float]]:
    """The rows of an existing ``metrics.csv`` (for resuming a run)."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return [{k: float(v) for k, v in r.items() if v != ""} for r in csv.DictReader(f)]


__all__ = ["RunFolder", "new_run_dir", "read_rows"]
