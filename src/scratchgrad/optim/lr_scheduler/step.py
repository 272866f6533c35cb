"""Decays by a factor ``gamma``: every ``step_size`` epochs, at milestones, every epoch.

StepLR, MultiStepLR and ExponentialLR multiply the current rates by ``gamma`` on their
epochs (PyTorch's chainable form); a deprecated ``step(epoch)`` uses the closed form
``base_lr * gamma ** n``.

>>> import scratchgrad as sg
>>> from scratchgrad.optim import SGD
>>> opt = SGD([sg.zeros(1, requires_grad=True)], lr=0.1)
>>> sched = MultiStepLR(opt, milestones=[1, 3], gamma=0.5)
>>> lrs = []
>>> for epoch in range(4):
...     opt.step()
...     sched.step()
...     lrs.append(sched.get_last_lr()[0])
>>> lrs
[0.05, 0.05, 0.025, 0.025]
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from typing import Any

from scratchgrad.optim.lr_scheduler.base import LRScheduler
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


__all__ = ["ExponentialLR", "MultiStepLR", "StepLR"]
