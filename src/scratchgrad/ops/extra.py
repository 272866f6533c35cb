"""torch's top-level aliases and linear-algebra shorthands, built from existing ops.

Nothing here is a registered op: every function is a composition of registered ops
(matmul, mul, add, sum, reshape, ...), so its gradient comes from theirs. Also here:
top-level versions of ``nn.functional`` ops whose torch signature differs
(``torch.batch_norm``, ``torch.embedding``, int ``reduction`` codes).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from scratchgrad.backend import xp
from scratchgrad.ops._dims import normalize_dim
from scratchgrad.ops.binary import clamp
from scratchgrad.ops.elementwise import abs as _abs
from scratchgrad.ops.elementwise import ge, gt, le, lt, ne, neg, trunc, where
from scratchgrad.ops.linalg import matmul, outer
from scratchgrad.ops.loss import binary_cross_entropy_with_logits as _bce_logits
from scratchgrad.ops.loss import kl_div as _kl_div
from scratchgrad.ops.nn import embedding as _embedding
from scratchgrad.ops.norm import batch_norm as _batch_norm
from scratchgrad.ops.shape import broadcast_shapes, broadcast_to, cat, permute, reshape, stack
from scratchgrad.ops.shape import transpose as _transpose
from scratchgrad.ops.structure import diag
from scratchgrad.tensor import Tensor

Scalar = float | int

absolute, negative, fix = _abs, neg, trunc
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne
ger = outer


# ------------------------------------------------------------------ small aliases
def positive(x: Tensor) -> Tensor:
    """``x`` itself (torch.positive); any shape. Raises TypeError for bool tensors."""
    if x.dtype == xp.bool_:
        raise TypeError("positive(): argument 'input' must not be a bool tensor")
    return x


def clamp_min(x: Tensor, min: Tensor | Scalar) -> Tensor:  # noqa: A002 - torch's name
    """max(x, min) elementwise; broadcast shape of x and min."""
    return clamp(x, min=min)


def clamp_max(x: Tensor, max: Tensor | Scalar) -> Tensor:  # noqa: A002 - torch's name
    """min(x, max) elementwise; broadcast shape of x and max."""
    return clamp(x, max=max)


def t(x: Tensor) -> Tensor:
    """Transpose of a tensor with at most 2 dims: (M, N) -> (N, M); 0-d and 1-d unchanged."""
    if x.ndim > 2:
        raise ValueError(f"t(): expects input to be <= 2-D tensor, but input is {x.ndim}-D")
    return x if x.ndim < 2 else _transpose(x, 0, 1)


def clone(x: Tensor) -> Tensor:
    """A copy of x with its own memory, differentiable; same shape."""
    return x.clone()


def numel(x: Tensor) -> int:
    """The number of elements of x (a Python int)."""
    return x.numel()


def ravel(x: Tensor) -> Tensor:
    """x flattened: (*) -> (numel,)."""
    return reshape(x, (-1,))


def rsub(x: Tensor, other: Tensor | Scalar, alpha: Scalar = 1) -> Tensor:
    """other - alpha * x; broadcast shape of x and other."""
    return other - (x if alpha == 1 else alpha * x)


# ------------------------------------------------------------------ products
def _need(x: Tensor, ndim: int, fn: str, arg: str) -> None:
    if x.ndim != ndim:
        raise ValueError(f"{fn}(): argument '{arg}' must be a {ndim}D tensor, got {x.ndim}D")


def mm(a: Tensor, b: Tensor) -> Tensor:
    """Matrix product: (N, M) @ (M, P) -> (N, P)."""
    _need(a, 2, "mm", "input")
    _need(b, 2, "mm", "mat2")
    return matmul(a, b)


def bmm(a: Tensor, b: Tensor) -> Tensor:
    """Batched matrix product: (B, N, M) @ (B, M, P) -> (B, N, P)."""
    _need(a, 3, "bmm", "input")
    _need(b, 3, "bmm", "mat2")
    return matmul(a, b)


def mv(a: Tensor, v: Tensor) -> Tensor:
    """Matrix-vector product: (N, M) @ (M,) -> (N,)."""
    _need(a, 2, "mv", "input")
    _need(v, 1, "mv", "vec")
    return matmul(a, v)


def _axpy(x: Tensor, beta: Scalar, prod: Tensor, alpha: Scalar) -> Tensor:
    """beta * x + alpha * prod; x is ignored (not even NaNs pass) when beta == 0."""
    scaled = prod if alpha == 1 else alpha * prod
    if beta == 0:  # x stays in the graph with gradient 0, as in torch
        return scaled + where(Tensor(xp.zeros(x.shape, dtype=xp.bool_)), x, 0.0)
    return (x if beta == 1 else beta * x) + scaled


def addmm(x: Tensor, m1: Tensor, m2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1) -> Tensor:
    """beta * x + alpha * (m1 @ m2); m1 (N, M), m2 (M, P), x broadcastable to (N, P)."""
    return _axpy(x, beta, mm(m1, m2), alpha)


def addmv(x: Tensor, mat: Tensor, vec: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1) -> Tensor:
    """beta * x + alpha * (mat @ vec); mat (N, M), vec (M,), x broadcastable to (N,)."""
    return _axpy(x, beta, mv(mat, vec), alpha)


def addr(x: Tensor, v1: Tensor, v2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1) -> Tensor:
    """beta * x + alpha * outer(v1, v2); v1 (N,), v2 (M,), x broadcastable to (N, M)."""
    _need(v1, 1, "addr", "vec1")
    _need(v2, 1, "addr", "vec2")
    return _axpy(x, beta, outer(v1, v2), alpha)


def baddbmm(x: Tensor, b1: Tensor, b2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1) -> Tensor:
    """beta * x + alpha * bmm(b1, b2); b1 (B, N, M), b2 (B, M, P), x -> (B, N, P)."""
    return _axpy(x, beta, bmm(b1, b2), alpha)


def addbmm(x: Tensor, b1: Tensor, b2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1) -> Tensor:
    """beta * x + alpha * sum_b b1[b] @ b2[b]; b1 (B, N, M), b2 (B, M, P), x -> (N, P)."""
    return _axpy(x, beta, bmm(b1, b2).sum(0), alpha)


def addcmul(x: Tensor, t1: Tensor, t2: Tensor, *, value: Scalar = 1) -> Tensor:
    """x + value * t1 * t2; the broadcast shape of all three."""
    prod = t1 * t2
    return x + (prod if value == 1 else value * prod)


def addcdiv(x: Tensor, t1: Tensor, t2: Tensor, *, value: Scalar = 1) -> Tensor:
    """x + value * t1 / t2; the broadcast shape of all three (floats only)."""
    if not (t1.is_floating_point() or t2.is_floating_point()):
        raise TypeError("addcdiv(): integer division of tensors is not supported; use floats")
    quot = t1 / t2
    return x + (quot if value == 1 else value * quot)


def _dims_list(dims: int | Sequence[int], ndim: int) -> list[int]:
    items = [dims] if isinstance(dims, int) else list(dims)
    return [normalize_dim(d, ndim, "tensordot") for d in items]


def tensordot(a: Tensor, b: Tensor, dims: Any = 2) -> Tensor:
    """Sum over paired dims of a and b: (*Fa, *K) x (*K, *Fb) -> (*Fa, *Fb).

    ``dims`` is an int n (the last n dims of a with the first n of b) or a pair of
    dim lists ``(dims_a, dims_b)`` of the same sizes.
    """
    if isinstance(dims, int):
        if dims < 0:
            raise ValueError(f"tensordot(): expects dims >= 0, but got dims={dims}")
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        da, db = _dims_list(dims[0], a.ndim), _dims_list(dims[1], b.ndim)
    if [a.shape[i] for i in da] != [b.shape[i] for i in db]:
        raise ValueError(
            f"tensordot(): contracted sizes differ: {a.shape} dims {da}, {b.shape} dims {db}"
        )
    fa = [i for i in range(a.ndim) if i not in da]
    fb = [i for i in range(b.ndim) if i not in db]
    k = int(xp.prod([a.shape[i] for i in da]))
    a2 = reshape(permute(a, fa + da), (-1, k))
    b2 = reshape(permute(b, db + fb), (k, -1))
    out_shape = tuple(a.shape[i] for i in fa) + tuple(b.shape[i] for i in fb)
    return reshape(matmul(a2, b2), out_shape)


def inner(a: Tensor, b: Tensor) -> Tensor:
    """Sum over the last dims: (*A, K) x (*B, K) -> (*A, *B); a 0-d operand multiplies."""
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return tensordot(a, b, ([-1], [-1]))


def vdot(a: Tensor, b: Tensor) -> Tensor:
    """Dot product of two 1-D tensors (real): (N,) x (N,) -> ()."""
    _need(a, 1, "vdot", "input")
    _need(b, 1, "vdot", "other")
    return (a * b).sum()


# ------------------------------------------------------------------ shapes
def _promoted(x: Tensor, n: int) -> Tensor:
    if x.ndim >= n:
        return x
    if n == 3 and x.ndim == 2:
        return reshape(x, (*x.shape, 1))  # (M, N) -> (M, N, 1)
    if n == 3 and x.ndim == 1:
        return reshape(x, (1, x.shape[0], 1))  # (N,) -> (1, N, 1)
    return reshape(x, (1,) * (n - x.ndim) + tuple(x.shape))


def _atleast(n: int, tensors: tuple[Any, ...]) -> Any:
    if len(tensors) == 1 and not isinstance(tensors[0], list | tuple):
        return _promoted(tensors[0], n)
    seq = tensors[0] if len(tensors) == 1 else tensors
    return tuple(_promoted(x, n) for x in seq)


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least 1 dim: () -> (1,); one tensor in, one out, else a tuple."""
    return _atleast(1, tensors)


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least 2 dims: () -> (1, 1), (N,) -> (1, N)."""
    return _atleast(2, tensors)


def atleast_3d(*tensors: Any) -> Any:
    """At least 3 dims: () -> (1, 1, 1), (N,) -> (1, N, 1), (M, N) -> (M, N, 1)."""
    return _atleast(3, tensors)


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """The tensors broadcast to their common shape (views)."""
    shape = broadcast_shapes(*(x.shape for x in tensors))
    return tuple(broadcast_to(x, shape) for x in tensors)


def block_diag(*tensors: Tensor) -> Tensor:
    """Block-diagonal matrix of 0-, 1- or 2-d blocks (Mi, Ni) -> (sum Mi, sum Ni)."""
    blocks = [reshape(x, (1, -1)) if x.ndim < 2 else x for x in tensors]
    cols = sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        parts = [Tensor(xp.zeros((b.shape[0], left), dtype=b.dtype)), b]
        parts.append(Tensor(xp.zeros((b.shape[0], cols - left - b.shape[1]), dtype=b.dtype)))
        rows.append(cat(parts, 1))
        left += b.shape[1]
    return cat(rows, 0)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """All combinations of 1-d tensors (N1,), ..., (Nk,) -> (N1 * ... * Nk, k); k=1: (N1,)."""
    if len(tensors) == 1:
        return tensors[0]
    idx = list(itertools.product(*(range(x.shape[0]) for x in tensors)))
    cols = [
        x[Tensor(xp.asarray([i[k] for i in idx], dtype=xp.int64))] for k, x in enumerate(tensors)
    ]
    return stack(cols, 1)


# ------------------------------------------------------------------ torch-signature wrappers
_REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}


def _reduction(reduction: int | str) -> str:
    return reduction if isinstance(reduction, str) else _REDUCTIONS[reduction]


def batch_norm(
    x: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
    cudnn_enabled: bool = True,
) -> Tensor:
    """torch.batch_norm (weight and bias before the running stats): (N, C, *) -> same."""
    return _batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)


def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1, *args: Any) -> Tensor:
    """torch.embedding (weight first): weight (V, D), indices (*) -> (*, D)."""
    return _embedding(indices, weight, None if padding_idx == -1 else padding_idx)


def kl_div(
    input: Tensor,  # noqa: A002
    target: Tensor,
    reduction: int | str = 1,
    *,
    log_target: bool = False,
) -> Tensor:
    """torch.kl_div: reduction is 0 (none), 1 (mean) or 2 (sum); shapes as F.kl_div."""
    return _kl_div(input, target, _reduction(reduction), log_target)


def binary_cross_entropy_with_logits(
    input: Tensor,  # noqa: A002
    target: Tensor,
    weight: Tensor | None = None,
    pos_weight: Tensor | None = None,
    reduction: int | str = 1,
) -> Tensor:
    """torch.binary_cross_entropy_with_logits: (*) logits and targets; int reduction codes."""
    return _bce_logits(input, target, weight, _reduction(reduction), pos_weight)


# ------------------------------------------------------------------ more shorthands
def adjoint(x: Tensor) -> Tensor:
    """The last two dims swapped (real tensors): (*, M, N) -> (*, N, M), a view."""
    if x.ndim < 2:
        raise ValueError(f"adjoint(): only supported on matrices, got {x.ndim}-D")
    return _transpose(x, -2, -1)


def argwhere(x: Tensor) -> Tensor:
    """Coordinates of the non-zero entries of x, row-major: (K, x.ndim) int64."""
    return Tensor(xp.argwhere(x.data).astype(xp.int64))


def diagflat(x: Tensor, offset: int = 0) -> Tensor:
    """x flattened onto diagonal ``offset`` of a square matrix: (*) -> (n + |k|, n + |k|)."""
    return diag(ravel(x), offset)


def equal(a: Tensor, b: Tensor) -> bool:
    """True if a and b have the same shape and the same values (a Python bool)."""
    return tuple(a.shape) == tuple(b.shape) and bool(xp.array_equal(a.data, b.data))
