"""adaptive_max_pool2d and max_unpool2d: ops that move values by index within a plane.

Both work with int64 indices into each (H*W) input plane, as torch's max pooling
returns them. Adaptive max pooling gathers each window's values by index arrays, with
windows shorter than the longest padded by repeating their last element (harmless for
a max, and the first maximum still wins); its backward adds the gradient at the
indices. Unpooling writes values at the indices into a zero plane; its backward
gathers the gradient back from there.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.registry import register
from scratchgrad.ops.spatial._args import Pair, check_ndim, pair
from scratchgrad.tensor import Tensor


def _scatter_add(values: Array, idx: Array, plane: int) -> Array:
    """(N, C, *o) values added at (N, C, *o) indices into zero (N, C, plane) planes."""
    n, c = values.shape[:2]
    rows = xp.arange(n * c).reshape(n, c, *(1,) * (idx.ndim - 2)) * plane
    out = xp.bincount((idx + rows).ravel(), weights=values.ravel(), minlength=n * c * plane)
    return out.astype(values.dtype).reshape(n, c, plane)


def _adaptive_index(n_in: int, n_out: int) -> Array:
    """(n_out, longest window): the inputs of each window, as torch's, the last repeated."""
    i = xp.arange(n_out)
    start, end = (i * n_in) // n_out, -((-(i + 1) * n_in) // n_out)
    taps = xp.arange(int((end - start).max()))
    out: Array = xp.minimum(start[:, None] + taps, end[:, None] - 1)
    return out


def _adaptive_argmax(x: Array, size: Pair) -> tuple[Array, Array]:
    """(max of each window, its int64 index in the H*W plane), both (N, C, Ho, Wo)."""
    h, w = x.shape[2:]
    rows, cols = _adaptive_index(h, size[0]), _adaptive_index(w, size[1])  # (Ho, a), (Wo, b)
    win = x[:, :, rows[:, None, :, None], cols[None, :, None, :]]  # (N, C, Ho, Wo, a, b)
    win = win.reshape(*win.shape[:4], -1)
    arg = win.argmax(-1)[..., None]  # first max (or first NaN) wins, as torch
    flat = rows[:, None, :, None] * w + cols[None, :, None, :]  # (Ho, Wo, a, b)
    idx = xp.take_along_axis(xp.broadcast_to(flat.reshape(*size, -1), win.shape), arg, -1)
    return xp.take_along_axis(win, arg, -1)[..., 0], idx[..., 0].astype(xp.int64)


@register("adaptive_max_pool2d")
class AdaptiveMaxPool2d(Function):
    """out = the max over each of Ho x Wo windows that tile the input as evenly as possible.

    x: (N, C, H, W) -> (N, C, Ho, Wo); ``found`` = (values, plane indices) from
    ``_adaptive_argmax``. backward: the gradient added at each max's index.
    """

    def forward(self, x: Array, *, found: tuple[Array, Array]) -> Array:
        self.shape, self.idx = x.shape, found[1]
        return found[0]

    def backward(self, grad: Array) -> tuple[Array]:
        return (_scatter_add(grad, self.idx, self.shape[2] * self.shape[3]).reshape(self.shape),)


def adaptive_max_pool2d(x: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max over Ho x Wo windows that tile the input, as torch's ``adaptive_max_pool2d``.

    Args:
        x: shape (N, C, H, W) or (C, H, W).
        output_size: an int, or (Ho, Wo) where None keeps that input size.
        return_indices: also return each max's int64 index in its H*W input plane.

    Returns:
        Values (N, C, Ho, Wo), or (values, indices) with return_indices.

    Raises:
        ShapeError: wrong ndim, or an output size below 1.

    >>> import scratchgrad as sg
    >>> adaptive_max_pool2d(sg.arange(9.0).reshape(1, 1, 3, 3), 2).flatten().tolist()
    [4.0, 5.0, 7.0, 8.0]
    """
    check_ndim("adaptive_max_pool2d", x, 4)
    if x.dtype.kind != "f":
        raise RuntimeError(f"adaptive_max_pool2d: expected a floating point input, got {x.dtype}")
    if x.ndim == 3:
        values, idx = adaptive_max_pool2d(x[None], output_size, True)
        return (values[0], idx[0]) if return_indices else values[0]
    sizes = (output_size,) * 2 if isinstance(output_size, int) else tuple(output_size)
    if len(sizes) != 2:
        raise ValueError(f"adaptive_max_pool2d: output_size must be 2 values, got {output_size!r}")
    size = tuple(x.shape[2 + i] if v is None else int(v) for i, v in enumerate(sizes))
    if min(size) < 1 or min(x.shape[2:]) < 1:
        raise ShapeError(
            f"adaptive_max_pool2d: output and input sizes must be positive: "
            f"output_size={size} (x={tuple(x.shape)})"
        )
    found = _adaptive_argmax(x.array, (size[0], size[1]))
    out = AdaptiveMaxPool2d.apply(x, found=found)
    return (out, Tensor(found[1])) if return_indices else out


@register("max_unpool2d")
class MaxUnpool2d(Function):
    """out = zeros with each x written at its index in the (Ho*Wo) output plane.

    x, idx: (N, C, H, W) -> (N, C, Ho, Wo); backward: the gradient read at the indices.
    """

    def forward(self, x: Array, *, idx: Array, size: Pair) -> Array:
        n, c = x.shape[:2]
        self.shape, self.idx = x.shape, idx.reshape(n, c, -1)  # (N, C, H*W)
        out = xp.zeros((n, c, size[0] * size[1]), dtype=x.dtype)
        xp.put_along_axis(out, self.idx, x.reshape(n, c, -1), -1)
        return out.reshape(n, c, *size)

    def backward(self, grad: Array) -> tuple[Array]:
        n, c = grad.shape[:2]
        gx = xp.take_along_axis(grad.reshape(n, c, -1), self.idx, -1)
        return (gx.reshape(self.shape),)


def max_unpool2d(
    x: Tensor,
    indices: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    output_size: Any = None,
) -> Tensor:
    """The inverse of max_pool2d: values back at their indices, zeros elsewhere, as torch's.

    Args:
        x: pooled values, shape (N, C, H, W) or (C, H, W).
        indices: int64, the shape of x: indices into each (Ho*Wo) output plane, as
            ``max_pool2d(..., return_indices=True)`` gives them.
        kernel_size: the pooling's window size.
        stride: the pooling's stride; defaults to the kernel size.
        padding: the pooling's padding.
        output_size: (Ho, Wo) (or a longer shape ending in them); by default
            Ho = (H-1)*sh - 2*ph + kh, same for Wo.

    Returns:
        Shape (N, C, Ho, Wo).

    Raises:
        ShapeError: indices of another shape, or an index outside the output plane.
        TypeError: indices that are not int64.

    >>> import scratchgrad as sg
    >>> v, i = sg.tensor([[[[1.0]]]]), sg.tensor([[[[3]]]])
    >>> max_unpool2d(v, i, 2).tolist()
    [[[[0.0, 0.0], [0.0, 1.0]]]]
    """
    op = "max_unpool2d"
    check_ndim(op, x, 4)
    if indices.dtype != xp.int64:
        raise TypeError(f"{op}: indices must be int64, got {indices.dtype}")
    if tuple(indices.shape) != tuple(x.shape):
        raise ShapeError(
            f"{op}: indices must have the shape of x: indices={tuple(indices.shape)}, "
            f"x={tuple(x.shape)}"
        )
    k = pair(kernel_size, "kernel_size", op)
    s = k if stride is None else pair(stride, "stride", op)
    size = _unpool_size(x, k, s, pair(padding, "padding", op), output_size)
    idx = indices.array if x.ndim == 4 else indices.array[None]
    if idx.size and (idx.min() < 0 or idx.max() >= size[0] * size[1]):
        raise ShapeError(
            f"{op}: found an invalid max index: indices must be in [0, {size[0] * size[1]}) "
            f"for output size {size}, got [{idx.min()}, {idx.max()}]"
        )
    xb = x if x.ndim == 4 else x[None]
    out = MaxUnpool2d.apply(xb, idx=idx, size=size)
    return out if x.ndim == 4 else out[0]


def _unpool_size(x: Tensor, k: Pair, s: Pair, p: Pair, output_size: Any) -> Pair:
    """torch's default (H-1)*s - 2p + k per dim, or the last two of ``output_size``."""
    if output_size is None:
        h, w = ((x.shape[-2 + i] - 1) * s[i] - 2 * p[i] + k[i] for i in range(2))
        return h, w
    size = tuple(int(v) for v in output_size)[-2:]
    if len(size) != 2 or min(size) < 1:
        raise ValueError(f"max_unpool2d: output_size must end in 2 positive ints: {output_size}")
    return size[0], size[1]


__all__ = ["adaptive_max_pool2d", "max_unpool2d"]
