"""Adagrad: per-coordinate learning rates from the sum of squared gradients."""

from __future__ import annotations

from typing import Any

from scratchgrad.backend import Array, xp
from scratchgrad.optim.optimizer import (
    Optimizer,
    ParamsT,
    addcdiv_,
    check_nonnegative,
    grad_with_decay,
)
from scratchgrad.tensor import Tensor


def adagrad_step(
    p: Array,
    g: Array,
    state_sum: Array,
    *,
    step: float,
    lr: float,
    lr_decay: float = 0.0,
    weight_decay: float = 0.0,
    eps: float = 1e-10,
    maximize: bool = False,
) -> None:
    """One Adagrad step on ``p``, in place, exactly as ``torch.optim.Adagrad``.

    ``sum += g * g``, then ``p -= lr / (1 + (step - 1) * lr_decay) * g / (sqrt(sum) + eps)``.

    Args:
        p: parameter, any shape; updated in place.
        g: its gradient, same shape; not modified.
        state_sum: running sum of squared gradients, same shape; updated in place.
        step: the number of this step, counting from 1.
        lr: learning rate.
        lr_decay: learning-rate decay per step.
        weight_decay: L2 penalty.
        eps: added to the denominator.
        maximize: ascend instead of descend.

    >>> p = xp.zeros(1, dtype=xp.float32)
    >>> adagrad_step(p, xp.full(1, 2.0, xp.float32), xp.zeros_like(p), step=1, lr=0.5)
    >>> p
    array([-0.5], dtype=float32)
    """
    g = grad_with_decay(p, g, weight_decay, maximize)
    clr = lr / (1 + (step - 1) * lr_decay)
    state_sum += g * g
    std = xp.sqrt(state_sum)
    std += eps
    addcdiv_(p, g, std, -clr, xp.empty_like(p))


class Adagrad(Optimizer):
    """Adagrad, as ``torch.optim.Adagrad``.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate.
        lr_decay: learning-rate decay.
        weight_decay: L2 penalty.
        initial_accumulator_value: starting value of the sums of squared gradients.
        eps: added to the denominator for numerical stability.
        maximize: maximize the objective instead of minimizing it.

    State per parameter, created for every parameter at construction as PyTorch does:
    ``"step"`` (float) and ``"sum"``.

    Raises:
        ValueError: for a negative lr, lr_decay, weight_decay, initial_accumulator_value
            or eps.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        check_nonnegative(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "maximize": maximize,
        }
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, self.state[p], group)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        """Step 0 and the initial sums; at construction, and for a group added later."""
        state["step"] = 0.0
        state["sum"] = Tensor(xp.full_like(p.array, group["initial_accumulator_value"]))

    def _update(self, p: Tensor, grad: Array, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] += 1.0
        adagrad_step(
            p.array,
            grad,
            state["sum"].array,
            step=state["step"],
            lr=group["lr"],
            lr_decay=group["lr_decay"],
            weight_decay=group["weight_decay"],
            eps=group["eps"],
            maximize=group["maximize"],
        )


__all__ = ["Adagrad", "adagrad_step"]
