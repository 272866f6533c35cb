"""Parity of scatter_reduce, index_add, index_copy, index_fill (ops/scatter.py) with torch."""

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._index_cases import Error, _x, make_error_test
from tests.ops._parity import Case, make_tests

REDUCES = ("sum", "prod", "mean", "amax", "amin")


def _sr_inputs(
    x_shape: tuple[int, ...],
    high: int,
    idx_shape: tuple[int, ...],
    src_shape: tuple[int, ...] | None = None,
    ties: bool = False,
) -> Callable:
    """x, random int64 indices in [0, high) (repeats likely) and src for scatter_reduce."""

    def make(rng: np.random.Generator, dt: str) -> list[np.ndarray]:
        x, src = _x(rng, dt, x_shape), _x(rng, dt, src_shape or idx_shape)
        if ties:  # few distinct values: ties at the max/min, and exact zeros for prod
            x, src = (rng.integers(-1, 2, a.shape).astype(dt) for a in (x, src))
        return [x, rng.integers(0, high, idx_shape), src]

    return make


def _int_inputs(rng: np.random.Generator, dt: str) -> list[np.ndarray]:
    return [
        rng.integers(-9, 9, (3, 4)).astype(dt),
        rng.integers(0, 3, (5, 4)),
        rng.integers(-9, 9, (5, 4)).astype(dt),
    ]


def _sr(reduce: str, dim: int, include_self: bool) -> Callable[..., Any]:
    return lambda m, x, i, s: x.scatter_reduce(dim, i, s, reduce, include_self=include_self)


def _sr_cases() -> list[Case]:
    cases = []
    for r in REDUCES:
        for inc in (True, False):
            tag = f"{r}-{'self' if inc else 'noself'}"
            cases += [
                Case(
                    "scatter_reduce", _sr(r, 0, inc), make=_sr_inputs((3, 4), 3, (5, 4)), name=tag
                ),
                Case(
                    "scatter_reduce",
                    _sr(r, -1, inc),
                    make=_sr_inputs((3, 4), 4, (2, 6), (3, 7)),
                    grad=False,
                    name=f"{tag}-dim-1-block",
                ),  # torch's backward refuses it
                Case(
                    "scatter_reduce",
                    _sr(r, 0, inc),
                    make=_sr_inputs((3, 4), 3, (6, 4), ties=True),
                    gradcheck=r in ("sum", "mean", "prod"),
                    name=f"{tag}-ties-zeros",
                ),
                Case(
                    "scatter_reduce",
                    _sr(r, 0, inc),
                    make=_int_inputs,
                    dtypes=("int32", "int64"),
                    name=f"{tag}-int",
                ),
            ]
    return cases


def _index(values: list[int]) -> Callable:
    """x (3, 4), a fixed int64 index along dim 0 and a source (len(values), 4)."""
    return lambda rng, dt: [_x(rng, dt), np.array(values), _x(rng, dt, (len(values), 4))]


def _index_1(values: list[int]) -> Callable:
    """x (3, 4), a fixed index along dim 1 and a source (3, len(values))."""
    return lambda rng, dt: [_x(rng, dt), np.array(values), _x(rng, dt, (3, len(values)))]


def _inplace(method: str, *args: Any, **kwargs: Any) -> Callable[..., Any]:
    """x.clone().<method>_(...) returning the clone (in place on a non-leaf)."""

    def fn(m: Any, x: Any, i: Any, s: Any) -> Any:
        y = x.clone()
        out = getattr(y, method)(*args[:1], i, s, *args[1:], **kwargs)
        assert out is y
        return y

    return fn


CASES = [
    *_sr_cases(),
    Case("scatter_reduce", lambda m, x, i, s: m.scatter_reduce(x, 0, i, s, reduce="sum"),
         make=_sr_inputs((), 1, ()), name="0d"),
    Case("scatter_reduce", _inplace("scatter_reduce_", 0, "amax", include_self=False),
         make=_sr_inputs((3, 4), 3, (5, 4)), name="inplace"),
    # index_add
    Case("index_add", lambda m, x, i, s: x.index_add(0, i, s), make=_index([2, 0, 2, 1, 2])),
    Case("index_add", lambda m, x, i, s: m.index_add(x, 1, i, s, alpha=-1.5),
         make=_index_1([3, 3, 0]), name="dim1-alpha"),
    Case("index_add", lambda m, x, i, s: x.index_add(-2, i.int(), s, alpha=2),
         make=_index([1, 1]), name="int32-index"),
    Case("index_add", lambda m, x, i, s: x.index_add(0, i, s, alpha=3),
         make=lambda rng, dt: [rng.integers(-5, 5, (3, 4)).astype(dt), np.array([0, 0, 2]),
                               rng.integers(-5, 5, (3, 4)).astype(dt)],
         dtypes=("int32", "int64"), name="int"),
    Case("index_add", _inplace("index_add_", 0, alpha=0.5), make=_index([2, 2, 0]),
         name="inplace"),
    Case("index_add", lambda m, x, i, s: x.index_add(0, i, s),
         make=lambda rng, dt: [_x(rng, dt, ()), np.array([0]), _x(rng, dt, ())], name="0d"),
    # index_copy (distinct indices: with repeats the winner is unspecified)
    Case("index_copy", lambda m, x, i, s: x.index_copy(0, i, s), make=_index([2, 0])),
    Case("index_copy", lambda m, x, i, s: m.index_copy(x, -1, i, s), make=_index_1([3, 0, 1]),
         name="dim-1"),
    Case("index_copy", lambda m, x, i, s: x.index_copy(1, i, s),
         make=lambda rng, dt: [rng.integers(-5, 5, (3, 4)).astype(dt), np.array([1]),
                               rng.integers(-5, 5, (3, 1)).astype(dt)],
         dtypes=("int32", "int64"), name="int"),
    Case("index_copy", _inplace("index_copy_", 1), make=_index_1([2, 1]), name="inplace"),
    # index_fill: a masked_fill; a 0-d value tensor gets the sum of the filled gradient
    Case("masked_fill", lambda m, x, i: x.index_fill(1, i, -0.5),
         make=lambda rng, dt: [_x(rng, dt), np.array([3, -4, 3])], name="index_fill"),
    Case("masked_fill", lambda m, x, i, v: m.index_fill(x, 0, i, v),
         make=lambda rng, dt: [_x(rng, dt), np.array([2, 0, 2]), _x(rng, dt, ())],
         name="index_fill-tensor-value"),
    Case("masked_fill", lambda m, x, i: x.index_fill(-1, i, 7),
         make=lambda rng, dt: [rng.integers(-5, 5, (3, 4)).astype(dt), np.array(2)],
         dtypes=("int32", "int64"), name="index_fill-int"),
    Case("masked_fill", _inplace("index_fill_", 1), make=lambda rng, dt: [
        _x(rng, dt), np.array([0, 2]), _x(rng, dt, ())], name="index_fill-inplace"),
]  # fmt: skip

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ errors, as torch's
def _z(m: Any, *shape: int, dtype: Any = None) -> Any:
    return m.zeros(*shape) if dtype is None else m.zeros(*shape, dtype=dtype)


ERRORS: list[Error] = [
    ("scatter_reduce-reduce", RuntimeError, "reduce argument must be either sum, prod, mean, amax "
     "or amin, got foo", lambda m: _z(m, 3, 4).scatter_reduce(0, m.tensor([[0]]), _z(m, 1, 1),
                                                              "foo")),
    ("scatter_reduce-dtype", RuntimeError, "scatter(): Expected dtype int32/int64 for index",
     lambda m: _z(m, 3, 4).scatter_reduce(0, _z(m, 1, 1), _z(m, 1, 1), "sum")),
    ("scatter_reduce-src-dtype", RuntimeError, "scatter(): Expected self.dtype to be equal to "
     "src.dtype", lambda m: _z(m, 3, 4).scatter_reduce(0, m.tensor([[0]]),
                                                       _z(m, 1, 1, dtype=m.float64), "sum")),
    ("scatter_reduce-oob", RuntimeError, "index 3 is out of bounds for dimension 0 with size 3",
     lambda m: _z(m, 3, 4).scatter_reduce(0, m.tensor([[3]]), _z(m, 1, 1), "amax")),
    ("scatter_reduce-dim", IndexError, "Dimension out of range (expected to be in range of [-2, 1]"
     ", but got 2)", lambda m: _z(m, 3, 4).scatter_reduce(2, m.tensor([[0]]), _z(m, 1, 1), "sum")),
    ("index_add-dtype", RuntimeError, "index_add_(): Expected dtype int32/int64 for index but got: "
     "Float", lambda m: _z(m, 3, 4).index_add(0, m.tensor([0.0]), _z(m, 1, 4))),
    ("index_add-2d", IndexError, "index_add_(): Index is supposed to be a vector, but got dim: 2 "
     "with type: Long and size: [1, 1]",
     lambda m: _z(m, 3, 4).index_add(0, m.tensor([[0]]), _z(m, 1, 4))),
    ("index_add-oob", RuntimeError, "index 3 is out of bounds for dimension 0 with size 3",
     lambda m: _z(m, 3, 4).index_add(0, m.tensor([3]), _z(m, 1, 4))),
    ("index_add-negative", RuntimeError, "index -1 is out of bounds for dimension 0 with size 3",
     lambda m: _z(m, 3, 4).index_add(0, m.tensor([-1]), _z(m, 1, 4))),
    ("index_add-source-dtype", RuntimeError, "index_add_(): self (Float) and source (Double) must "
     "have the same scalar type",
     lambda m: _z(m, 3, 4).index_add(0, m.tensor([0]), _z(m, 1, 4, dtype=m.float64))),
    ("index_add-count", RuntimeError, "index_add_(): Number of indices (1) should be equal to "
     "source.size(dim): (2), for dim: 0",
     lambda m: _z(m, 3, 4).index_add(0, m.tensor([0]), _z(m, 2, 4))),
    ("index_add-shape", RuntimeError, "source tensor shape must match self tensor shape, excluding "
     "the specified dimension. Got self.shape = [3, 4] source.shape = [1, 3]",
     lambda m: _z(m, 3, 4).index_add(0, m.tensor([0]), _z(m, 1, 3))),
    ("index_add-dim", IndexError, "Dimension out of range (expected to be in range of [-2, 1], but "
     "got 2)", lambda m: _z(m, 3, 4).index_add(2, m.tensor([0]), _z(m, 1, 4))),
    ("index_copy-count", IndexError, "index_copy_(): Number of indices (1) should be equal to "
     "source.size(dim) (2)", lambda m: _z(m, 3, 4).index_copy(0, m.tensor([0]), _z(m, 2, 4))),
    ("index_copy-shape", RuntimeError, "index_copy_(): Source/destination tensor must have same "
     "slice shapes. Destination slice shape: 4 at dimension 0 and source slice shape: 3 at "
     "dimension 0.", lambda m: _z(m, 3, 4).index_copy(0, m.tensor([0]), _z(m, 1, 3))),
    ("index_copy-source-dtype", RuntimeError, "index_copy_(): self and source expected to have the "
     "same dtype, but got (self) Float and (source) Double",
     lambda m: _z(m, 3, 4).index_copy(0, m.tensor([0]), _z(m, 1, 4, dtype=m.float64))),
    ("index_copy-dtype", RuntimeError, "index_copy_(): Expected a long tensor for index, but got "
     "Int", lambda m: _z(m, 3, 4).index_copy(0, m.tensor([0], dtype=m.int32), _z(m, 1, 4))),
    ("index_copy-oob", IndexError, "index_copy_(): index 3 is out of bounds for dimension 0 with "
     "size 3", lambda m: _z(m, 3, 4).index_copy(0, m.tensor([3]), _z(m, 1, 4))),
    ("index_copy-negative", IndexError, "index_copy_(): index -1 is out of bounds for dimension 0 "
     "with size 3", lambda m: _z(m, 3, 4).index_copy(0, m.tensor([-1]), _z(m, 1, 4))),
    ("index_fill-dtype", IndexError, "index_fill_(): Expected dtype int64 for index.",
     lambda m: _z(m, 3, 4).index_fill(0, m.tensor([0], dtype=m.int32), 1.0)),
    ("index_fill-oob", IndexError, "index 3 is out of bounds for dimension 0 with size 3",
     lambda m: _z(m, 3, 4).index_fill(0, m.tensor([3]), 1.0)),
    ("index_fill-2d", RuntimeError, "Index has to be a vector/scalar",
     lambda m: _z(m, 3, 4).index_fill(0, m.tensor([[0]]), 1.0)),
    ("index_fill-value", RuntimeError, "index_fill_ only supports a 0-dimensional value tensor, "
     "but got tensor with 1 dimension(s).",
     lambda m: _z(m, 3, 4).index_fill(0, m.tensor([0]), m.tensor([1.0]))),
]  # fmt: skip

test_error_matches_torch = make_error_test(ERRORS)


# ------------------------------------------------------------------ behaviour
def test_inplace_on_a_leaf_that_requires_grad_raises() -> None:
    x = sg.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf"):
        x.index_add_(0, sg.tensor([0]), sg.ones(1))


def test_inplace_outside_the_graph_writes_into_views() -> None:
    base = sg.zeros(2, 3)
    row = base[0]
    row.index_fill_(0, sg.tensor([1]), 5.0)
    row.scatter_reduce_(0, sg.tensor([2, 2]), sg.tensor([1.0, 2.0]), "sum")
    assert base.tolist() == [[0.0, 5.0, 3.0], [0.0, 0.0, 0.0]]


def test_prod_gradient_with_several_zeros_at_one_position_matches_torch() -> None:
    x = np.array([2.0, 0.0, 3.0])
    src = np.array([0.0, 5.0, 0.0, 4.0])
    idx = np.array([0, 0, 0, 1])
    ours = [sg.tensor(a, requires_grad=True) for a in (x, src)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, src)]
    ours[0].scatter_reduce(0, sg.tensor(idx), ours[1], "prod").sum().backward()
    theirs[0].scatter_reduce(0, torch.tensor(idx), theirs[1], "prod").sum().backward()
    for o, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy())


@pytest.mark.parametrize("reduce", REDUCES)
def test_scatter_reduce_src_larger_than_index_gradchecks(reduce: str) -> None:
    # torch's backward refuses this case; only src's leading block gets a gradient
    x = sg.randn(3, 4, dtype=sg.float64, requires_grad=True)
    src = sg.randn(3, 7, dtype=sg.float64, requires_grad=True)
    index = sg.tensor([[0, 3, 3, 1, 0, 2], [1, 1, 2, 0, 3, 3]])
    assert sg.gradcheck(lambda a, b: a.scatter_reduce(-1, index, b, reduce), [x, src])
    for include_self in (True, False):
        out = x.scatter_reduce(-1, index, src, reduce, include_self=include_self)
        out.sum().backward()
    assert not src.grad.numpy()[:, 6].any() and not src.grad.numpy()[2].any()
