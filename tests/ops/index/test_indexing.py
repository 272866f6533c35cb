"""Parity of x[...], x[...] = v, masked_fill and one_hot with torch; errors; behaviour."""

import warnings
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F  # noqa: N812

import scratchgrad as sg
from scratchgrad.errors import BroadcastError
from tests.ops._index_cases import Error, _with_index, _x, make_error_test
from tests.ops._parity import Case, make_tests

X3 = ((2, 3, 4),)


# ------------------------------------------------------------------ input makers
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
    # one_hot
    Case("one_hot", lambda m, a: m.one_hot(a, 5), torch_fn=lambda m, a: F.one_hot(a, 5),
         make=lambda rng, dt: [rng.integers(0, 5, (3, 4))], dtypes=("int64",), grad=False),
    Case("one_hot", lambda m, a: m.one_hot(a), torch_fn=lambda m, a: F.one_hot(a),
         make=lambda rng, dt: [rng.integers(0, 4, (6,))], dtypes=("int64",), grad=False,
         name="inferred"),
]  # fmt: skip

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ errors, as torch's
ERRORS: list[Error] = [
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
    ("masked_fill-float-mask", RuntimeError, "masked_fill_ only supports boolean masks, but got "
     "mask with dtype float", lambda m: m.zeros(3).masked_fill(m.ones(3), 1.0)),
    ("masked_fill-byte-mask", RuntimeError, "but got mask with dtype unsigned char",
     lambda m: m.zeros(3).masked_fill(m.ones(3, dtype=m.uint8), 1.0)),
    ("masked_fill-value-dims", RuntimeError, "masked_fill_ only supports a 0-dimensional value "
     "tensor, but got tensor with 1 dimension(s).",
     lambda m: m.zeros(3).masked_fill(m.ones(3, dtype=m.bool), m.ones(1))),
]  # fmt: skip


def _one_hot(lib: Any) -> Any:
    return sg.one_hot if lib is sg else F.one_hot


ONE_HOT_ERRORS: list[Error] = [
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

test_error_matches_torch = make_error_test(ERRORS + ONE_HOT_ERRORS)


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


@pytest.mark.parametrize(
    "index", [range(2), (0, range(1, 3)), (slice(None), range(0, 3, 2)), range(1, 0)]
)
def test_a_python_range_indexes_like_torch(index) -> None:  # type: ignore[no-untyped-def]
    x, tx = sg.arange(6).reshape(2, 3), torch.arange(6).reshape(2, 3)
    assert x[index].tolist() == tx[index].tolist()
