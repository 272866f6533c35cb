"""ReduceLROnPlateau: decay the rates when a metric has stopped improving."""

from __future__ import annotations

import math
from typing import Literal, SupportsFloat

from scratchgrad.optim.lr_scheduler.base import (
    LRScheduler,
    PerGroup,
    check_optimizer,
    one_per_group,
)
from scratchgrad.optim.optimizer import Optimizer


class ReduceLROnPlateau(LRScheduler):
    """Multiply the rates by ``factor`` when a metric has stopped improving.

    Call ``step(metric)`` once per epoch with the validation metric. After more than
    ``patience`` epochs without an improvement by ``threshold`` (relative or absolute),
    every rate becomes ``max(lr * factor, min_lr)`` (unless that changes it by less than
    ``eps``), then ``cooldown`` epochs pass before bad epochs count again.

    Args:
        optimizer: the optimizer.
        mode: ``"min"`` (loss) or ``"max"`` (accuracy).
        factor: the decay factor, < 1.
        patience: bad epochs tolerated before a decay.
        threshold: the smallest improvement that counts.
        threshold_mode: ``"rel"`` (``best * (1 -/+ threshold)``) or ``"abs"``.
        cooldown: epochs to wait after a decay.
        min_lr: the lower bound, one for all groups or one per group.
        eps: the smallest change of a rate worth making.

    Raises:
        ValueError: for ``factor >= 1``, an unknown mode, or a ``min_lr`` list of the
            wrong length.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: Literal["min", "max"] = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: Literal["rel", "abs"] = "rel",
        cooldown: int = 0,
        min_lr: PerGroup = 0,
        eps: float = 1e-8,
    ) -> None:
        if factor >= 1.0:
            raise ValueError(f"Factor should be < 1.0: factor={factor!r}")
        check_optimizer(optimizer)
        if mode not in ("min", "max"):
            raise ValueError(f"mode {mode} is unknown!")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold mode {threshold_mode} is unknown!")
        self.optimizer = optimizer
        self.factor = factor
        self.min_lrs = one_per_group("min_lr", optimizer, min_lr)
        per_group = isinstance(min_lr, list | tuple)
        self.default_min_lr = None if per_group else self.min_lrs[0]
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.last_epoch = 0
        self._last_lr = self._current_lrs()
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def get_lr(self) -> list[float]:
        """The current rates: only :meth:`step` with a metric changes them."""
        return self._current_lrs()

    # PyTorch's API: an LRScheduler whose step needs a metric, so it narrows the base's
    # step(epoch=None); isinstance(s, LRScheduler) must stay True, as in PyTorch.
    def step(self, metrics: SupportsFloat, epoch: int | None = None) -> None:  # type: ignore[override]
        """Record one epoch's metric and decay the rates after a plateau.

        Args:
            metrics: the metric of this epoch (a number or a one-element tensor).
            epoch: deprecated, as in PyTorch.
        """
        current = float(metrics)
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        if self._is_better(current):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs in cooldown do not count
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self._current_lrs()

    @property
    def in_cooldown(self) -> bool:
        """Whether decays are paused after the last one."""
        return self.cooldown_counter > 0

    def _is_better(self, a: float) -> bool:
        best, th = self.best, self.threshold
        if self.mode == "min":
            return a < best * (1.0 - th) if self.threshold_mode == "rel" else a < best - th
        return a > best * (th + 1.0) if self.threshold_mode == "rel" else a > best + th

    def _reduce_lr(self) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise RuntimeError(
                    f"The number of param groups in the `optimizer` ({len(groups)}) differs "
                    f"from when `ReduceLROnPlateau` was initialized ({len(self.min_lrs)})"
                )
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, min_lr in zip(groups, self.min_lrs, strict=True):
            old = float(group["lr"])
            new = max(old * self.factor, min_lr)
            if old - new > self.eps:
                group["lr"] = new
