"""Progress display: rich progress bars on a terminal, plain lines elsewhere (CI logs)."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress


class _Bar:
    """One epoch's bar: ``advance(loss)`` after each batch."""

    def __init__(self, progress: RichProgress | None, task: TaskID | None) -> None:
        self.progress, self.task = progress, task

    def advance(self, loss: float) -> None:
        """One more batch done, with its loss."""
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, advance=1, loss=f"{loss:.4f}")


class Progress:
    """Shows training progress.

    Args:
        bars: True for progress bars, False for one line per epoch, None to choose bars
            only when standard output is a terminal.
    """

    def __init__(self, bars: bool | None = None) -> None:
        self.console = Console(highlight=False, soft_wrap=True)
        self.bars = sys.stdout.isatty() if bars is None else bars

    @contextmanager
    def bar(self, description: str, total: int | None) -> Iterator[_Bar]:
        """A progress bar for one epoch (nothing when bars are off)."""
        if not self.bars:
            yield _Bar(None, None)
            return
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]}"),
            TimeElapsedColumn(),
        )
        with RichProgress(*columns, console=self.console, transient=True) as progress:
            yield _Bar(progress, progress.add_task(description, total=total, loss="-"))

    def epoch_line(self, epoch: int, max_epochs: int, metrics: Mapping[str, float]) -> None:
        """``epoch 3/10  train_loss 0.2345  val_accuracy 0.9310 ...``."""
        shown = "  ".join(f"{k} {v:.4f}" for k, v in metrics.items() if k not in ("epoch", "step"))
        self.console.print(f"epoch {epoch + 1}/{max_epochs}  {shown}")

    def note(self, text: str) -> None:
        """A line of information (the run folder, the test metrics)."""
        self.console.print(text)


__all__ = ["Progress"]
