"""Negative log-likelihood loss modules, as ``torch.nn``: PoissonNLLLoss and GaussianNLLLoss.

The functions are in :mod:`scratchgrad.ops.loss.likelihood`; settings and reductions as
every loss (see :mod:`scratchgrad.nn.loss`).
"""

from __future__ import annotations

from scratchgrad.nn.loss import _Loss
from scratchgrad.ops.loss.likelihood import gaussian_nll_loss, poisson_nll_loss
from scratchgrad.tensor import Tensor


class PoissonNLLLoss(_Loss):
    """Poisson negative log-likelihood of counts: exp(x) - y x (x a log rate). (*), (*) -> loss.

    Args:
        log_input: the input holds log rates (else rates: x - y log(x + eps)).
        full: add Stirling's approximation of log(y!).
        size_average, reduce: deprecated, use reduction.
        eps: keeps log(x) finite when the input holds rates.
        reduction: "none", "mean" or "sum".
    """

    _function = poisson_nll_loss
    _settings = ("log_input", "full", "eps", "reduction")

    def __init__(
        self,
        log_input: bool = True,
        full: bool = False,
        size_average: bool | None = None,
        eps: float = 1e-8,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input = log_input
        self.full = full
        self.eps = eps


class GaussianNLLLoss(_Loss):
    """Gaussian negative log-likelihood: 0.5 (log var + (x - y)^2 / var), var at least eps.

    Args:
        full: add the constant 0.5 log(2 pi).
        eps: the smallest variance used.
        reduction: "none", "mean" or "sum".

    Shape:
        forward(input (*), target (*), var (*), (*) with a dim of size 1, or (*) less
        its last dim) -> () or (*) for "none".
    """

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(reduction=reduction)
        self.full = full
        self.eps = eps

    def forward(  # type: ignore[override]
        self,
        input: Tensor,  # noqa: A002 - PyTorch's name
        target: Tensor,
        var: Tensor | float,
    ) -> Tensor:
        """gaussian_nll_loss(input, target, var, full, eps, reduction)."""
        return gaussian_nll_loss(input, target, var, self.full, self.eps, self.reduction)


__all__ = ["GaussianNLLLoss", "PoissonNLLLoss"]
