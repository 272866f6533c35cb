"""Parity of scratchgrad.linalg (decompositions, solves, norms) with torch.linalg."""

import numpy as np
import pytest

import scratchgrad as sg
from tests.ops._parity import Case, make_tests

# LAPACK in NumPy and in torch factor float32 matrices with different blockings: a few
# ulps times the condition number.
LA32 = (1e-4, 1e-5)


def _well(*shape: int):
    """Inputs: one batch of well-conditioned square matrices (diagonally dominant)."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        n = shape[-1]
        a = rng.uniform(-1, 1, shape) + n * np.eye(n) * rng.choice([-1, 1], (*shape[:-1], 1))
        return [a.astype(dtype)]

    return make


def _spd(*shape: int):
    """Inputs: one batch of symmetric positive definite matrices with distinct eigenvalues."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        x = rng.uniform(-1, 1, shape)
        return [(x @ np.swapaxes(x, -1, -2) + np.diag(np.arange(1.0, shape[-1] + 1))).astype(dtype)]

    return make


def _with(make_a, *other: tuple[int, ...]):
    """A from ``make_a`` plus uniform inputs of shapes ``other``."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        return [*make_a(rng, dtype), *(rng.uniform(-1, 1, s).astype(dtype) for s in other)]

    return make


def _sym(a):
    return (a + a.mT) * 0.5  # the loss then reads both triangles: sign-free gradients


def _eigh(m, a, uplo="L"):
    w, v = m.linalg.eigh(_sym(a), UPLO=uplo)
    return w, v * m.sign(v[..., :1, :])  # eigenvectors up to sign: first row made positive


def _la(op, fn, make=None, shapes=((3, 3),), name="", **kw) -> Case:
    return Case(op, fn, shapes, make=make, tol=LA32, name=name, **kw)


CASES = [
    _la("inv", lambda m, a: m.linalg.inv(a), _well(3, 3), name="2d"),
    _la("inv", lambda m, a: m.linalg.inv(a), _well(2, 4, 4), name="batched"),
    _la("det", lambda m, a: m.linalg.det(a), _well(3, 3), name="2d"),
    _la("det", lambda m, a: m.linalg.det(a), _well(2, 4, 4), name="batched"),
    _la("det", lambda m, a: m.linalg.det(a), shapes=((1, 1),), name="1x1"),
    _la("slogdet", lambda m, a: tuple(m.linalg.slogdet(a)), _well(2, 3, 3), name="batched"),
    _la("solve", lambda m, a, b: m.linalg.solve(a, b), _with(_well(3, 3), (3, 2)), name="mat"),
    _la("solve", lambda m, a, b: m.linalg.solve(a, b), _with(_well(3, 3), (3,)), name="vec"),
    _la(
        "solve",
        lambda m, a, b: m.linalg.solve(a, b),
        _with(_well(2, 3, 3), (2, 3)),
        name="batched-vec",
    ),
    _la(
        "solve",
        lambda m, a, b: m.linalg.solve(a, b),
        _with(_well(3, 3), (2, 3, 4)),
        name="broadcast-A",
    ),
    _la("cholesky", lambda m, a: m.linalg.cholesky(_sym(a)), _spd(3, 3), name="2d"),
    _la("cholesky", lambda m, a: m.linalg.cholesky(_sym(a)), _spd(2, 4, 4), name="batched"),
    _la("cholesky", lambda m, a: m.linalg.cholesky(_sym(a), upper=True), _spd(3, 3), name="U"),
    _la("eigh", _eigh, _spd(3, 3), name="2d"),
    _la("eigh", _eigh, _spd(2, 4, 4), name="batched"),
    _la("eigh", lambda m, a: _eigh(m, a, "U"), _spd(3, 3), name="upper"),
    _la("eigh", lambda m, a: m.linalg.eigvalsh(_sym(a)), _spd(2, 3, 3), name="eigvalsh"),
    _la("svdvals", lambda m, a: m.linalg.svdvals(a), shapes=((4, 3),), name="tall"),
    _la("svdvals", lambda m, a: m.linalg.svdvals(a), shapes=((2, 3, 5),), name="wide"),
]


def test_singular_inv_names_the_op() -> None:
    with pytest.raises(RuntimeError, match="linalg.inv"):
        sg.linalg.inv(sg.zeros(3, 3))
    with pytest.raises(RuntimeError, match="linalg.solve"):
        sg.linalg.solve(sg.zeros(2, 2), sg.ones(2))


def test_non_square_is_a_shape_error() -> None:
    for f in (sg.linalg.inv, sg.linalg.det, sg.linalg.cholesky, sg.linalg.eigh):
        with pytest.raises(sg.ShapeError, match=r"\(3, 2\)"):
            f(sg.zeros(3, 2))
    with pytest.raises(sg.ShapeError, match="B"):
        sg.linalg.solve(sg.eye(3), sg.ones(4, 2))


def test_not_positive_definite() -> None:
    with pytest.raises(RuntimeError, match="positive-definite"):
        sg.linalg.cholesky(-sg.eye(2))


def test_det_gradient_of_singular_matrix_is_the_cofactor_matrix() -> None:
    # torch 2.13 returns zeros here (its det is exactly 0); the true gradient of det at a
    # rank n-1 matrix is the cofactor matrix, which finite differences confirm.
    a = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 5.0]])
    x = sg.from_numpy(a.copy()).requires_grad_()
    sg.linalg.det(x).backward()
    cof = np.array([[14.0, -10.0, 2.0], [-7.0, 5.0, -1.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(x.grad.numpy(), cof, atol=1e-10)
    assert sg.gradcheck(sg.linalg.det, [sg.from_numpy(a.copy()).requires_grad_()])


test_parity, test_gradcheck = make_tests(CASES)
