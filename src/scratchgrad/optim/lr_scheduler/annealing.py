"""Annealing between two rates over a span of epochs: a half cosine, or a straight line.

CosineAnnealingLR and LinearLR (the usual warm-up) follow PyTorch's recursive formulas,
so their values match PyTorch's to the bit; a deprecated ``step(epoch)`` uses the closed
form.

>>> import scratchgrad as sg
>>> from scratchgrad.optim import SGD
>>> opt = SGD([sg.zeros(1, requires_grad=True)], lr=1.0)
>>> sched = LinearLR(opt, start_factor=0.25, total_iters=3)
>>> [round(lr, 4) for lr in sched.get_last_lr()]
[0.25]
"""

from __future__ import annotations

import math

from scratchgrad.optim.lr_scheduler.base import LRScheduler
from scratchgrad.optim.optimizer import Optimizer


class CosineAnnealingLR(LRScheduler):
    """Anneal from the base rates to ``eta_min`` along half a cosine over ``T_max`` epochs.

    ``lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2``, computed
    with PyTorch's recursive form, so it also follows changes made to the rates by others.

    Args:
        optimizer: the optimizer.
        T_max: epochs of one half period.
        eta_min: the minimum learning rate.
        last_epoch: index of the last epoch seen (-1 for a new run).
    """

    def __init__(
        self,
        optimizer: Optimizer,
        T_max: int,  # noqa: N803 - PyTorch's name
        eta_min: float = 0.0,
        last_epoch: int = -1,
    ) -> None:
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The next rates by PyTorch's recursive cosine formula."""
        e, t, lo = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current_lrs()
        if self._step_count == 1 and e > 0:
            return [lo + (b - lo) * (1 + math.cos(e * math.pi / t)) / 2 for b in self.base_lrs]
        if (e - 1 - t) % (2 * t) == 0:
            return [
                lr + (b - lo) * (1 - math.cos(math.pi / t)) / 2
                for b, lr in zip(self.base_lrs, self._current_lrs(), strict=True)
            ]
        ratio = (1 + math.cos(math.pi * e / t)) / (1 + math.cos(math.pi * (e - 1) / t))
        return [ratio * (lr - lo) + lo for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        e, t, lo = self.last_epoch, self.T_max, self.eta_min
        return [lo + (b - lo) * (1 + math.cos(math.pi * e / t)) / 2 for b in self.base_lrs]


class LinearLR(LRScheduler):
    """Scale the rates linearly from ``start_factor`` to ``end_factor`` over ``total_iters``.

    The usual warm-up: ``LinearLR(opt, start_factor=0.01, total_iters=100)``.

    Args:
        optimizer: the optimizer.
        start_factor: the factor at epoch 0, in (0, 1].
        end_factor: the factor from ``total_iters`` on, in [0, 1].
        total_iters: epochs of the ramp.
        last_epoch: index of the last epoch seen (-1 for a new run).

    Raises:
        ValueError: for a factor out of its range.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError(
                "Starting multiplicative factor expected to be greater than 0 and less or "
                f"equal to 1: start_factor={start_factor!r}"
            )
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError(
                f"Ending multiplicative factor expected to be between 0 and 1: "
                f"end_factor={end_factor!r}"
            )
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The next rates by PyTorch's recursive linear formula."""
        if self.last_epoch == 0:
            return [lr * self.start_factor for lr in self._current_lrs()]
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._current_lrs()
        span = self.end_factor - self.start_factor
        factor = 1.0 + span / (self.total_iters * self.start_factor + (self.last_epoch - 1) * span)
        return [lr * factor for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        span = self.end_factor - self.start_factor
        done = min(self.total_iters, self.last_epoch)
        return [b * (self.start_factor + span * done / self.total_iters) for b in self.base_lrs]


__all__ = ["CosineAnnealingLR", "LinearLR"]
