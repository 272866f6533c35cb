"""Parity of shape ops (views, rearrangements, pieces and joins) with torch."""

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.errors import BroadcastError, ShapeError
from scratchgrad.ops import OPS
from scratchgrad.ops import shape as S  # noqa: N812 - as tensor.py
from tests.ops._parity import Case, make_tests

M = ((3, 4),)
B3 = ((2, 3, 4),)
SQ = ((1, 3, 1, 4),)
ZERO_D = ((),)
INTS = ("int32", "int64")


def _float_and_int(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """A float input of the run's dtype and an int32 one: cat/stack promote to the float."""
    return [rng.uniform(-2, 2, (2, 3)).astype(dtype), rng.integers(-5, 5, (2, 3)).astype("int32")]


def _f32_and_f64(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """float32 with float64: the result is float64, the float32 input's gradient float32."""
    return [rng.uniform(-2, 2, (2, 3)).astype("float32"), rng.uniform(-2, 2, (2, 2))]


def _legacy_empty(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """A (0,) tensor, which torch.cat skips whatever the other shapes are."""
    return [rng.uniform(-2, 2, (3, 4)).astype(dtype), np.zeros((0,), dtype=dtype)]


def _narrow(*args: int) -> dict[str, Callable[..., Any]]:
    return {
        "fn": lambda m, a: S.narrow(a, *args),
        "torch_fn": lambda m, a: torch.narrow(a, *args),
    }


def _select(*args: int) -> dict[str, Callable[..., Any]]:
    return {
        "fn": lambda m, a: S.select(a, *args),
        "torch_fn": lambda m, a: torch.select(a, *args),
    }


CASES = [
    # permute: permute, transpose, .T, .mT
    Case("permute", lambda m, a: a.permute(2, 0, 1), B3),
    Case("permute", lambda m, a: m.permute(a, (-1, 0, -2)), B3, name="negative-tuple"),
    Case("permute", lambda m, a: m.permute(a, ()), ZERO_D, name="0d"),
    Case("permute", lambda m, a: m.transpose(a, 0, -1), B3, name="transpose"),
    Case("permute", lambda m, a: a.transpose(1, 1), M, name="transpose-same"),
    Case("permute", lambda m, a: m.transpose(a, 0, -1), ZERO_D, name="transpose-0d"),
    Case("permute", lambda m, a: a.T, M, name="T"),
    Case("permute", lambda m, a: a.mT, B3, name="mT"),
    # broadcast_to: expand, expand_as, broadcast_to (the engine sums the gradient back)
    Case("broadcast_to", lambda m, a: a.expand(2, 3, 4), ((3, 1),), name="expand-new-lead"),
    Case("broadcast_to", lambda m, a: a.expand(2, -1, 4), ((3, 1),), name="expand-minus1"),
    Case("broadcast_to", lambda m, a: a.expand((4, 3)), ((3,),), name="expand-tuple"),
    Case("broadcast_to", lambda m, a: a.expand(3, 2), ZERO_D, name="expand-0d"),
    Case("broadcast_to", lambda m, a: a.expand(0, 3), ((1, 3),), name="expand-to-empty"),
    Case("broadcast_to", lambda m, a, b: a.expand_as(b) * b, ((1, 4), (3, 4)), name="expand_as"),
    Case("broadcast_to", lambda m, a: m.broadcast_to(a, (2, 1, 4)), ((1, 4),)),
    # reshape: reshape, view, flatten, unflatten, squeeze, unsqueeze
    Case("reshape", lambda m, a: a.reshape(4, 3), M),
    Case("reshape", lambda m, a: m.reshape(a, (2, -1, 2)), M, name="minus1"),
    Case("reshape", lambda m, a: a.reshape(-1), B3, name="flat"),
    Case("reshape", lambda m, a: a.reshape(1, 1), ZERO_D, name="0d"),
    Case("reshape", lambda m, a: a.reshape(()), ((1,),), name="to-0d"),
    Case("reshape", lambda m, a: a.reshape(0, 3), ((3, 0),), gradcheck=False, name="empty"),
    Case("reshape", lambda m, a: a.view(3, 2, 2), M, name="view"),
    Case("reshape", lambda m, a: a.view(-1, 4), B3, name="view-merge-leading"),
    Case("reshape", lambda m, a: a.view(()), ((1, 1),), name="view-0d"),
    Case("reshape", lambda m, a: m.flatten(a), B3, name="flatten"),
    Case("reshape", lambda m, a: m.flatten(a, 1), B3, name="flatten-start"),
    Case("reshape", lambda m, a: a.flatten(0, -2), B3, name="flatten-negative-end"),
    Case("reshape", lambda m, a: a.flatten(1, 1), B3, name="flatten-one-dim"),
    Case("reshape", lambda m, a: m.flatten(a), ZERO_D, name="flatten-0d"),
    Case("reshape", lambda m, a: a.unflatten(1, (2, 2)), M, name="unflatten"),
    Case("reshape", lambda m, a: m.unflatten(a, -1, (2, -1, 1)), B3, name="unflatten-minus1"),
    Case("reshape", lambda m, a: m.squeeze(a), SQ, name="squeeze-all"),
    Case("reshape", lambda m, a: m.squeeze(a, 2), SQ, name="squeeze-dim"),
    Case("reshape", lambda m, a: a.squeeze(-1), SQ, name="squeeze-not-one"),
    Case("reshape", lambda m, a: m.squeeze(a, (0, -2)), SQ, name="squeeze-tuple"),
    Case("reshape", lambda m, a: a.squeeze(0), ZERO_D, name="squeeze-0d"),
    Case("reshape", lambda m, a: m.unsqueeze(a, 0), M, name="unsqueeze-front"),
    Case("reshape", lambda m, a: a.unsqueeze(1), M, name="unsqueeze-middle"),
    Case("reshape", lambda m, a: a.unsqueeze(-1), M, name="unsqueeze-end"),
    Case("reshape", lambda m, a: a.unsqueeze(-1), ZERO_D, name="unsqueeze-0d"),
    # contiguous
    Case("contiguous", lambda m, a: a.contiguous(), M),
    Case("contiguous", lambda m, a: a.mT.contiguous(), B3, name="transposed"),
    # repeat: repeat and tile
    Case("repeat", lambda m, a: a.repeat(2, 3), ((2, 3),)),
    Case("repeat", lambda m, a: a.repeat(2, 1, 3), ((2, 3),), name="new-lead"),
    Case("repeat", lambda m, a: a.repeat((1, 2)), ((3, 1),), name="tuple"),
    Case("repeat", lambda m, a: a.repeat(3), ZERO_D, name="0d"),
    Case("repeat", lambda m, a: a.repeat(0, 2), ((2, 3),), name="zero"),
    Case("repeat", lambda m, a: m.tile(a, (2,)), ((2, 3),), name="tile-pad"),
    Case("repeat", lambda m, a: m.tile(a, (2, 1, 2)), ((2, 3),), name="tile-lead"),
    Case("repeat", lambda m, a: a.tile((2, 2)), ((3,),), name="tile-method"),
    # flip
    Case("flip", lambda m, a: m.flip(a, (0,)), M),
    Case("flip", lambda m, a: a.flip((-1, 0)), B3, name="two-dims"),
    Case("flip", lambda m, a: m.flip(a, ()), M, name="no-dims"),
    Case("flip", lambda m, a: m.flip(a, (0,)), ZERO_D, name="0d"),
    # roll
    Case("roll", lambda m, a: m.roll(a, 1, 0), M),
    Case("roll", lambda m, a: m.roll(a, -2, -1), M, name="negative"),
    Case("roll", lambda m, a: m.roll(a, (1, 5), (0, 1)), M, name="two-dims-wrap"),
    Case("roll", lambda m, a: m.roll(a, 5), M, name="flattened"),
    Case("roll", lambda m, a: a.roll(1), ZERO_D, name="0d"),
    # narrow: narrow, select, split, chunk, unbind, iteration
    Case("narrow", shapes=M, **_narrow(1, 1, 2)),
    Case("narrow", shapes=M, **_narrow(-1, -3, 3), name="negative"),
    Case("narrow", shapes=M, **_narrow(0, 3, 0), name="empty"),
    Case("narrow", shapes=M, **_select(1, -1), name="select"),
    Case("narrow", shapes=((4,),), **_select(0, 2), name="select-to-0d"),
    Case("narrow", lambda m, a: m.split(a, 2, 1), ((3, 5),), name="split"),
    Case("narrow", lambda m, a: a.split([1, 3, 1], -1), ((3, 5),), name="split-sizes"),
    Case("narrow", lambda m, a: a.split([0, 3]), ((3, 2),), name="split-empty-piece"),
    Case("narrow", lambda m, a: m.split(a, 5), ((3, 2),), name="split-one-piece"),
    Case("narrow", lambda m, a: m.chunk(a, 3), ((5, 2),), name="chunk"),
    Case("narrow", lambda m, a: a.chunk(4, -1), ((2, 6),), name="chunk-fewer"),
    Case("narrow", lambda m, a: m.unbind(a, 1), M, name="unbind"),
    Case("narrow", lambda m, a: a.unbind(-1), ((4,),), name="unbind-to-0d"),
    Case("narrow", lambda m, a: tuple(a), M, name="iter"),
    # cat
    Case("cat", lambda m, a, b: m.cat([a, b], 1), ((3, 2), (3, 4))),
    Case("cat", lambda m, a, b, c: m.cat((a, b, c)), ((1, 4), (3, 4), (2, 4)), name="three"),
    Case("cat", lambda m, a, b: m.cat([a, b], -1), ((2, 1, 3), (2, 1, 2)), name="negative"),
    Case("cat", lambda m, a: m.cat([a, a * 2], 0), M, name="same-input-twice"),
    Case("cat", lambda m, a: m.concat([a]), M, name="one"),
    Case("cat", lambda m, a, b: m.cat([a, b], 1), ((2, 0), (2, 3)), gradcheck=False,
         name="empty-part"),
    Case("cat", lambda m, a, b: m.cat([a, b], 1), make=_legacy_empty, gradcheck=False,
         name="legacy-empty"),
    Case("cat", lambda m, a, b: m.cat([a, b]), make=_float_and_int, name="promote-int"),
    Case("cat", lambda m, a, b: m.cat([a, b], 1), make=_f32_and_f64, dtypes=("float64",),
         gradcheck=False, name="promote-float"),
    Case("cat", lambda m, a, b: m.cat([a, b]), ((2, 3), (1, 3)), dtypes=INTS, grad=False,
         name="int"),
    Case("cat", lambda m, a, b: m.cat([a > 0, b > 0]), ((2, 3), (1, 3)), grad=False,
         name="bool"),
    # stack
    Case("stack", lambda m, a, b: m.stack([a, b]), (M[0], M[0])),
    Case("stack", lambda m, a, b, c: m.stack((a, b, c), -1), ((2, 3),) * 3, name="last"),
    Case("stack", lambda m, a, b: m.stack([a, b], 1), (M[0], M[0]), name="middle"),
    Case("stack", lambda m, a, b: m.stack([a, b]), ((), ()), name="0d"),
    Case("stack", lambda m, a: m.stack([a]), M, name="one"),
    Case("stack", lambda m, a, b: m.stack([a, b], 2), make=_float_and_int, name="promote-int"),
    Case("stack", lambda m, a, b: m.stack([a, b]), (M[0], M[0]), dtypes=INTS, grad=False,
         name="int"),
]  # fmt: skip

test_parity, test_gradcheck = make_tests(CASES)


def test_every_shape_op_has_a_parity_case() -> None:
    ours = {name for name, cls in OPS.items() if cls.__module__ == S.__name__}
    covered = {op for case in CASES for op in case.ops}
    assert ours <= covered, f"no parity case for {sorted(ours - covered)}"


# ------------------------------------------------------------------ views and copies
VIEWS: dict[str, Callable[[sg.Tensor], Any]] = {
    "view": lambda x: x.view(4, 6),
    "reshape": lambda x: x.reshape(-1),
    "transpose": lambda x: x.transpose(0, 2),
    "permute": lambda x: x.permute(1, 2, 0),
    "T": lambda x: x[0].T,
    "expand": lambda x: x[:, :1].expand(2, 5, 4),
    "broadcast_to": lambda x: sg.broadcast_to(x, (3, 2, 3, 4)),
    "squeeze": lambda x: x[:, :1].squeeze(1),
    "unsqueeze": lambda x: x.unsqueeze(1),
    "flatten": lambda x: x.flatten(1),
    "unflatten": lambda x: x.unflatten(2, (2, 2)),
    "split": lambda x: x.split(2, 2)[1],
    "chunk": lambda x: x.chunk(3, 1)[2],
    "unbind": lambda x: x.unbind(1)[1],
    "narrow": lambda x: S.narrow(x, 2, 1, 2),
    "select": lambda x: S.select(x, 0, 1),
}
COPIES: dict[str, Callable[[sg.Tensor], Any]] = {
    "flip": lambda x: x.flip((0,)),
    "roll": lambda x: x.roll(1, 1),
    "repeat": lambda x: x.repeat(1, 1, 1),
    "tile": lambda x: x.tile((1,)),
    "cat": lambda x: sg.cat([x]),
    "stack": lambda x: sg.stack([x]),
    "contiguous": lambda x: x.mT.contiguous(),
}


@pytest.mark.parametrize("name", list(VIEWS))
def test_views_share_memory_with_the_input(name: str) -> None:
    x = sg.arange(24, dtype=sg.float32).reshape(2, 3, 4)
    assert np.shares_memory(VIEWS[name](x).numpy(), x.numpy())


@pytest.mark.parametrize("name", list(COPIES))
def test_copies_do_not_share_memory(name: str) -> None:
    x = sg.arange(24, dtype=sg.float32).reshape(2, 3, 4)
    out = COPIES[name](x)
    assert not np.shares_memory(out.numpy(), x.numpy())
    out.numpy()[...] = -1  # writing into the result leaves x alone, as in torch
    assert x.numpy().min() == 0


def test_contiguous_returns_the_tensor_itself_when_already_contiguous() -> None:
    x = sg.ones(2, 3)
    assert x.contiguous() is x
    y = x.T.contiguous()
    assert y is not x and y.is_contiguous() and y.shape == (3, 2)


def _layouts() -> dict[str, Callable[[Any], Any]]:
    return {
        "contiguous": lambda t: t,
        "transposed": lambda t: t.transpose(0, 1),
        "every-other": lambda t: t[:, ::2],
        "expanded": lambda t: t[:, :1].expand(-1, 3, -1),
    }


@pytest.mark.parametrize("layout", list(_layouts()))
@pytest.mark.parametrize("target", [(-1,), (2, -1), (-1, 2), (2, 1, -1), (1, -1, 1)])
def test_view_refuses_exactly_where_torch_does(layout: str, target: tuple[int, ...]) -> None:
    make = _layouts()[layout]
    theirs = make(torch.arange(36.0).reshape(3, 6, 2))
    ours = make(sg.arange(36, dtype=sg.float32).reshape(3, 6, 2))
    try:
        want = theirs.view(*target)
    except RuntimeError as e:
        assert "view size is not compatible" in str(e)
        with pytest.raises(ShapeError, match="view size is not compatible with input tensor's"):
            ours.view(*target)
        return
    got = ours.view(*target)
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    assert np.shares_memory(got.numpy(), ours.numpy())


def test_view_error_suggests_reshape() -> None:
    x = sg.ones(3, 4).T
    with pytest.raises(ShapeError, match=r"use reshape.*shape \(12,\).*strides \(1, 4\)"):
        x.view(12)
    assert x.reshape(12).shape == (12,)


# ------------------------------------------------------------------ dtype promotion
def test_cat_promotes_int32_and_float32_like_torch() -> None:
    a, b = np.arange(3, dtype=np.int32), np.array([0.5, 1.5], dtype=np.float32)
    ours = sg.cat([sg.from_numpy(a), sg.from_numpy(b)])
    theirs = torch.cat([torch.from_numpy(a), torch.from_numpy(b)])
    assert ours.dtype == sg.float32 and str(theirs.dtype) == "torch.float32"
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


DTYPES = ["bool", "uint8", "int32", "int64", "float16", "float32", "float64"]


@pytest.mark.parametrize("a", DTYPES)
@pytest.mark.parametrize("b", DTYPES)
def test_cat_and_stack_promote_like_torch(a: str, b: str) -> None:
    xs = [sg.ones(2, dtype=a), sg.ones(2, dtype=b)]
    ts = [torch.ones(2, dtype=getattr(torch, a)), torch.ones(2, dtype=getattr(torch, b))]
    for ours, theirs in ((sg.cat(xs), torch.cat(ts)), (sg.stack(xs), torch.stack(ts))):
        assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")


def test_cat_gives_gradient_only_to_inputs_that_require_it() -> None:
    a = sg.ones(2, 3, requires_grad=True)
    b = sg.zeros(1, 3)
    out = sg.cat([b, a])
    (out * sg.arange(9, dtype=sg.float32).reshape(3, 3)).sum().backward()
    assert b.grad is None
    assert a.grad is not None and a.grad.tolist() == [[3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]


# ------------------------------------------------------------------ torch's size rules
@pytest.mark.parametrize("n", [0, 1, 5, 6, 7])
@pytest.mark.parametrize("spec", [1, 2, 3, 7])
def test_split_and_chunk_sizes_match_torch(n: int, spec: int) -> None:
    x, t = sg.ones(n, 2), torch.ones(n, 2)
    assert [p.shape for p in sg.split(x, spec)] == [tuple(p.shape) for p in torch.split(t, spec)]
    assert [p.shape for p in sg.chunk(x, spec)] == [tuple(p.shape) for p in torch.chunk(t, spec)]


def test_split_size_zero_on_an_empty_dim() -> None:
    assert [p.shape for p in sg.ones(0, 2).split(0)] == [(0, 2)]


def test_normalize_dim() -> None:
    assert [S.normalize_dim(d, 3, "op") for d in (-3, -1, 0, 2)] == [0, 2, 0, 2]
    assert S.normalize_dim(-1, 0, "op") == 0  # a 0-d tensor takes dim 0 and -1, as in torch
    assert S.normalize_dim(np.int64(1), 2, "op") == 1
    assert S.normalize_dims(1, 2, "op") == (1,)
    with pytest.raises(TypeError):
        S.normalize_dim(1.0, 2, "op")  # type: ignore[arg-type]


# ------------------------------------------------------------------ errors
DIM_ERRORS: dict[str, Callable[[sg.Tensor], Any]] = {
    "transpose": lambda x: x.transpose(0, 2),
    "permute": lambda x: x.permute(0, 2),
    "squeeze": lambda x: x.squeeze(2),
    "unsqueeze": lambda x: x.unsqueeze(4),
    "flatten": lambda x: x.flatten(-3),
    "unflatten": lambda x: x.unflatten(2, (1,)),
    "flip": lambda x: x.flip((2,)),
    "roll": lambda x: x.roll(1, -3),
    "split": lambda x: x.split(1, 2),
    "chunk": lambda x: x.chunk(1, 2),
    "unbind": lambda x: x.unbind(-3),
    "narrow": lambda x: S.narrow(x, 2, 0, 1),
    "select": lambda x: S.select(x, 2, 0),
    "cat": lambda x: sg.cat([x, x], 2),
    "stack": lambda x: sg.stack([x, x], 3),
}


@pytest.mark.parametrize("op", list(DIM_ERRORS))
def test_out_of_range_dims_raise_index_error(op: str) -> None:
    x = sg.ones(2, 3)
    with pytest.raises(IndexError, match=rf"^{op}: Dimension out of range \(expected to be in"):
        DIM_ERRORS[op](x)


def test_dim_error_message_matches_torch() -> None:
    with pytest.raises(IndexError) as theirs:
        torch.ones(2, 3).unsqueeze(3)
    with pytest.raises(IndexError) as ours:
        sg.ones(2, 3).unsqueeze(3)
    assert str(ours.value) == f"unsqueeze: {theirs.value}"
    assert "expected to be in range of [-3, 2], but got 3" in str(ours.value)


def test_0d_tensors_have_no_dim_for_pieces() -> None:
    s = sg.tensor(1.0)
    with pytest.raises(IndexError, match="unbind: Dimension specified as 0 but tensor has no"):
        s.unbind(0)
    with pytest.raises(IndexError, match="roll: Dimension specified as 0"):
        s.roll(1, 0)
    with pytest.raises(ShapeError, match="split: expects at least a 1-dimensional tensor"):
        s.split(1)
    with pytest.raises(ShapeError, match="chunk: expects at least a 1-dimensional tensor"):
        s.chunk(1)


ERRORS: list[tuple[type[Exception], str, Callable[[sg.Tensor], Any]]] = [
    (ShapeError, r"dim 0 appears multiple times in the list of dims \(0, -2\)",
     lambda x: x.flip((0, -2))),
    (ShapeError, "squeeze: each dim may be given once", lambda x: x.squeeze((1, 1))),
    (ShapeError, r"permute: the number of dims must equal x.ndim: 1 != 2 \(x \(2, 3\)",
     lambda x: x.permute(1)),
    (ShapeError, "permute: each dim may be given once", lambda x: x.permute(0, 0)),
    (ShapeError, r"reshape: shape must hold .*: \[4, 2\] is invalid for input of size 6 "
     r"\(x \(2, 3\), shape \(4, 2\)\)", lambda x: x.reshape(4, 2)),
    (ShapeError, r"view: shape must hold .*\[5\] is invalid", lambda x: x.view(5)),
    (ShapeError, "reshape: only one dimension can be inferred", lambda x: x.reshape(-1, -1)),
    (ShapeError, "reshape: sizes must be -1 or >= 0: invalid shape dimension -2",
     lambda x: x.reshape(-2, 3)),
    (ShapeError, "reshape: the -1 is ambiguous", lambda x: x[:0].reshape(-1, 0)),
    (ShapeError, r"flatten: start_dim cannot come after end_dim: 1 > 0 \(x \(2, 3\)\)",
     lambda x: x.flatten(1, 0)),
    (ShapeError, r"unflatten: sizes must multiply up to the size of dim 1: \[2, 2\] don't "
     r"multiply up to 3 \(x \(2, 3\)\)", lambda x: x.unflatten(1, (2, 2))),
    (ShapeError, "unflatten: sizes must be non-empty", lambda x: x.unflatten(1, ())),
    (ShapeError, "unflatten: sizes must multiply", lambda x: x.unflatten(1, (-1, -1))),
    (BroadcastError, r"expand: the expanded size must match the existing size at "
     r"non-singleton dims: dim 1 has size 3, target 4 \(x \(2, 3\), sizes \(2, 4\)\)",
     lambda x: x.expand(2, 4)),
    (BroadcastError, r"expand: the number of sizes must be >= x.ndim: 1 < 2",
     lambda x: x.expand(3)),
    (BroadcastError, "expand: -1 is not allowed in a new leading dim: dim 0",
     lambda x: x.expand(-1, 2, 3)),
    (BroadcastError, "broadcast_to: the expanded size must match",
     lambda x: x.broadcast_to((1, 3))),
    (ShapeError, r"repeat: the number of repeats can not be smaller than x.ndim: 1 < 2",
     lambda x: x.repeat(2)),
    (ShapeError, r"repeat: repeats must be >= 0: -1", lambda x: x.repeat(1, -1)),
    (ShapeError, r"roll: shifts and dims must align: 2 shifts, 1 dims",
     lambda x: x.roll((1, 2), 0)),
    (ShapeError, r"roll: shifts and dims must align: 2 shifts, 0 dims", lambda x: x.roll((1, 2))),
    (ShapeError, r"split: split_size must be > 0 .*: 0 \(x \(2, 3\), dim 1\)",
     lambda x: x.split(0, 1)),
    (ShapeError, r"split: split_size must be > 0", lambda x: x.split(-1)),
    (ShapeError, r"split: sizes must sum to the size of the dim: \[1, 1\] sum to 2, not 3",
     lambda x: x.split([1, 1], 1)),
    (ShapeError, r"split: sizes must be >= 0: \[4, -1\]", lambda x: x.split([4, -1], 1)),
    (ShapeError, r"chunk: chunks must be > 0: 0", lambda x: x.chunk(0)),
    (IndexError, r"narrow: start out of range \(expected to be in range of \[-3, 3\], but got 4",
     lambda x: S.narrow(x, 1, 4, 0)),
    (ShapeError, "narrow: the piece must lie inside dim 1: start 2 \\+ length 2 exceeds its "
     "size 3", lambda x: S.narrow(x, 1, 2, 2)),
    (IndexError, r"select: index 3 out of range for tensor of size \(2, 3\) at dimension 1",
     lambda x: S.select(x, 1, 3)),
    (ShapeError, r"cat: sizes must match except in dim 0: tensor 1 has size 2 at dim 1, "
     r"expected 3 \(shapes \[\(2, 3\), \(2, 2\)\]\)", lambda x: sg.cat([x, x[:, :2]])),
    (ShapeError, r"cat: tensors must have the same number of dims: tensor 1 has 1, expected 2",
     lambda x: sg.cat([x, x[0]])),
    (ShapeError, "cat: zero-dimensional tensors cannot be concatenated: tensor 0",
     lambda x: sg.cat([x[0, 0], x[0, 1]])),
    (ValueError, "cat: expected a non-empty sequence of tensors", lambda x: sg.cat([])),
    (TypeError, "cat: expected a sequence of Tensors, got ndarray at 1",
     lambda x: sg.cat([x, x.numpy()])),
    (ShapeError, r"stack: tensors must have the same shape: tensor 1 has \(3,\), expected "
     r"\(2, 3\)", lambda x: sg.stack([x, x[0]])),
    (ValueError, "stack: expected a non-empty sequence of tensors", lambda x: sg.stack([])),
]  # fmt: skip


@pytest.mark.parametrize(("error", "match", "fn"), ERRORS, ids=[m[:40] for _, m, _ in ERRORS])
def test_documented_errors(error: type[Exception], match: str, fn: Callable[..., Any]) -> None:
    with pytest.raises(error, match=match):
        fn(sg.ones(2, 3))


def test_shape_errors_are_value_errors_and_broadcast_errors_shape_errors() -> None:
    with pytest.raises(ValueError, match="reshape"):
        sg.ones(2, 3).reshape(4)
    with pytest.raises(ShapeError, match="expand"):
        sg.ones(2, 3).expand(2, 4)
