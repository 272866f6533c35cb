"""Layers that draw random numbers in training, besides Dropout: RReLU, (Feature)AlphaDropout.

All are deterministic in evaluation (``module.eval()``): RReLU is then a leaky ReLU of
slope (lower + upper) / 2, the alpha dropouts the identity.
"""

from __future__ import annotations

from scratchgrad.nn.linear import Dropout
from scratchgrad.nn.module import Module
from scratchgrad.ops.neural.stochastic import alpha_dropout, feature_alpha_dropout, rrelu
from scratchgrad.tensor import Tensor


class RReLU(Module):
    """Randomized leaky ReLU: slope a ~ U(lower, upper) per element for x < 0 in training.

    Args:
        lower: lowest slope.
        upper: highest slope.
        inplace: accepted for PyTorch compatibility; the result is always a new tensor.

    Shape:
        (*) -> (*).

    >>> import scratchgrad as sg
    >>> RReLU(0.25, 0.75).eval()(sg.tensor([-2.0, 1.0])).tolist()
    [-1.0, 1.0]
    """

    def __init__(
        self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False
    ) -> None:
        super().__init__()
        self.lower = lower
        self.upper = upper
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        """rrelu(x, lower, upper, training)."""
        return rrelu(x, self.lower, self.upper, self.training)

    def extra_repr(self) -> str:
        """``lower=0.125, upper=0.3333333333333333``, then ``, inplace=True`` if set."""
        inplace = ", inplace=True" if self.inplace else ""
        return f"lower={self.lower}, upper={self.upper}{inplace}"


class AlphaDropout(Dropout):
    """Dropout that keeps zero mean and unit variance, for self-normalising (SELU) networks.

    Args:
        p: probability of an element being dropped, in [0, 1].
        inplace: accepted for PyTorch compatibility; the result is always a new tensor.

    Shape:
        (*) -> (*).

    Raises:
        ValueError: if p is not in [0, 1].

    >>> import scratchgrad as sg
    >>> AlphaDropout(0.2).eval()(sg.ones(2)).tolist()
    [1.0, 1.0]
    """

    def forward(self, x: Tensor) -> Tensor:
        """alpha_dropout(x, p, training)."""
        return alpha_dropout(x, self.p, self.training)


class FeatureAlphaDropout(Dropout):
    """Alpha dropout of whole channels: each (sample, channel) kept or dropped together.

    Args:
        p: probability of a channel being dropped, in [0, 1].
        inplace: accepted for PyTorch compatibility; the result is always a new tensor.

    Shape:
        (N, C, *) -> (N, C, *).

    >>> import scratchgrad as sg
    >>> FeatureAlphaDropout(0.2).eval()(sg.ones(1, 2, 2)).tolist()
    [[[1.0, 1.0], [1.0, 1.0]]]
    """

    def forward(self, x: Tensor) -> Tensor:
        """feature_alpha_dropout(x, p, training)."""
        return feature_alpha_dropout(x, self.p, self.training)


__all__ = ["AlphaDropout", "FeatureAlphaDropout", "RReLU"]
