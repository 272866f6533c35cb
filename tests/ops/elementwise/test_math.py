"""Parity of the unary math ops (trigonometric, hyperbolic, erf, logs, ...) with torch."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._parity import Case, make_tests

INTS = ("uint8", "int8", "int16", "int32", "int64")
NON_FLOAT = (*INTS, "bool")
POS = {"low": 0.2, "high": 3.0}
UNIT = {"low": -0.9, "high": 0.9}


def _nonzero(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Values of both signs, away from 0."""
    s = rng.choice([-1.0, 1.0], (3, 4)) * rng.uniform(0.3, 3, (3, 4))
    return [s.astype(dtype)]


def _specials(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Finite values mixed with NaN, +inf and -inf (and -0.0)."""
    x = rng.uniform(-3, 3, (4, 5)).astype(dtype)
    x.flat[[0, 3, 7, 11, 18]] = [np.nan, np.inf, -np.inf, -0.0, np.inf]
    return [x]


def _large(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Values with fractional parts, some beyond 2**24 (no fraction left in float32)."""
    x = rng.uniform(-50, 50, (3, 4)) * rng.choice([1, 1e6], (3, 4))
    return [x.astype(dtype)]


def _unary(op: str, shapes: tuple[tuple[int, ...], ...] = ((3, 4),), **kw: object) -> Case:
    return Case(op, lambda m, a: getattr(m, op)(a), shapes, **kw)  # type: ignore[arg-type]


def _method(op: str, **kw: object) -> Case:
    return Case(op, lambda m, a: getattr(a, op)(), ((2, 3),), name="method", **kw)  # type: ignore[arg-type]


FLOAT_OPS = {  # op -> input range where it is smooth
    "tan": {"low": -1.2, "high": 1.2},
    "asin": UNIT,
    "acos": UNIT,
    "atan": {},
    "sinh": {},
    "cosh": {},
    "asinh": {},
    "acosh": {"low": 1.1, "high": 3.0},
    "atanh": UNIT,
    "erf": {"low": -3.0, "high": 3.0},
    "erfc": {"low": -3.0, "high": 3.0},
    "erfinv": {"low": -0.95, "high": 0.95},
    "exp2": {},
    "expm1": {},
    "log2": POS,
    "log10": POS,
    "square": {},
    "frac": {"low": -5.0, "high": 5.0},
}

CASES = [
    *(_unary(op, **kw) for op, kw in FLOAT_OPS.items()),
    *(_method(op, **kw) for op, kw in FLOAT_OPS.items()),
    # broadcasting-free but strided 3-d inputs, and the reciprocal around 0
    Case("erf", lambda m, a: m.erf(a), ((2, 3, 4),), low=-6, high=6, name="tails"),
    Case("erfc", lambda m, a: m.erfc(a), ((2, 3, 4),), low=-1, high=9, name="tails"),
    *(_unary(op, ((),), low=0.1, high=0.9, name="0d") for op in ("erf", "erfinv", "logit")),
    Case("reciprocal", lambda m, a: m.reciprocal(a), make=_nonzero),
    Case("reciprocal", lambda m, a: a.reciprocal(), make=_nonzero, name="method"),
    Case("frac", lambda m, a: m.frac(a), make=_large, gradcheck=False, name="large"),
    # aliases
    Case("asin", lambda m, a: m.arcsin(a), ((3,),), **UNIT, name="arcsin"),
    Case("acos", lambda m, a: m.arccos(a), ((3,),), **UNIT, name="arccos"),
    Case("atan", lambda m, a: m.arctan(a), ((3,),), name="arctan"),
    Case("asinh", lambda m, a: m.arcsinh(a), ((3,),), name="arcsinh"),
    Case("acosh", lambda m, a: m.arccosh(a), ((3,),), low=1.1, high=3, name="arccosh"),
    Case("atanh", lambda m, a: m.arctanh(a), ((3,),), **UNIT, name="arctanh"),
    Case("asin", lambda m, a: a.arcsin(), ((3,),), **UNIT, name="arcsin-method"),
    # logit: inside (0, 1); with eps, clamped (gradient 0 outside); without, NaN outside
    Case("logit", lambda m, a: m.logit(a), ((3, 4),), low=0.05, high=0.95),
    Case("logit", lambda m, a: m.logit(a, eps=0.1), ((4, 5),), low=-0.2, high=1.2, name="eps"),
    Case("logit", lambda m, a: a.logit(1e-6), ((3, 4),), low=0.05, high=0.95, name="method"),
    Case(
        "logit",
        lambda m, a: m.logit(a),
        ((4, 5),),
        low=-0.5,
        high=1.5,
        gradcheck=False,
        name="outside",
    ),
    # nan_to_num: defaults (dtype's max), given values; gradient 1 where finite
    Case("nan_to_num", lambda m, a: m.nan_to_num(a), make=_specials),
    Case(
        "nan_to_num",
        lambda m, a: m.nan_to_num(a, nan=1.5, posinf=9.0, neginf=-8.0),
        make=_specials,
        name="values",
    ),
    Case("nan_to_num", lambda m, a: a.nan_to_num(posinf=3.0), make=_specials, name="method"),
    Case("isinf", lambda m, a: m.isinf(a), make=_specials, grad=False),
    Case("isinf", lambda m, a: m.isposinf(a), make=_specials, grad=False, name="pos"),
    Case("isinf", lambda m, a: m.isneginf(a), make=_specials, grad=False, name="neg"),
    Case(
        "isinf",
        lambda m, a: (a.isinf(), a.isposinf(), a.isneginf()),
        make=_specials,
        grad=False,
        name="methods",
    ),
    # integer and bool inputs: the float ops give float32, square keeps integers
    *(
        _unary(op, dtypes=NON_FLOAT, low=-3, high=3, grad=False, name="int")
        for op in FLOAT_OPS
        if op != "frac"
    ),
    *(
        _unary(op, dtypes=NON_FLOAT, low=-3, high=3, grad=False, name="int")
        for op in ("reciprocal", "logit", "nan_to_num", "isinf")
    ),
    Case(
        "isinf",
        lambda m, a: (m.isposinf(a), m.isneginf(a)),
        dtypes=NON_FLOAT,
        grad=False,
        name="int-signed",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ dtypes and errors
@pytest.mark.parametrize("dtype", NON_FLOAT)
def test_frac_refuses_integers_like_torch(dtype: str) -> None:
    with pytest.raises(NotImplementedError):
        torch.frac(torch.zeros(2, dtype=getattr(torch, dtype)))
    with pytest.raises(TypeError, match="frac: not implemented for"):
        sg.frac(sg.zeros(2, dtype=dtype))


def test_frac_error_names_the_dtype_as_torch() -> None:
    with pytest.raises(TypeError, match="'Long'"):
        sg.frac(sg.tensor([1, 2]))


@pytest.mark.parametrize("op", ["tan", "erf", "log2", "reciprocal", "square", "nan_to_num"])
def test_float64_stays_float64_and_float32_stays_float32(op: str) -> None:
    for dtype in ("float32", "float64"):
        assert getattr(sg, op)(sg.ones(2, dtype=dtype)).dtype == np.dtype(dtype)


def test_float16_keeps_its_dtype_like_torch() -> None:
    for op in ("tan", "erf", "erfinv", "expm1", "log10", "reciprocal", "nan_to_num"):
        ours = getattr(sg, op)(sg.full((2,), 0.5, dtype="float16"))
        theirs = getattr(torch, op)(torch.full((2,), 0.5, dtype=torch.float16))
        assert str(ours.dtype) == "float16" == str(theirs.dtype).removeprefix("torch.")
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=2e-3)


def test_nan_to_num_defaults_are_the_dtype_extremes() -> None:
    for dtype in ("float16", "float32", "float64"):
        x = sg.tensor([np.inf, -np.inf, np.nan], dtype=dtype)
        t = torch.tensor([np.inf, -np.inf, np.nan], dtype=getattr(torch, dtype))
        np.testing.assert_array_equal(sg.nan_to_num(x).numpy(), torch.nan_to_num(t).numpy())


def test_erf_and_erfinv_are_inverse() -> None:
    x = sg.linspace(-0.99, 0.99, 41, dtype=sg.float64)
    np.testing.assert_allclose(sg.erf(sg.erfinv(x)).numpy(), x.numpy(), rtol=1e-12, atol=1e-14)


def test_erfinv_at_the_edges_matches_torch() -> None:
    v = [-1.0, 1.0, 1.5, -0.0, np.nan]
    np.testing.assert_array_equal(
        sg.erfinv(sg.tensor(v)).numpy(), torch.erfinv(torch.tensor(v)).numpy()
    )


def test_logit_gradient_outside_the_unit_interval_is_nan_like_torch() -> None:
    x = sg.tensor([-0.5, 0.5, 1.5], requires_grad=True)
    sg.logit(x).sum().backward()
    t = torch.tensor([-0.5, 0.5, 1.5], requires_grad=True)
    torch.logit(t).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())
    assert np.isnan(x.grad.numpy()[0])


def test_int_inputs_carry_no_gradient() -> None:
    y = sg.tan(sg.tensor([1, 2]))
    assert y.dtype == sg.float32
    assert not y.requires_grad
