"""``scratchgrad.linalg``: the functions of ``torch.linalg``, with gradients.

Decompositions and inverses are registered ops (:mod:`scratchgrad.ops.linalg.decomp`); the
norms, powers and products are composed from existing ops, so their gradients are exact.

>>> import scratchgrad as sg
>>> sg.linalg.inv(sg.tensor([[2.0, 0.0], [0.0, 4.0]]))
tensor([[0.5000, 0.0000],
        [0.0000, 0.2500]])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

from scratchgrad import autograd
from scratchgrad.creation import eye
from scratchgrad.errors import ShapeError
from scratchgrad.ops.dims import normalize_dims
from scratchgrad.ops.elementwise.arithmetic import abs, mul
from scratchgrad.ops.linalg.decomp import (
    Cholesky,
    Det,
    Eigh,
    Inv,
    Slogdet,
    SlogdetResult,
    Solve,
    SvdVals,
    check_square,
)
from scratchgrad.ops.linalg.matmul import matmul
from scratchgrad.ops.reduce.extrema import amax, amin
from scratchgrad.ops.reduce.reductions import sum
from scratchgrad.ops.reduce.stats import norm as _vector_norm
from scratchgrad.ops.shape.structure import diagonal as _diagonal
from scratchgrad.ops.shape.structure import linalg_cross, movedim
from scratchgrad.ops.shape.view import broadcast_to, squeeze, unsqueeze
from scratchgrad.tensor import Tensor, wrap

cross = linalg_cross


def inv(A: Tensor) -> Tensor:  # noqa: N803 - torch's argument name
    """The inverse of each square matrix: (..., n, n) -> (..., n, n).

    Raises:
        ShapeError: A not (..., n, n).
        RuntimeError: a singular matrix.
    """
    check_square("linalg.inv", A)
    return Inv.apply(A)


def det(A: Tensor) -> Tensor:  # noqa: N803
    """The determinant of each square matrix: (..., n, n) -> (...).

    >>> import scratchgrad as sg
    >>> sg.linalg.det(sg.tensor([[2.0, 1.0], [1.0, 3.0]])).item()
    5.0
    """
    check_square("linalg.det", A)
    return Det.apply(A)


def slogdet(A: Tensor) -> SlogdetResult:  # noqa: N803
    """(sign, log|det|) of each square matrix: (..., n, n) -> two of (...).

    The sign is 0 and logabsdet -inf for a singular matrix; the sign has no gradient.
    """
    check_square("linalg.slogdet", A)
    fn = Slogdet()
    out = wrap(fn.forward(A.array))
    if A.requires_grad and autograd.is_grad_enabled():
        fn.record(out, (A,))
    return SlogdetResult(wrap(fn.sign), out)


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:  # noqa: N803
    """X with A X = B: A (..., n, n), B (..., n) or (..., n, k) -> X of B's shape.

    B is a batch of vectors when it is 1-d or has A's shape without the last dim (as
    torch). Batch dims broadcast.

    Raises:
        ShapeError: A not square, or B's n different from A's.
        RuntimeError: a singular A, or A and B of different dtypes.
        NotImplementedError: ``left=False``.
    """
    check_square("linalg.solve", A)
    if not left:
        raise NotImplementedError("linalg.solve: left=False is not supported")
    if A.dtype != B.dtype:
        raise RuntimeError(f"linalg.solve: expected A and B of one dtype, got {A.dtype}, {B.dtype}")
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    b = unsqueeze(B, -1) if vector else B
    if b.ndim < 2 or b.shape[-2] != A.shape[-1]:
        raise ShapeError(
            f"linalg.solve: incompatible shapes of A and B for the equation AX = B "
            f"(A={A.shape}, B={B.shape})"
        )
    x = Solve.apply(A, b)
    return squeeze(x, -1) if vector else x


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:  # noqa: N803
    """L lower triangular with A = L L^T, for symmetric positive definite A (..., n, n).

    Only A's lower triangle is read. ``upper=True`` gives L^T.

    Raises:
        RuntimeError: A not positive definite.
    """
    check_square("linalg.cholesky", A)
    lo = Cholesky.apply(A)
    return lo.mT if upper else lo


class EighResult(NamedTuple):
    """torch.linalg.eigh's result: A = V diag(w) V^T."""

    eigenvalues: Tensor
    eigenvectors: Tensor


def eigh(A: Tensor, UPLO: str = "L") -> EighResult:  # noqa: N803
    """Eigenvalues (ascending, (..., n)) and eigenvectors (columns, (..., n, n)) of symmetric A.

    Eigenvectors are unique only up to sign; gradients assume distinct eigenvalues.

    Raises:
        ValueError: UPLO not "L" or "U".
    """
    check_square("linalg.eigh", A)
    if UPLO not in ("L", "U"):
        raise ValueError(f"linalg.eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    w, v = Eigh.apply(A, uplo=UPLO)  # (..., n), (..., n, n)
    return EighResult(w, v)


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:  # noqa: N803
    """Eigenvalues of symmetric A (..., n, n), ascending: (..., n)."""
    return eigh(A, UPLO).eigenvalues


def svdvals(A: Tensor) -> Tensor:  # noqa: N803
    """Singular values, descending: (..., m, n) -> (..., min(m, n))."""
    if A.ndim < 2:
        raise ShapeError(f"linalg.svdvals: A must have at least 2 dimensions (A={A.shape})")
    return SvdVals.apply(A)


def pinv(A: Tensor) -> Tensor:  # noqa: N803
    """Moore-Penrose pseudo-inverse of a full-rank A: (..., m, n) -> (..., n, m).

    Computed as (A^T A)^-1 A^T (m >= n) or A^T (A A^T)^-1: equal to torch's SVD-based
    pinv for matrices of full rank; a rank-deficient A raises RuntimeError.
    """
    if A.ndim < 2:
        raise ShapeError(f"linalg.pinv: A must have at least 2 dimensions (A={A.shape})")
    at = A.mT
    if A.shape[-2] >= A.shape[-1]:
        return solve(at @ A, at)
    return solve(A @ at, A).mT


def matrix_power(A: Tensor, n: int) -> Tensor:  # noqa: N803
    """A to the integer power n by repeated squaring; n < 0 inverts A first; n = 0 gives I."""
    check_square("linalg.matrix_power", A)
    if n == 0:
        return broadcast_to(eye(A.shape[-1], dtype=A.dtype), A.shape)
    base = inv(A) if n < 0 else A
    out: Tensor | None = None
    k = -n if n < 0 else n
    while k:
        if k & 1:
            out = base if out is None else out @ base
        k >>= 1
        if k:
            base = base @ base
    assert out is not None
    return out


def multi_dot(tensors: Sequence[Tensor]) -> Tensor:
    """A chain of matrix products; the first and last may be 1-d (row / column vectors)."""
    if len(tensors) < 2:
        raise RuntimeError("multi_dot(): expected at least 2 tensors but got fewer")
    for k, t in enumerate(tensors):
        wanted = 2 if 0 < k < len(tensors) - 1 else t.ndim
        if t.ndim != wanted or t.ndim not in (1, 2):
            raise ShapeError(
                f"multi_dot(): tensor {k} must be 2D (or 1D at the ends), got {t.shape}"
            )
    out = tensors[0]
    for t in tensors[1:]:
        out = matmul(out, t)
    return out


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """sum(x * y) over ``dim``; the shapes broadcast."""
    return sum(mul(x, y), dim)


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:  # noqa: N803
    """The diagonals of a batch of matrices: (..., m, n) -> (..., k)."""
    return _diagonal(A, offset, dim1, dim2)


def vector_norm(
    x: Tensor, ord: float = 2, dim: int | Sequence[int] | None = None, keepdim: bool = False
) -> Tensor:
    """The vector ``ord``-norm over ``dim`` (all elements when None): 2, 1, inf, -inf, 0, p.

    ord 0 counts the nonzero elements (gradient zero); a negative ord p gives
    (sum |x|^p)^(1/p), as torch.
    """
    d: Any = tuple(dim) if isinstance(dim, Sequence) else dim
    if ord == 0:  # x * 0 keeps the graph: torch's gradient is zeros, not None
        return sum((x != 0).to(x.dtype) + x * 0.0, d, keepdim)
    if ord < 0 and ord != -math.inf:
        return sum(abs(x) ** ord, d, keepdim) ** (1.0 / ord)
    return _vector_norm(x, ord, d, keepdim)


def matrix_norm(
    A: Tensor,  # noqa: N803
    ord: float | str = "fro",
    dim: tuple[int, int] = (-2, -1),
    keepdim: bool = False,
) -> Tensor:
    """Matrix norm over the two dims ``dim`` of A: 'fro', 'nuc', 2, -2, 1, -1, inf, -inf.

    Raises:
        ValueError: an unknown ord.
    """
    if ord == "fro":
        return _vector_norm(A, 2, tuple(dim), keepdim)
    r, c = normalize_dims(dim, A.ndim, "linalg.matrix_norm")
    m = movedim(A, (r, c), (-2, -1))  # (..., rows, cols)
    if ord in ("nuc", 2, -2):
        s = svdvals(m)
        out = sum(s, -1) if ord == "nuc" else (amax if ord == 2 else amin)(s, -1)
    elif ord in (1, -1, math.inf, -math.inf):
        axis = -2 if ord in (1, -1) else -1  # column sums for 1, row sums for inf
        sums = sum(abs(m), axis)
        out = (amax if ord in (1, math.inf) else amin)(sums, -1)
    else:
        raise ValueError(f"linalg.matrix_norm: order {ord!r} not supported")
    if keepdim:
        for d in sorted((r, c)):
            out = unsqueeze(out, d)
    return out


def norm(
    A: Tensor,  # noqa: N803
    ord: float | str | None = None,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
) -> Tensor:
    """torch.linalg.norm: a matrix norm for a str ord or two dims, else a vector norm.

    With ``dim`` None: ord None flattens (2-norm of all elements); otherwise A must be
    1-d (vector norm) or 2-d (matrix norm).
    """
    if dim is None:
        if ord is None:
            return _vector_norm(A, 2, None, keepdim)
        if A.ndim not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: input must be 1D or 2D when ord is given, got {A.ndim}D"
            )
        dim = (-2, -1) if A.ndim == 2 else -1
    dims = tuple(dim) if isinstance(dim, Sequence) else (dim,)
    if isinstance(ord, str) or len(dims) == 2:
        return matrix_norm(A, "fro" if ord is None else ord, (dims[0], dims[-1]), keepdim)
    return vector_norm(A, 2 if ord is None else ord, dims, keepdim)


__all__ = [
    "EighResult",
    "SlogdetResult",
    "cholesky",
    "cross",
    "det",
    "diagonal",
    "eigh",
    "eigvalsh",
    "inv",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "multi_dot",
    "norm",
    "pinv",
    "slogdet",
    "solve",
    "svdvals",
    "vecdot",
    "vector_norm",
]
