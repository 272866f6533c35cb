"""Root-mean-square normalisation, fused: ``rms_norm``, one node.

``out = x * rstd * weight`` with ``rstd = 1 / sqrt(mean(x^2) + eps)`` over the trailing
``normalized_shape`` (no centring, unlike layer norm). With ``xhat = x * rstd`` and ``g``
the gradient of xhat (the output's gradient times weight), the backward is

    dx = rstd * (g - xhat * mean(g * xhat))
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.elementwise._dispatch import _as_float
from scratchgrad.ops.neural.norm import _col_sum, _row_sum
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor


@register("rms_norm")
class RMSNorm(Function):
    """out = x * rstd * w, rstd = 1 / sqrt(mean(x^2) + eps) over the trailing ``shape``.

    Works on x viewed as (M, D), D = prod(shape), with w viewed as (D,). Saves xhat (M, D)
    and rstd (M, 1).
    """

    def forward(self, x: Array, w: Array | None, *, shape: tuple[int, ...], eps: float) -> Array:
        size = math.prod(shape)
        x2 = x.reshape(-1, size)  # (M, D)
        sq = x2 * x2  # a scratch buffer: becomes the output below
        ms = _row_sum(sq) / size  # (M,)
        ms += eps
        rstd = xp.reciprocal(xp.sqrt(ms, out=ms), out=ms)[:, None]  # (M, 1)
        xhat = x2 * rstd
        w = None if w is None else w.reshape(size)
        self.xhat, self.rstd, self.w, self.shape, self.xshape = xhat, rstd, w, shape, x.shape
        out = xhat if w is None else xp.multiply(xhat, w, out=sq)
        return out.reshape(x.shape)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        xhat, w = self.xhat, self.w
        g2 = grad.reshape(xhat.shape)  # (M, D)
        need_x, need_w = self.needs_input_grad
        t = g2 * xhat  # a scratch buffer
        gw = _col_sum(t).reshape(self.shape) if need_w else None
        if not need_x:
            return None, gw
        if w is not None:  # gh = g * w, the gradient of xhat
            gh = g2 * w
            xp.multiply(gh, xhat, out=t)
        else:
            gh = g2.copy()
        mean_ghx = _row_sum(t) / xhat.shape[1]  # (M,)
        gh -= xp.multiply(xhat, mean_ghx[:, None], out=t)
        gh *= self.rstd
        return gh.reshape(self.xshape), gw


def rms_norm(
    input: Tensor,  # noqa: A002 - PyTorch's name
    normalized_shape: int | Sequence[int],
    weight: Tensor | None = None,
    eps: float | None = None,
) -> Tensor:
    """Divide by the root mean square over the last dims, then scale by weight.

    Args:
        input: shape (*, *normalized_shape).
        normalized_shape: the trailing shape to normalise over, e.g. (C,).
        weight: scale, shape normalized_shape, or None.
        eps: added to the mean square; None for the machine epsilon of input's dtype
            (PyTorch's default).

    Returns:
        Shape (*, *normalized_shape), like input.

    Raises:
        ShapeError: if input's trailing dims or weight's shape differ from normalized_shape.

    >>> import scratchgrad as sg
    >>> [round(v, 4) for v in rms_norm(sg.tensor([[3.0, 4.0]]), 2).tolist()[0]]
    [0.8485, 1.1314]
    """
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or input.ndim < k or input.shape[input.ndim - k :] != shape:
        raise ShapeError(
            f"rms_norm: input's trailing dims must equal normalized_shape: "
            f"got {input.shape[max(input.ndim - k, 0) :]}, expected {shape} (x={input.shape})"
        )
    if weight is not None and weight.shape != shape:
        raise ShapeError(
            f"rms_norm: weight shape must equal normalized_shape: {weight.shape} != {shape}"
        )
    x = _as_float(input)
    e = float(xp.finfo(x.array.dtype).eps) if eps is None else float(eps)
    return RMSNorm.apply(x, weight, shape=shape, eps=e)


__all__ = ["rms_norm"]
