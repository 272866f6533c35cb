"""Trainer: the training loop, as PyTorch Lightning's, configured by one ``TrainConfig``.

``fit`` trains for ``max_epochs`` with validation after each epoch, ``test`` judges once on
held-out data, ``predict`` collects outputs. Each fit writes a run folder (config, metrics
per epoch, curves, checkpoints). A checkpoint holds the model, optimizer, scheduler, the
random-number states and the data loader's position, so ``fit(..., ckpt_path=run_dir)``
continues a stopped run and ends with exactly the weights of an uninterrupted one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from loguru import logger
from pydantic import BaseModel, ConfigDict, Field

from scratchgrad.autograd import no_grad
from scratchgrad.backend import xp
from scratchgrad.data import hygiene
from scratchgrad.distributed import process_group as dist
from scratchgrad.errors import NonFiniteLossError, TrainingInterruptedError
from scratchgrad.nn.parallel.distributed import DistributedDataParallel
from scratchgrad.nn.utils import clip_grad_norm_
from scratchgrad.optim.lr_scheduler import ReduceLROnPlateau
from scratchgrad.random import get_rng_state, manual_seed, set_rng_state
from scratchgrad.tensor import Tensor
from scratchgrad.train.callbacks import Callback, ModelCheckpoint
from scratchgrad.train.checkpoint import load_checkpoint, save_checkpoint
from scratchgrad.train.epoch_meters import EpochMeters
from scratchgrad.train.metrics import ConfusionMatrix
from scratchgrad.train.module import StepOutput, TrainModule
from scratchgrad.train.progress import Progress
from scratchgrad.train.runs import RunFolder, new_run_dir


class TrainConfig(BaseModel):
    """The Trainer's settings; every value is checked, with the field and range named."""

    model_config = ConfigDict(extra="forbid")

    max_epochs: int = Field(10, ge=1, description="epochs to train")
    seed: int = Field(0, ge=0, description="seed of the global random generator")
    gradient_clip_val: float | None = Field(None, gt=0, description="max gradient norm")
    accumulate_grad_batches: int = Field(1, ge=1, description="batches per optimizer step")
    checkpoint_every_n_steps: int | None = Field(None, ge=1, description="mid-epoch saves")
    out_dir: Path = Field(Path("runs"), description="where run folders are created")
    run_name: str = Field("run", min_length=1, description="prefix of the run folder")
    monitor: str = Field("val_loss", description="metric for the best checkpoint")
    monitor_mode: Literal["min", "max"] = "min"
    progress: bool | None = Field(None, description="bars (True), lines (False), auto (None)")
    write_run: bool = Field(True, description="write a run folder with checkpoints and plots")


class Trainer:
    """Runs fit / validate / test / predict for a :class:`TrainModule`.

    Args:
        config: the settings (a ``TrainConfig``); keyword overrides may be given too.
        callbacks: extra behaviour; a ``ModelCheckpoint`` is added when the run is written.
        **overrides: ``Trainer(max_epochs=3)`` is ``Trainer(TrainConfig(max_epochs=3))``.
    """

    def __init__(
        self,
        config: TrainConfig | None = None,
        callbacks: Sequence[Callback] = (),
        **overrides: Any,
    ) -> None:
        base = config.model_dump() if config is not None else {}
        self.config = TrainConfig(**(base | overrides))
        if join_mpi_world() > 0:  # under mpiexec, rank 0 alone writes the run folder
            self.config = self.config.model_copy(update={"write_run": False})
        self.callbacks = list(callbacks)
        monitors = hygiene.model_selection_monitors(self.config.monitor, self.callbacks)
        hygiene.warn_findings(hygiene.selection_on_test_metric(monitors))
        if self.config.write_run and not any(isinstance(c, ModelCheckpoint) for c in callbacks):
            cfg = self.config
            self.callbacks.append(
                ModelCheckpoint(cfg.monitor, cfg.monitor_mode, cfg.checkpoint_every_n_steps)
            )
        self.current_epoch = self.global_step = 0
        self.should_stop = False
        self._epoch_row: dict[str, float] | None = None  # the row of an epoch being closed
        self._train_meters = EpochMeters()  # this epoch's training metrics so far
        self._resumed_meters: dict[str, Any] | None = None
        self.optimizer: Any = None
        self.scheduler: Any = None
        self.module: TrainModule | None = None
        self.train_loader: Any = None
        self.run: RunFolder | None = None
        self.progress = Progress(self.config.progress)

    # ---------------------------------------------------------------- fit
    def fit(
        self,
        module: TrainModule,
        train_loader: Any,
        val_loader: Any = None,
        ckpt_path: str | Path | None = None,
    ) -> dict[str, float]:
        """Train, validating after every epoch; returns the last epoch's metrics.

        Args:
            module: the model and how to train it.
            train_loader: an iterable of training batches (a DataLoader).
            val_loader: validation batches, or None.
            ckpt_path: a run folder or checkpoint pointer to continue from.

        Raises:
            TrainingInterruptedError: on Ctrl-C, naming the run folder and its last checkpoint
                (the curves of the epochs done are drawn first).
            NonFiniteLossError: when the loss becomes NaN or infinite.
        """
        manual_seed(self.config.seed)
        if dist.get_world_size() > 1:  # rank 0's weights everywhere; gradients averaged
            DistributedDataParallel(module)
        self.module, self.train_loader = module, train_loader
        self.optimizer, self.scheduler = _split_optimizers(module.configure_optimizers())
        object.__setattr__(module, "_optimizers", self.optimizer)  # for module.optimizers()
        self._open_run(ckpt_path)
        metrics: dict[str, float] = {}
        self._call("on_fit_start")
        try:
            while self.current_epoch < self.config.max_epochs and not self.should_stop:
                metrics = self._epoch(module, train_loader, val_loader)
        except KeyboardInterrupt:
            raise self._interrupted() from None
        finally:  # curves of the epochs done, however the loop ended
            if self.run is not None:
                self.run.plot_curves()
        self._call("on_fit_end")
        return metrics

    def _interrupted(self) -> TrainingInterruptedError:
        """What Ctrl-C left: the run folder and its last checkpoint (None if none yet)."""
        run_dir = self.run.path if self.run is not None else None
        pointer = self.run.checkpoints / "last.json" if self.run is not None else None
        pointer = pointer if pointer is not None and pointer.is_file() else None
        return TrainingInterruptedError(run_dir, pointer, self.current_epoch + 1, self.global_step)

    def _epoch(self, module: TrainModule, train_loader: Any, val_loader: Any) -> dict[str, float]:
        self._call("on_train_epoch_start")
        metrics = {"epoch": float(self.current_epoch)}
        metrics |= self._train_epoch(module, train_loader)
        if val_loader is not None:
            metrics |= self._evaluate(module, val_loader, "val")
        self._step_scheduler(metrics)
        metrics["step"] = float(self.global_step)
        self._epoch_row = metrics  # an epoch-end checkpoint saved by a callback keeps this row
        for cb in self.callbacks:
            cb.on_epoch_end(self, module, metrics)
        self._epoch_row = None
        if self.run is not None:
            self.run.add_row(metrics)
        self.progress.epoch_line(self.current_epoch, self.config.max_epochs, metrics)
        self.current_epoch += 1
        return metrics

    def _train_epoch(self, module: TrainModule, loader: Any) -> dict[str, float]:
        if not module.automatic_optimization:
            return _manual_train_epoch(self, module, loader)
        meters = self._start_train_epoch(EpochMeters.for_module(module), module, loader)
        k = self.config.accumulate_grad_batches
        skip = _batches_done(loader)
        pending = False  # gradients accumulated but not yet stepped
        with self.progress.bar(f"epoch {self.current_epoch + 1}", _length(loader)) as bar:
            for i, batch in enumerate(loader, start=skip):
                out = _as_output(module.training_step(batch, i))
                loss = float(out.loss.item())
                self._check_finite(loss, module, i)
                (out.loss / k if k > 1 else out.loss).backward()
                meters.update(out, loss, module.pop_logged())
                pending = (i + 1) % k != 0
                if not pending:
                    self._optimizer_step(module, loss)
                bar.advance(loss)
        if pending:  # the epoch's last, incomplete accumulation still gets its step
            self._optimizer_step(module, loss)
        return meters.compute("train")

    def _start_train_epoch(
        self, meters: EpochMeters, module: TrainModule, loader: Any
    ) -> EpochMeters:
        """Train mode, the sampler's epoch, and the metrics (restored after a resume)."""
        module.train()
        set_epoch = getattr(getattr(loader, "sampler", None), "set_epoch", None)
        if set_epoch is not None:  # a DistributedSampler: this epoch's permutation
            set_epoch(self.current_epoch)
        meters.load_state_dict(self._resumed_meters or {})  # a mid-epoch resume
        self._resumed_meters = None
        self._train_meters = meters
        return meters

    def _optimizer_step(self, module: TrainModule, loss: float) -> None:
        if self.config.gradient_clip_val is not None:
            clip_grad_norm_(module.parameters(), self.config.gradient_clip_val)
        self.optimizer.step()
        self.optimizer.zero_grad()
        self.global_step += 1
        for cb in self.callbacks:
            cb.on_train_batch_end(self, module, loss)

    def _step_scheduler(self, metrics: dict[str, float]) -> None:
        if self.scheduler is None:
            return
        if isinstance(self.scheduler, ReduceLROnPlateau):  # steps on the monitored metric
            self.scheduler.step(metrics[self.config.monitor])
        else:
            self.scheduler.step()

    def _check_finite(self, value: float, module: TrainModule, batch_idx: int) -> None:
        if math.isfinite(value):
            return
        where = _first_non_finite(module)
        raise NonFiniteLossError(
            f"loss is {value} in epoch {self.current_epoch + 1}, after step {self.global_step} "
            f"(batch {batch_idx}); first non-finite: {where}"
        )

    # ---------------------------------------------------------------- evaluation
    def validate(self, module: TrainModule, loader: Any) -> dict[str, float]:
        """Metrics on validation data (``val_loss``, ``val_accuracy``, ...)."""
        return self._evaluate(module, loader, "val")

    def test(self, module: TrainModule, loader: Any) -> dict[str, float]:
        """Metrics on test data, judged once.

        With a run folder, also writes them to ``test_metrics.json`` and, for classifiers,
        the confusion matrix.
        """
        metrics = self._evaluate(module, loader, "test")
        if self.run is not None:
            self.run.write_json("test_metrics.json", metrics)
        return metrics

    def _evaluate(self, module: TrainModule, loader: Any, stage: str) -> dict[str, float]:
        module.eval()
        meters = EpochMeters.for_module(module)
        if stage == "test" and module.task == "classification" and module.num_classes:
            meters.metrics["confusion"] = ConfusionMatrix(module.num_classes)
        step = module.validation_step if stage == "val" else module.test_step
        with no_grad():
            for i, batch in enumerate(loader):
                out = _as_output(step(batch, i))
                meters.update(out, float(out.loss.item()), module.pop_logged())
        confusion = meters.metrics.pop("confusion", None)
        if confusion is not None and self.run is not None:
            self.run.plot_confusion(confusion.compute())
        return meters.compute(stage)

    def predict(self, module: TrainModule, loader: Iterable[Any]) -> list[Tensor]:
        """``predict_step`` outputs for every batch, in order."""
        module.eval()
        with no_grad():
            return [module.predict_step(batch, i) for i, batch in enumerate(loader)]

    # ---------------------------------------------------------------- checkpoints
    def save_checkpoint(self, tag: str, epoch_done: bool = False) -> Path | None:
        """Save ``tag`` ("last", "best") in the run folder; returns its pointer path."""
        if self.run is None or self.module is None:
            return None
        loader_state = getattr(self.train_loader, "state_dict", None)
        state = {
            "module": self.module.state_dict(),
            "optimizer": _optimizer_state(self.optimizer),
            "scheduler": self.scheduler.state_dict() if self.scheduler is not None else None,
            "trainer": {
                "epoch": self.current_epoch + int(epoch_done),
                "global_step": self.global_step,
            },
            "rng": get_rng_state(),
            "loader": loader_state() if loader_state else None,
            "callbacks": [cb.state_dict() for cb in self.callbacks],
            "rows": self.run.rows + ([self._epoch_row] if epoch_done and self._epoch_row else []),
            "meters": None if epoch_done else self._train_meters.state_dict(),
        }
        path = save_checkpoint(self.run.checkpoints, tag, self.global_step, state)
        logger.debug("saved checkpoint {} at step {}", tag, self.global_step)
        return path

    def _restore(self, state: dict[str, Any]) -> None:
        if self.module is None:
            raise RuntimeError("Trainer: no module to restore a checkpoint into")
        self.module.load_state_dict(state["module"])
        _load_optimizer_state(self.optimizer, state["optimizer"])
        if self.scheduler is not None and state["scheduler"] is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        self.current_epoch = int(state["trainer"]["epoch"])
        self.global_step = int(state["trainer"]["global_step"])
        set_rng_state(state["rng"])
        if state["loader"] is not None and hasattr(self.train_loader, "load_state_dict"):
            self.train_loader.load_state_dict(state["loader"])
        for cb, cb_state in zip(self.callbacks, state["callbacks"], strict=False):
            cb.load_state_dict(cb_state)
        self._resumed_meters = state.get("meters")

    def _open_run(self, ckpt_path: str | Path | None) -> None:
        if ckpt_path is not None:
            state = load_checkpoint(ckpt_path)
            self._restore(state)
            if self.config.write_run:
                folder = Path(ckpt_path)
                folder = folder if folder.is_dir() else folder.parent.parent
                self.run = RunFolder(folder, state["rows"])
                where = f"step {self.global_step}, epoch {self.current_epoch + 1}"
                self.progress.note(f"resuming {folder} at {where}")
            return
        if self.config.write_run:
            self.run = RunFolder(new_run_dir(self.config.out_dir, self.config.run_name))
            self.run.write_config(self.config.model_dump(mode="json"))
            self.progress.note(f"run folder: {self.run.path}")

    def _call(self, hook: str) -> None:
        for cb in self.callbacks:
            getattr(cb, hook)(self, self.module)


# -------------------------------------------------------------------- helpers
def join_mpi_world() -> int:
    """This process's rank, joining MPI's world first if mpiexec started it (else 0)."""
    if dist.launched_by_mpi() and not dist.is_initialized():
        dist.init_process_group()
    return dist.get_rank()


def _split_optimizers(configured: Any) -> tuple[Any, Any]:
    if isinstance(configured, tuple):
        return configured[0], configured[1]
    return configured, None  # one optimizer, or a list (manual optimization)


def _optimizer_state(optimizer: Any) -> Any:
    if isinstance(optimizer, list):
        return [o.state_dict() for o in optimizer]
    return optimizer.state_dict()


def _load_optimizer_state(optimizer: Any, state: Any) -> None:
    if isinstance(optimizer, list):
        for o, s in zip(optimizer, state, strict=True):
            o.load_state_dict(s)
    else:
        optimizer.load_state_dict(state)


def _manual_train_epoch(trainer: Trainer, module: TrainModule, loader: Any) -> dict[str, float]:
    """An epoch where ``training_step`` steps its own optimizers (Lightning's manual mode).

    Each batch counts as one global step; the step's returned loss (if any) and its
    logged values are averaged into the epoch's metrics.
    """
    cfg = trainer.config
    if cfg.accumulate_grad_batches != 1 or cfg.gradient_clip_val is not None:
        raise ValueError(
            "Trainer: with automatic_optimization = False the training_step accumulates and "
            "clips itself; accumulate_grad_batches and gradient_clip_val must stay unset"
        )
    meters = trainer._start_train_epoch(EpochMeters(), module, loader)
    skip = _batches_done(loader)
    with trainer.progress.bar(f"epoch {trainer.current_epoch + 1}", _length(loader)) as bar:
        for i, batch in enumerate(loader, start=skip):
            out = module.training_step(batch, i)
            loss = math.nan
            if out is not None:  # a manual step may return nothing
                loss = float(_as_output(out).loss.item())
                trainer._check_finite(loss, module, i)
                meters.log({"loss": loss})
            meters.log(module.pop_logged())
            trainer.global_step += 1
            for cb in trainer.callbacks:
                cb.on_train_batch_end(trainer, module, loss)
            bar.advance(loss)
    return meters.compute("train")


def _as_output(out: StepOutput | Tensor) -> StepOutput:
    return out if isinstance(out, StepOutput) else StepOutput(out)


def _batches_done(loader: Any) -> int:
    """Batches of the current epoch the loader already gave out (nonzero after a resume)."""
    state = loader.state_dict() if hasattr(loader, "state_dict") else {}
    return int(state.get("batches_done", 0))


def _length(loader: Any) -> int | None:
    try:
        return len(loader)
    except TypeError:
        return None


def _first_non_finite(module: TrainModule) -> str:
    """The first parameter whose value or gradient is NaN or infinite."""
    for name, p in module.named_parameters():
        if not xp.isfinite(p.array).all():
            return f"parameter {name!r} (value)"
        if p.grad is not None and not xp.isfinite(p.grad.array).all():
            return f"parameter {name!r} (gradient)"
    return "no parameter or gradient (check the inputs and the loss)"


__all__ = ["TrainConfig", "Trainer"]
