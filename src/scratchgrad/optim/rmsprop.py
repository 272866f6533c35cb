"""RMSprop: divide the gradient by a running root mean square (Hinton's lecture 6e)."""

from __future__ import annotations

from typing import Any

from scratchgrad.backend import Array, xp
from scratchgrad.optim.optimizer import (
    Optimizer,
    ParamsT,
    addcdiv_,
    addcmul_,
    axpy_,
    check_nonnegative,
    grad_with_decay,
    lerp_,
    zeros_state,
)
from scratchgrad.tensor import Tensor


def rmsprop_step(
    p: Array,
    g: Array,
    square_avg: Array,
    *,
    lr: float,
    alpha: float,
    eps: float,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    maximize: bool = False,
    grad_avg: Array | None = None,
    momentum_buffer: Array | None = None,
) -> None:
    """One RMSprop step on ``p``, in place, exactly as ``torch.optim.RMSprop``.

    ``s = alpha * s + (1 - alpha) * g * g``; centered: ``a = lerp(a, g, 1 - alpha)`` and
    ``s - a * a`` replaces ``s``; then ``p -= lr * g / (sqrt(s) + eps)``, or with momentum
    ``b = momentum * b + g / (sqrt(s) + eps)`` and ``p -= lr * b``.

    Args:
        p: parameter, any shape; updated in place.
        g: its gradient, same shape; not modified.
        square_avg: running mean of squared gradients, same shape; updated in place.
        lr: learning rate.
        alpha: smoothing constant of the running means.
        eps: added to the denominator.
        weight_decay: L2 penalty.
        momentum: momentum factor; needs ``momentum_buffer`` when > 0.
        maximize: ascend instead of descend.
        grad_avg: running mean of gradients (centered RMSprop), updated in place; None
            for the plain variant.
        momentum_buffer: the momentum buffer, updated in place.

    >>> p = xp.zeros(1, dtype=xp.float32)
    >>> rmsprop_step(p, xp.full(1, 3.0, xp.float32), xp.zeros_like(p), lr=0.01, alpha=0.99,
    ...              eps=1e-8)
    >>> p
    array([-0.1], dtype=float32)
    """
    t = xp.empty_like(p)
    g = grad_with_decay(p, g, weight_decay, maximize)
    square_avg *= alpha
    addcmul_(square_avg, g, g, 1 - alpha, t)
    if grad_avg is not None:
        lerp_(grad_avg, g, 1 - alpha, t)
        avg = xp.multiply(grad_avg, grad_avg)
        xp.subtract(square_avg, avg, out=avg)
        xp.sqrt(avg, out=avg)
    else:
        avg = xp.sqrt(square_avg)
    avg += eps
    if momentum > 0:
        if momentum_buffer is None:
            raise ValueError("rmsprop_step: momentum > 0 needs a momentum_buffer")
        momentum_buffer *= momentum
        addcdiv_(momentum_buffer, g, avg, 1.0, t)
        axpy_(p, -lr, momentum_buffer)
    else:
        addcdiv_(p, g, avg, -lr, t)


class RMSprop(Optimizer):
    """RMSprop, as ``torch.optim.RMSprop``.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate.
        alpha: smoothing constant.
        eps: added to the denominator for numerical stability.
        weight_decay: L2 penalty.
        momentum: momentum factor.
        centered: normalize by an estimate of the gradient's variance.
        maximize: maximize the objective instead of minimizing it.

    State per parameter: ``"step"`` (float), ``"square_avg"``, ``"momentum_buffer"``
    (momentum > 0) and ``"grad_avg"`` (centered).

    Raises:
        ValueError: for a negative lr, eps, momentum, weight_decay or alpha.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        check_nonnegative(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        """Step 0 and zero running means (and momentum buffer, with momentum)."""
        state["step"] = 0.0
        state["square_avg"] = zeros_state(p)
        if group["momentum"] > 0:
            state["momentum_buffer"] = zeros_state(p)
        if group["centered"]:
            state["grad_avg"] = zeros_state(p)

    def _update(self, p: Tensor, grad: Array, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] += 1.0
        rmsprop_step(
            p.array,
            grad,
            state["square_avg"].array,
            lr=group["lr"],
            alpha=group["alpha"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            momentum=group["momentum"],
            maximize=group["maximize"],
            grad_avg=state["grad_avg"].array if group["centered"] else None,
            momentum_buffer=state["momentum_buffer"].array if group["momentum"] > 0 else None,
        )


__all__ = ["RMSprop", "rmsprop_step"]
