"""Parity of amax, amin and aminmax (ops/extrema.py) with torch: ties share the gradient."""

from typing import Any

import numpy as np
import torch

import scratchgrad as sg
from tests.ops._index_cases import Error, make_error_test
from tests.ops._parity import Case, make_tests

B3 = ((2, 3, 4),)
INTS = ("int32", "int64")


def _ties(rng: np.random.Generator, dt: str) -> list[np.ndarray]:
    """Few distinct values: many elements tie at the max and the min."""
    return [rng.integers(-1, 2, (2, 3, 4)).astype(dt)]


CASES = [
    Case("max", lambda m, x: x.amax(), B3, name="amax-all"),
    Case("max", lambda m, x: m.amax(x, (0, 2)), B3, name="amax-tuple"),
    Case("max", lambda m, x: x.amax(dim=-1, keepdim=True), B3, name="amax-keepdim"),
    Case("max", lambda m, x: x.amax([-3, 1], True), B3, name="amax-list-keepdim"),
    Case("max", lambda m, x: x.amax(0), ((),), name="amax-0d"),
    Case("max", lambda m, x: x.amax((0, 2)), make=_ties, gradcheck=False, name="amax-ties"),
    Case("max", lambda m, x: x.amax(1), B3, dtypes=INTS, name="amax-int"),
    Case("min", lambda m, x: x.amin(), B3, name="amin-all"),
    Case("min", lambda m, x: m.amin(x, 1), B3, name="amin-dim"),
    Case("min", lambda m, x: x.amin((-1, 0), keepdim=True), B3, name="amin-keepdim"),
    Case("min", lambda m, x: x.amin(2), make=_ties, gradcheck=False, name="amin-ties"),
    Case("min", lambda m, x: m.amin(x, (0, 1)), B3, dtypes=INTS, name="amin-int"),
    Case(("min", "max"), lambda m, x: m.aminmax(x), B3, name="aminmax-all"),
    Case(("min", "max"), lambda m, x: x.aminmax(dim=1), B3, name="aminmax-dim"),
    Case(("min", "max"), lambda m, x: x.aminmax(dim=-1, keepdim=True), B3, name="aminmax-keep"),
    Case(("min", "max"), lambda m, x: x.aminmax(keepdim=True), B3, name="aminmax-all-keep"),
    Case(("min", "max"), lambda m, x: x.aminmax(dim=0), make=_ties, gradcheck=False,
         name="aminmax-ties"),
    Case(("min", "max"), lambda m, x: x.aminmax(dim=0), ((),), name="aminmax-0d"),
    Case(("min", "max"), lambda m, x: x.aminmax(dim=2), B3, dtypes=INTS, name="aminmax-int"),
]  # fmt: skip

test_parity, test_gradcheck = make_tests(CASES)


ERRORS: list[Error] = [
    ("amax-dim", IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got "
     "2)", lambda m: m.zeros(3, 4).amax(2)),
    ("amax-empty-dim", IndexError, "amax(): Expected reduction dim 0 to have non-zero size.",
     lambda m: m.zeros(0, 4).amax(0)),
    ("amin-empty", RuntimeError, "amin(): Expected reduction dim to be specified for "
     "input.numel() == 0. Specify the reduction dim with the 'dim' argument.",
     lambda m: m.zeros(0, 4).amin()),
    ("amax-twice", RuntimeError, "dim 0 appears multiple times in the list of dims",
     lambda m: m.zeros(3, 4).amax((0, 0))),
    ("aminmax-empty", RuntimeError, "aminmax(): cannot compute aminmax over an empty dimension as "
     "the operation has no identity.", lambda m: m.zeros(0, 4).aminmax()),
    ("aminmax-empty-dim", IndexError, "aminmax: Expected reduction dim 0 to have non-zero size.",
     lambda m: m.zeros(0, 4).aminmax(dim=0)),
    ("aminmax-tuple", TypeError, "aminmax(): argument 'dim' must be int, not tuple",
     lambda m: m.zeros(3, 4).aminmax(dim=(0, 1))),
]  # fmt: skip

test_error_matches_torch = make_error_test(ERRORS)


def test_aminmax_is_a_named_tuple_like_torch() -> None:
    def fields(lib: Any) -> tuple[float, float]:
        r = lib.aminmax(lib.tensor([[1.0, 5.0], [3.0, 2.0]]), dim=1)
        return r.min.tolist(), r.max.tolist()

    assert fields(sg) == fields(torch)
    mn, mx = sg.tensor([4, 2, 9]).aminmax()
    assert (mn.item(), mx.item()) == (2, 9)


def test_amax_splits_ties_where_max_dim_does_not() -> None:
    x = sg.tensor([[1.0, 3.0, 3.0]], requires_grad=True)
    x.amax(1).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.5, 0.5]]
    x.grad = None
    x.max(1).values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0]]
