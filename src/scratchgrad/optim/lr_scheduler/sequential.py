"""SequentialLR: schedulers run one after another, switching at milestone epochs."""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from scratchgrad.optim.lr_scheduler.base import LRScheduler
from scratchgrad.optim.lr_scheduler.plateau import ReduceLROnPlateau
from scratchgrad.optim.optimizer import Optimizer


class SequentialLR(LRScheduler):
    """Run schedulers one after another, switching at the milestone epochs.

    Args:
        optimizer: the optimizer all the schedulers belong to.
        schedulers: the schedulers, in order.
        milestones: the epochs at which the next scheduler takes over (one fewer).
        last_epoch: index of the last epoch seen (-1 for a new run).

    Raises:
        ValueError: for no schedulers, a ReduceLROnPlateau, a scheduler of another
            optimizer, or the wrong number of milestones.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedulers: Sequence[LRScheduler],
        milestones: Sequence[int],
        last_epoch: int = -1,
    ) -> None:
        _check_sequence(optimizer, schedulers, milestones)
        self.optimizer = optimizer
        self._schedulers = list(schedulers)
        self._milestones = list(milestones)
        self.last_epoch = last_epoch + 1
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for s in self._schedulers:  # undo the initial step each of them took
            _undo_initial_step(s)
        first = self._schedulers[bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def get_lr(self) -> list[float]:
        """The rates of the scheduler now in charge."""
        return self._schedulers[bisect_right(self._milestones, self.last_epoch)].get_last_lr()

    def step(self, epoch: int | None = None) -> None:
        """Step the scheduler in charge; at a milestone, start the next one from epoch 0."""
        if epoch is not None:
            raise TypeError("SequentialLR.step() takes no epoch")
        self.last_epoch += 1
        idx = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[idx]
        if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()

    def state_dict(self) -> dict[str, Any]:
        """Its own attributes and, under ``"_schedulers"``, each scheduler's state."""
        state = {
            k: copy.deepcopy(v)
            for k, v in vars(self).items()
            if k not in ("optimizer", "_schedulers")
        }
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore its attributes and each scheduler's state."""
        own = {k: v for k, v in state_dict.items() if k != "_schedulers"}
        self.__dict__.update(copy.deepcopy(own))
        for s, saved in zip(self._schedulers, state_dict["_schedulers"], strict=True):
            s.load_state_dict(saved)


def _undo_initial_step(s: LRScheduler) -> None:
    if isinstance(s, SequentialLR):
        for inner in s._schedulers:
            _undo_initial_step(inner)
    else:
        s.last_epoch -= 1


def _check_sequence(
    optimizer: Optimizer, schedulers: Sequence[LRScheduler], milestones: Sequence[int]
) -> None:
    if len(schedulers) < 1:
        raise ValueError("SequentialLR expects at least one scheduler, but got no scheduler.")
    for i, s in enumerate(schedulers):
        if isinstance(s, ReduceLROnPlateau):
            raise ValueError(
                f"SequentialLR does not support `ReduceLROnPlateau` scheduler (index {i}): "
                "its step needs a metric"
            )
        if s.optimizer is not optimizer:
            raise ValueError(
                f"SequentialLR expects all schedulers to belong to the same optimizer, but "
                f"scheduler {type(s).__name__} at index {i} has another one"
            )
    if len(milestones) != len(schedulers) - 1:
        raise ValueError(
            "Sequential Schedulers expects number of schedulers provided to be one more than "
            f"the number of milestone points, but got number of schedulers {len(schedulers)} "
            f"and the number of milestones to be equal to {len(milestones)}"
        )
