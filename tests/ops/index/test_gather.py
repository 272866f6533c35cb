"""Parity of gather, scatter, scatter_add, index_select and take_along_dim with torch."""

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import scratchgrad as sg
from tests.ops._index_cases import Error, _with_index, _x, make_error_test
from tests.ops._parity import Case, make_tests


def _unique_along(rng: np.random.Generator, n: int, shape: tuple[int, ...], dim: int) -> np.ndarray:
    """int64 indices of ``shape`` in [0, n), distinct along ``dim`` (scatter is then exact)."""
    moved = list(np.moveaxis(np.empty(shape), dim, -1).shape)
    rows = [rng.permutation(n)[: moved[-1]] for _ in range(int(np.prod(moved[:-1])))]
    return np.moveaxis(np.array(rows).reshape(moved), -1, dim).astype(np.int64)


def _scatter_inputs(dim: int, idx_shape: tuple[int, ...]) -> Callable:
    return lambda rng, dt: [
        _x(rng, dt),
        _unique_along(rng, (3, 4)[dim], idx_shape, dim),
        _x(rng, dt, idx_shape),
    ]


CASES = [
    # gather / scatter / scatter_add / index_select on dims 0 and -1
    Case("gather", lambda m, x, i: x.gather(0, i), make=_with_index((3, 4), 3, (2, 4))),
    Case("gather", lambda m, x, i: m.gather(x, -1, i), make=_with_index((3, 4), 4, (3, 6)),
         name="dim-1"),
    Case("gather", lambda m, x, i: x.gather(0, i), make=_with_index((3, 4), 3, (5, 2)),
         name="smaller-block"),
    Case("scatter", lambda m, x, i, s: x.scatter(0, i, s), make=_scatter_inputs(0, (2, 4))),
    Case("scatter", lambda m, x, i, s: x.scatter(-1, i, s), make=_scatter_inputs(1, (3, 2)),
         name="dim-1"),
    Case("scatter", lambda m, x, i, s: x.scatter(1, i, s), make=_scatter_inputs(1, (2, 3)),
         name="block"),
    Case("scatter", lambda m, x, i: x.scatter(-1, i, 1.5),
         make=lambda rng, dt: [_x(rng, dt), _unique_along(rng, 4, (3, 2), 1)], name="scalar"),
    Case(
        "scatter_add",
        lambda m, x, i, s: x.scatter_add(0, i, s),
        make=lambda rng, dt: [_x(rng, dt), rng.integers(0, 3, (5, 4)), _x(rng, dt, (5, 4))],
    ),
    Case(
        "scatter_add",
        lambda m, x, i, s: m.scatter_add(x, -1, i, s),
        make=lambda rng, dt: [_x(rng, dt), rng.integers(0, 4, (3, 6)), _x(rng, dt, (3, 6))],
        name="dim-1",
    ),
    Case("index_select", lambda m, x, i: x.index_select(0, i), make=_with_index((3, 4), 3, (5,))),
    Case("index_select", lambda m, x, i: m.index_select(x, -1, i),
         make=_with_index((2, 3, 4), 4, (6,)), name="dim-1"),
    Case("index_select", lambda m, x: x.index_select(1, m.tensor([2, 0], dtype=m.int32)),
         name="int32"),
    # take_along_dim: a gather after broadcasting (and wrapping indices, as torch 2.13)
    Case("gather", lambda m, x, i: m.take_along_dim(x, i, 0), make=_with_index((3, 4), 3, (2, 4)),
         name="take_along_dim-0"),
    Case("gather", lambda m, x, i: x.take_along_dim(i, -1), make=_with_index((3, 4), 4, (3, 5)),
         name="take_along_dim-1"),
    Case("gather", lambda m, x, i: m.take_along_dim(x, i, dim=2),
         make=_with_index((3, 1, 4), 4, (1, 5, 2)), name="take_along_dim-broadcast"),
    Case("gather", lambda m, x, i: m.take_along_dim(x, i, -1),
         make=lambda rng, dt: [_x(rng, dt), rng.integers(-9, 9, (3, 2))],
         name="take_along_dim-wrap"),
    Case("gather", lambda m, x, i: m.take_along_dim(x, i), make=_with_index((3, 4), 12, (2, 5)),
         name="take_along_dim-flat"),
]  # fmt: skip

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ errors, as torch's
# ------------------------------------------------------------------ errors, as torch's
def _oob_gather(m: Any) -> Any:
    return m.zeros(3, 4).gather(1, m.tensor([[0, 4]]))


ERRORS: list[Error] = [
    ("gather-dtype", RuntimeError, "gather(): Expected dtype int32/int64 for index",
     lambda m: m.zeros(3, 4).gather(0, m.zeros(1, 4))),
    ("gather-ndim", RuntimeError, "Index tensor must have the same number of dimensions as input",
     lambda m: m.zeros(3, 4).gather(0, m.tensor([0]))),
    ("gather-size", RuntimeError, "Size does not match at dimension 1 expected index [1, 5] to be "
     "no larger than self [3, 4] apart from dimension 0",
     lambda m: m.zeros(3, 4).gather(0, m.zeros(1, 5, dtype=m.int64))),
    ("gather-oob", RuntimeError, "index 4 is out of bounds for dimension 1 with size 4",
     _oob_gather),
    ("gather-negative", RuntimeError, "index -1 is out of bounds for dimension 0 with size 3",
     lambda m: m.zeros(3, 4).gather(0, m.tensor([[-1]]))),
    ("gather-dim", IndexError, "Dimension out of range (expected to be in range of [-2, 1], but "
     "got 2)", lambda m: m.zeros(3, 4).gather(2, m.tensor([[0]]))),
    ("scatter-dtype", RuntimeError, "scatter(): Expected dtype int32/int64 for index",
     lambda m: m.zeros(3, 4).scatter(0, m.zeros(1, 2), 1.0)),
    ("scatter-src-dtype", RuntimeError, "scatter(): Expected self.dtype to be equal to src.dtype",
     lambda m: m.zeros(3, 4).scatter(0, m.tensor([[0, 1]]), m.ones(1, 2, dtype=m.float64))),
    ("scatter-src-size", RuntimeError, "Expected index [1, 3] to be no larger than self [3, 4] "
     "apart from dimension 0 and to be no larger size than src [1, 2]",
     lambda m: m.zeros(3, 4).scatter(0, m.tensor([[0, 1, 2]]), m.ones(1, 2))),
    ("scatter-oob", RuntimeError, "index 3 is out of bounds for dimension 0 with size 3",
     lambda m: m.zeros(3, 4).scatter(0, m.tensor([[0, 3]]), 1.0)),
    ("scatter_add-ndim", RuntimeError, "Index tensor must have the same number of dimensions as "
     "self tensor", lambda m: m.zeros(3, 4).scatter_add(0, m.tensor([0]), m.ones(1, 2))),
    ("scatter_add-scalar", TypeError, "scatter_add(): argument 'src' (position 3) must be Tensor, "
     "not float", lambda m: m.zeros(3, 4).scatter_add(0, m.tensor([[0]]), 1.0)),
    ("index_select-dtype", RuntimeError, "index_select(): Expected dtype int32 or int64 for index",
     lambda m: m.zeros(3, 4).index_select(0, m.tensor([0.0]))),
    ("index_select-2d", IndexError, "index_select(): Index is supposed to be a vector",
     lambda m: m.zeros(3, 4).index_select(0, m.tensor([[0]]))),
    ("index_select-oob", IndexError, "index out of range in self",
     lambda m: m.zeros(3, 4).index_select(0, m.tensor([3]))),
    ("take_along_dim-ndim", RuntimeError, "torch.take_along_dim(): input and indices should have "
     "the same number of dimensions, but got 2 dimensions for input, and 1 dimensions for indices",
     lambda m: m.take_along_dim(m.zeros(3, 4), m.tensor([0]), 0)),
    ("take_along_dim-dtype", RuntimeError, "torch.take_along_dim(): dtype of indices should be "
     "Long but got Int",
     lambda m: m.take_along_dim(m.zeros(3, 4), m.zeros(3, 1, dtype=m.int32), 1)),
    ("take_along_dim-flat-oob", RuntimeError, "index 12 is out of bounds for dimension 0 with "
     "size 12", lambda m: m.take_along_dim(m.zeros(3, 4), m.tensor([12]))),
]  # fmt: skip

test_error_matches_torch = make_error_test(ERRORS)


# ------------------------------------------------------------------ behaviour
def test_scatter_src_larger_than_index_gets_zero_gradient_outside_the_block() -> None:
    # torch's backward refuses this case; the gradient is still well defined
    x = sg.randn(3, 4, dtype=sg.float64, requires_grad=True)
    src = sg.randn(2, 4, dtype=sg.float64, requires_grad=True)
    index = sg.tensor([[2, 0, 1]])
    assert sg.gradcheck(lambda a, b: a.scatter(1, index, b), [x, src])
    assert sg.gradcheck(lambda a, b: a.scatter_add(0, index, b), [x, src])


def test_zero_dim_gather_and_index_select_match_torch() -> None:
    for lib in (sg, torch):
        x = lib.tensor(5.0)
        assert x.gather(0, lib.tensor(0)).tolist() == 5.0
        assert x.index_select(0, lib.tensor([0])).shape == ()
        assert lib.zeros(3).scatter(0, lib.tensor(1), 2.0).tolist() == [0.0, 2.0, 0.0]


def test_take_along_dim_wraps_indices_like_torch() -> None:
    a = np.arange(12.0).reshape(3, 4)
    idx = np.array([[3, 4, 5, 7, 8, 100, -1, -4, -5, -9]] * 3)
    ours = sg.take_along_dim(sg.tensor(a), sg.tensor(idx), 1)
    theirs = torch.take_along_dim(torch.tensor(a), torch.tensor(idx), 1)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
