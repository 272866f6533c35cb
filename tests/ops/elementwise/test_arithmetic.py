"""Parity of elementwise arithmetic and unary math with torch; dtype promotion."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._parity import Case, make_tests

B = ((2, 3, 4), (3, 1))  # broadcast: (2, 3, 4) with (3, 1)
INTS = ("int32", "int64")
POS = {"low": 0.2, "high": 3.0}


def _pair_with_zero(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Non-zero divisors of mixed sign."""
    a = rng.uniform(-3, 3, (3, 4)).astype(dtype)
    b = rng.choice([-1.0, 1.0], (3, 4)) * rng.uniform(0.5, 2, (3, 4))
    return [a, b.astype(dtype)]


def _ints_nonzero(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    a = rng.integers(-20, 20, (3, 4)).astype(dtype)
    b = rng.choice([-7, -3, -2, 2, 3, 5], (3, 4)).astype(dtype)
    return [a, b]


def _ties(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    a = rng.integers(-2, 3, (3, 4)).astype(dtype)
    b = rng.integers(-2, 3, (4,)).astype(dtype)
    return [a, b]


CASES = [
    # arithmetic, broadcast both ways, scalars on either side
    Case("add", lambda m, a, b: a + b, B),
    Case("add", lambda m, a: 2.5 + a, ((3, 4),), name="scalar"),
    Case("add", lambda m, a, b: m.add(a, b), ((4,), (3, 4)), name="func"),
    Case("add", lambda m, a, b: a.add(b, alpha=2), ((3, 4), (4,)), name="alpha"),
    Case("sub", lambda m, a, b: a - b, B),
    Case("sub", lambda m, a: 1 - a, ((3, 4),), name="rsub"),
    Case("mul", lambda m, a, b: a * b, B),
    Case("mul", lambda m, a: a * 3, ((5,),), name="scalar"),
    Case("div", lambda m, a, b: a / b, make=_pair_with_zero),
    Case("div", lambda m, a: 2 / a, ((3, 4),), low=0.5, high=2, name="rdiv"),
    Case("div", lambda m, a, b: a / b, B, low=0.5, high=2, name="bcast"),
    Case("remainder", lambda m, a, b: a % b, make=_pair_with_zero),
    Case("remainder", lambda m, a: a % 1.5, ((3, 4),), name="scalar"),
    Case("pow", lambda m, a: a**2, ((3, 4),)),
    Case("pow", lambda m, a: a**0.5, ((3, 4),), **POS, name="sqrt"),
    Case("pow", lambda m, a, b: a**b, ((3, 4), (4,)), **POS, name="tensor"),
    Case("pow", lambda m, a: 2.0**a, ((3, 4),), name="rpow"),
    Case("neg", lambda m, a: -a, ((3, 4),)),
    Case("abs", lambda m, a: m.abs(a), ((3, 4),)),
    Case("exp", lambda m, a: m.exp(a), ((3, 4),)),
    Case("log", lambda m, a: m.log(a), ((3, 4),), **POS),
    Case("log1p", lambda m, a: m.log1p(a), ((3, 4),), low=-0.5, high=2),
    Case("sqrt", lambda m, a: m.sqrt(a), ((3, 4),), **POS),
    Case("rsqrt", lambda m, a: m.rsqrt(a), ((3, 4),), **POS),
    Case("sin", lambda m, a: m.sin(a), ((3, 4),)),
    Case("cos", lambda m, a: m.cos(a), ((3, 4),)),
    Case("tanh", lambda m, a: m.tanh(a), ((3, 4),)),
    Case("sigmoid", lambda m, a: m.sigmoid(a), ((3, 4),), low=-30, high=30),
    Case("relu", lambda m, a: m.relu(a), ((3, 4),)),
    Case("sign", lambda m, a: m.sign(a), ((3, 4),)),
    Case("floor", lambda m, a: m.floor(a), ((3, 4),), low=-5, high=5),
    Case("ceil", lambda m, a: m.ceil(a), ((3, 4),), low=-5, high=5),
    Case("trunc", lambda m, a: m.trunc(a), ((3, 4),), low=-5, high=5),
    Case("round", lambda m, a: m.round(a), ((3, 4),), low=-5, high=5),
    Case("round", lambda m, a: m.round(a, decimals=2), ((3, 4),), name="decimals"),
    # integer arithmetic: PyTorch's promotion and rounding rules
    Case("add", lambda m, a, b: a + b, B, dtypes=INTS, low=-9, high=9, name="int"),
    Case("div", lambda m, a, b: a / b, make=_ints_nonzero, dtypes=INTS, grad=False, name="int"),
    Case("floor_divide", lambda m, a, b: a // b, make=_ints_nonzero, dtypes=INTS, grad=False),
    Case("floor_divide", lambda m, a, b: a // b, make=_pair_with_zero, grad=False, name="float"),
    Case(
        "trunc_divide",
        lambda m, a, b: m.div(a, b, rounding_mode="trunc"),
        make=_ints_nonzero,
        dtypes=INTS,
        grad=False,
    ),
    Case(
        "trunc_divide",
        lambda m, a, b: m.div(a, b, rounding_mode="trunc"),
        make=_pair_with_zero,
        grad=False,
        name="float",
    ),
    Case(
        "remainder", lambda m, a, b: a % b, make=_ints_nonzero, dtypes=INTS, grad=False, name="int"
    ),
    Case("mul", lambda m, a: a * 2.5, ((3, 4),), dtypes=INTS, grad=False, name="int-float"),
    Case("exp", lambda m, a: m.exp(a), ((3, 4),), dtypes=INTS, grad=False, name="int"),
]

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ promotion
SCALARS = [2, 2.5, True]
DTYPES = ["bool", "int32", "int64", "float32", "float64"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scalar", SCALARS)
def test_scalar_promotion_matches_torch(dtype: str, scalar: object) -> None:
    ours = sg.ones(3, dtype=dtype) + scalar
    theirs = torch.ones(3, dtype=getattr(torch, dtype)) + scalar
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")


@pytest.mark.parametrize("a", DTYPES)
@pytest.mark.parametrize("b", DTYPES)
@pytest.mark.parametrize("b_shape", [(3,), ()], ids=["dim", "zero-dim"])
def test_tensor_promotion_matches_torch(a: str, b: str, b_shape: tuple[int, ...]) -> None:
    ours = sg.result_type(sg.ones(3, dtype=a), sg.ones(*b_shape, dtype=b))
    theirs = torch.result_type(
        torch.ones(3, dtype=getattr(torch, a)), torch.ones(b_shape, dtype=getattr(torch, b))
    )
    assert str(ours) == str(theirs).removeprefix("torch.")
    if a != "bool" or b != "bool":
        assert str((sg.ones(3, dtype=a) * sg.ones(*b_shape, dtype=b)).dtype) == str(ours)


def test_python_float_never_makes_float32_float64() -> None:
    x = sg.ones(3)
    for y in (x * 0.1, 0.1 * x, x / 3.0, x**2.0, x - 1e300 * 0, sg.where(x > 0, x, 0.5)):
        assert y.dtype == sg.float32


def test_div_rejects_an_unknown_rounding_mode() -> None:
    with pytest.raises(ValueError, match="rounding_mode must be"):
        sg.div(sg.ones(2), sg.ones(2), rounding_mode="up")


def test_sigmoid_is_stable_at_extremes() -> None:
    x = sg.tensor([-1000.0, -80.0, 0.0, 80.0, 1000.0])
    np.testing.assert_allclose(
        sg.sigmoid(x).numpy(), torch.sigmoid(torch.tensor(x.numpy())).numpy(), rtol=1e-6
    )


@pytest.mark.parametrize(
    ("base", "exponent"),
    [(0.0, 0.0), (0.0, 2.0), (2.0, 0.0), (0.0, 0.5), (-1.0, 2.0), (3.0, -1.0), (0.0, 1.0)],
)
def test_pow_gradients_at_zero_base_or_exponent_match_torch(base: float, exponent: float) -> None:
    x, y = sg.tensor(base, requires_grad=True), sg.tensor(exponent, requires_grad=True)
    tx, ty = torch.tensor(base, requires_grad=True), torch.tensor(exponent, requires_grad=True)
    (x**y).backward()
    (tx**ty).backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())
    np.testing.assert_array_equal(y.grad.numpy(), ty.grad.numpy())
    xs = sg.tensor([base, 1.0], requires_grad=True)  # a Python-number exponent
    txs = torch.tensor([base, 1.0], requires_grad=True)
    (xs**exponent).sum().backward()
    (txs**exponent).sum().backward()
    np.testing.assert_array_equal(xs.grad.numpy(), txs.grad.numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sigmoid_of_extreme_values_has_no_nan(dtype: str) -> None:
    values = [-1000.0, -100.0, 100.0, 1000.0, float("inf"), float("-inf")]
    x = sg.tensor(values, dtype=getattr(sg, dtype), requires_grad=True)
    tx = torch.tensor(values, dtype=getattr(torch, dtype), requires_grad=True)
    sg.sigmoid(x).sum().backward()
    torch.sigmoid(tx).sum().backward()
    np.testing.assert_allclose(
        sg.sigmoid(x).detach().numpy(), torch.sigmoid(tx).detach().numpy(), atol=1e-30
    )
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-30)
