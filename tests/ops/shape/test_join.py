"""Parity of the pieces and joins (narrow, select, split, chunk, unbind, cat, stack, repeat,
tile) with torch; promotion; torch's size rules; errors."""

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.ops import OPS
from scratchgrad.ops import shape as S  # noqa: N812 - as tensor.py
from scratchgrad.ops.shape import join as J  # noqa: N812
from tests.ops._parity import Case, make_tests

M = ((3, 4),)
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
    # repeat: repeat and tile
    Case("repeat", lambda m, a: a.repeat(2, 3), ((2, 3),)),
    Case("repeat", lambda m, a: a.repeat(2, 1, 3), ((2, 3),), name="new-lead"),
    Case("repeat", lambda m, a: a.repeat((1, 2)), ((3, 1),), name="tuple"),
    Case("repeat", lambda m, a: a.repeat(3), ZERO_D, name="0d"),
    Case("repeat", lambda m, a: a.repeat(0, 2), ((2, 3),), name="zero"),
    Case("repeat", lambda m, a: m.tile(a, (2,)), ((2, 3),), name="tile-pad"),
    Case("repeat", lambda m, a: m.tile(a, (2, 1, 2)), ((2, 3),), name="tile-lead"),
    Case("repeat", lambda m, a: a.tile((2, 2)), ((3,),), name="tile-method"),
    # narrow: narrow, select
    Case("narrow", shapes=M, **_narrow(1, 1, 2)),
    Case("narrow", shapes=M, **_narrow(-1, -3, 3), name="negative"),
    Case("narrow", shapes=M, **_narrow(0, 3, 0), name="empty"),
    Case("narrow", shapes=M, **_select(1, -1), name="select"),
    Case("narrow", shapes=((4,),), **_select(0, 2), name="select-to-0d"),
    # split: split, chunk, unbind, iteration (one node, several outputs)
    Case("split", lambda m, a: m.split(a, 2, 1), ((3, 5),), name="split"),
    Case("split", lambda m, a: a.split([1, 3, 1], -1), ((3, 5),), name="split-sizes"),
    Case("split", lambda m, a: a.split([0, 3]), ((3, 2),), name="split-empty-piece"),
    Case("split", lambda m, a: m.split(a, 5), ((3, 2),), name="split-one-piece"),
    Case("split", lambda m, a: m.chunk(a, 3), ((5, 2),), name="chunk"),
    Case("split", lambda m, a: a.chunk(4, -1), ((2, 6),), name="chunk-fewer"),
    Case("split", lambda m, a: m.unbind(a, 1), M, name="unbind"),
    Case("split", lambda m, a: a.unbind(-1), ((4,),), name="unbind-to-0d"),
    Case("split", lambda m, a: tuple(a), M, name="iter"),
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


def test_every_join_op_has_a_parity_case() -> None:
    ours = {name for name, cls in OPS.items() if cls.__module__ == J.__name__}
    covered = {op for case in CASES for op in case.ops}
    assert ours <= covered, f"no parity case for {sorted(ours - covered)}"


# ------------------------------------------------------------------ dtype promotion
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
# ------------------------------------------------------------------ torch's size rules
@pytest.mark.parametrize("n", [0, 1, 5, 6, 7])
@pytest.mark.parametrize("spec", [1, 2, 3, 7])
def test_split_and_chunk_sizes_match_torch(n: int, spec: int) -> None:
    x, t = sg.ones(n, 2), torch.ones(n, 2)
    assert [p.shape for p in sg.split(x, spec)] == [tuple(p.shape) for p in torch.split(t, spec)]
    assert [p.shape for p in sg.chunk(x, spec)] == [tuple(p.shape) for p in torch.chunk(t, spec)]


def test_split_size_zero_on_an_empty_dim() -> None:
    assert [p.shape for p in sg.ones(0, 2).split(0)] == [(0, 2)]


# ------------------------------------------------------------------ errors
ERRORS: list[tuple[type[Exception], str, Callable[[sg.Tensor], Any]]] = [
    (ShapeError, r"repeat: the number of repeats can not be smaller than x.ndim: 1 < 2",
     lambda x: x.repeat(2)),
    (ShapeError, r"repeat: repeats must be >= 0: -1", lambda x: x.repeat(1, -1)),
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
