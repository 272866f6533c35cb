"""Parity of the binary math ops (atan2, fmod, lerp, xlogy, isclose, tensor clamp, ...)."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._parity import Case, make_tests

B = ((2, 3, 4), (3, 1))  # broadcast: (2, 3, 4) with (3, 1)
INTS = ("int8", "int16", "int32", "int64")
POS = {"low": 0.2, "high": 3.0}


def _divisors(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Dividends of both signs, (2, 3, 4); divisors away from 0, both signs, (3, 1)."""
    a = rng.uniform(-9, 9, (2, 3, 4))
    b = rng.choice([-1.0, 1.0], (3, 1)) * rng.uniform(0.5, 3, (3, 1))
    if np.dtype(dtype).kind != "f":
        a, b = np.round(a * 3), rng.choice([-7, -3, -2, 2, 3, 5], (3, 1))
    return [a.astype(dtype), b.astype(dtype)]


def _xlogy_zeros(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """x with zeros; y with zeros, negatives and NaN where x is and is not 0."""
    x = np.array([[0.0, 0.0, 0.0, 0.0, 1.5, -2.0], [0.0, 2.0, 0.5, 0.0, 1.0, 3.0]])
    y = np.array([[0.0, -1.0, np.nan, 2.0, np.nan, 0.5], [1.0, 0.0, -1.0, 3.0, 2.0, 0.25]])
    return [x.astype(dtype), y.astype(dtype)]


def _lerp3(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """start (2, 1, 4), end (3, 4), weight (2, 3, 1) in [-0.5, 1.5]: both of torch's forms."""
    s, e = rng.uniform(-3, 3, (2, 1, 4)), rng.uniform(-3, 3, (3, 4))
    w = rng.uniform(-0.5, 1.5, (2, 3, 1))
    return [s.astype(dtype), e.astype(dtype), w.astype(dtype)]


def _bounds(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """x (2, 3, 4); lo (3, 1) below hi (4,), both inside x's range."""
    x = rng.uniform(-3, 3, (2, 3, 4))
    lo, hi = rng.uniform(-2, -0.5, (3, 1)), rng.uniform(0.5, 2, (4,))
    return [x.astype(dtype), lo.astype(dtype), hi.astype(dtype)]


def _crossed(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Bounds where lo > hi in places: hi wins there, as in torch."""
    x, lo, hi = (rng.uniform(-3, 3, s).astype(dtype) for s in ((3, 4), (3, 4), (4,)))
    return [x, lo, hi]


def _int_x(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """An int32 x with float bounds: the result is float."""
    x = rng.integers(-5, 6, (3, 4)).astype(np.int32)
    return [x, rng.uniform(-3, 0, (4,)).astype(dtype), rng.uniform(0, 3, (3, 1)).astype(dtype)]


def _near(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Pairs equal, nearly equal, far apart, infinite and NaN."""
    a = rng.uniform(-2, 2, (4, 6))
    b = a + rng.choice([0.0, 1e-9, 1e-6, 1e-4, 1.0], (4, 6)) * rng.choice([-1, 1], (4, 6))
    a.flat[:6] = [np.inf, np.inf, -np.inf, np.nan, np.nan, 0.0]
    b.flat[:6] = [np.inf, -np.inf, -np.inf, np.nan, 1.0, 1e-9]
    if np.dtype(dtype).kind != "f":
        a, b = rng.integers(-50, 50, (4, 6)), rng.integers(-50, 50, (4, 6))
        b[::2] = a[::2]
    return [a.astype(dtype), b.astype(dtype)]


CASES = [
    Case("atan2", lambda m, a, b: m.atan2(a, b), B),
    Case("atan2", lambda m, a, b: a.atan2(b), ((3, 4), (4,)), name="method"),
    Case("atan2", lambda m, a, b: m.arctan2(a, b), ((3,), (3,)), name="arctan2"),
    Case("atan2", lambda m, a, b: m.atan2(a, b), B, dtypes=INTS, grad=False, name="int"),
    Case("copysign", lambda m, a, b: m.copysign(a, b), B),
    Case("copysign", lambda m, a: a.copysign(-1.0), ((3, 4),), name="scalar"),
    Case("copysign", lambda m, a, b: m.copysign(a, b), B, dtypes=INTS, grad=False, name="int"),
    Case("fmod", lambda m, a, b: m.fmod(a, b), make=_divisors),
    Case("fmod", lambda m, a: a.fmod(1.5), ((3, 4),), low=-5, high=5, name="scalar"),
    Case("fmod", lambda m, a, b: m.fmod(a, b), make=_divisors, dtypes=INTS, name="int"),
    Case("hypot", lambda m, a, b: m.hypot(a, b), B),
    Case("hypot", lambda m, a, b: a.hypot(b), ((3, 4), (3, 4)), name="method"),
    Case("logaddexp", lambda m, a, b: m.logaddexp(a, b), B, low=-30, high=30),
    Case("logaddexp", lambda m, a, b: a.logaddexp(b), ((3,), (3,)), name="method"),
    Case("logaddexp2", lambda m, a, b: m.logaddexp2(a, b), B, low=-30, high=30),
    Case("logaddexp2", lambda m, a, b: a.logaddexp2(b), ((3,), (3,)), name="method"),
    Case("xlogy", lambda m, a, b: m.xlogy(a, b), ((2, 3, 4), (3, 1)), low=0.1, high=3),
    Case("xlogy", lambda m, a, b: a.xlogy(b), make=_xlogy_zeros, gradcheck=False, name="zeros"),
    Case("xlogy", lambda m, a: m.xlogy(2, a), ((3, 4),), **POS, name="scalar-self"),
    Case("xlogy", lambda m, a: m.xlogy(a, 3), ((3, 4),), name="scalar-other"),
    Case(
        "xlogy",
        lambda m, a, b: m.xlogy(a, b),
        B,
        dtypes=INTS,
        low=0,
        high=4,
        grad=False,
        name="int",
    ),
    Case("lerp", lambda m, a, b: m.lerp(a, b, 0.3), B),
    Case("lerp", lambda m, a, b: a.lerp(b, 0.75), ((3, 4), (4,)), name="high-weight"),
    Case("lerp", lambda m, s, e, w: m.lerp(s, e, w), make=_lerp3, name="tensor-weight"),
    Case("lerp", lambda m, s, e, w: s.lerp(e, w[0, 0, 0]), make=_lerp3, name="0d-weight"),
    Case("clamp_tensor", lambda m, x, lo, hi: m.clamp(x, lo, hi), make=_bounds),
    Case("clamp_tensor", lambda m, x, lo, hi: x.clamp(min=lo), make=_bounds, name="min"),
    Case("clamp_tensor", lambda m, x, lo, hi: x.clamp(max=hi), make=_bounds, name="max"),
    Case("clamp_tensor", lambda m, x, lo, hi: m.clip(x, lo, hi), make=_crossed, name="crossed"),
    Case("clamp_tensor", lambda m, x, lo, hi: m.clamp(x, lo, hi), make=_int_x, name="int-x"),
    Case(
        "clamp_tensor",
        lambda m, x, lo, hi: m.clamp(x, lo, hi),
        ((2, 3, 4), (3, 1), (4,)),
        dtypes=INTS,
        low=-9,
        high=9,
        grad=False,
        name="int",
    ),
    Case("isclose", lambda m, a, b: m.isclose(a, b), make=_near, grad=False),
    Case(
        "isclose",
        lambda m, a, b: a.isclose(b, equal_nan=True),
        make=_near,
        grad=False,
        name="equal-nan",
    ),
    Case(
        "isclose",
        lambda m, a, b: m.isclose(a, b, rtol=0, atol=1e-5),
        make=_near,
        grad=False,
        name="atol",
    ),
    Case(
        "isclose",
        lambda m, a, b: m.isclose(a, b, rtol=0, atol=0),
        make=_near,
        grad=False,
        name="exact",
    ),
    Case("isclose", lambda m, a, b: m.isclose(a, b[:1]), make=_near, grad=False, name="bcast"),
    Case(
        "isclose",
        lambda m, a, b: m.isclose(a, b, rtol=0.05, atol=2),
        make=_near,
        dtypes=(*INTS, "uint8"),
        grad=False,
        name="int",
    ),
    Case(
        "isclose",
        lambda m, a, b: m.isclose(a, b, atol=0.5),
        ((3, 4), (3, 4)),
        dtypes=("bool",),
        grad=False,
        name="bool",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ allclose, clamp
@pytest.mark.parametrize(("rtol", "atol", "equal_nan"), [(1e-5, 1e-8, False), (0.0, 1e-3, True)])
def test_allclose_is_a_python_bool_like_torch(rtol: float, atol: float, equal_nan: bool) -> None:
    for a, b in [([1.0, 2.0], [1.0, 2.0 + 1e-7]), ([1.0, np.nan], [1.0, np.nan]), ([1.0], [1.1])]:
        ours = sg.allclose(sg.tensor(a), sg.tensor(b), rtol, atol, equal_nan)
        theirs = torch.allclose(torch.tensor(a), torch.tensor(b), rtol, atol, equal_nan)
        assert type(ours) is bool and ours == theirs
        assert sg.tensor(a).allclose(sg.tensor(b), rtol, atol, equal_nan) == theirs


def test_isclose_refuses_mixed_dtypes_and_negative_tolerances() -> None:
    with pytest.raises(TypeError, match="one dtype"):
        sg.isclose(sg.ones(2), sg.ones(2, dtype=sg.float64))
    with pytest.raises(ValueError, match="rtol must be greater than or equal to zero"):
        sg.isclose(sg.ones(2), sg.ones(2), rtol=-1)
    with pytest.raises(ValueError, match="atol"):
        sg.isclose(sg.ones(2), sg.ones(2), atol=-1e-3)


def test_clamp_with_scalar_bounds_still_works_and_dispatches_to_the_scalar_op() -> None:
    x = sg.tensor([-2.0, 0.5, 3.0], requires_grad=True)
    y = sg.clamp(x, -1, 1)
    assert y.tolist() == [-1.0, 0.5, 1.0] and type(y.grad_fn).__name__ == "Clamp"
    with pytest.raises(ValueError, match="at least one"):
        sg.clamp(x)


def test_clamp_with_a_tensor_bound_broadcasts_the_output() -> None:
    y = sg.clamp(sg.zeros(3), sg.tensor([[-1.0], [1.0]]))
    assert y.shape == (2, 3) == torch.clamp(torch.zeros(3), torch.tensor([[-1.0], [1.0]])).shape


def test_clamp_in_place_with_tensor_bounds() -> None:
    x = sg.tensor([-2.0, 0.5, 3.0])
    x.clamp_(sg.tensor([-1.0, 1.0, -1.0]), sg.tensor(2.0))
    assert x.tolist() == [-1.0, 1.0, 2.0]


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("op", ["hypot", "logaddexp", "logaddexp2"])
@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_float_only_ops_refuse_integers_like_torch(op: str, dtype: str) -> None:
    with pytest.raises(NotImplementedError):
        getattr(torch, op)(
            torch.ones(2, dtype=getattr(torch, dtype)),
            torch.ones(2).to(dtype=getattr(torch, dtype)),
        )
    with pytest.raises(TypeError, match=f"{op}: not implemented for"):
        getattr(sg, op)(sg.ones(2, dtype=dtype), sg.ones(2, dtype=dtype))


def test_fmod_refuses_bools_and_lerp_refuses_integers_and_mixed_dtypes() -> None:
    with pytest.raises(TypeError, match="'Bool'"):
        sg.fmod(sg.ones(2, dtype=sg.bool), sg.ones(2, dtype=sg.bool))
    with pytest.raises(TypeError, match="'Long'"):
        sg.lerp(sg.tensor([1, 2]), sg.tensor([3, 4]), 0.5)
    with pytest.raises(TypeError, match="`end`"):
        sg.lerp(sg.ones(2), sg.ones(2, dtype=sg.float64), 0.5)
    with pytest.raises(TypeError, match="`weight`"):
        sg.lerp(sg.ones(2), sg.ones(2), sg.ones(2, dtype=sg.float64))


@pytest.mark.parametrize("dtype", ["float64", "int64"])
def test_lerp_takes_a_zero_dim_weight_of_any_dtype_like_torch(dtype: str) -> None:
    ours = sg.lerp(sg.zeros(2), sg.full((2,), 4.0), sg.tensor(1, dtype=dtype))
    w = torch.tensor(1, dtype=getattr(torch, dtype))
    theirs = torch.lerp(torch.zeros(2), torch.full((2,), 4.0), w)
    assert ours.tolist() == theirs.tolist() and ours.dtype == sg.float32


# ------------------------------------------------------------------ remainder, floor_divide
EDGE_X = [7.0, -7.0, 0.0, -0.0, 5.0, -4.0, 4.0, 1e30, -1e-30, np.inf, np.nan]
EDGE_Y = [np.inf, -np.inf, 2.0, -2.0, 0.0, -0.0, 3.0, 1e-30, np.nan]


@pytest.mark.parametrize("op", ["remainder", "floor_divide", "fmod"])
@pytest.mark.parametrize("y", EDGE_Y, ids=repr)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_division_edges_match_torch_with_signed_zeros(op: str, y: float, dtype: str) -> None:
    x = np.array(EDGE_X, dtype=dtype)
    yy = np.full_like(x, y)
    with np.errstate(all="ignore"):
        ours = getattr(sg, op)(sg.from_numpy(x), sg.from_numpy(yy)).numpy()
        scalar = getattr(sg, op)(sg.from_numpy(x), y).numpy()
    theirs = getattr(torch, op)(torch.from_numpy(x), torch.from_numpy(yy)).numpy()
    for got in (ours, scalar):
        np.testing.assert_array_equal(got, theirs)
        signed = ~np.isnan(theirs)  # a NaN's sign bit means nothing
        np.testing.assert_array_equal(np.signbit(got)[signed], np.signbit(theirs)[signed])


@pytest.mark.parametrize("op", ["remainder", "floor_divide", "fmod"])
@pytest.mark.parametrize("dtype", ["int8", "int32", "int64"])
def test_integer_division_signs_match_torch(op: str, dtype: str) -> None:
    x = np.array([-7, 7, -7, 7, 0, 5, -5, -6, 6], dtype=dtype)
    y = np.array([2, -2, -2, 2, 3, -5, 5, 3, -3], dtype=dtype)
    ours = getattr(sg, op)(sg.from_numpy(x), sg.from_numpy(y))
    theirs = getattr(torch, op)(torch.from_numpy(x), torch.from_numpy(y))
    assert ours.tolist() == theirs.tolist() and str(ours.dtype) == dtype
    python = {"remainder": lambda a: a % 3, "floor_divide": lambda a: a // 3}.get(op)
    if python is not None:  # Python's sign rules
        assert getattr(sg, op)(sg.from_numpy(x), 3).tolist() == [python(int(a)) for a in x]
