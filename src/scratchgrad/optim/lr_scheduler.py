"""Learning-rate schedulers, as ``torch.optim.lr_scheduler``, value for value.

A scheduler changes ``group["lr"]`` of its optimizer's parameter groups each time its
``step()`` is called (after ``optimizer.step()``). The bookkeeping is PyTorch's: the
constructor stores ``group["initial_lr"]`` (the base learning rates) and takes an initial
step, so ``last_epoch`` is 0 afterwards; chainable schedulers multiply the current
``group["lr"]`` each step, with PyTorch's recursive formulas, so values agree with
PyTorch's to the last bit. ``state_dict()`` holds Python numbers, lists and strings only
(JSON-friendly; ReduceLROnPlateau's ``best`` may be ``inf``).

The decays by epoch are defined here; the base class (``_scheduler``), ``OneCycleLR``,
``ReduceLROnPlateau`` and ``SequentialLR`` in private modules, imported from here.

>>> import scratchgrad as sg
>>> from scratchgrad.optim import SGD
>>> opt = SGD([sg.zeros(1, requires_grad=True)], lr=0.1)
>>> sched = StepLR(opt, step_size=2, gamma=0.5)
>>> lrs = []
>>> for epoch in range(4):
...     opt.step()
...     sched.step()
...     lrs.append(sched.get_last_lr()[0])
>>> lrs
[0.1, 0.05, 0.05, 0.025]
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from typing import Any

from scratchgrad.optim._one_cycle import OneCycleLR
from scratchgrad.optim._plateau import ReduceLROnPlateau
from scratchgrad.optim._scheduler import LRScheduler
from scratchgrad.optim._sequential import SequentialLR
from scratchgrad.optim.optimizer import Optimizer


class StepLR(LRScheduler):
    """Multiply the learning rates by ``gamma`` every ``step_size`` epochs.

    Args:
        optimizer: the optimizer.
        step_size: epochs between decays.
        gamma: the decay factor.
        last_epoch: index of the last epoch seen (-1 for a new run).
    """

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The current rates, times ``gamma`` at each multiple of ``step_size``."""
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        return [b * self.gamma ** (self.last_epoch // self.step_size) for b in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Multiply the learning rates by ``gamma`` at each milestone epoch.

    Args:
        optimizer: the optimizer.
        milestones: epochs at which to decay (a repeated epoch decays that many times).
        gamma: the decay factor.
        last_epoch: index of the last epoch seen (-1 for a new run).
    """

    def __init__(
        self,
        optimizer: Optimizer,
        milestones: Iterable[int],
        gamma: float = 0.1,
        last_epoch: int = -1,
    ) -> None:
        self.milestones = sorted(milestones)
        self.gamma = gamma
        self._counts = Counter(self.milestones)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The current rates, times ``gamma`` per milestone at this epoch."""
        if self.last_epoch not in self._counts:
            return self._current_lrs()
        factor = self.gamma ** self._counts[self.last_epoch]
        return [lr * factor for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        n = bisect_right(self.milestones, self.last_epoch)
        return [b * self.gamma**n for b in self.base_lrs]

    def state_dict(self) -> dict[str, Any]:
        """As the base class's, without the milestone counter (rebuilt on load)."""
        state = super().state_dict()
        del state["_counts"]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the attributes and rebuild the milestone counter."""
        super().load_state_dict(state_dict)
        self._counts = Counter(self.milestones)


class ExponentialLR(LRScheduler):
    """Multiply the learning rates by ``gamma`` every epoch.

    Args:
        optimizer: the optimizer.
        gamma: the decay factor.
        last_epoch: index of the last epoch seen (-1 for a new run).
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The current rates times ``gamma`` (unchanged on the initial step)."""
        if self._is_initial:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        return [b * self.gamma**self.last_epoch for b in self.base_lrs]


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


__all__ = [
    "CosineAnnealingLR",
    "ExponentialLR",
    "LRScheduler",
    "LinearLR",
    "MultiStepLR",
    "OneCycleLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
]
