"""Matrix decompositions and inverses for ``scratchgrad.linalg``, with gradients.

Registered ops: inv, det, slogdet, solve, cholesky, eigh, svdvals. Each works on batches of
square matrices (..., n, n); backward uses the standard matrix-calculus formulas (the
same as PyTorch's ``FunctionsManual.cpp``), written with ``A^-T = inv(A)^T``.

eigh is one node with two outputs, the eigenvalues and the eigenvectors; eigvalsh is its
first output.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from scratchgrad.autograd import Function, MultiOutputFunction
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor


def _mT(a: Array) -> Array:  # noqa: N802 - torch's name
    """The matrix transpose of the last two dims: (..., m, n) -> (..., n, m)."""
    return xp.swapaxes(a, -1, -2)


def check_square(op: str, a: Tensor, name: str = "A") -> None:
    """Raise unless ``a`` is a float batch of square matrices (..., n, n).

    Raises:
        ShapeError: fewer than 2 dims, or the last two sizes differ.
        TypeError: a tensor that is not floating point (as torch).
    """
    if a.ndim < 2:
        raise ShapeError(
            f"{op}: {name} must have at least 2 dimensions, got {a.ndim}D ({name}={a.shape})"
        )
    if a.shape[-1] != a.shape[-2]:
        raise ShapeError(
            f"{op}: {name} must be batches of square matrices, but they are "
            f"{a.shape[-2]} by {a.shape[-1]} matrices ({name}={a.shape})"
        )
    if not a.is_floating_point():
        raise TypeError(f"{op}: expected a floating point tensor for {name}, got {a.dtype}")


def _singular(op: str) -> RuntimeError:
    return RuntimeError(
        f"{op}: the input matrix is singular (or not invertible in floating point), "
        "so the operation cannot be completed"
    )


def _inv(op: str, a: Array) -> Array:
    """inv(a) for (..., n, n), raising RuntimeError naming ``op`` when a is singular."""
    try:
        out: Array = xp.linalg.inv(a)
    except xp.linalg.LinAlgError as e:
        raise _singular(op) from e
    return out


@register("inv")
class Inv(Function):
    """out = A^-1 for A (..., n, n)."""

    def forward(self, a: Array) -> Array:  # (..., n, n) -> (..., n, n)
        self.out = _inv("linalg.inv", a)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:  # d(A^-1) = -A^-1 dA A^-1
        t = _mT(self.out)  # (..., n, n)
        return (-(t @ grad @ t),)


@register("det")
class Det(Function):
    """out = det(A) for A (..., n, n) -> (...)."""

    def forward(self, a: Array) -> Array:
        self.a = a
        self.out: Array = xp.asarray(xp.linalg.det(a), dtype=a.dtype)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:  # d det = det * tr(A^-1 dA)
        g = (grad * self.out)[..., None, None]  # (..., 1, 1)
        if xp.all(self.out != 0):
            return (g * _mT(_inv("linalg.det", self.a)),)
        return (_mT(_adjugate(self.a)) * grad[..., None, None],)  # det(A) A^-T, also singular


def _adjugate(a: Array) -> Array:
    """adj(A) (..., n, n) by cofactors through the SVD: exact for singular A too.

    A = U S V^T gives adj(A) = det(U) det(V) V adj(S) U^T, adj(S)_ii = prod_{j != i} s_j.
    """
    u, s, vt = xp.linalg.svd(a)
    n = s.shape[-1]
    others = xp.stack([xp.prod(xp.delete(s, i, axis=-1), axis=-1) for i in range(n)], axis=-1)
    sign = xp.linalg.det(u) * xp.linalg.det(vt)  # (...,), each +-1
    adj: Array = (_mT(vt) * others[..., None, :]) @ _mT(u)
    out: Array = adj * sign[..., None, None]
    return out


class SlogdetResult(NamedTuple):
    """torch.linalg.slogdet's result: det(A) = sign * exp(logabsdet)."""

    sign: Tensor
    logabsdet: Tensor


@register("slogdet")
class Slogdet(Function):
    """out = log|det(A)| for A (..., n, n) -> (...); the sign has no gradient."""

    def forward(self, a: Array) -> Array:
        self.a = a
        sign, logabs = xp.linalg.slogdet(a)
        self.sign = xp.asarray(sign, dtype=a.dtype)
        out: Array = xp.asarray(logabs, dtype=a.dtype)
        return out

    def backward(self, grad: Array) -> tuple[Array]:  # d log|det A| = tr(A^-1 dA)
        return (grad[..., None, None] * _mT(_inv("linalg.slogdet", self.a)),)


@register("solve")
class Solve(Function):
    """X = A^-1 B for A (..., n, n), B (..., n, k); batch dims broadcast."""

    def forward(self, a: Array, b: Array) -> Array:  # -> (..., n, k)
        try:
            self.x: Array = xp.linalg.solve(a, b)
        except xp.linalg.LinAlgError as e:
            raise _singular("linalg.solve") from e
        self.a = a
        return self.x

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        gb: Array = xp.linalg.solve(_mT(self.a), grad)  # A^T gB = gX: (..., n, k)
        ga = -(gb @ _mT(self.x)) if self.needs_input_grad[0] else None  # (..., n, n)
        return ga, gb  # the engine sums broadcast batch dims


@register("cholesky")
class Cholesky(Function):
    """L with A = L L^T, L lower triangular, for symmetric positive definite A (..., n, n)."""

    def forward(self, a: Array) -> Array:
        try:
            self.l: Array = xp.linalg.cholesky(a)
        except xp.linalg.LinAlgError as e:
            raise RuntimeError(
                "linalg.cholesky: the input is not positive-definite (a leading minor is "
                "not positive)"
            ) from e
        return self.l

    def backward(self, grad: Array) -> tuple[Array]:
        # gA = sym(L^-T P L^-1), P = tril(L^T gL) with its diagonal halved: (..., n, n)
        lo = self.l
        p = xp.tril(_mT(lo) @ grad)
        p = 0.5 * (p + _mT(xp.tril(p, -1)))  # sym(P) with P's halved diagonal
        linv = _inv("linalg.cholesky", lo)
        return (_mT(linv) @ p @ linv,)


@register("eigh")
class Eigh(MultiOutputFunction):
    """Eigenvalues w (..., n), ascending, and eigenvectors V (..., n, n) of symmetric A.

    Only one triangle of A (..., n, n) is read: the lower (UPLO='L') or the upper.
    """

    def forward(self, a: Array, uplo: str) -> tuple[Array, Array]:
        self.w, self.v = xp.linalg.eigh(
            a, UPLO="U" if uplo == "U" else "L"
        )  # (..., n), (..., n, n)
        return self.w, self.v

    def backward(self, grads: Sequence[Array | None]) -> tuple[Array]:
        gw, gv = grads  # (..., n), (..., n, n), or None
        w, v = self.w, self.v
        n = w.shape[-1]
        inner = xp.zeros_like(v)  # (..., n, n)
        if gv is not None:
            vgv = _mT(v) @ gv
            vgv = 0.5 * (vgv - _mT(vgv))  # skew part: V^T dV is skew
            e = w[..., None, :] - w[..., :, None]  # E_ij = w_j - w_i
            e[..., range(n), range(n)] = 1.0
            inner = vgv / e
        inner[..., range(n), range(n)] = 0.0 if gw is None else gw
        return (v @ inner @ _mT(v),)  # gA = V (diag(gw) + skew(V^T gV) / E) V^T


@register("svdvals")
class SvdVals(Function):
    """Singular values s (descending) of A (..., m, n) -> (..., min(m, n))."""

    def forward(self, a: Array) -> Array:
        self.u, s, self.vt = xp.linalg.svd(a, full_matrices=False)  # U (.., m, k), Vt (.., k, n)
        out: Array = s
        return out

    def backward(self, grad: Array) -> tuple[Array]:  # ds_i = u_i^T dA v_i
        return ((self.u * grad[..., None, :]) @ self.vt,)  # U diag(gs) V^T: (..., m, n)


__all__ = []
