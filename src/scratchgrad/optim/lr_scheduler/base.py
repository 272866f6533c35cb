"""The base of the learning-rate schedulers, and the checks they share.

See :mod:`scratchgrad.optim.lr_scheduler` for the bookkeeping every scheduler follows.
"""

from __future__ import annotations

import copy
import warnings
from abc import ABC, abstractmethod
from typing import Any, TypeAlias

from scratchgrad.optim.optimizer import Optimizer

PerGroup: TypeAlias = float | list[float] | tuple[float, ...]
"""A hyperparameter given once for all parameter groups, or as a list or tuple, one per group."""


class LRScheduler(ABC):
    """Base class of the schedulers: base learning rates, ``last_epoch``, step, state.

    Args:
        optimizer: the optimizer whose learning rates are scheduled.
        last_epoch: index of the last epoch seen; -1 for a new run. A resumed run needs
            ``group["initial_lr"]`` in every group (restored with the optimizer's state).

    Subclasses implement :meth:`get_lr`, the learning rates at ``last_epoch``.
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        check_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when "
                        f"resuming scheduler with last_epoch={last_epoch} >= 0"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._is_initial = False
        self._initial_step()

    def _initial_step(self) -> None:
        """Reset the step count and take the step that sets the epoch-0 learning rates."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    @abstractmethod
    def get_lr(self) -> list[float]:
        """The learning rates for ``last_epoch``, one per parameter group."""

    def _closed_form_lr(self) -> list[float]:
        """The learning rates at ``last_epoch`` computed from ``base_lrs`` directly."""
        return self.get_lr()

    def get_last_lr(self) -> list[float]:
        """The learning rates the last step set, one per parameter group."""
        return list(self._last_lr)

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or jump to ``epoch``, deprecated) and set the learning rates.

        Args:
            epoch: deprecated as in PyTorch; when given, the closed-form rates at it.
        """
        self._step_count += 1
        if epoch is not None:
            warnings.warn(
                "The epoch parameter in `scheduler.step()` is deprecated; the closed form "
                "is used instead of the chainable form",
                UserWarning,
                stacklevel=2,
            )
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            values = self._closed_form_lr()
        for group, lr in zip(self.optimizer.param_groups, values, strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _current_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Every attribute but the optimizer, copied: Python numbers, lists, strings."""
        return {k: copy.deepcopy(v) for k, v in vars(self).items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the attributes saved by :meth:`state_dict`."""
        self.__dict__.update(copy.deepcopy(state_dict))


def check_optimizer(optimizer: Any) -> None:
    """Raise TypeError unless ``optimizer`` is an Optimizer.

    Args:
        optimizer: the object given as a scheduler's optimizer.

    Raises:
        TypeError: if it is not an :class:`~scratchgrad.optim.Optimizer`.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


def one_per_group(name: str, optimizer: Optimizer, value: PerGroup) -> list[float]:
    """One value per parameter group: a list or tuple of that length, or a scalar repeated.

    Args:
        name: the argument's name, for the error message.
        optimizer: the optimizer whose parameter groups count.
        value: one value for all groups, or one per group.

    Returns:
        A new list with one value per parameter group.

    Raises:
        ValueError: if a list or tuple does not have one value per group.
    """
    n = len(optimizer.param_groups)
    if isinstance(value, list | tuple):
        if len(value) != n:
            raise ValueError(
                f"{name} must have the same length as optimizer.param_groups. "
                f"{name} has {len(value)} values, param_groups has {n}."
            )
        return list(value)
    return [value] * n
