"""OneCycleLR: the 1cycle policy, a warm-up to a peak rate and a long anneal."""

from __future__ import annotations

import math
from typing import Any, Literal

from scratchgrad.optim.lr_scheduler.base import (
    LRScheduler,
    PerGroup,
    check_optimizer,
    one_per_group,
)
from scratchgrad.optim.optimizer import Optimizer


class OneCycleLR(LRScheduler):
    """The 1cycle policy: warm up to ``max_lr``, then anneal far below the start.

    The rate rises from ``max_lr / div_factor`` to ``max_lr`` over the first
    ``pct_start`` of the steps, then falls to ``initial_lr / final_div_factor`` (with
    ``three_phase``, it first falls back to the start, then to the minimum). Momentum, or
    Adam's beta1, cycles the other way between ``max_momentum`` and ``base_momentum``.
    Step it after every batch.

    Args:
        optimizer: the optimizer.
        max_lr: the peak learning rate, one for all groups or one per group.
        total_steps: the number of steps; or give ``epochs`` and ``steps_per_epoch``.
        epochs: epochs to train, with ``steps_per_epoch``.
        steps_per_epoch: steps per epoch, with ``epochs``.
        pct_start: fraction of the steps spent increasing the rate.
        anneal_strategy: ``"cos"`` or ``"linear"``.
        cycle_momentum: cycle ``group["momentum"]`` (or beta1 of ``group["betas"]``).
        base_momentum: the lower momentum, one value or one per group.
        max_momentum: the upper momentum, one value or one per group.
        div_factor: ``initial_lr = max_lr / div_factor``.
        final_div_factor: ``min_lr = initial_lr / final_div_factor``.
        three_phase: warm up, come back down to ``initial_lr``, then anneal to ``min_lr``.
        last_epoch: index of the last step taken (-1 for a new run).

    Raises:
        ValueError: for a bad step count, ``pct_start`` or ``anneal_strategy``, a list of
            the wrong length, or momentum cycling on an optimizer without momentum.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: PerGroup,
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: Literal["cos", "linear"] = "cos",
        cycle_momentum: bool = True,
        base_momentum: PerGroup = 0.85,
        max_momentum: PerGroup = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        check_optimizer(optimizer)
        self.optimizer = optimizer
        self.total_steps = _total_steps(total_steps, epochs, steps_per_epoch)
        self._schedule_phases = _phases(pct_start, self.total_steps, three_phase)
        if pct_start < 0 or pct_start > 1 or not isinstance(pct_start, float):
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}"
            )
        self._anneal_func_type = anneal_strategy
        if last_epoch == -1:
            for group, top in zip(
                optimizer.param_groups, one_per_group("max_lr", optimizer, max_lr), strict=True
            ):
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self._init_momentum(base_momentum, max_momentum, last_epoch)
        super().__init__(optimizer, last_epoch)

    def _init_momentum(
        self,
        base_momentum: PerGroup,
        max_momentum: PerGroup,
        last_epoch: int,
    ) -> None:
        defaults = self.optimizer.defaults
        if "momentum" not in defaults and "betas" not in defaults:
            raise ValueError(
                "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"
            )
        self.use_beta1 = "betas" in defaults
        tops = one_per_group("max_momentum", self.optimizer, max_momentum)
        bottoms = one_per_group("base_momentum", self.optimizer, base_momentum)
        if last_epoch != -1:
            return
        for top, bottom, group in zip(tops, bottoms, self.optimizer.param_groups, strict=True):
            self._set_momentum(group, top)
            group["max_momentum"] = top
            group["base_momentum"] = bottom

    def _set_momentum(self, group: dict[str, Any], value: float) -> None:
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self) -> list[float]:
        """The rates at this step; also sets the cycled momentum when enabled.

        Raises:
            ValueError: when stepped past ``total_steps``.
        """
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(
                f"Tried to step {step} times. The specified number of total steps is "
                f"{self.total_steps}"
            )
        lrs = []
        for group in self.optimizer.param_groups:
            start = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end = phase["end_step"]
                if step <= end or i == len(self._schedule_phases) - 1:
                    pct = (step - start) / (end - start)
                    break
                start = end
            lrs.append(self._anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct))
            if self.cycle_momentum:
                momentum = self._anneal(
                    group[phase["start_momentum"]], group[phase["end_momentum"]], pct
                )
                self._set_momentum(group, momentum)
        return lrs


def _total_steps(total_steps: int | None, epochs: int | None, steps_per_epoch: int | None) -> int:
    if total_steps is not None:
        if not isinstance(total_steps, int) or total_steps <= 0:
            raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
        return total_steps
    if epochs is None or steps_per_epoch is None:
        raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
    if not isinstance(epochs, int) or epochs <= 0:
        raise ValueError(f"Expected positive integer epochs, but got {epochs}")
    if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
        raise ValueError(f"Expected positive integer steps_per_epoch, but got {steps_per_epoch}")
    return epochs * steps_per_epoch


def _phases(pct_start: float, total_steps: int, three_phase: bool) -> list[dict[str, Any]]:
    """OneCycleLR's phases: where each ends and which group keys it anneals between."""
    up = float(pct_start * total_steps) - 1
    if three_phase:
        return [
            _phase(up, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
            _phase(
                float(2 * pct_start * total_steps) - 2,
                "max_lr",
                "initial_lr",
                "base_momentum",
                "max_momentum",
            ),
            _phase(total_steps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
        ]
    return [
        _phase(up, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
        _phase(total_steps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
    ]


def _phase(end: float, lr0: str, lr1: str, m0: str, m1: str) -> dict[str, Any]:
    return {
        "end_step": end,
        "start_lr": lr0,
        "end_lr": lr1,
        "start_momentum": m0,
        "end_momentum": m1,
    }
