"""Callbacks: optional behaviour hooked into the training loop.

A callback overrides any of the no-op hooks below; the Trainer calls them in this order:
``on_fit_start``, then per epoch ``on_train_epoch_start``, ``on_train_batch_end`` (each
step), ``on_epoch_end`` (after validation, with the epoch's metrics, which a callback may
add to), and finally ``on_fit_end``. A callback with state (EarlyStopping's counter) saves
it in checkpoints through ``state_dict``/``load_state_dict``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from scratchgrad.train.module import TrainModule
    from scratchgrad.train.trainer import Trainer
    from scratchgrad.utils.tensorboard import SummaryWriter

Mode = Literal["min", "max"]


class Callback:
    """Base class: every hook does nothing."""

    def on_fit_start(self, trainer: Trainer, module: TrainModule) -> None:
        """Before the first epoch."""

    def on_train_epoch_start(self, trainer: Trainer, module: TrainModule) -> None:
        """Before an epoch's first training step."""

    def on_train_batch_end(self, trainer: Trainer, module: TrainModule, loss: float) -> None:
        """After each optimizer step (``trainer.global_step`` already counts it)."""

    def on_epoch_end(
        self, trainer: Trainer, module: TrainModule, metrics: dict[str, float]
    ) -> None:
        """After training and validation of an epoch; ``metrics`` may be added to."""

    def on_fit_end(self, trainer: Trainer, module: TrainModule) -> None:
        """After the last epoch (or an early stop)."""

    def state_dict(self) -> dict[str, Any]:
        """State to keep in checkpoints (JSON values)."""
        return {}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore :meth:`state_dict`'s output."""


def _improved(value: float, best: float, mode: Mode, min_delta: float) -> bool:
    return value < best - min_delta if mode == "min" else value > best + min_delta


def _check_mode(mode: str) -> None:
    if mode not in ("min", "max"):
        raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved for ``patience`` epochs.

    Args:
        monitor: a metric name, e.g. "val_loss" or "val_accuracy".
        patience: epochs without improvement before stopping.
        mode: "min" (losses) or "max" (accuracies).
        min_delta: the smallest change that counts as an improvement.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 3,
        mode: Mode = "min",
        min_delta: float = 0.0,
    ) -> None:
        _check_mode(mode)
        self.monitor, self.patience, self.mode, self.min_delta = monitor, patience, mode, min_delta
        self.best = math.inf if mode == "min" else -math.inf
        self.wait = 0

    def on_epoch_end(
        self, trainer: Trainer, module: TrainModule, metrics: dict[str, float]
    ) -> None:
        """Count epochs without improvement; ask the trainer to stop after ``patience``."""
        if self.monitor not in metrics:
            raise KeyError(f"EarlyStopping: metric {self.monitor!r} not in {sorted(metrics)}")
        if _improved(metrics[self.monitor], self.best, self.mode, self.min_delta):
            self.best, self.wait = metrics[self.monitor], 0
        else:
            self.wait += 1
            trainer.should_stop = trainer.should_stop or self.wait >= self.patience

    def state_dict(self) -> dict[str, Any]:
        """Best value and epochs waited."""
        return {"best": self.best, "wait": self.wait}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore best value and epochs waited."""
        self.best, self.wait = float(state["best"]), int(state["wait"])


class ModelCheckpoint(Callback):
    """Save ``last`` after every epoch (and every ``every_n_steps``) and ``best`` on improvement.

    Args:
        monitor: the metric that decides ``best``.
        mode: "min" or "max".
        every_n_steps: also save ``last`` mid-epoch every this many steps (for exact resume).
    """

    def __init__(
        self, monitor: str = "val_loss", mode: Mode = "min", every_n_steps: int | None = None
    ) -> None:
        _check_mode(mode)
        self.monitor, self.mode, self.every_n_steps = monitor, mode, every_n_steps
        self.best = math.inf if mode == "min" else -math.inf

    def on_train_batch_end(self, trainer: Trainer, module: TrainModule, loss: float) -> None:
        """Save ``last`` every ``every_n_steps`` steps."""
        if self.every_n_steps and trainer.global_step % self.every_n_steps == 0:
            trainer.save_checkpoint("last")

    def on_epoch_end(
        self, trainer: Trainer, module: TrainModule, metrics: dict[str, float]
    ) -> None:
        """Save ``best`` if ``monitor`` improved, then ``last``."""
        value = metrics.get(self.monitor)
        if value is not None and _improved(value, self.best, self.mode, 0.0):
            self.best = value
            trainer.save_checkpoint("best")
        trainer.save_checkpoint("last", epoch_done=True)

    def state_dict(self) -> dict[str, Any]:
        """The best value so far."""
        return {"best": self.best}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore the best value."""
        self.best = float(state["best"])


class LearningRateMonitor(Callback):
    """Add the learning rate of each parameter group to the epoch's metrics as ``lr``/``lr_<i>``."""

    def on_epoch_end(
        self, trainer: Trainer, module: TrainModule, metrics: dict[str, float]
    ) -> None:
        """Record the current learning rate(s); several optimizers' groups in order."""
        opts = trainer.optimizer if isinstance(trainer.optimizer, list) else [trainer.optimizer]
        groups = [g for o in opts if o is not None for g in o.param_groups]
        for i, group in enumerate(groups):
            metrics["lr" if i == 0 else f"lr_{i}"] = float(group["lr"])


class TensorBoardLogger(Callback):
    """Log each epoch's metrics to TensorBoard event files (needs the tensorboard package).

    Every metric of the epoch (``train_loss``, ``val_accuracy``, ``lr``, ...) becomes a
    scalar at step = the epoch's index.

    Args:
        log_dir: the event files' folder; None: ``<run folder>/tensorboard`` when the
            trainer writes a run folder, else torch's default ``runs/<date>_<host>``.
        comment: appended to the default ``runs/`` folder name.
    """

    def __init__(self, log_dir: str | Path | None = None, comment: str = "") -> None:
        self.log_dir, self.comment = log_dir, comment
        self.writer: SummaryWriter | None = None

    def on_fit_start(self, trainer: Trainer, module: TrainModule) -> None:
        """Open the writer."""
        from scratchgrad.utils.tensorboard import SummaryWriter

        log_dir = self.log_dir
        if log_dir is None and trainer.run is not None:
            log_dir = trainer.run.path / "tensorboard"
        self.writer = SummaryWriter(log_dir, comment=self.comment)

    def on_epoch_end(
        self, trainer: Trainer, module: TrainModule, metrics: dict[str, float]
    ) -> None:
        """Write the epoch's metrics and flush them to disk."""
        if self.writer is None:
            return
        epoch = int(metrics.get("epoch", trainer.current_epoch))
        for name, value in metrics.items():
            if name != "epoch":
                self.writer.add_scalar(name, value, global_step=epoch)
        self.writer.flush()

    def on_fit_end(self, trainer: Trainer, module: TrainModule) -> None:
        """Close the event files."""
        if self.writer is not None:
            self.writer.close()
            self.writer = None


__all__ = [
    "Callback",
    "EarlyStopping",
    "LearningRateMonitor",
    "ModelCheckpoint",
    "TensorBoardLogger",
]
