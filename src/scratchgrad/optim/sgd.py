"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from typing import Any

from scratchgrad import kernels
from scratchgrad.backend import Array, xp
from scratchgrad.kernels import optim as optim_kernels
from scratchgrad.optim.optimizer import (
    Optimizer,
    ParamsT,
    axpy_,
    check_nonnegative,
    grad_with_decay,
)
from scratchgrad.tensor import Tensor


def sgd_step(
    p: Array,
    g: Array,
    buf: Array | None,
    *,
    lr: float,
    momentum: float = 0.0,
    dampening: float = 0.0,
    weight_decay: float = 0.0,
    nesterov: bool = False,
    maximize: bool = False,
) -> Array | None:
    """One SGD step on ``p``, in place, exactly as ``torch.optim.SGD``.

    ``d = g + weight_decay * p``; with momentum ``buf = momentum * buf + (1 - dampening) * d``
    (``buf = d`` on the first step), then ``d = buf`` or, Nesterov, ``d += momentum * buf``;
    finally ``p -= lr * d``.

    Args:
        p: parameter, any shape; updated in place.
        g: its gradient, same shape; not modified.
        buf: momentum buffer, same shape, updated in place; None before the first step.
        lr: learning rate.
        momentum: momentum factor (0 disables the buffer).
        dampening: damping of the gradient added to the buffer.
        weight_decay: L2 penalty coefficient.
        nesterov: Nesterov momentum.
        maximize: ascend instead of descend.

    Returns:
        The momentum buffer (a new array on the first step), or None without momentum.

    >>> from scratchgrad.backend import xp
    >>> p = xp.ones(2, dtype=xp.float32)
    >>> buf = sgd_step(p, xp.full(2, 2.0, xp.float32), None, lr=0.1, momentum=0.9)
    >>> p, buf
    (array([0.8, 0.8], dtype=float32), array([2., 2.], dtype=float32))
    """
    d = grad_with_decay(p, g, weight_decay, maximize)
    if momentum != 0 and buf is not None and not nesterov and kernels.takes(p, d, buf):
        scalars = xp.array([momentum, 1 - dampening, -lr], dtype=p.dtype)
        optim_kernels.sgd_momentum(p, d, buf, scalars)  # the lines below in one pass
        return buf
    if momentum != 0:
        if buf is None:
            buf = d.copy() if d is g else d
        else:
            buf *= momentum
            axpy_(buf, 1 - dampening, d)
        d = d + momentum * buf if nesterov else buf
    axpy_(p, -lr, d)
    return buf


class SGD(Optimizer):
    """Stochastic gradient descent, as ``torch.optim.SGD``.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate.
        momentum: momentum factor.
        dampening: dampening for momentum.
        weight_decay: L2 penalty.
        nesterov: Nesterov momentum (needs momentum > 0 and zero dampening).
        maximize: maximize the objective instead of minimizing it.

    State per parameter: ``"momentum_buffer"`` (with momentum, after the first step).

    Raises:
        ValueError: for a negative lr, momentum or weight_decay, or Nesterov without
            momentum or with dampening.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        check_nonnegative(lr=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(
                "Nesterov momentum requires a momentum and zero dampening: "
                f"momentum={momentum!r}, dampening={dampening!r}"
            )
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _update(self, p: Tensor, grad: Array, state: dict[str, Any], group: dict[str, Any]) -> None:
        old = state.get("momentum_buffer")
        buf = sgd_step(
            p.array,
            grad,
            None if old is None else old.array,
            lr=group["lr"],
            momentum=group["momentum"],
            dampening=group["dampening"],
            weight_decay=group["weight_decay"],
            nesterov=group["nesterov"],
            maximize=group["maximize"],
        )
        if old is None and buf is not None:
            state["momentum_buffer"] = Tensor(buf)


__all__ = ["SGD", "sgd_step"]
