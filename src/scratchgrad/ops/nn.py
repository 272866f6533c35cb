"""Fused neural-network ops: each is one node with its own backward, for speed.

A training step built from these is tens of nodes, not hundreds: ``linear`` is one GEMM
forward and two backward; ``cross_entropy`` goes from logits to the loss in one node
using the log-sum-exp trick, and its gradient is ``softmax - target`` in one expression.
Tests check each against torch and against the same computation composed of primitives.
"""

from __future__ import annotations

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops._dims import normalize_dim
from scratchgrad.ops._registry import register
from scratchgrad.random import Generator, numpy_generator
from scratchgrad.tensor import Tensor


# ------------------------------------------------------------------ linear
@register("linear")
class Linear(Function):
    """out = x @ W.T + b. x: (*, in), W: (out, in), b: (out,) -> (*, out)."""

    def forward(self, x: Array, w: Array, b: Array | None = None) -> Array:
        self.x, self.w = x, w
        x2 = x.reshape(-1, x.shape[-1])  # (M, in): one GEMM whatever the leading dims
        out = x2 @ w.T  # (M, out)
        if b is not None:
            out += b
        return out.reshape(*x.shape[:-1], w.shape[0])

    def backward(self, grad: Array) -> tuple[Array | None, ...]:
        g2 = grad.reshape(-1, grad.shape[-1])  # (M, out)
        gx = (g2 @ self.w).reshape(self.x.shape) if self.needs_input_grad[0] else None
        gw = g2.T @ self.x.reshape(-1, self.x.shape[-1]) if self.needs_input_grad[1] else None
        if len(self.needs_input_grad) == 2:  # no bias
            return gx, gw
        return gx, gw, (g2.sum(0) if self.needs_input_grad[2] else None)


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weight.T + bias. x: (*, in), weight: (out, in), bias: (out,) -> (*, out).

    Raises:
        ShapeError: if x's last dim is not weight's second.
    """
    if x.shape[-1:] != weight.shape[1:2]:
        raise ShapeError(
            f"linear: input features must match weight: x.shape[-1]={x.shape[-1:]} != "
            f"weight.shape[1]={weight.shape[1:2]} (x={x.shape}, weight={weight.shape})"
        )
    if bias is None:
        return Linear.apply(x, weight)
    return Linear.apply(x, weight, bias)


# ------------------------------------------------------------------ softmax
def _stable_exp(x: Array, axis: int) -> tuple[Array, Array]:
    """(exp(x - max), max) along ``axis``: the log-sum-exp trick, no overflow."""
    m = x.max(axis=axis, keepdims=True)
    m = xp.where(xp.isfinite(m), m, 0)  # a row of -inf stays -inf, not NaN
    return xp.exp(x - m), m


@register("softmax")
class Softmax(Function):
    """out = exp(x) / sum(exp(x)) along ``dim``; grad = out * (g - sum(g * out))."""

    def forward(self, x: Array, dim: int) -> Array:
        e, _ = _stable_exp(x, dim)
        e /= e.sum(axis=dim, keepdims=True)
        self.out, self.dim = e, dim
        return e

    def backward(self, grad: Array) -> tuple[Array]:
        go = grad * self.out
        return (go - self.out * go.sum(axis=self.dim, keepdims=True),)


@register("log_softmax")
class LogSoftmax(Function):
    """out = x - logsumexp(x) along ``dim``; grad = g - softmax * sum(g)."""

    def forward(self, x: Array, dim: int) -> Array:
        e, m = _stable_exp(x, dim)
        out: Array = (x - m) - xp.log(e.sum(axis=dim, keepdims=True))  # (x - m) first: exact
        self.out, self.dim = out, dim
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad - xp.exp(self.out) * grad.sum(axis=self.dim, keepdims=True),)


def _dim(dim: int | None, ndim: int, op: str) -> int:
    """The softmax dim: PyTorch's legacy implicit choice when None, else checked."""
    if dim is None:
        return 0 if ndim in (0, 1, 3) else 1
    return normalize_dim(dim, ndim, op)


def softmax(x: Tensor, dim: int | None = None) -> Tensor:
    """Softmax along ``dim``: non-negative values summing to 1. (*) -> (*)."""
    from scratchgrad.ops._dispatch import _as_float

    return Softmax.apply(_as_float(x), dim=_dim(dim, x.ndim, "softmax"))


def log_softmax(x: Tensor, dim: int | None = None) -> Tensor:
    """log(softmax(x)) along ``dim``, computed stably. (*) -> (*)."""
    from scratchgrad.ops._dispatch import _as_float

    return LogSoftmax.apply(_as_float(x), dim=_dim(dim, x.ndim, "log_softmax"))


# ------------------------------------------------------------------ dropout
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
    x: Tensor, p: float = 0.5, training: bool = True, generator: Generator | None = None
) -> Tensor:
    """Zero each element with probability p and scale the rest by 1 / (1 - p). (*) -> (*).

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


# ------------------------------------------------------------------ embedding
@register("embedding")
class Embedding(Function):
    """out = weight[idx]; rows of ``padding_idx`` get no gradient. (*), (V, D) -> (*, D)."""

    def forward(self, idx: Array, weight: Array, padding_idx: int | None) -> Array:
        self.idx, self.shape, self.padding_idx = idx, weight.shape, padding_idx
        return weight[idx]

    def backward(self, grad: Array) -> tuple[None, Array]:
        gw = xp.zeros(self.shape, dtype=grad.dtype)  # (V, D)
        xp.add.at(gw, self.idx.reshape(-1), grad.reshape(-1, self.shape[1]))  # repeats add up
        if self.padding_idx is not None:
            gw[self.padding_idx] = 0
        return None, gw


def embedding(x: Tensor, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    """Rows of ``weight`` at the integer indices ``x``. (*), (V, D) -> (*, D).

    Raises:
        TypeError: if x is not an integer tensor.
        IndexError: for an index outside [0, V).
    """
    if x.dtype.kind not in "iu":
        raise TypeError(f"embedding: expected indices of dtype int64 or int32, got {x.dtype}")
    v = weight.shape[0]
    if x.numel() and (int(x.data.min()) < 0 or int(x.data.max()) >= v):
        raise IndexError(f"embedding: index out of range in self (indices must be in [0, {v}))")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += v
    return Embedding.apply(x, weight, padding_idx=padding_idx)


__all__ = ["dropout", "embedding", "linear", "log_softmax", "softmax"]
