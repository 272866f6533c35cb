"""Linear algebra: matmul (and @), dot, outer, einsum."""

from __future__ import annotations

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.ops._registry import register
from scratchgrad.tensor import Tensor


@register("matmul")
class Matmul(Function):
    """out = a @ b for 2-d operands (M, K) @ (K, N) -> (M, N)."""

    def forward(self, a: Array, b: Array) -> Array:
        self.a, self.b = a, b
        return xp.matmul(a, b)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        ga = grad @ self.b.T if self.needs_input_grad[0] else None
        gb = self.a.T @ grad if self.needs_input_grad[1] else None
        return ga, gb


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """Matrix product."""
    return Matmul.apply(a, b)


# ---- contract stubs: replaced by the real implementations -------------------------
def dot(a: Tensor, b: Tensor) -> Tensor:
    """Inner product of two 1-d tensors of equal length: (N,), (N,) -> ()."""
    raise NotImplementedError("dot")


def outer(a: Tensor, b: Tensor) -> Tensor:
    """Outer product: (M,), (N,) -> (M, N)."""
    raise NotImplementedError("outer")


def einsum(equation: str, *operands: Tensor) -> Tensor:
    """Einstein summation with explicit subscripts, e.g. ``einsum("bij,bjk->bik", a, b)``."""
    raise NotImplementedError("einsum")
