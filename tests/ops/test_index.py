"""Parity of indexing ops (x[...], x[...] = v, gather, scatter, masks, one_hot) with torch."""

import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F  # noqa: N812

import scratchgrad as sg
from scratchgrad.errors import BroadcastError
from tests.ops._parity import Case, make_tests

X3 = ((2, 3, 4),)


# ------------------------------------------------------------------ input makers
def _x(rng: np.random.Generator, dtype: str, shape: tuple[int, ...] = (3, 4)) -> np.ndarray:
    return rng.uniform(-2, 2, shape).astype(dtype)


def _with_index(shape: tuple[int, ...], high: int, idx_shape: tuple[int, ...]) -> Callable:
    """x of ``shape`` and random int64 indices in [0, high) (repeats likely)."""
    return lambda rng, dt: [_x(rng, dt, shape), rng.integers(0, high, idx_shape)]


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


def _mask(rng: np.random.Generator, shape: tuple[int, ...], count: int) -> np.ndarray:
    """A bool mask of ``shape`` with exactly ``count`` true entries."""
    m = np.zeros(int(np.prod(shape)), dtype=bool)
    m[rng.choice(m.size, count, replace=False)] = True
    return m.reshape(shape)


# ------------------------------------------------------------------ composed usages
def _put_basic(m: Any, x: Any, v: Any) -> Any:
    y = x * 1  # a non-leaf in the graph
    y[1:, 0] = v
    return y


def _put_scalar(m: Any, x: Any) -> Any:
    y = x * 1
    y[[0, 2]] = 0.5
    return y


def _put_mask(m: Any, x: Any, mask: Any, v: Any) -> Any:
    y = x * 2
    y[mask] = v
    return y


def _put_broadcast(m: Any, x: Any, v: Any) -> Any:
    y = x * 1
    y[:, :2] = v  # v (3, 1) broadcast to (3, 2)
    return y


def _put_mixed(m: Any, x: Any, v: Any) -> Any:
    y = x * 1
    y[1, [0, 3]] = v
    return y


def _put_value_only(m: Any, v: Any) -> Any:
    y = m.zeros(3, 4, dtype=v.dtype)  # no grad: y joins the graph through v
    y[:, 1] = v
    return y


def _put_outside(m: Any, x: Any) -> Any:
    y = x.clone()  # don't write into the harness's input
    row = y[0]  # a view: sees the writes below
    y[0, 1:] = 5.0
    y[m.tensor([2, 2]), m.tensor([0, 3])] = m.tensor([-1.0, -2.0], dtype=y.dtype)
    return y, row


def _masked_fill_inplace(m: Any, x: Any, mask: Any) -> Any:
    y = x * 1
    y.masked_fill_(mask, 0.25)
    return y


CASES = [
    # x[index]: each kind, then mixes
    Case("getitem", lambda m, x: x[1], name="int"),
    Case("getitem", lambda m, x: x[-1, -2], name="neg-int"),
    Case("getitem", lambda m, x: x[2], ((5,),), name="int-0d"),
    Case("getitem", lambda m, x: x[1:, ::2], name="slice-step"),
    Case("getitem", lambda m, x: x[..., ::2], X3, name="ellipsis-step"),
    Case("getitem", lambda m, x: x[None, 1:3, None], name="none"),
    Case("getitem", lambda m, x: x[..., 1], X3, name="ellipsis-int"),
    Case("getitem", lambda m, x: x[1:, None, [0, 2]], name="slice-none-list"),
    Case("getitem", lambda m, x: x[0, :, [0, 2]], X3, name="int-slice-list"),
    Case("getitem", lambda m, x: x[..., 1, [0, 3, 3]], X3, name="ellipsis-int-list"),
    Case("getitem", lambda m, x: x[[0, 1, 1], :, [0, 2, 2]], X3, name="two-lists"),
    Case("getitem", lambda m, x: x[True], name="bool-scalar"),
    Case("getitem", lambda m, x, i: x[i], make=_with_index((4, 3), 4, (6,)), name="repeated"),
    Case("getitem", lambda m, x, i: x[i], make=_with_index((4, 3), 4, (2, 3)), name="2d-index"),
    Case("getitem", lambda m, x, i: x[:, i], make=_with_index((3, 4), 4, (5,)), name="dim1"),
    Case(
        "getitem",
        lambda m, x, i, j: x[i, j],
        make=lambda rng, dt: [_x(rng, dt), rng.integers(0, 3, (2, 1)), rng.integers(-4, 4, 3)],
        name="broadcast-indices",
    ),
    Case(
        "getitem",
        lambda m, x, i: x[..., i],
        make=lambda rng, dt: [_x(rng, dt, (2, 3, 4)), rng.integers(0, 4, 5).astype(np.int32)],
        name="int32-index",
    ),
    Case(
        "getitem",
        lambda m, x, mask: x[mask],
        make=lambda rng, dt: [_x(rng, dt), rng.integers(0, 2, (3, 4)).astype(bool)],
        name="mask",
    ),
    Case("getitem", lambda m, x: x[x > 0], name="mask-from-x"),
    Case("getitem", lambda m, x: x[:, m.tensor([True, False, True, True])], name="mask-dim1"),
    Case(
        "getitem",
        lambda m, x: x[1, m.tensor([[True, False, True, False]] * 3)],
        X3,
        name="int-mask2d",
    ),
    # x[index] = value, in the graph (compared with torch's values and gradients) and out
    Case("index_put", _put_basic, ((3, 4), (2,)), name="basic"),
    Case("index_put", _put_scalar, name="scalar"),
    Case("index_put", _put_broadcast, ((3, 4), (3, 1)), name="broadcast"),
    Case("index_put", _put_mixed, ((3, 4), (2,)), name="int-list"),
    Case(
        "index_put",
        _put_mask,
        make=lambda rng, dt: [_x(rng, dt), _mask(rng, (3, 4), 5), _x(rng, dt, (5,))],
        name="mask",
    ),
    Case("index_put", _put_value_only, ((3,),), name="value-only"),
    Case("index_put", _put_outside, grad=False, name="outside-graph"),
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
    # masked_fill: scalar, 0-d tensor value (gets a gradient), broadcasting, in place
    Case(
        "masked_fill",
        lambda m, x, mask: x.masked_fill(mask, -1.5),
        make=lambda rng, dt: [_x(rng, dt), rng.integers(0, 2, (3, 4)).astype(bool)],
    ),
    Case(
        "masked_fill",
        lambda m, x, mask, v: m.masked_fill(x, mask, v),
        make=lambda rng, dt: [_x(rng, dt), _mask(rng, (3, 4), 5), np.asarray(0.5, dtype=dt)],
        name="tensor-value",
    ),
    Case("masked_fill", lambda m, x: x.masked_fill(m.tensor([True, False, True, False]), 0.0),
         name="mask-broadcast"),
    Case("masked_fill", lambda m, x: x.masked_fill(m.tensor([[True, False, True, False]]), 2.0),
         ((3, 1),), name="x-broadcast"),
    Case(
        "masked_fill",
        _masked_fill_inplace,
        make=lambda rng, dt: [_x(rng, dt), rng.integers(0, 2, (3, 4)).astype(bool)],
        name="inplace",
    ),
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
    # one_hot
    Case("one_hot", lambda m, a: m.one_hot(a, 5), torch_fn=lambda m, a: F.one_hot(a, 5),
         make=lambda rng, dt: [rng.integers(0, 5, (3, 4))], dtypes=("int64",), grad=False),
    Case("one_hot", lambda m, a: m.one_hot(a), torch_fn=lambda m, a: F.one_hot(a),
         make=lambda rng, dt: [rng.integers(0, 4, (6,))], dtypes=("int64",), grad=False,
         name="inferred"),
]  # fmt: skip

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ errors, as torch's
def _oob_gather(m: Any) -> Any:
    return m.zeros(3, 4).gather(1, m.tensor([[0, 4]]))


ERRORS: list[tuple[str, type[Exception], str, Callable[[Any], Any]]] = [
    ("int", IndexError, "index 5 is out of bounds for dimension 0 with size 3",
     lambda m: m.zeros(3, 4)[5]),
    ("int-pos", IndexError, "index -5 is out of bounds for dimension 1 with size 4",
     lambda m: m.zeros(3, 4)[0, -5]),
    ("int-after-none", IndexError, "index 4 is out of bounds for dimension 2 with size 4",
     lambda m: m.zeros(3, 4)[None, 0, 4]),
    ("tensor", IndexError, "index 5 is out of bounds for dimension 0 with size 3",
     lambda m: m.zeros(3, 4)[m.tensor([0, 5])]),
    ("second-tensor", IndexError, "index 4 is out of bounds for dimension 1 with size 4",
     lambda m: m.zeros(3, 4)[m.tensor([0, 1]), m.tensor([0, 4])]),
    ("float-tensor", IndexError, "tensors used as indices must be long, int, byte or bool tensors",
     lambda m: m.zeros(3)[m.tensor([0.0, 1.0])]),
    ("int16-tensor", IndexError, "tensors used as indices must be long, int, byte or bool",
     lambda m: m.zeros(3)[m.tensor([0, 1], dtype=m.int16)]),
    ("float-scalar", IndexError, "only integers, slices (`:`), ellipsis (`...`), None and long",
     lambda m: m.zeros(3)[1.5]),
    ("mask-shape", IndexError, "The shape of the mask [2, 4] at index 1 does not match the shape "
     "of the indexed tensor [2, 3, 4] at index 1",
     lambda m: m.zeros(2, 3, 4)[m.ones(2, 4, dtype=m.bool)]),
    ("broadcast", IndexError, "shape mismatch: indexing tensors could not be broadcast together "
     "with shapes [2], [3]", lambda m: m.zeros(3, 4)[[0, 1], [0, 1, 2]]),
    ("too-many", IndexError, "too many indices for tensor of dimension 2",
     lambda m: m.zeros(3, 4)[0, 0, 0]),
    ("0-dim", IndexError, "invalid index of a 0-dim tensor", lambda m: m.tensor(1.0)[0]),
    ("negative-step", ValueError, "step must be greater than zero", lambda m: m.zeros(3)[::-1]),
    ("set-oob", IndexError, "index 3 is out of bounds for dimension 0 with size 3",
     lambda m: m.zeros(3, 4).__setitem__(3, 1.0)),
    ("set-dtype", RuntimeError, "Index put requires the source and destination dtypes match, got "
     "Float for the destination and Double for the source.",
     lambda m: m.zeros(3).__setitem__([0, 1], m.ones(2, dtype=m.float64))),
    ("set-shape-adv", RuntimeError, "shape mismatch: value tensor of shape [3] cannot be broadcast "
     "to indexing result of shape [2]", lambda m: m.zeros(3).__setitem__([0, 1], m.ones(3))),
    ("set-shape-basic", RuntimeError, "The expanded size of the tensor (4) must match the existing "
     "size (3) at non-singleton dimension 0.  Target sizes: [4].  Tensor sizes: [3]",
     lambda m: m.zeros(2, 4).__setitem__(0, m.ones(3))),
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
    ("masked_fill-float-mask", RuntimeError, "masked_fill_ only supports boolean masks, but got "
     "mask with dtype float", lambda m: m.zeros(3).masked_fill(m.ones(3), 1.0)),
    ("masked_fill-byte-mask", RuntimeError, "but got mask with dtype unsigned char",
     lambda m: m.zeros(3).masked_fill(m.ones(3, dtype=m.uint8), 1.0)),
    ("masked_fill-value-dims", RuntimeError, "masked_fill_ only supports a 0-dimensional value "
     "tensor, but got tensor with 1 dimension(s).",
     lambda m: m.zeros(3).masked_fill(m.ones(3, dtype=m.bool), m.ones(1))),
    ("take_along_dim-ndim", RuntimeError, "torch.take_along_dim(): input and indices should have "
     "the same number of dimensions, but got 2 dimensions for input, and 1 dimensions for indices",
     lambda m: m.take_along_dim(m.zeros(3, 4), m.tensor([0]), 0)),
    ("take_along_dim-dtype", RuntimeError, "torch.take_along_dim(): dtype of indices should be "
     "Long but got Int",
     lambda m: m.take_along_dim(m.zeros(3, 4), m.zeros(3, 1, dtype=m.int32), 1)),
    ("take_along_dim-flat-oob", RuntimeError, "index 12 is out of bounds for dimension 0 with "
     "size 12", lambda m: m.take_along_dim(m.zeros(3, 4), m.tensor([12]))),
]  # fmt: skip


def _one_hot(lib: Any) -> Any:
    return sg.one_hot if lib is sg else F.one_hot


ONE_HOT_ERRORS: list[tuple[str, type[Exception], str, Callable[[Any], Any]]] = [
    ("list", TypeError, "one_hot(): argument 'input' (position 1) must be Tensor, not list",
     lambda m: _one_hot(m)([0, 1])),
    ("int32", RuntimeError, "one_hot is only applicable to index tensor of type LongTensor.",
     lambda m: _one_hot(m)(m.tensor([0, 1], dtype=m.int32))),
    ("float", RuntimeError, "one_hot is only applicable to index tensor of type LongTensor.",
     lambda m: _one_hot(m)(m.tensor([0.0, 1.0]))),
    ("negative", RuntimeError, "Class values must be non-negative.",
     lambda m: _one_hot(m)(m.tensor([0, -1]))),
    ("too-big", RuntimeError, "Class values must be smaller than num_classes.",
     lambda m: _one_hot(m)(m.tensor([0, 3]), 3)),
    ("empty", RuntimeError, "Can not infer total number of classes from empty tensor.",
     lambda m: _one_hot(m)(m.zeros(0, dtype=m.int64))),
]  # fmt: skip


@pytest.mark.parametrize(
    ("exc", "msg", "fn"),
    [e[1:] for e in ERRORS + ONE_HOT_ERRORS],
    ids=[e[0] for e in ERRORS + ONE_HOT_ERRORS],
)
def test_error_matches_torch(exc: type[Exception], msg: str, fn: Callable[[Any], Any]) -> None:
    with pytest.raises(exc, match=re.escape(msg)):
        fn(sg)
    with pytest.raises(exc, match=re.escape(msg)):  # the oracle says the same
        fn(torch)


def test_setitem_on_a_leaf_that_requires_grad_raises() -> None:
    w = sg.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w[0] = 2.0
    with sg.no_grad():
        w[0] = 2.0  # parameter updates happen under no_grad
    assert w.tolist() == [2.0, 1.0, 1.0]
    assert w.is_leaf and w.requires_grad


def test_masked_fill_mask_that_does_not_broadcast() -> None:
    with pytest.raises(BroadcastError, match="cannot broadcast shapes"):
        sg.zeros(3, 4).masked_fill(sg.ones(2, 4, dtype=sg.bool), 1.0)


# ------------------------------------------------------------------ behaviour
def test_basic_indexing_is_a_view_and_setitem_writes_through() -> None:
    x = sg.zeros(3, 4)
    row, col = x[1], x[:, 2]
    x[1, 2] = 7.0
    row[0] = 1.0
    assert col.tolist() == [0.0, 7.0, 0.0]
    assert x[1].tolist() == [1.0, 0.0, 7.0, 0.0]
    x[1].fill_(3.0)  # a 0-d result is a view too
    x[0, 0].fill_(5.0)
    assert x[:2].tolist() == [[5.0, 0.0, 0.0, 0.0], [3.0, 3.0, 3.0, 3.0]]


def test_advanced_indexing_copies() -> None:
    x = sg.zeros(3)
    y = x[[0, 1]]
    y[0] = 1.0
    assert x.tolist() == [0.0, 0.0, 0.0]


def test_setitem_casts_like_torch() -> None:
    for lib in (sg, torch):
        x = lib.zeros(3, dtype=lib.int64)
        x[0] = 1.7  # truncated
        x[1:] = lib.tensor([2.9, -3.9])  # basic indexing: a value of another dtype is cast
        assert x.tolist() == [1, 2, -3]
        assert str(x.dtype).removeprefix("torch.") == "int64"


def test_setitem_value_that_requires_grad_puts_x_in_the_graph() -> None:
    grads = []
    for lib in (sg, torch):
        x = lib.zeros(2, 3)
        v = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        x[1] = v * 2
        assert x.requires_grad and not x.is_leaf
        (x * lib.tensor([[1.0, 1.0, 1.0], [1.0, 2.0, 3.0]])).sum().backward()
        grads.append(v.grad.tolist())
    assert grads[0] == grads[1] == [2.0, 4.0, 6.0]


def test_getitem_backward_accumulates_repeats() -> None:
    x = sg.zeros(3, requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]


@pytest.mark.filterwarnings("ignore::UserWarning")  # torch warns about the legacy rules
@pytest.mark.parametrize(
    "index",
    [[[0, 1], [1, 0]], [0, 1.5], np.array([1.7, 0.2]), np.array([1, 0, 1], dtype=np.uint8), []],
    ids=["list-of-lists-is-a-tuple", "float-list-truncates", "float-array", "byte-mask", "empty"],
)
def test_legacy_index_rules_match_torch(index: Any) -> None:
    a = np.arange(12.0).reshape(3, 4)
    ours, theirs = sg.tensor(a)[index], torch.tensor(a)[index]
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


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


def test_one_hot_of_empty_with_num_classes() -> None:
    out = sg.one_hot(sg.zeros(0, 2, dtype=sg.int64), 3)
    assert out.shape == (0, 2, 3) and out.dtype == sg.int64


def test_setitem_after_x_was_used_in_the_graph() -> None:
    grads = []
    for lib in (sg, torch):
        x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        y = x * 1
        y[0] = y[1] * 2  # y[1] was recorded before y changed
        y.sum().backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1]


def test_indexing_does_not_warn() -> None:
    x = sg.zeros(3, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x[x > 0] = 1.0
        x[[0, 1], 1:] = x[[1, 2], :3]
