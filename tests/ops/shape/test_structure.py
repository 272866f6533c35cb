"""Parity of the matrix and structure ops (ops/structure.py) with torch."""

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._index_cases import Error, _x, make_error_test
from tests.ops._parity import Case, make_tests

M = ((3, 4),)
B3 = ((2, 3, 4),)
INTS = ("int32", "int64")


def _with(*arrays: Any) -> Any:
    """A ``make`` giving a float x of (3, 4) and then the given constant arrays."""
    return lambda rng, dt: [_x(rng, dt), *(np.asarray(a) for a in arrays)]


CASES = [
    # triangles, batched over leading dims
    Case("tril", lambda m, x: x.tril(), M),
    Case("tril", lambda m, x: m.tril(x, 1), B3, name="k1-batched"),
    Case("tril", lambda m, x: x.tril(diagonal=-2), ((4, 3),), name="k-2"),
    Case("tril", lambda m, x: x.tril(-1), M, dtypes=INTS, name="int"),
    Case("triu", lambda m, x: x.triu(), M),
    Case("triu", lambda m, x: m.triu(x, -1), B3, name="k-1-batched"),
    Case("triu", lambda m, x: x.triu(5), M, name="beyond"),
    Case("triu", lambda m, x: x.triu(1), M, dtypes=INTS, name="int"),
    # diagonals: diagonal (a view) and diag_embed, each other's backward
    Case("diagonal", lambda m, x: x.diagonal(), M),
    Case("diagonal", lambda m, x: m.diagonal(x, 1), M, name="offset1"),
    Case("diagonal", lambda m, x: m.diagonal(x, -2, 2, 0), B3, name="dims-2-0"),
    Case("diagonal", lambda m, x: x.diagonal(offset=1, dim1=-1, dim2=-2), B3, name="negative"),
    Case("diagonal", lambda m, x: x.diagonal(9), M, name="empty"),
    Case("diagonal", lambda m, x: x.diagonal(-1), M, dtypes=INTS, name="int"),
    Case("diag_embed", lambda m, x: x.diag_embed(), ((2, 3),)),
    Case("diag_embed", lambda m, x: m.diag_embed(x, 1, 0, 2), ((2, 3),), name="dims-0-2"),
    Case("diag_embed", lambda m, x: m.diag_embed(x, -2, -1, 0), ((2, 3),), name="neg-dims"),
    Case("diag_embed", lambda m, x: x.diag_embed(1), ((2, 3),), dtypes=INTS, name="int"),
    Case("diag_embed", lambda m, x: m.diag(x), ((4,),), name="diag-1d"),
    Case("diag_embed", lambda m, x: x.diag(-1), ((4,),), name="diag-1d-below"),
    Case("diagonal", lambda m, x: m.diag(x, 1), M, name="diag-2d"),
    Case("diagonal", lambda m, x: x.trace(), M, name="trace"),
    Case("diagonal", lambda m, x: m.trace(x), ((4, 3),), dtypes=INTS, name="trace-int"),
    # kron, cross: composites
    Case("reshape", lambda m, a, b: m.kron(a, b), ((2, 3), (4,)), name="kron"),
    Case("reshape", lambda m, a, b: a.kron(b), ((2, 2), (3, 2)), name="kron-2d"),
    Case("reshape", lambda m, a, b: m.kron(a, b), ((2,), (2, 3)), dtypes=INTS, name="kron-int"),
    Case("roll", lambda m, a, b: m.cross(a, b, dim=-1), ((4, 3), (4, 3)), name="cross"),
    Case("roll", lambda m, a, b: a.cross(b, dim=0), ((3, 4), (3, 4)), name="cross-dim0"),
    Case("roll", lambda m, a, b: m.cross(a, b, dim=2), ((1, 2, 3), (4, 1, 3)), name="cross-3d"),
    Case("roll", lambda m, a, b: sg.ops.shape.structure.linalg_cross(a, b),
         ((1, 3), (4, 3)), torch_fn=lambda m, a, b: torch.linalg.cross(a, b),
         name="linalg-cross-broadcast"),
    Case("roll", lambda m, a, b: m.cross(a, b, dim=-1), ((2, 3), (2, 3)), dtypes=INTS,
         name="cross-int"),
    # meshgrid: expanded views
    Case("broadcast_to", lambda m, a, b: m.meshgrid(a, b, indexing="ij"), ((3,), (4,)),
         name="meshgrid-ij"),
    Case("broadcast_to", lambda m, a, b, c: m.meshgrid(a, b, c, indexing="xy"),
         ((2,), (3,), (4,)), name="meshgrid-xy"),
    Case("broadcast_to", lambda m, a, b: m.meshgrid([a, b], indexing="xy"), ((), (3,)),
         name="meshgrid-list-0d"),
    # unfold: strided windows; overlapping windows add their gradients
    Case("unfold", lambda m, x: x.unfold(0, 3, 2), ((7,),)),
    Case("unfold", lambda m, x: x.unfold(1, 3, 1), ((3, 8),), name="overlap"),
    Case("unfold", lambda m, x: x.unfold(-3, 2, 1), B3, name="dim0-batched"),
    Case("unfold", lambda m, x: x.unfold(-1, 4, 3), M, name="whole"),
    Case("unfold", lambda m, x: x.unfold(1, 2, 5), M, name="gaps"),
    Case("unfold", lambda m, x: x.unfold(0, 1, 1), ((),), name="0d"),
    Case("unfold", lambda m, x: x.unfold(1, 2, 1), M, dtypes=INTS, name="int"),
    # repeat_interleave
    Case("repeat_interleave", lambda m, x: x.repeat_interleave(2), M, name="flat"),
    Case("repeat_interleave", lambda m, x, r: x.repeat_interleave(r, dim=0),
         make=_with(np.array([2, 0, 3])), name="tensor-dim0"),
    Case("repeat_interleave", lambda m, x, r: m.repeat_interleave(x, r, -1, output_size=6),
         make=_with(np.array([1, 3, 0, 2])), name="dim-1-output_size"),
    Case("repeat_interleave", lambda m, x, r: x.repeat_interleave(r, 1),
         make=_with(np.array(2)), name="0d-repeats"),
    Case("repeat_interleave", lambda m, x: x.repeat_interleave(3, dim=1), M, dtypes=INTS,
         name="int"),
    Case("repeat_interleave", lambda m, r: m.repeat_interleave(r),
         make=lambda rng, dt: [np.array([1, 0, 2, 3])], dtypes=("int64",), name="repeats-only"),
    # dims moved: permute
    Case("permute", lambda m, x: x.movedim(0, -1), B3, name="movedim"),
    Case("permute", lambda m, x: m.movedim(x, (0, 1), (2, 0)), B3, name="movedim-tuple"),
    Case("permute", lambda m, x: m.moveaxis(x, -1, 0), B3, name="moveaxis"),
    Case("permute", lambda m, x: x.swapaxes(0, 2), B3, name="swapaxes"),
    Case("permute", lambda m, x: m.swapdims(x, -1, 1), B3, name="swapdims"),
    # take: the flat tensor; negatives count back, repeats add their gradients
    Case("index_select", lambda m, x, i: x.take(i),
         make=_with(np.array([[0, -1, 5], [5, 11, -12]])), name="take"),
    Case("index_select", lambda m, x, i: m.take(x, i), make=_with(np.array(3)), name="take-0d"),
    Case("index_select", lambda m, x, i: m.take(x, i),
         make=lambda rng, dt: [rng.integers(-5, 5, (3, 4)).astype(dt), np.array([1, 1, -2])],
         dtypes=INTS, name="take-int"),
    # flatten ranges, narrow and select with negative positions
    Case("reshape", lambda m, x: x.flatten(1, 2), ((2, 3, 4, 5),), name="flatten-1-2"),
    Case("reshape", lambda m, x: m.flatten(x, -3, -2), ((2, 3, 4, 5),), name="flatten-neg"),
    Case("reshape", lambda m, x: x.flatten(start_dim=1), ((2, 3, 4, 5),), name="flatten-tail"),
    Case("reshape", lambda m, x: x.flatten(), ((),), name="flatten-0d"),
    Case("narrow", lambda m, x: x.narrow(0, -2, 2), M, name="narrow-negative"),
    Case("narrow", lambda m, x: m.narrow(x, -1, 1, 3), M, name="narrow-dim-1"),
    Case("narrow", lambda m, x: x.select(1, -1), M, name="select-negative"),
]  # fmt: skip

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ errors, as torch's
def _z(m: Any, *shape: int, dtype: Any = None) -> Any:
    return m.zeros(*shape) if dtype is None else m.zeros(*shape, dtype=dtype)


ERRORS: list[Error] = [
    ("tril-1d", RuntimeError, "tril: input tensor must have at least 2 dimensions",
     lambda m: _z(m, 3).tril()),
    ("triu-float", TypeError, "triu(): argument 'diagonal' (position 1) must be int, not float",
     lambda m: _z(m, 3, 3).triu(1.5)),
    ("diagonal-same", RuntimeError, "diagonal dimensions cannot be identical 0, 0",
     lambda m: _z(m, 3, 4).diagonal(0, 0, 0)),
    ("diagonal-dim", IndexError, "Dimension out of range (expected to be in range of [-2, 1], "
     "but got 2)", lambda m: _z(m, 3, 4).diagonal(0, 0, 2)),
    ("diag_embed-same", RuntimeError, "diagonal dimensions cannot be identical 0, 0",
     lambda m: m.diag_embed(_z(m, 2, 3), 1, 0, 0)),
    ("diag-3d", RuntimeError, "diag(): Supports 1D or 2D tensors. Got 3D",
     lambda m: _z(m, 2, 3, 4).diag()),
    ("trace-1d", RuntimeError, "trace: expected a matrix, but got tensor with dim 1",
     lambda m: _z(m, 3).trace()),
    ("cross-length", RuntimeError, "linalg.cross: inputs dimension 1 must have length 3. Got 4 "
     "and 4", lambda m: m.cross(_z(m, 3, 4), _z(m, 3, 4), dim=1)),
    ("cross-ndim", RuntimeError, "linalg.cross: inputs must have the same number of dimensions.",
     lambda m: m.cross(_z(m, 2, 3), _z(m, 4, 1, 3), dim=-1)),
    ("cross-dtype", RuntimeError, "expected scalar type Float but found Double",
     lambda m: m.cross(_z(m, 3, 4), _z(m, 3, 4, dtype=m.float64), dim=0)),
    ("meshgrid-indexing", RuntimeError, 'torch.meshgrid: indexing must be one of "xy" or "ij", '
     "but received: foo", lambda m: m.meshgrid(_z(m, 2), _z(m, 3), indexing="foo")),
    ("meshgrid-2d", RuntimeError, "torch.meshgrid: Expected 0D or 1D tensor in the tensor list",
     lambda m: m.meshgrid(_z(m, 2, 2), _z(m, 3), indexing="ij")),
    ("meshgrid-dtype", RuntimeError, "meshgrid expects all tensors to have the same dtype",
     lambda m: m.meshgrid(_z(m, 2), _z(m, 3, dtype=m.float64), indexing="ij")),
    ("unfold-size", RuntimeError, "maximum size for tensor at dimension 0 is 3 but size is 4",
     lambda m: _z(m, 3).unfold(0, 4, 1)),
    ("unfold-step", RuntimeError, "step is 0 but must be > 0", lambda m: _z(m, 3).unfold(0, 2, 0)),
    ("unfold-dim", IndexError, "Dimension out of range (expected to be in range of [-1, 0], but "
     "got 1)", lambda m: _z(m, 3).unfold(1, 2, 1)),
    ("repeat_interleave-size", RuntimeError, "repeats must have the same size as input along dim, "
     "but got repeats.size(0) = 2 and input.size(0) = 3",
     lambda m: _z(m, 3).repeat_interleave(m.tensor([1, 2]))),
    ("repeat_interleave-negative", RuntimeError, "repeats can not be negative",
     lambda m: _z(m, 3).repeat_interleave(m.tensor([1, -2, 1]))),
    ("repeat_interleave-negative-int", RuntimeError, "Repeats must be non-negative",
     lambda m: _z(m, 3).repeat_interleave(-1)),
    ("repeat_interleave-float", NotImplementedError, "\"repeat_interleave_cpu\" not implemented "
     "for 'Float'", lambda m: _z(m, 3).repeat_interleave(m.tensor([1.0, 2.0, 1.0]))),
    ("repeat_interleave-output_size", RuntimeError, "allocated size does not match required size",
     lambda m: _z(m, 3).repeat_interleave(m.tensor([1, 2, 1]), output_size=3)),
    ("take-oob", IndexError, "out of range: tried to access index 12 on a tensor of 12 elements.",
     lambda m: _z(m, 3, 4).take(m.tensor([0, 12]))),
    ("take-negative-oob", IndexError, "out of range: tried to access index -13 on a tensor of 12 "
     "elements.", lambda m: _z(m, 3, 4).take(m.tensor([-13]))),
    ("take-dtype", RuntimeError, "take(): Expected a long tensor for index, but got Int",
     lambda m: _z(m, 3, 4).take(m.tensor([1], dtype=m.int32))),
    ("movedim-count", RuntimeError, "movedim: Invalid source or destination dims: source ([0, 1] "
     "dims) should contain the same number of dims as destination ([1] dims)",
     lambda m: _z(m, 3, 4).movedim((0, 1), (1,))),
    ("movedim-repeat", RuntimeError, "movedim: repeated dim in `source` ([0, 0])",
     lambda m: _z(m, 3, 4).movedim((0, 0), (1, 0))),
    ("swapaxes-dim", IndexError, "Dimension out of range (expected to be in range of [-2, 1], but "
     "got 2)", lambda m: _z(m, 3, 4).swapaxes(0, 2)),
    ("narrow-start", IndexError, "start out of range (expected to be in range of [-3, 3], but got "
     "-4)", lambda m: _z(m, 3, 4).narrow(0, -4, 1)),
    ("select-index", IndexError, "index -4 out of range for tensor of size",
     lambda m: _z(m, 3, 4).select(0, -4)),
]  # fmt: skip

test_error_matches_torch = make_error_test(ERRORS)


# ------------------------------------------------------------------ behaviour
def test_diagonal_and_unfold_are_views_of_x() -> None:
    x = sg.arange(12.0).reshape(3, 4)
    assert np.shares_memory(x.diagonal().array, x.array)
    assert np.shares_memory(x.unfold(1, 2, 1).array, x.array)


def test_cross_default_dim_is_the_first_of_size_3() -> None:
    a, b = np.random.default_rng(0).standard_normal((2, 3, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns that dim=None is deprecated
        theirs = torch.cross(torch.tensor(a), torch.tensor(b))
    np.testing.assert_allclose(sg.cross(sg.tensor(a), sg.tensor(b)).numpy(), theirs.numpy())


def test_meshgrid_outputs_share_memory_with_inputs() -> None:
    a, b = sg.arange(3), sg.arange(4)
    ga, gb = sg.meshgrid(a, b, indexing="ij")
    assert ga.shape == gb.shape == (3, 4)
    assert np.shares_memory(ga.array, a.array)


@pytest.mark.parametrize("repeats", [0, 1, 3])
def test_repeat_interleave_gradient_sums_copies(repeats: int) -> None:
    x = sg.randn(3, 2, dtype=sg.float64, requires_grad=True)
    assert sg.gradcheck(lambda t: t.repeat_interleave(repeats, 0) ** 2, [x])
