"""Parity of shape ops (views, rearrangements, pieces and joins) with torch."""

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.errors import BroadcastError, ShapeError
from scratchgrad.ops import OPS, dims
from scratchgrad.ops import shape as S  # noqa: N812 - as tensor.py
from scratchgrad.ops.shape import view
from tests.ops._parity import Case, make_tests

M = ((3, 4),)
B3 = ((2, 3, 4),)
SQ = ((1, 3, 1, 4),)
ZERO_D = ((),)
INTS = ("int32", "int64")


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
]  # fmt: skip

test_parity, test_gradcheck = make_tests(CASES)


def test_every_shape_op_has_a_parity_case() -> None:
    ours = {name for name, cls in OPS.items() if cls.__module__ == view.__name__}
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


def test_normalize_dim() -> None:
    assert [dims.normalize_dim(d, 3, "op") for d in (-3, -1, 0, 2)] == [0, 2, 0, 2]
    assert dims.normalize_dim(-1, 0, "op") == 0  # a 0-d tensor takes dim 0 and -1, as in torch
    assert dims.normalize_dim(np.int64(1), 2, "op") == 1
    assert dims.normalize_dims(1, 2, "op") == (1,)
    with pytest.raises(TypeError):
        dims.normalize_dim(1.0, 2, "op")  # type: ignore[arg-type]


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
    (ShapeError, r"roll: shifts and dims must align: 2 shifts, 1 dims",
     lambda x: x.roll((1, 2), 0)),
    (ShapeError, r"roll: shifts and dims must align: 2 shifts, 0 dims", lambda x: x.roll((1, 2))),
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
