"""Adadelta: step sizes from running means of squared gradients and squared updates."""

from __future__ import annotations

from typing import Any

from scratchgrad.backend import Array, xp
from scratchgrad.optim.optimizer import (
    Optimizer,
    ParamsT,
    addcmul_,
    axpy_,
    check_hyperparameter,
    check_nonnegative,
    grad_with_decay,
    zeros_state,
)
from scratchgrad.tensor import Tensor


def adadelta_step(
    p: Array,
    g: Array,
    square_avg: Array,
    acc_delta: Array,
    *,
    lr: float,
    rho: float,
    eps: float,
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> None:
    """One Adadelta step on ``p``, in place, exactly as ``torch.optim.Adadelta``.

    ``s = rho * s + (1 - rho) * g * g``, ``delta = sqrt(a + eps) / sqrt(s + eps) * g``,
    ``a = rho * a + (1 - rho) * delta * delta``, then ``p -= lr * delta``.

    Args:
        p: parameter, any shape; updated in place.
        g: its gradient, same shape; not modified.
        square_avg: running mean of squared gradients, same shape; updated in place.
        acc_delta: running mean of squared updates, same shape; updated in place.
        lr: coefficient that scales ``delta`` before it is applied.
        rho: smoothing constant of both running means.
        eps: added inside both square roots.
        weight_decay: L2 penalty.
        maximize: ascend instead of descend.

    >>> p = xp.zeros(1, dtype=xp.float32)
    >>> adadelta_step(p, xp.full(1, 2.0, xp.float32), xp.zeros_like(p), xp.zeros_like(p),
    ...               lr=1.0, rho=0.9, eps=1e-6)
    >>> p
    array([-0.00316227], dtype=float32)
    """
    t = xp.empty_like(p)
    g = grad_with_decay(p, g, weight_decay, maximize)
    square_avg *= rho
    addcmul_(square_avg, g, g, 1 - rho, t)
    std = xp.add(square_avg, eps)
    xp.sqrt(std, out=std)
    delta = xp.add(acc_delta, eps)
    xp.sqrt(delta, out=delta)
    delta /= std
    delta *= g
    acc_delta *= rho
    addcmul_(acc_delta, delta, delta, 1 - rho, t)
    axpy_(p, -lr, delta)


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012), as ``torch.optim.Adadelta``.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: coefficient that scales each update.
        rho: smoothing constant of the running means, in [0, 1].
        eps: added inside the square roots for numerical stability.
        weight_decay: L2 penalty.
        foreach: accepted for torch compatibility; the NumPy update is the same either way.
        capturable: CUDA-graph capture; only False is supported (no GPU here).
        maximize: maximize the objective instead of minimizing it.
        differentiable: autograd through the step; only False is supported.

    State per parameter: ``"step"`` (float), ``"square_avg"`` and ``"acc_delta"``.

    Raises:
        ValueError: for a negative lr, eps or weight_decay, or rho outside [0, 1].
        NotImplementedError: for ``capturable=True`` or ``differentiable=True``.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_nonnegative(lr=lr)
        check_hyperparameter(0.0 <= rho <= 1.0, "rho value", "rho", rho)
        check_nonnegative(eps=eps, weight_decay=weight_decay)
        for name, value in (("capturable", capturable), ("differentiable", differentiable)):
            if value:
                raise NotImplementedError(f"Adadelta: {name}=True is not supported on the CPU")
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "capturable": capturable,
            "foreach": foreach,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        """Step 0 and zero running means."""
        state["step"] = 0.0
        state["square_avg"] = zeros_state(p)
        state["acc_delta"] = zeros_state(p)

    def _update(self, p: Tensor, grad: Array, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] += 1.0
        adadelta_step(
            p.array,
            grad,
            state["square_avg"].array,
            state["acc_delta"].array,
            lr=group["lr"],
            rho=group["rho"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            maximize=group["maximize"],
        )


__all__ = ["Adadelta", "adadelta_step"]
