"""Parity of the fused activation ops with torch; each fused op against its composition."""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.ops import neural as act
from scratchgrad.ops.elementwise.special import _erf_array
from tests.ops._parity import Case, make_tests


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


def _with_zeros(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Inputs with exact zeros (heaviside's third case) and per-column values."""
    x = rng.integers(-2, 3, (3, 4)).astype(dtype)
    return [x, rng.uniform(0, 1, (4,)).astype(dtype)]


def _with_infs(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    x = rng.uniform(-3, 3, (3, 4))
    x[0, 0], x[1, 2], x[2, 3] = np.inf, -np.inf, np.nan
    return [x.astype(dtype)]


INTS = ("int64",)

CASES = [
    Case("leaky_relu", lambda m, a: F(m).leaky_relu(a), ((3, 4),)),
    Case("leaky_relu", lambda m, a: F(m).leaky_relu(a, 0.2), ((2, 3, 4),), name="slope"),
    Case("leaky_relu", lambda m, a: F(m).leaky_relu(a, 2.5), ((3, 4),), name="steep"),
    Case("leaky_relu", lambda m, a: F(m).leaky_relu(a, -0.5), ((3, 4),), name="negative"),
    Case("elu", lambda m, a: F(m).elu(a), ((3, 4),), low=-5, high=3),
    Case("elu", lambda m, a: F(m).elu(a, alpha=0.5), ((2, 3, 4),), low=-5, high=3, name="alpha"),
    Case("elu", lambda m, a: F(m).elu(a, alpha=2.0), ((3, 4),), low=-40, high=5, name="deep"),
    Case("gelu", lambda m, a: F(m).gelu(a), ((3, 4),), low=-3, high=3),
    Case("gelu", lambda m, a: F(m).gelu(a), ((2, 3, 4),), low=-0.5, high=0.5, name="small"),
    # float32 tanh-GELU's gradient cancels in 1 + tanh(.) for x < -3: torch's own error
    # there is ~1e-6 (vs float64), so the two float32 results differ by up to ~2e-6.
    Case(
        "gelu",
        lambda m, a: F(m).gelu(a, approximate="tanh"),
        ((3, 4),),
        low=-4,
        tol=(1e-5, 3e-6),
        name="tanh",
    ),
    Case("silu", lambda m, a: F(m).silu(a), ((3, 4),)),
    Case("silu", lambda m, a: F(m).silu(a), ((2, 3, 4),), low=-100, high=100, name="wide"),
    Case("softplus", lambda m, a: F(m).softplus(a), ((3, 4),), low=-5, high=5),
    Case(
        "softplus",
        lambda m, a: F(m).softplus(a, beta=2.0, threshold=3.0),
        ((2, 3, 4),),
        name="beta-threshold",
    ),
    Case("softplus", lambda m, a: F(m).softplus(a), ((3, 4),), low=-40, high=40, name="wide"),
    Case(
        "heaviside",
        lambda m, a, v: act.heaviside(a, v),
        torch_fn=lambda m, a, v: torch.heaviside(a, v),
        make=_with_zeros,
        grad=False,
    ),
    Case(
        "heaviside",
        lambda m, a, v: act.heaviside(a, v),
        torch_fn=lambda m, a, v: torch.heaviside(a, v),
        make=_with_zeros,
        dtypes=INTS,
        grad=False,
        name="int",
    ),
    # non-finite inputs: forward values only (gradients at +-inf are not interesting)
    Case("leaky_relu", lambda m, a: F(m).leaky_relu(a), make=_with_infs, grad=False, name="inf"),
    Case("elu", lambda m, a: F(m).elu(a), make=_with_infs, grad=False, name="inf"),
    # torch's float32 exact GELU gives NaN at +inf (float64: inf); ours gives inf in both
    Case("gelu", lambda m, a: F(m).gelu(a), make=_with_infs, grad=False, dtypes=("float64",)),
    Case("gelu", lambda m, a: F(m).gelu(a, approximate="tanh"), make=_with_infs, grad=False),
    Case("silu", lambda m, a: F(m).silu(a), make=_with_infs, grad=False, name="inf"),
    Case("softplus", lambda m, a: F(m).softplus(a), make=_with_infs, grad=False, name="inf"),
]

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ erf
def test_erf_float64_is_within_3_eps_of_math_erf() -> None:
    x = np.concatenate(
        [
            np.linspace(-7, 7, 200_001),
            np.geomspace(1e-300, 0.5, 2000),
            -np.geomspace(1e-300, 0.5, 2000),
            [0.46875, -0.46875, 4.0, 6.0, 30.0, -30.0],
        ]
    )
    ref = np.array([math.erf(v) for v in x])
    err = np.abs(_erf_array(x) - ref) / np.maximum(np.abs(ref), np.finfo(np.float64).tiny)
    assert err.max() <= 3 * np.finfo(np.float64).eps


def test_erf_float32_stays_float32_and_is_within_5e_7() -> None:
    x = np.linspace(-6, 6, 100_001, dtype=np.float32)
    ref = np.array([math.erf(float(v)) for v in x])
    out = _erf_array(x)
    assert out.dtype == np.float32
    assert np.abs(out - ref).max() < 5e-7


def test_erf_special_values() -> None:
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan])
    for dtype in ("float16", "float32", "float64"):
        out = _erf_array(x.astype(dtype))
        assert out.dtype == dtype
        np.testing.assert_array_equal(out[:4], [0.0, 0.0, 1.0, -1.0])
        assert np.isnan(out[4])


def test_erf_does_not_overwrite_its_input() -> None:
    x = np.linspace(-5, 5, 11, dtype=np.float32)
    before = x.copy()
    _erf_array(x)
    np.testing.assert_array_equal(x, before)


# ------------------------------------------------------------------ wide ranges vs torch
@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_float32_matches_torch_on_a_wide_grid(approximate: str) -> None:
    """Over [-10, 10]: float32 GELU and its gradient within 2e-6 of torch's, absolute."""
    x = np.linspace(-10, 10, 20_001, dtype=np.float32)
    ours = sg.from_numpy(x.copy()).requires_grad_()
    theirs = torch.from_numpy(x.copy()).requires_grad_()
    out = act.gelu(ours, approximate)
    ref = torch.nn.functional.gelu(theirs, approximate=approximate)
    out.sum().backward()
    ref.sum().backward()
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-6, atol=2e-6)
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-6, atol=2e-6)


def test_float32_stays_float32() -> None:
    x = sg.randn(5, requires_grad=True)
    for fn in (
        act.leaky_relu,
        act.elu,
        act.gelu,
        act.silu,
        act.softplus,
        lambda t: act.gelu(t, "tanh"),
    ):
        y = fn(x)
        y.sum().backward()
        assert y.dtype == sg.float32 and x.grad.dtype == sg.float32
        x.grad = None
    assert act.heaviside(x, 0.0).dtype == sg.float32


def test_integer_inputs_become_float() -> None:
    assert act.gelu(sg.tensor([1, 2])).dtype == sg.get_default_dtype()


def test_gelu_rejects_an_unknown_approximation() -> None:
    with pytest.raises(ValueError, match="either none or tanh"):
        act.gelu(sg.ones(2), approximate="fast")


def test_heaviside_takes_a_number_or_a_tensor() -> None:
    x = sg.tensor([-1.0, 0.0, 3.0])
    assert act.heaviside(x, 0.5).tolist() == [0.0, 0.5, 1.0]
    assert act.heaviside(x, sg.tensor(0.0)).tolist() == [0.0, 0.0, 1.0]
    assert not act.heaviside(x.requires_grad_(), 0.0).requires_grad


def test_softplus_is_linear_above_the_threshold_exactly() -> None:
    x = sg.tensor([21.0, 30.0, 1e30])
    np.testing.assert_array_equal(act.softplus(x).numpy(), x.numpy())
    np.testing.assert_array_equal(act.softplus(x / 4, beta=4).numpy(), (x / 4).numpy())


def test_silu_and_softplus_do_not_warn_on_overflow() -> None:
    x = sg.tensor([-1000.0, 1000.0], dtype=sg.float64, requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        act.silu(x).sum().backward()
        act.softplus(x).sum().backward()


# ------------------------------------------------------------------ fused vs composed
def _grads(fn, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = sg.from_numpy(x.copy()).requires_grad_()
    out = fn(t)
    g = np.random.default_rng(1).standard_normal(x.shape)
    out.backward(sg.from_numpy(g))
    return out.detach().numpy(), t.grad.numpy()


X64 = np.random.default_rng(0).uniform(-4, 4, (6, 7))
COMPOSED = {
    "leaky_relu": (
        lambda t: act.leaky_relu(t, 0.1),
        lambda t: sg.where(t > 0, t, t * 0.1),
    ),
    "elu": (
        lambda t: act.elu(t, 0.7),
        lambda t: sg.where(t > 0, t, (sg.exp(t) - 1) * 0.7),
    ),
    "gelu-tanh": (
        lambda t: act.gelu(t, "tanh"),
        lambda t: t * 0.5 * (1 + sg.tanh(math.sqrt(2 / math.pi) * (t + 0.044715 * t**3))),
    ),
    "silu": (act.silu, lambda t: t * sg.sigmoid(t)),
    "softplus": (
        lambda t: act.softplus(t, 2.0, 5.0),
        lambda t: sg.where(t * 2.0 > 5.0, t, sg.log1p(sg.exp(t * 2.0)) / 2.0),
    ),
}


@pytest.mark.parametrize("name", COMPOSED)
def test_fused_op_equals_its_composition(name: str) -> None:
    fused, composed = COMPOSED[name]
    out, grad = _grads(fused, X64)
    ref_out, ref_grad = _grads(composed, X64)
    np.testing.assert_allclose(out, ref_out, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-12, atol=1e-14)


def test_fused_gelu_equals_its_composition() -> None:
    """x Phi(x) with Phi from erf; gradient Phi + x phi, phi composed from sg.exp."""
    out, grad = _grads(act.gelu, X64)
    x = sg.from_numpy(X64)
    cdf = 0.5 * (1 + sg.from_numpy(_erf_array(X64 / math.sqrt(2))))
    pdf = sg.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    g = np.random.default_rng(1).standard_normal(X64.shape)
    np.testing.assert_allclose(out, (x * cdf).numpy(), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(grad, ((cdf + x * pdf) * g).numpy(), rtol=1e-12, atol=1e-14)


def test_fused_heaviside_equals_its_composition() -> None:
    x = sg.tensor([[-2.0, 0.0, 0.0, 3.0]])
    v = sg.tensor([0.1, 0.2, 0.3, 0.4])
    composed = sg.where(x > 0, 1.0, sg.where(x == 0, v, 0.0))
    np.testing.assert_array_equal(act.heaviside(x, v).numpy(), composed.numpy())


@pytest.mark.parametrize(
    "name",
    ["elu", "celu", "selu", "silu", "mish", "softplus", "leaky_relu", "hardsigmoid",
     "hardswish", "logsigmoid", "gelu"],
)  # fmt: skip
@pytest.mark.parametrize("value", [0.5, -3.0, 3.0, -0.0, 25.0])
def test_zero_dim_inputs_match_torch(name: str, value: float) -> None:
    x, tx = sg.tensor(value, requires_grad=True), torch.tensor(value, requires_grad=True)
    y, ty = getattr(sg.nn.functional, name)(x), getattr(torch.nn.functional, name)(tx)
    y.backward()
    ty.backward()
    assert y.shape == () and x.grad is not None and x.grad.shape == ()
    assert y.item() == pytest.approx(ty.item(), rel=1e-6, abs=1e-6)  # float32
    assert x.grad.item() == pytest.approx(tx.grad.item(), rel=1e-6, abs=1e-6)
