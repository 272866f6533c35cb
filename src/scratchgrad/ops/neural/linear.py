"""linear: y = x @ W.T + b as one node; bilinear (composed); embedding: a lookup table."""

from __future__ import annotations

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor


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
    if x.numel() and (int(x.array.min()) < 0 or int(x.array.max()) >= v):
        raise IndexError(f"embedding: index out of range in self (indices must be in [0, {v}))")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += v
    return Embedding.apply(x, weight, padding_idx=padding_idx)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y_k = x1 @ W_k @ x2 + b_k, for each of the out features k.

    Composed: x1 (M, in1) @ W viewed as (in1, out * in2), then the product with x2 summed
    over in2, so gradients come from matmul, mul and sum.

    Args:
        input1: shape (*, in1).
        input2: shape (*, in2), the same leading dims.
        weight: shape (out, in1, in2).
        bias: shape (out,), or None.

    Returns:
        Shape (*, out).

    Raises:
        ShapeError: for sizes that don't fit weight.

    >>> import scratchgrad as sg
    >>> bilinear(sg.ones(1, 2), sg.ones(1, 3), sg.ones(4, 2, 3)).tolist()
    [[6.0, 6.0, 6.0, 6.0]]
    """
    out_f, in1, in2 = weight.shape
    if input1.shape[-1] != in1 or input2.shape[-1] != in2 or input1.shape[:-1] != input2.shape[:-1]:
        raise ShapeError(
            f"bilinear: expected input1 (*, {in1}) and input2 (*, {in2}) with the same leading "
            f"dims for weight {weight.shape}: got {input1.shape} and {input2.shape}"
        )
    lead = input1.shape[:-1]
    x1, x2 = input1.reshape(-1, in1), input2.reshape(-1, 1, in2)  # (M, in1), (M, 1, in2)
    t = (x1 @ weight.permute(1, 0, 2).reshape(in1, out_f * in2)).reshape(-1, out_f, in2)
    y = (t * x2).sum(-1)  # (M, out)
    if bias is not None:
        y = y + bias
    return y.reshape(*lead, out_f)


__all__ = ["bilinear", "embedding", "linear"]
