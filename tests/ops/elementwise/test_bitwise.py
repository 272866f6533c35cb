"""Parity of the bitwise ops and operators (& | ^ ~ << >>) with torch, on ints and bools."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._parity import Case, make_tests

INTS = ("uint8", "int8", "int16", "int32", "int64")
INTS_BOOL = (*INTS, "bool")
B = ((2, 3, 4), (3, 1))
WIDE = {"low": -300, "high": 300, "grad": False}  # wraps in the small dtypes: both sides agree


def _shifts(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Values of both signs; shift amounts from -2 to past the bit width."""
    bits = np.dtype(dtype).itemsize * 8
    x = rng.integers(-1000, 1000, (3, 8)).astype(dtype)
    s = np.array([-2, -1, 0, 1, 3, bits - 1, bits, bits + 5])
    return [x, np.broadcast_to(s, (3, 8)).astype(dtype)]


CASES = [
    Case("bitwise_and", lambda m, a, b: m.bitwise_and(a, b), B, dtypes=INTS_BOOL, **WIDE),
    Case("bitwise_and", lambda m, a, b: a & b, B, dtypes=INTS_BOOL, name="op", **WIDE),
    Case(
        "bitwise_and",
        lambda m, a: a.bitwise_and(0x5A),
        ((3, 4),),
        dtypes=INTS_BOOL,
        name="scalar",
        **WIDE,
    ),
    Case("bitwise_and", lambda m, a: 6 & a, ((3, 4),), dtypes=INTS_BOOL, name="rand", **WIDE),
    Case(
        "bitwise_and",
        lambda m, a: a & True,
        ((3, 4),),
        dtypes=INTS_BOOL,
        name="bool-scalar",
        **WIDE,
    ),
    Case("bitwise_or", lambda m, a, b: m.bitwise_or(a, b), B, dtypes=INTS_BOOL, **WIDE),
    Case("bitwise_or", lambda m, a, b: a | b, B, dtypes=INTS_BOOL, name="op", **WIDE),
    Case("bitwise_or", lambda m, a: 9 | a, ((3, 4),), dtypes=INTS_BOOL, name="ror", **WIDE),
    Case("bitwise_xor", lambda m, a, b: m.bitwise_xor(a, b), B, dtypes=INTS_BOOL, **WIDE),
    Case("bitwise_xor", lambda m, a, b: a ^ b, B, dtypes=INTS_BOOL, name="op", **WIDE),
    Case("bitwise_xor", lambda m, a: -3 ^ a, ((3, 4),), dtypes=INTS[1:], name="rxor", **WIDE),
    Case("bitwise_not", lambda m, a: m.bitwise_not(a), ((3, 4),), dtypes=INTS_BOOL, **WIDE),
    Case("bitwise_not", lambda m, a: ~a, ((3, 4),), dtypes=INTS_BOOL, name="op", **WIDE),
    Case(
        "bitwise_not",
        lambda m, a: a.bitwise_not(),
        ((3, 4),),
        dtypes=INTS_BOOL,
        name="method",
        **WIDE,
    ),
    Case(
        "bitwise_left_shift",
        lambda m, a, b: m.bitwise_left_shift(a, b),
        make=_shifts,
        dtypes=INTS,
        grad=False,
    ),
    Case(
        "bitwise_left_shift",
        lambda m, a, b: a << b,
        make=_shifts,
        dtypes=INTS,
        grad=False,
        name="op",
    ),
    Case("bitwise_left_shift", lambda m, a: a << 3, ((3, 4),), dtypes=INTS, name="scalar", **WIDE),
    Case(
        "bitwise_left_shift",
        lambda m, a: (a > 0) << 2,
        ((3, 4),),
        dtypes=INTS,
        name="bool-by-int",
        **WIDE,
    ),
    Case(
        "bitwise_left_shift",
        lambda m, a: 1 << (a & 7),
        ((3, 4),),
        dtypes=INTS[1:],
        name="rlshift",
        **WIDE,
    ),
    Case(
        "bitwise_right_shift",
        lambda m, a, b: m.bitwise_right_shift(a, b),
        make=_shifts,
        dtypes=INTS,
        grad=False,
    ),
    Case(
        "bitwise_right_shift",
        lambda m, a, b: a.bitwise_right_shift(b),
        make=_shifts,
        dtypes=INTS,
        grad=False,
        name="method",
    ),
    Case("bitwise_right_shift", lambda m, a: a >> 2, ((3, 4),), dtypes=INTS, name="op", **WIDE),
    Case(
        "bitwise_right_shift",
        lambda m, a: 1000 >> (a & 7),
        ((3, 4),),
        dtypes=INTS[1:],
        name="rrshift",
        **WIDE,
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ errors and dtypes
FLOAT_CALLS = {
    "bitwise_and": lambda m, a: m.bitwise_and(a, a),
    "bitwise_or": lambda m, a: a | a,
    "bitwise_xor": lambda m, a: a ^ 1,
    "bitwise_not": lambda m, a: m.bitwise_not(a),
    "bitwise_left_shift": lambda m, a: m.bitwise_left_shift(a, a),
    "bitwise_right_shift": lambda m, a: m.bitwise_right_shift(a, a),
}


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("op", FLOAT_CALLS)
def test_floats_are_refused_with_the_dtype_named_like_torch(op: str, dtype: str) -> None:
    call = FLOAT_CALLS[op]
    with pytest.raises((NotImplementedError, RuntimeError)):
        call(torch, torch.ones(2, dtype=getattr(torch, dtype)))
    name = {"float16": "Half", "float32": "Float", "float64": "Double"}[dtype]
    with pytest.raises(TypeError, match=f"{op}: not implemented for '{name}'"):
        call(sg, sg.ones(2, dtype=dtype))


def test_invert_of_a_float_tensor_raises_a_type_error_like_torch() -> None:
    with pytest.raises(TypeError):
        ~torch.ones(2)
    with pytest.raises(TypeError, match="'Float'"):
        ~sg.ones(2)


def test_an_int_tensor_and_a_python_float_is_refused() -> None:
    with pytest.raises(TypeError, match="'Float'"):
        sg.tensor([1, 2]) & 2.5


@pytest.mark.parametrize("op", ["bitwise_left_shift", "bitwise_right_shift"])
def test_shifting_bools_is_refused_like_torch(op: str) -> None:
    b = [True, False]
    with pytest.raises(NotImplementedError):
        getattr(torch, op)(torch.tensor(b), torch.tensor(b))
    with pytest.raises(TypeError, match="'Bool'"):
        getattr(sg, op)(sg.tensor(b), sg.tensor(b))


def test_python_ints_wrap_to_the_tensor_dtype_like_torch() -> None:
    x = [1, 2, 44, -1]
    for scalar in (300, -300, 255, 2**40):
        ours = sg.tensor(x, dtype=sg.int8) & scalar
        theirs = torch.tensor(x, dtype=torch.int8) & scalar
        assert ours.tolist() == theirs.tolist() and ours.dtype == sg.int8


def test_bool_operators_stay_logical_and_ints_become_bitwise() -> None:
    a, b = sg.tensor([True, True, False]), sg.tensor([True, False, False])
    assert (a & b).tolist() == [True, False, False] and (a & b).dtype == sg.bool
    assert (a | b).tolist() == [True, True, False] and (a ^ b).tolist() == [False, True, False]
    assert (~a).tolist() == [False, False, True]
    assert (sg.tensor([12, 5]) & sg.tensor([10, 3])).tolist() == [8, 1]
    assert (~sg.tensor([0, 5])).tolist() == [-1, -6]


def test_bitwise_results_carry_no_gradient() -> None:
    x = sg.tensor([1.0, 2.0], requires_grad=True)
    y = (x > 1) & (x < 3)
    assert not y.requires_grad and y.grad_fn is None
