"""Scaled dot-product attention, fused: one node from (q, k, v) to the output.

For queries q (..., L, E), keys k (..., S, E) and values v (..., S, Ev)::

    s   = q @ k^T * scale + mask          (..., L, S)  scores
    p   = softmax(s, dim=-1)               (..., L, S)  attention weights
    pd  = p * keep / (1 - dropout_p)       (..., L, S)  after dropout (pd = p without)
    out = pd @ v                           (..., L, Ev)

The scores are turned into probabilities in place (subtract the row max, exp, scale by
the reciprocal of the row sum), so the forward allocates one (..., L, S) array; backward
keeps only p (and the dropout scale when dropout is on). Its gradients, with g = d out::

    dv = pd^T @ g                          (..., S, Ev)
    dp = (g @ v^T) * keep / (1 - p)        (..., L, S)
    ds = p * (dp - rowsum(g * out))        (..., L, S)  softmax backward, in place
    dq = ds @ k * scale,  dk = ds^T @ q * scale,  dmask = ds

``rowsum(dp * p)`` equals ``rowsum(g * out)`` (the FlashAttention identity), an (L, Ev)
product instead of an (L, S) one. A row whose every score is masked (-inf) gets zero
weights, a zero output and zero gradients, as torch 2.13's CPU kernels give (older torch
versions gave NaN there).
"""

from __future__ import annotations

import functools
import math

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.registry import register
from scratchgrad.random import numpy_generator
from scratchgrad.tensor import Tensor, wrap


def _softmax_rows_(s: Array, masked: bool) -> Array:
    """Softmax over the last dim of ``s`` (..., L, S), in place; returns s.

    With ``masked``, rows that are -inf throughout become zeros instead of NaN.
    """
    m = s.max(axis=-1, keepdims=True)  # (..., L, 1)
    if masked:
        m[~xp.isfinite(m)] = 0  # an all -inf row: exp(-inf - 0) = 0, no NaN
    s -= m
    xp.exp(s, out=s)
    # (..., L, 1); not a BLAS gemv with ones: that took ~20 ms here for 32768 rows
    total = s.sum(axis=-1, keepdims=True)
    if masked:
        r = xp.divide(1, total, out=xp.zeros_like(total), where=total > 0)
    else:
        r = xp.reciprocal(total, out=total)
    s *= r
    return s


def _swap(a: Array) -> Array:
    """The transpose of the last two dims: (..., M, N) -> (..., N, M), a view."""
    return xp.swapaxes(a, -1, -2)


@register("scaled_dot_product_attention")
class ScaledDotProductAttention(Function):
    """softmax(q @ k^T * scale + mask) @ v; q (..., L, E), k (..., S, E), v (..., S, Ev).

    The optional fourth input is an additive float mask broadcastable to (..., L, S).
    """

    def forward(
        self, q: Array, k: Array, v: Array, mask: Array | None = None, *, scale: float, p: float
    ) -> Array:
        qs = q * q.dtype.type(scale)  # (..., L, E): scaling q is cheaper than the scores
        s = xp.matmul(qs, _swap(k))  # (..., L, S)
        if mask is not None and xp.broadcast_shapes(s.shape, mask.shape) == s.shape:
            s += mask  # in place
        elif mask is not None:  # the mask has more batch dims than q and k
            s = s + mask
        probs = _softmax_rows_(s, masked=mask is not None)  # (..., L, S)
        drop = None
        if p > 0:  # keep / (1 - p), drawn from the global generator
            keep = numpy_generator().random(probs.shape, dtype=xp.float32) >= p
            drop = keep.astype(q.dtype) * q.dtype.type(1.0 / (1.0 - p) if p < 1 else 0.0)
        out: Array = xp.matmul(probs if drop is None else probs * drop, v)  # (..., L, Ev)
        self.qs, self.k, self.v, self.probs, self.drop, self.out = qs, k, v, probs, drop, out
        self.scale = scale
        return out

    def backward(self, grad: Array) -> tuple[Array | None, ...]:
        probs, drop, needs = self.probs, self.drop, self.needs_input_grad
        gv = None
        if needs[2]:
            pd = probs if drop is None else probs * drop  # (..., L, S)
            gv = xp.matmul(_swap(pd), grad)  # (..., S, Ev)
        if not (needs[0] or needs[1] or any(needs[3:])):
            return (None, None, gv, None)[: len(needs)]
        ds = xp.matmul(grad, _swap(self.v))  # (..., L, S): d pd
        if drop is not None:
            ds *= drop  # d p
        d = xp.einsum("...i,...i->...", grad, self.out)[..., None]  # (..., L, 1) rowsum(dp*p)
        ds -= d
        ds *= probs  # d s: the softmax backward
        gq = xp.matmul(ds, self.k) * grad.dtype.type(self.scale) if needs[0] else None
        gk = xp.matmul(_swap(ds), self.qs) if needs[1] else None  # (..., S, E)
        return (gq, gk, gv, ds)[: len(needs)]


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    """softmax(query @ key^T * scale + mask) @ value, as torch's, in one fused node.

    Args:
        query: (..., L, E).
        key: (..., S, E).
        value: (..., S, Ev).
        attn_mask: broadcastable to (..., L, S): bool (True = may attend) or float
            (added to the scores; gets a gradient when it requires one).
        dropout_p: dropout probability on the attention weights (always applied when
            > 0, as torch: pass 0 in evaluation). Draws from the global generator.
        is_causal: mask out keys after each query (upper-left aligned: query i sees keys
            0..i); not together with attn_mask.
        scale: score scale; default 1 / sqrt(E).
        enable_gqa: allow fewer key/value heads (dim -3) than query heads.

    Returns:
        (..., L, Ev). A query row with every key masked gives zeros (as torch 2.13).

    Raises:
        TypeError: for non-float or mismatched dtypes, or a float mask of another dtype.
        ShapeError: for inconsistent shapes or a mask that does not broadcast.
        RuntimeError: if both attn_mask and is_causal are given.

    >>> import scratchgrad as sg
    >>> q = sg.ones(1, 2, 4)
    >>> scaled_dot_product_attention(q, q, sg.tensor([[[1.0], [3.0]]]), is_causal=True).tolist()
    [[[1.0], [2.0]]]
    """
    _check_qkv(query, key, value)
    if not 0.0 <= dropout_p <= 1.0:
        raise ValueError(
            f"scaled_dot_product_attention: dropout_p must be in [0, 1], got {dropout_p}"
        )
    if enable_gqa and query.ndim >= 3:
        key, value = _repeat_heads(key, query.shape[-3]), _repeat_heads(value, query.shape[-3])
    n_q, n_k = query.shape[-2], key.shape[-2]
    mask: Tensor | None = None
    if is_causal:
        if attn_mask is not None:
            raise RuntimeError(
                "scaled_dot_product_attention: explicit attn_mask should not be set when "
                "is_causal=True"
            )
        mask = wrap(_causal_bias(n_q, n_k, str(query.array.dtype)))
    elif attn_mask is not None:
        mask = _mask_tensor(attn_mask, query, n_k)
    sc = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    params = {"scale": sc, "p": float(dropout_p)}
    if mask is None:
        return ScaledDotProductAttention.apply(query, key, value, **params)
    return ScaledDotProductAttention.apply(query, key, value, mask, **params)


@functools.lru_cache(maxsize=32)
def _causal_bias(n_q: int, n_k: int, dtype: str) -> Array:
    """0 on and below the diagonal, -inf above it: (L, S), upper-left aligned, read-only."""
    bias = xp.triu(xp.full((n_q, n_k), -xp.inf, dtype=dtype), k=1)
    bias.flags.writeable = False
    return bias


def _check_qkv(q: Tensor, k: Tensor, v: Tensor) -> None:
    """Raise unless q (..., L, E), k (..., S, E), v (..., S, Ev) share a float dtype."""
    if not (q.dtype == k.dtype == v.dtype) or q.array.dtype.kind != "f":
        raise TypeError(
            f"scaled_dot_product_attention: expected query, key and value to have the same "
            f"floating dtype, got query {q.dtype}, key {k.dtype}, value {v.dtype}"
        )
    if min(q.ndim, k.ndim, v.ndim) < 2:
        raise ShapeError(
            f"scaled_dot_product_attention: query, key and value need at least 2 dims, got "
            f"{q.shape}, {k.shape}, {v.shape}"
        )
    if k.shape[-1] != q.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ShapeError(
            f"scaled_dot_product_attention: key must be (..., S, E) for query (..., L, E) and "
            f"value (..., S, Ev): query={q.shape}, key={k.shape}, value={v.shape}"
        )


def _mask_tensor(mask: Tensor, q: Tensor, n_k: int) -> Tensor:
    """The additive float mask: a bool mask (True = take part) becomes 0 / -inf."""
    target = (q.shape[-2], n_k)
    if mask.ndim < 2 or any(m not in (1, t) for m, t in zip(mask.shape[-2:], target, strict=True)):
        raise ShapeError(
            f"scaled_dot_product_attention: attn_mask must broadcast to (..., L, S) = "
            f"(..., {target[0]}, {target[1]}), got {mask.shape}"
        )
    if mask.array.dtype == xp.bool_:
        dt = q.array.dtype.type
        return wrap(xp.where(mask.array, dt(0), dt(-xp.inf)))
    if mask.dtype != q.dtype:
        raise TypeError(
            f"scaled_dot_product_attention: expected attn_mask dtype to be bool or to match "
            f"query dtype {q.dtype}, got {mask.dtype}"
        )
    return mask


def _repeat_heads(x: Tensor, n_heads: int) -> Tensor:
    """Grouped-query attention: (..., Hkv, S, E) -> (..., Hq, S, E), each head repeated."""
    *batch, h, s, e = x.shape
    if h == 0 or n_heads % h:
        raise ShapeError(
            f"scaled_dot_product_attention: with enable_gqa, query heads ({n_heads}) must be a "
            f"multiple of key/value heads ({h})"
        )
    g = n_heads // h
    return x.unsqueeze(-3).expand(*batch, h, g, s, e).reshape(*batch, n_heads, s, e)


__all__ = ["scaled_dot_product_attention"]
