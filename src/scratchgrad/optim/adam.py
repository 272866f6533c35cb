"""Adam (with AMSGrad and L2 or decoupled weight decay) and AdamW."""

from __future__ import annotations

from typing import Any

from scratchgrad import kernels
from scratchgrad.backend import Array, xp
from scratchgrad.kernels import optim as optim_kernels
from scratchgrad.optim.optimizer import (
    Optimizer,
    ParamsT,
    addcdiv_,
    addcmul_,
    check_hyperparameter,
    check_nonnegative,
    grad_with_decay,
    lerp_,
    zeros_state,
)
from scratchgrad.tensor import Tensor


def adam_step(
    p: Array,
    g: Array,
    m: Array,
    v: Array,
    *,
    step: float,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float = 0.0,
    decoupled_weight_decay: bool = False,
    maximize: bool = False,
    v_max: Array | None = None,
) -> None:
    """One Adam step on ``p``, in place, exactly as ``torch.optim.Adam`` (single tensor).

    ``m = lerp(m, g, 1 - beta1)``, ``v = beta2 * v + (1 - beta2) * g * g``, then
    ``p -= lr / (1 - beta1**step) * m / (sqrt(v) / sqrt(1 - beta2**step) + eps)``.

    Args:
        p: parameter, any shape; updated in place.
        g: its gradient, same shape; not modified.
        m: first moment (exp_avg), same shape; updated in place.
        v: second moment (exp_avg_sq), same shape; updated in place.
        step: the number of this step, counting from 1.
        lr: learning rate.
        beta1: decay of the first moment.
        beta2: decay of the second moment.
        eps: added to the denominator.
        weight_decay: L2 penalty added to the gradient, or with ``decoupled_weight_decay``
            (AdamW) ``p *= 1 - lr * weight_decay`` before the update.
        decoupled_weight_decay: decay the weights directly instead of through the gradient.
        maximize: ascend instead of descend.
        v_max: AMSGrad's running maximum of ``v``, same shape, updated in place; it
            replaces ``v`` in the denominator. None for plain Adam.

    >>> p = xp.zeros(2, dtype=xp.float32)
    >>> m, v = xp.zeros_like(p), xp.zeros_like(p)
    >>> adam_step(p, xp.array([1, -4], xp.float32), m, v, step=1, lr=0.1, beta1=0.9,
    ...           beta2=0.999, eps=1e-8)
    >>> p
    array([-0.09999999,  0.09999999], dtype=float32)
    """
    g = decayed_grad(p, g, lr, weight_decay, decoupled_weight_decay, maximize)
    step_size = lr / (1 - beta1**step)
    bias_correction2_sqrt = (1 - beta2**step) ** 0.5
    if v_max is None and kernels.takes(p, g, m, v):
        w = p.dtype.type(1 - beta1)  # lerp_'s weight, and 1 - w, as lerp_ rounds them
        scalars = [w, p.dtype.type(1) - w, beta2, 1 - beta2, bias_correction2_sqrt, eps]
        # the lines below in one pass: kernels.optim.adam
        optim_kernels.adam(p, g, m, v, xp.array([*scalars, -step_size], dtype=p.dtype))
        return
    t = xp.empty_like(p)
    update_moments_(m, v, g, beta1, beta2, t)
    if v_max is not None:
        xp.maximum(v_max, v, out=v_max)
    denom = xp.sqrt(v if v_max is None else v_max)
    denom /= bias_correction2_sqrt
    denom += eps
    addcdiv_(p, m, denom, -step_size, t)


class Adam(Optimizer):
    """Adam, as ``torch.optim.Adam``.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate.
        betas: decay rates of the first and second moment estimates.
        eps: added to the denominator for numerical stability.
        weight_decay: L2 penalty (or decoupled decay with ``decoupled_weight_decay``).
        amsgrad: use the running maximum of the second moment (AMSGrad).
        maximize: maximize the objective instead of minimizing it.
        decoupled_weight_decay: decay the weights directly, as AdamW.

    State per parameter: ``"step"`` (float), ``"exp_avg"``, ``"exp_avg_sq"`` and, with
    AMSGrad, ``"max_exp_avg_sq"``.

    Raises:
        ValueError: for a negative lr, eps or weight_decay, or a beta outside [0, 1).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = adam_defaults(
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        """Step 0, zero moments and, with AMSGrad, a zero running maximum."""
        init_moments(p, state)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = zeros_state(p)

    def _update(self, p: Tensor, grad: Array, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] += 1.0
        beta1, beta2 = group["betas"]
        adam_step(
            p.array,
            grad,
            state["exp_avg"].array,
            state["exp_avg_sq"].array,
            step=state["step"],
            lr=group["lr"],
            beta1=beta1,
            beta2=beta2,
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            decoupled_weight_decay=group["decoupled_weight_decay"],
            maximize=group["maximize"],
            v_max=state["max_exp_avg_sq"].array if group["amsgrad"] else None,
        )


class AdamW(Adam):
    """Adam with decoupled weight decay, as ``torch.optim.AdamW``.

    Same as ``Adam(..., decoupled_weight_decay=True)`` with a default weight decay of
    0.01: each step first shrinks the weights, ``p *= 1 - lr * weight_decay``.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate.
        betas: decay rates of the first and second moment estimates.
        eps: added to the denominator for numerical stability.
        weight_decay: decoupled weight decay coefficient.
        amsgrad: use the running maximum of the second moment (AMSGrad).
        maximize: maximize the objective instead of minimizing it.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            maximize=maximize,
            decoupled_weight_decay=True,
        )


# ------------------------------------------------------------------ shared by Adam and NAdam
def adam_defaults(
    lr: float, betas: tuple[float, float], eps: float, weight_decay: float, **others: Any
) -> dict[str, Any]:
    """The defaults of an Adam-like optimizer: the shared four, checked, then ``others``.

    Raises:
        ValueError: naming the first invalid argument and its value, as PyTorch.
    """
    check_nonnegative(lr=lr, eps=eps)
    for i in (0, 1):
        check_hyperparameter(
            0.0 <= betas[i] < 1.0, f"beta parameter at index {i}", f"betas[{i}]", betas[i]
        )
    check_nonnegative(weight_decay=weight_decay)
    betas = (float(betas[0]), float(betas[1]))
    return {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, **others}


def init_moments(p: Tensor, state: dict[str, Any], **scalars: float) -> None:
    """An Adam-like state: step 0, the optimizer's other ``scalars``, zero moments."""
    state["step"] = 0.0
    state.update(scalars)
    state["exp_avg"] = zeros_state(p)
    state["exp_avg_sq"] = zeros_state(p)


def decayed_grad(
    p: Array, g: Array, lr: float, weight_decay: float, decoupled: bool, maximize: bool
) -> Array:
    """The gradient an Adam-like step uses, weight decay applied: L2 (added) or decoupled.

    Decoupled (AdamW) decay shrinks the weights here, in place: ``p *= 1 - lr * weight_decay``.
    """
    if weight_decay != 0 and decoupled:
        p *= 1 - lr * weight_decay
        weight_decay = 0.0
    return grad_with_decay(p, g, weight_decay, maximize)


def update_moments_(m: Array, v: Array, g: Array, beta1: float, beta2: float, t: Array) -> None:
    """The moment estimates, in place; ``t`` is scratch of their shape.

    ``m = lerp(m, g, 1 - beta1)``, ``v = beta2 * v + (1 - beta2) * g * g``.
    """
    lerp_(m, g, 1 - beta1, t)
    v *= beta2
    addcmul_(v, g, g, 1 - beta2, t)


__all__ = ["Adam", "AdamW", "adam_step"]
