"""Linear algebra: matmul (and ``@``), dot, outer, einsum.

``matmul`` follows ``torch.matmul``: 1-d operands are promoted to matrices and the
added dim is dropped from the result, and batch dims (all but the last two) broadcast.
``einsum`` takes explicit (``"ij,jk->ik"``) or implicit (``"ij,jk"``) subscripts and
``...``; dims with the same letter broadcast when one of them is 1, as in PyTorch.
``dot`` and ``outer`` are compositions and need no backward of their own.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Sequence
from typing import Any, NamedTuple

from scratchgrad.autograd import Function, grad_mode
from scratchgrad.backend import Array, xp
from scratchgrad.errors import BroadcastError, ShapeError
from scratchgrad.ops.dims import broadcast_shapes, normalize_dim
from scratchgrad.ops.elementwise.arithmetic import mul
from scratchgrad.ops.elementwise.select import where
from scratchgrad.ops.registry import register
from scratchgrad.ops.shape.view import permute, reshape
from scratchgrad.tensor import Tensor, wrap
from scratchgrad.types import Scalar

Shape = tuple[int, ...]


@register("matmul")
class Matmul(Function):
    """out = a @ b with torch.matmul's rules: (..., M, K) @ (..., K, N) -> (..., M, N).

    A 1-d ``a`` (K,) acts as (1, K) and a 1-d ``b`` (K,) as (K, 1); the added dim is
    dropped from the result. Batch dims broadcast; the engine sums the gradients back.
    """

    def forward(self, a: Array, b: Array) -> Array:
        self.a, self.b = a, b
        if b.ndim == 2 and a.ndim > 2 and a.shape[-1]:
            # (..., M, K) @ (K, N): all rows in one GEMM instead of one GEMM per batch
            out: Array = xp.matmul(a.reshape(-1, a.shape[-1]), b)  # (rows, N)
            return out.reshape(*a.shape[:-1], b.shape[-1])
        out = xp.matmul(a, b)
        return out

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        a, b = self.a, self.b
        if b.ndim == 2 and a.ndim > 2 and a.shape[-1]:
            return self._backward_folded(grad)
        if a.ndim == 1 or b.ndim == 1:
            return self._backward_vector(grad)
        ga = xp.matmul(grad, xp.swapaxes(b, -1, -2)) if self.needs_input_grad[0] else None
        gb = xp.matmul(xp.swapaxes(a, -1, -2), grad) if self.needs_input_grad[1] else None
        return ga, gb  # broadcast batch dims are summed by the engine

    def _backward_folded(self, grad: Array) -> tuple[Array | None, Array | None]:
        """a (..., M, K) @ b (K, N): grad (..., M, N) as one (rows, N) matrix."""
        a, b = self.a, self.b
        g = grad.reshape(-1, b.shape[-1])  # (rows, N)
        ga = (g @ b.T).reshape(a.shape) if self.needs_input_grad[0] else None
        gb = a.reshape(-1, a.shape[-1]).T @ g if self.needs_input_grad[1] else None  # (K, N)
        return ga, gb

    def _backward_vector(self, grad: Array) -> tuple[Array | None, Array | None]:
        """At least one 1-d operand: promote to matrices, then drop the added dim."""
        a, b = self.a, self.b
        a2 = a[None, :] if a.ndim == 1 else a  # (..., M, K), M = 1 for a 1-d a
        b2 = b[:, None] if b.ndim == 1 else b  # (..., K, N), N = 1 for a 1-d b
        g = grad[..., None] if b.ndim == 1 else grad
        g = g[..., None, :] if a.ndim == 1 else g  # (..., M, N)
        ga = gb = None
        if self.needs_input_grad[0]:
            ga = xp.matmul(g, xp.swapaxes(b2, -1, -2))  # (..., M, K)
            ga = ga[..., 0, :] if a.ndim == 1 else ga  # (..., K): the engine sums the batch
        if self.needs_input_grad[1]:
            gb = xp.matmul(xp.swapaxes(a2, -1, -2), g)  # (..., K, N)
            gb = gb[..., 0] if b.ndim == 1 else gb  # (..., K)
        return ga, gb


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """Matrix product with torch.matmul's rules for 1-d operands and batch dims.

    Args:
        a: shape (K,), (M, K) or (*batch_a, M, K).
        b: shape (K,), (K, N) or (*batch_b, K, N).

    Returns:
        (K,) @ (K,) -> (); (M, K) @ (K,) -> (M,); (K,) @ (K, N) -> (N,);
        (*batch_a, M, K) @ (*batch_b, K, N) -> (*broadcast(batch_a, batch_b), M, N).

    Raises:
        ShapeError: a 0-d operand, or inner sizes that differ.
        BroadcastError: batch dims that do not broadcast.
        RuntimeError: operands of different dtypes (as torch).

    >>> import scratchgrad as sg
    >>> (sg.ones(2, 1, 3, 4) @ sg.ones(5, 4, 6)).shape
    (2, 5, 3, 6)
    """
    # What Function.apply does, written out: the hottest op in training pays no more.
    x, y = a.array, b.array
    if x.dtype is not y.dtype and x.dtype != y.dtype:
        _check_same_dtype("matmul", (a, b))
    fn = Matmul()
    try:
        out = wrap(fn.forward(x, y))
    except ValueError:
        _raise_matmul_error(x.shape, y.shape)
        raise
    if (a.requires_grad or b.requires_grad) and grad_mode._grad_enabled:
        fn.record(out, (a, b))
    return out


def dot(a: Tensor, b: Tensor) -> Tensor:
    """Inner product of two 1-d tensors of equal length: (N,), (N,) -> ().

    Raises:
        ShapeError: an operand that is not 1-d, or lengths that differ.
        RuntimeError: operands of different dtypes (as torch).
    """
    if a.ndim != 1 or b.ndim != 1:
        raise ShapeError(
            f"dot: 1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors "
            f"(a={a.shape}, b={b.shape})"
        )
    if a.shape[0] != b.shape[0]:
        raise ShapeError(
            f"dot: sizes must match: a.shape[0]={a.shape[0]} != b.shape[0]={b.shape[0]} "
            f"(a={a.shape}, b={b.shape})"
        )
    _check_same_dtype("dot", (a, b))
    return Matmul.apply(a, b)


def _check_same_dtype(op: str, ts: Sequence[Tensor]) -> None:
    d = ts[0].array.dtype
    for t in ts[1:]:
        if t.array.dtype is not d and t.array.dtype != d:
            raise RuntimeError(
                f"{op}: expected all operands to have the same dtype, got {d} and {t.array.dtype}"
            )


def _raise_matmul_error(sa: Shape, sb: Shape) -> None:
    """Raise the error that says why NumPy refused ``a @ b``, if it is a shape rule."""
    if not sa or not sb:
        raise ShapeError(
            f"matmul: both arguments to matmul need to be at least 1D, but they are "
            f"{len(sa)}D and {len(sb)}D (a={sa}, b={sb})"
        )
    k = -2 if len(sb) > 1 else 0  # the inner dim of b
    if sa[-1] != sb[k]:
        raise ShapeError(
            f"matmul: inner dims must match: a.shape[-1]={sa[-1]} != b.shape[{k}]={sb[k]} "
            f"(a={sa}, b={sb})"
        )
    try:
        broadcast_shapes(sa[:-2], sb[:-2])
    except BroadcastError as e:
        raise BroadcastError(f"matmul: batch dims must broadcast: {e} (a={sa}, b={sb})") from e


def outer(a: Tensor, b: Tensor) -> Tensor:
    """Outer product: (M,), (N,) -> (M, N), out[i, j] = a[i] * b[j]; dtypes promote.

    Raises:
        ShapeError: an operand that is not 1-d.
    """
    if a.ndim != 1 or b.ndim != 1:
        raise ShapeError(
            f"outer: 1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors "
            f"(a={a.shape}, b={b.shape})"
        )
    return mul(reshape(a, a.shape[0], 1), b)  # (M, 1) * (N,) -> (M, N)


_LETTERS = string.ascii_letters


class _Spec(NamedTuple):
    """A parsed einsum equation, "..." replaced by letters of its own.

    Attributes:
        terms: the letters of each operand, one per dim (a letter may repeat).
        out: the letters of the output, each once.
        equation: the explicit equation for ``xp.einsum``: ``",".join(terms) + "->" + out``.
        ellipsis: the letters that stand for the dims of "...", rightmost last.
    """

    terms: tuple[str, ...]
    out: str
    equation: str
    ellipsis: str


@register("einsum")
class Einsum(Function):
    """out = einsum(spec.equation, *xs): products of the operands summed over letters.

    The gradient of operand k is the einsum of the output gradient with the other
    operands, giving k's letters. A letter found only in operand k was summed away,
    so its gradient is broadcast along it; a letter repeated in k ("ii") read a
    diagonal, so its gradient is written onto that diagonal, zeros elsewhere.
    """

    def forward(self, *xs: Array, spec: _Spec) -> Array:
        self.xs, self.spec = xs, spec
        out: Array = xp.einsum(spec.equation, *xs, optimize=len(xs) > 1)
        return out

    def backward(self, grad: Array) -> tuple[Array | None, ...]:
        return tuple(
            self._grad_of(k, grad) if need else None for k, need in enumerate(self.needs_input_grad)
        )

    def _grad_of(self, k: int, grad: Array) -> Array:
        """d(loss)/d(xs[k]), shape xs[k].shape."""
        spec, x = self.spec, self.xs[k]
        term = spec.terms[k]
        sizes = dict(zip(term, x.shape, strict=True))  # letter -> size in xs[k]
        letters = "".join(sizes)  # xs[k]'s letters, each once
        ins = [spec.out, *(t for j, t in enumerate(spec.terms) if j != k)]
        arrays = [grad, *(a for j, a in enumerate(self.xs) if j != k)]
        seen = set("".join(ins))
        kept = "".join(c for c in letters if c in seen)
        g: Array = xp.einsum(f"{','.join(ins)}->{kept}", *arrays, optimize=len(arrays) > 1)
        # a size-1 dim of xs[k] that broadcast against a bigger one: sum it back
        axes = tuple(i for i, c in enumerate(kept) if sizes[c] == 1 and g.shape[i] != 1)
        if axes:
            g = g.sum(axis=axes, keepdims=True)
        if len(kept) < len(letters):  # letters only in xs[k]: a dim of 1 to broadcast
            dims = iter(g.shape)
            g = g.reshape([next(dims) if c in seen else 1 for c in letters])
        if g.shape != tuple(sizes.values()):  # broadcast along xs[k]'s own sizes
            g = xp.broadcast_to(g, tuple(sizes.values()))
        if len(letters) < len(term):  # repeated letters: the gradient lives on a diagonal
            full = xp.zeros(x.shape, dtype=g.dtype)
            _diagonal(full, term)[...] = g
            g = full
        return g


def einsum(equation: str, *operands: Tensor | Sequence[Tensor]) -> Tensor:
    """Einstein summation, as torch.einsum.

    Each operand gets one letter per dim; letters in the output are kept, the others
    are summed over. Without "->" the output is the letters that appear once, sorted.
    "..." stands for the dims no letter names; they broadcast across operands.

    Args:
        equation: e.g. "ij,jk->ik" (matmul), "bij,bjk->bik" (batched), "ii->i"
            (diagonal), "ii->" (trace), "ij->ji", "i,j->ij", "...ij,...jk".
        *operands: the tensors, one per comma-separated term (or one list of them),
            all of one dtype.

    Returns:
        The result, one dim per output letter.

    Raises:
        ValueError: a malformed equation, or a number of terms other than the number
            of operands.
        ShapeError: a term whose letters do not match its operand's dims, or one
            letter with sizes that differ (and neither is 1).
        RuntimeError: operands of different dtypes (as torch).

    >>> import scratchgrad as sg
    >>> sg.einsum("ij,jk->ik", sg.ones(2, 3), sg.ones(3, 4)).shape
    (2, 4)
    """
    ts = _as_operands(operands)
    _check_same_dtype("einsum", ts)
    try:
        spec = _parse(equation, tuple(t.ndim for t in ts))
    except ShapeError as e:
        raise ShapeError(f"{e} (shapes {', '.join(str(t.shape) for t in ts)})") from e
    try:
        return Einsum.apply(*ts, spec=spec)
    except ValueError:
        _check_sizes(spec, [t.shape for t in ts])
        raise


def _diagonal(x: Array, term: str) -> Array:
    """A writeable view of ``x`` with one dim per distinct letter of ``term``.

    A repeated letter ("ii") becomes one dim whose stride is the sum of its dims'
    strides: the diagonal.
    """
    shape: dict[str, int] = {}
    strides: dict[str, int] = {}
    for c, n, s in zip(term, x.shape, x.strides, strict=True):
        shape[c] = n
        strides[c] = strides.get(c, 0) + s
    view: Array = xp.lib.stride_tricks.as_strided(x, tuple(shape.values()), tuple(strides.values()))
    return view


def _as_operands(operands: tuple[Tensor | Sequence[Tensor], ...]) -> tuple[Tensor, ...]:
    """The operand tensors, whether passed one by one or as one list (torch allows both)."""
    first = operands[0] if len(operands) == 1 else None
    items: Sequence[object] = first if isinstance(first, list | tuple) else operands
    ts = tuple(t for t in items if isinstance(t, Tensor))
    if len(ts) != len(items):
        kinds = [type(t).__name__ for t in items]
        raise TypeError(f"einsum: operands must be Tensors, got {kinds}")
    if not ts:
        raise ValueError("einsum: must provide at least one operand")
    return ts


@functools.lru_cache(maxsize=256)
def _parse(equation: str, ndims: tuple[int, ...]) -> _Spec:
    """Parse ``equation`` for operands with ``ndims`` dims (cached: equations repeat)."""
    lhs, arrow, rhs = equation.replace(" ", "").partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ndims):
        raise ValueError(
            f"einsum: the equation {equation!r} has {len(terms)} operand term(s) "
            f"but {len(ndims)} operand(s) were given"
        )
    for term in [*terms, rhs]:
        _check_term(term, equation)
    n_ell = [_ellipsis_dims(k, t, n) for k, (t, n) in enumerate(zip(terms, ndims, strict=True))]
    free = [c for c in _LETTERS if c not in lhs]
    if max(n_ell) > len(free):
        raise ValueError(f"einsum: too many dims under '...' in {equation!r}")
    ell = "".join(free[: max(n_ell)])
    out = _output(rhs if arrow else None, terms, equation).replace("...", ell)
    terms = [t.replace("...", ell[len(ell) - e :]) for t, e in zip(terms, n_ell, strict=True)]
    return _Spec(tuple(terms), out, f"{','.join(terms)}->{out}", ell)


def _check_term(term: str, equation: str) -> None:
    """Letters a-z, A-Z and at most one "..."."""
    rest = term.replace("...", "", 1)
    bad = [c for c in rest if c not in _LETTERS]
    if bad:
        raise ValueError(
            f"einsum: invalid subscript {bad[0]!r} in {equation!r}: subscripts must be "
            f"letters a-z, A-Z, with at most one '...' per term"
        )


def _ellipsis_dims(k: int, term: str, ndim: int) -> int:
    """How many dims "..." covers in operand k; errors if the letters do not fit."""
    if "..." in term:
        named = len(term) - 3
        if ndim < named:
            raise ShapeError(
                f"einsum: operand {k} has {ndim} dims but its subscripts {term!r} "
                f"name at least {named}"
            )
        return ndim - named
    if len(term) != ndim:
        raise ShapeError(
            f"einsum: operand {k} has {ndim} dims but its subscripts {term!r} name {len(term)}"
        )
    return 0


def _output(rhs: str | None, terms: list[str], equation: str) -> str:
    """The output term: ``rhs`` checked, or (implicit) "..." then letters seen once, sorted."""
    letters = "".join(terms).replace(".", "")
    if rhs is None:
        once = sorted(c for c in set(letters) if letters.count(c) == 1)
        return ("..." if any("..." in t for t in terms) else "") + "".join(once)
    named = rhs.replace("...", "")
    for c in named:
        if named.count(c) > 1:
            raise ValueError(f"einsum: output subscript {c!r} appears more than once in {rhs!r}")
        if c not in letters:
            raise ValueError(
                f"einsum: output subscript {c!r} does not appear in any operand of {equation!r}"
            )
    return rhs


def _check_sizes(spec: _Spec, shapes: Sequence[Shape]) -> None:
    """Raise a ShapeError naming the letter whose sizes conflict, if one does."""
    seen: dict[str, tuple[int, int]] = {}  # letter -> (size, operand that gave it)
    for k, (term, shape) in enumerate(zip(spec.terms, shapes, strict=True)):
        mine: dict[str, int] = {}
        for c, n in zip(term, shape, strict=True):
            name = _letter_name(c, spec)
            if c in mine and mine[c] != n:
                raise ShapeError(
                    f"einsum: subscript {name} is repeated in operand {k} with sizes "
                    f"{mine[c]} and {n} (shape {shape})"
                )
            mine[c] = n
            size, j = seen.get(c, (1, k))
            if n != size and n != 1 and size != 1:
                raise ShapeError(
                    f"einsum: subscript {name} has size {n} in operand {k} but {size} in "
                    f"operand {j}, and neither is 1 (shapes {', '.join(map(str, shapes))})"
                )
            if n != 1:
                seen[c] = (n, k)


def _letter_name(c: str, spec: _Spec) -> str:
    """How the user wrote letter ``c``: "'j'", or "'...' dim -1" for an ellipsis dim."""
    if c in spec.ellipsis:
        return f"'...' dim {spec.ellipsis.index(c) - len(spec.ellipsis)}"
    return repr(c)


ger = outer


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


__all__ = [
    "addbmm",
    "addmm",
    "addmv",
    "addr",
    "baddbmm",
    "bmm",
    "dot",
    "einsum",
    "ger",
    "inner",
    "matmul",
    "mm",
    "mv",
    "outer",
    "tensordot",
    "vdot",
]
