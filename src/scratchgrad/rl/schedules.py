"""Schedules: a hyperparameter as a function of the training progress left.

As in Stable-Baselines3, a schedule takes ``progress_remaining``, which falls from 1 at
the start of ``learn`` to 0 at its end, and returns the value to use now. A schedule is
stored in a saved model's JSON, so only constants and :class:`LinearSchedule` are kept.

>>> LinearSchedule(1e-3)(0.5)
0.0005
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Schedule = Callable[[float], float]
"""A function of ``progress_remaining`` (1 -> 0) that gives a hyperparameter's value."""


@dataclass(frozen=True)
class LinearSchedule:
    """A value that moves linearly from ``start`` (progress 1) to ``end`` (progress 0).

    Args:
        start: the value at the start of training.
        end: the value at the end of training.
    """

    start: float
    end: float = 0.0

    def __call__(self, progress_remaining: float) -> float:
        """The value for ``progress_remaining`` in [0, 1]."""
        return self.end + progress_remaining * (self.start - self.end)


def linear_schedule(start: float, end: float = 0.0) -> LinearSchedule:
    """Stable-Baselines3 zoo's ``lin_<start>``: ``start`` decayed linearly to ``end``.

    Args:
        start: the value at the start of training.
        end: the value at the end of training.
    """
    return LinearSchedule(start, end)


def as_schedule(value: float | Schedule) -> Schedule:
    """``value`` as a schedule: a callable is kept, a number becomes a constant.

    Args:
        value: a number or a schedule.
    """
    if callable(value):
        return value
    constant = float(value)
    return lambda _progress: constant


def schedule_to_json(value: float | Schedule) -> Any:
    """A number as itself, a :class:`LinearSchedule` as ``{"linear": [start, end]}``.

    Raises:
        TypeError: for any other callable, which a saved model cannot hold.
    """
    if isinstance(value, LinearSchedule):
        return {"linear": [value.start, value.end]}
    if callable(value):
        raise TypeError(
            f"save: only numbers and LinearSchedule can be saved, got {value!r}; "
            "use scratchgrad.rl.linear_schedule"
        )
    return value


def schedule_from_json(value: Any) -> Any:
    """The inverse of :func:`schedule_to_json` (other values are returned as they are)."""
    if isinstance(value, dict) and set(value) == {"linear"}:
        return LinearSchedule(*value["linear"])
    return value


__all__ = [
    "LinearSchedule",
    "Schedule",
    "as_schedule",
    "linear_schedule",
    "schedule_from_json",
    "schedule_to_json",
]
