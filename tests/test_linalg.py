"""The scratchgrad.linalg namespace: composed functions (norms, powers, products) vs torch."""

import math

import numpy as np
import pytest

import scratchgrad as sg
import scratchgrad.linalg
from tests.ops._parity import Case, make_tests

LA32 = (1e-4, 1e-5)


def _well(*shape: int):
    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        n = shape[-1]
        return [(rng.uniform(-1, 1, shape) + n * np.eye(n)).astype(dtype)]

    return make


def _vn(ord, dim=None, keepdim=False, shape=(3, 4)) -> Case:
    return Case(
        "norm",
        lambda m, x: m.linalg.vector_norm(x, ord, dim, keepdim),
        (shape,),
        tol=LA32,
        name=f"vector_norm-{ord}-{dim}-{keepdim}",
    )


def _mn(ord, dim=(-2, -1), keepdim=False, shape=(2, 3, 4)) -> Case:
    return Case(
        ("svdvals", "abs", "sum"),
        lambda m, x: m.linalg.matrix_norm(x, ord, dim, keepdim),
        (shape,),
        tol=LA32,
        name=f"matrix_norm-{ord}-{dim}-{keepdim}",
    )


CASES = [
    _vn(2),
    _vn(1, 1),
    _vn(math.inf, 0, True),
    _vn(-math.inf, -1),
    _vn(0, 1),
    _vn(3.5, (0, 1)),
    _vn(-1.5, 1),
    _mn("fro"),
    _mn("nuc"),
    _mn(2),
    _mn(-2),
    _mn(1),
    _mn(-1),
    _mn(math.inf),
    _mn(-math.inf),
    _mn("nuc", (0, 2), True),
    _mn(1, (2, 0)),
    Case("norm", lambda m, x: m.linalg.norm(x), ((2, 3, 4),), tol=LA32, name="norm-flat"),
    Case("norm", lambda m, x: m.linalg.norm(x, 1), ((4,),), tol=LA32, name="norm-vec-1"),
    Case("svdvals", lambda m, x: m.linalg.norm(x, 2), ((3, 4),), tol=LA32, name="norm-mat-2"),
    Case("norm", lambda m, x: m.linalg.norm(x, dim=1), ((3, 4),), tol=LA32, name="norm-dim"),
    Case("solve", lambda m, x: m.linalg.pinv(x), ((4, 3),), tol=LA32, name="pinv-tall"),
    Case("solve", lambda m, x: m.linalg.pinv(x), ((2, 3, 5),), tol=LA32, name="pinv-wide"),
    *(
        Case(
            "matmul",
            lambda m, x, n=n: m.linalg.matrix_power(x, n),
            make=_well(2, 3, 3),
            tol=LA32,
            name=f"matrix_power-{n}",
        )
        for n in (1, 2, 5, -1, -3)
    ),
    Case(
        "matmul",
        lambda m, x: m.linalg.matrix_power(x, 0),
        ((3, 3),),
        grad=False,
        name="matrix_power-0",
    ),
    Case(
        "matmul",
        lambda m, *xs: m.linalg.multi_dot(list(xs)),
        ((3,), (3, 4), (4, 2), (2,)),
        tol=LA32,
        name="multi_dot-vec-ends",
    ),
    Case(
        "matmul",
        lambda m, *xs: m.linalg.multi_dot(xs),
        ((2, 3), (3, 4), (4, 5)),
        tol=LA32,
        name="multi_dot",
    ),
    Case("mul", lambda m, x, y: m.linalg.vecdot(x, y), ((2, 3), (3,)), name="vecdot"),
    Case("mul", lambda m, x, y: m.linalg.vecdot(x, y, dim=0), ((3, 2), (3, 2)), name="vecdot-0"),
    Case("mul", lambda m, x, y: m.linalg.cross(x, y), ((2, 3), (2, 3)), name="cross"),
    Case("diagonal", lambda m, x: m.linalg.diagonal(x, offset=1), ((2, 3, 4),), name="diagonal"),
    Case("matmul", lambda m, x, y: m.linalg.matmul(x, y), ((2, 3), (3, 4)), tol=LA32, name="mm"),
]


def test_namespace_is_importable_both_ways() -> None:
    assert sg.linalg is scratchgrad.linalg
    assert sg.linalg.inv is scratchgrad.linalg.inv


def test_slogdet_is_a_named_tuple() -> None:
    out = sg.linalg.slogdet(sg.tensor([[0.0, 2.0], [1.0, 0.0]]))
    assert out.sign.item() == -1.0
    assert out.logabsdet.item() == pytest.approx(math.log(2.0))


def test_unknown_matrix_norm_order() -> None:
    with pytest.raises(ValueError, match="order"):
        sg.linalg.matrix_norm(sg.ones(2, 2), 3)


def test_multi_dot_needs_two() -> None:
    with pytest.raises(RuntimeError, match="at least 2"):
        sg.linalg.multi_dot([sg.ones(2, 2)])


test_parity, test_gradcheck = make_tests(CASES)
