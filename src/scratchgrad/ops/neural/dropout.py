"""dropout: zero elements with probability p, scale the rest by 1/(1-p)."""

from __future__ import annotations

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.ops.registry import register
from scratchgrad.random import Generator, numpy_generator
from scratchgrad.tensor import Tensor


@register("dropout")
class Dropout(Function):
    """out = x * mask / (1 - p), mask ~ Bernoulli(1 - p); the gradient uses the same mask."""

    def forward(self, x: Array, p: float, generator: Generator | None) -> Array:
        keep = numpy_generator(generator).random(x.shape, dtype=xp.float32) >= p
        self.scale = keep.astype(x.dtype) * x.dtype.type(1.0 / (1.0 - p))  # (*)
        out: Array = x * self.scale
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * self.scale,)


def dropout(
    x: Tensor,
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
    *,
    generator: Generator | None = None,
) -> Tensor:
    """Zero each element with probability p and scale the rest by 1 / (1 - p). (*) -> (*).

    ``inplace`` is accepted for PyTorch's signature; the result is a new tensor.

    Raises:
        ValueError: if p is not in [0, 1].
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    return Dropout.apply(x, p=p, generator=generator)


__all__ = ["dropout"]
