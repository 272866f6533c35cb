"""NAdam: Adam with Nesterov momentum and a momentum schedule (Dozat, 2016)."""

from __future__ import annotations

from typing import Any, ClassVar

from scratchgrad.backend import Array, xp
from scratchgrad.optim.adam import adam_defaults, decayed_grad, init_moments, update_moments_
from scratchgrad.optim.optimizer import Optimizer, ParamsT, addcdiv_, check_nonnegative
from scratchgrad.tensor import Tensor


def nadam_step(
    p: Array,
    g: Array,
    m: Array,
    v: Array,
    *,
    step: float,
    mu_product: float,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float = 0.0,
    momentum_decay: float = 4e-3,
    decoupled_weight_decay: bool = False,
    maximize: bool = False,
) -> float:
    """One NAdam step on ``p``, in place, exactly as ``torch.optim.NAdam`` (single tensor).

    With ``mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))``: the moments are
    updated as in Adam, then
    ``p -= lr * ((1 - mu_t) / (1 - prod mu) * g + mu_{t+1} / (1 - prod mu * mu_{t+1}) * m)
    / (sqrt(v / (1 - beta2**t)) + eps)``.

    Args:
        p: parameter, any shape; updated in place.
        g: its gradient, same shape; not modified.
        m: first moment (exp_avg), same shape; updated in place.
        v: second moment (exp_avg_sq), same shape; updated in place.
        step: the number of this step, counting from 1.
        mu_product: the product of the momentum factors of the earlier steps (1 at first).
        lr: learning rate.
        beta1: decay of the first moment.
        beta2: decay of the second moment.
        eps: added to the denominator.
        weight_decay: L2 penalty, or decoupled decay with ``decoupled_weight_decay``.
        momentum_decay: the ``psi`` of the momentum schedule.
        decoupled_weight_decay: decay the weights directly (``p *= 1 - lr * wd``).
        maximize: ascend instead of descend.

    Returns:
        The new ``mu_product`` (rounded to float32, as PyTorch keeps it in a float32
        tensor).

    >>> p = xp.zeros(1, dtype=xp.float32)
    >>> m, v = xp.zeros_like(p), xp.zeros_like(p)
    >>> mu = nadam_step(p, xp.ones(1, xp.float32), m, v, step=1, mu_product=1.0, lr=0.1,
    ...                 beta1=0.9, beta2=0.999, eps=1e-8)
    >>> round(mu, 4), p.round(4)
    (0.4501, array([-0.1056], dtype=float32))
    """
    t = xp.empty_like(p)
    bias_correction2 = 1 - beta2**step
    g = decayed_grad(p, g, lr, weight_decay, decoupled_weight_decay, maximize)
    mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
    mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
    mu_product = float(xp.float32(mu_product) * xp.float32(mu))
    update_moments_(m, v, g, beta1, beta2, t)
    denom = v / bias_correction2
    xp.sqrt(denom, out=denom)
    denom += eps
    addcdiv_(p, g, denom, -lr * (1.0 - mu) / (1.0 - mu_product), t)
    addcdiv_(p, m, denom, (-lr * mu_next) / (1.0 - mu_product * mu_next), t)
    return mu_product


class NAdam(Optimizer):
    """NAdam, as ``torch.optim.NAdam``.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate.
        betas: decay rates of the first and second moment estimates.
        eps: added to the denominator for numerical stability.
        weight_decay: L2 penalty (or decoupled decay with ``decoupled_weight_decay``).
        momentum_decay: the momentum schedule's decay (psi).
        decoupled_weight_decay: decay the weights directly, as AdamW (NAdamW).
        maximize: maximize the objective instead of minimizing it.

    State per parameter: ``"step"`` and ``"mu_product"`` (floats), ``"exp_avg"``,
    ``"exp_avg_sq"``.

    Raises:
        ValueError: for a negative lr, eps, weight_decay or momentum_decay, or a beta
            outside [0, 1).
    """

    _scalar_state: ClassVar[frozenset[str]] = frozenset({"step", "mu_product"})

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = adam_defaults(
            lr,
            betas,
            eps,
            weight_decay,
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
        )
        check_nonnegative(momentum_decay=momentum_decay)
        super().__init__(params, defaults)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        """Step 0, a momentum product of 1, zero moments."""
        init_moments(p, state, mu_product=1.0)

    def _update(self, p: Tensor, grad: Array, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] += 1.0
        beta1, beta2 = group["betas"]
        state["mu_product"] = nadam_step(
            p.array,
            grad,
            state["exp_avg"].array,
            state["exp_avg_sq"].array,
            step=state["step"],
            mu_product=state["mu_product"],
            lr=group["lr"],
            beta1=beta1,
            beta2=beta2,
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            momentum_decay=group["momentum_decay"],
            decoupled_weight_decay=group["decoupled_weight_decay"],
            maximize=group["maximize"],
        )


__all__ = ["NAdam", "nadam_step"]
