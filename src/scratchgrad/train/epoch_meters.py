"""EpochMeters: the metrics one stage of one epoch accumulates, batch by batch.

The Trainer keeps one for training and one per evaluation: the loss (a mean weighted by
batch size), the task's metrics (accuracy, F1, ... from ``build_metrics``) and any value
a step logged with ``TrainModule.log``. Their state goes into mid-epoch checkpoints, so a
resumed epoch reports what an unbroken one would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scratchgrad.backend import xp
from scratchgrad.train.metrics import MeanMetric, Metric, build_metrics

if TYPE_CHECKING:
    from scratchgrad.train.module import StepOutput, TrainModule


class EpochMeters:
    """Named metrics for one stage of an epoch.

    Args:
        metrics: the starting metrics by name (more appear as steps log values).
    """

    def __init__(self, metrics: Mapping[str, Metric] | None = None) -> None:
        self.metrics: dict[str, Metric] = dict(metrics or {})

    @classmethod
    def for_module(cls, module: TrainModule) -> EpochMeters:
        """The loss, and the standard metrics of the module's ``task``."""
        metrics: dict[str, Metric] = {"loss": MeanMetric()}
        if module.task is not None:
            metrics |= build_metrics(module.task, module.num_classes)  # type: ignore[arg-type]
        return cls(metrics)

    def update(self, out: StepOutput, loss: float, logged: Mapping[str, float]) -> None:
        """Add one batch: its loss and logged values (weighted by its size), its predictions.

        Args:
            out: the step's output; ``preds`` (N, ...) and ``target`` (N, ...) if given.
            loss: the batch's mean loss.
            logged: the values the step logged.
        """
        n = len(out.target) if out.target is not None and out.target.ndim else 1
        self.log({"loss": loss, **logged}, n)
        if out.preds is None or out.target is None:
            return
        for meter in self.metrics.values():
            if not isinstance(meter, MeanMetric):  # the loss and logged values: done above
                meter.update(out.preds, out.target)

    def log(self, values: Mapping[str, float], n: int = 1) -> None:
        """Average each value into its running mean (created on first sight), weight ``n``."""
        for name, value in values.items():
            self.metrics.setdefault(name, MeanMetric()).update(value, n)

    def compute(self, stage: str) -> dict[str, float]:
        """``{"<stage>_<name>": value}`` for every scalar metric (per-class arrays left out)."""
        out = {}
        for name, meter in self.metrics.items():
            value = meter.compute()
            if xp.ndim(value) == 0:
                out[f"{stage}_{name}"] = float(value)
        return out

    def state_dict(self) -> dict[str, Any]:
        """Each metric's accumulated statistics, for a mid-epoch checkpoint."""
        return {name: meter.state_dict() for name, meter in self.metrics.items()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore :meth:`state_dict`'s output (logged means are recreated by name)."""
        for name, values in state.items():
            self.metrics.setdefault(name, MeanMetric()).load_state_dict(values)


__all__ = ["EpochMeters"]
