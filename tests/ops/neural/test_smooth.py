"""Parity of the smooth activations with torch; the fused ops against their compositions."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.ops import neural as sm
from tests.ops._parity import Case, make_tests


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


def _with_infs(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    x = rng.uniform(-5, 5, (3, 4))
    x[0, 0], x[1, 2], x[2, 3] = np.inf, -np.inf, np.nan
    return [x.astype(dtype)]


def _extreme(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """|x| up to 1000: exp(|x|) overflows in both dtypes, so only stable forms pass."""
    x = np.array([[-1000.0, -200.0, -90.0, -30.0], [30.0, 90.0, 200.0, 1000.0]])
    return [x.astype(dtype)]


def _with_zeros(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """The kink of selu / celu at 0, exactly, among random values."""
    x = rng.uniform(-3, 3, (3, 4))
    x.reshape(-1)[::3] = 0.0
    return [x.astype(dtype)]


def mish(m, a):
    return F(m).mish(a)


def selu(m, a):
    return F(m).selu(a)


def celu(m, a):
    return F(m).celu(a)


def celu2(m, a):
    return F(m).celu(a, alpha=2.0)


def softsign(m, a):
    return F(m).softsign(a)


def logsigmoid(m, a):
    return F(m).logsigmoid(a)


CASES = [
    Case("mish", mish, ((3, 4),), low=-5, high=5),
    Case("mish", mish, ((2, 3, 4),), low=-40, high=40, name="wide"),
    Case("mish", mish, make=_extreme, grad=False, name="extreme"),
    Case("mish", mish, make=_with_infs, grad=False, name="inf"),
    Case("selu", selu, ((2, 3, 4),), low=-4, high=3),
    Case("selu", selu, make=_with_zeros, gradcheck=False, name="zeros"),
    Case("selu", selu, make=_with_infs, grad=False, name="inf"),
    Case("celu", celu, ((3, 4),), low=-4, high=3),
    Case("celu", celu2, ((2, 3, 4),), low=-6, high=3, name="alpha2"),
    Case("celu", lambda m, a: F(m).celu(a, 0.5), ((3, 4),), low=-3, high=3, name="alpha05"),
    Case("celu", celu2, make=_with_zeros, gradcheck=False, name="zeros"),
    Case("celu", celu2, make=_with_infs, grad=False, name="inf"),
    Case("softsign", softsign, ((2, 3, 4),), low=-5, high=5),
    Case("softsign", softsign, make=_extreme, name="extreme"),
    Case("softsign", softsign, make=_with_infs, grad=False, name="inf"),
    Case("logsigmoid", logsigmoid, ((2, 3, 4),), low=-8, high=8),
    Case("logsigmoid", logsigmoid, make=_extreme, name="extreme"),
    Case("logsigmoid", logsigmoid, make=_with_infs, grad=False, name="inf"),
    Case(("neg", "softmax"), lambda m, a: F(m).softmin(a, dim=1), ((3, 4),), name="softmin"),
    Case(
        ("neg", "softmax"),
        lambda m, a: F(m).softmin(a, dim=-1),
        ((2, 3, 4),),
        low=-30,
        high=30,
        name="softmin-last",
    ),
    Case(
        ("neg", "softmax"),
        lambda m, a: F(m).softmin(a),
        ((2, 3, 4),),
        name="softmin-implicit-dim",
    ),
    Case("glu", lambda m, a: F(m).glu(a), ((3, 4),)),
    Case("glu", lambda m, a: F(m).glu(a, 1), ((2, 6, 3),), low=-5, high=5, name="dim1"),
    Case("glu", lambda m, a: F(m).glu(a, 0), ((4,),), name="dim0"),
    Case("glu", lambda m, a: F(m).glu(a, -3), ((2, 3, 5),), name="dim-3"),
]

test_parity, test_gradcheck = make_tests(CASES)


@pytest.mark.filterwarnings("ignore::UserWarning")  # torch's implicit-dim warning
def test_softmin_casts_to_dtype_first() -> None:
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    ours = sm.softmin(sg.from_numpy(x), 1, dtype=sg.float64)
    theirs = torch.nn.functional.softmin(torch.from_numpy(x), 1, dtype=torch.float64)
    assert ours.dtype == sg.float64
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


# ------------------------------------------------------------------ stability
def test_logsigmoid_and_mish_do_not_overflow() -> None:
    x = sg.tensor([-1e4, -1000.0, 1000.0, 1e4], dtype=sg.float32, requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = sm.logsigmoid(x)
        out.sum().backward()
        sm.mish(x).sum().backward()
    assert out.tolist() == [-1e4, -1000.0, 0.0, 0.0]
    assert np.isfinite(x.grad.numpy()).all()


def test_logsigmoid_is_accurate_far_left() -> None:
    """log(sigmoid(-40)) = -40 - log1p(e^-40): the naive log(1 / (1 + e^40)) loses it."""
    out = sm.logsigmoid(sg.tensor([-40.0], dtype=sg.float64)).item()
    assert out == pytest.approx(-40.0 - np.log1p(np.exp(-40.0)), rel=1e-15)


def test_float32_stays_float32_and_ints_become_float() -> None:
    x = sg.randn(4, requires_grad=True)
    fns = (sm.mish, sm.selu, sm.celu, sm.softsign, sm.logsigmoid, sm.glu)
    for fn in fns:
        y = fn(x)
        y.sum().backward()
        assert y.dtype == sg.float32 and x.grad.dtype == sg.float32
        x.grad = None
        assert fn(sg.tensor([1, 2])).dtype == sg.get_default_dtype()


# ------------------------------------------------------------------ errors
def test_glu_rejects_odd_sizes_scalars_and_bad_dims() -> None:
    with pytest.raises(ShapeError, match="dimension 1 is size 3"):
        sm.glu(sg.ones(2, 3), 1)
    with pytest.raises(ShapeError, match="does not support scalars"):
        sm.glu(sg.tensor(1.0))
    with pytest.raises(IndexError, match="Dimension out of range"):
        sm.glu(sg.ones(2, 4), 2)


def test_celu_rejects_alpha_zero() -> None:
    with pytest.raises(ZeroDivisionError, match="alpha cannot be 0"):
        sm.celu(sg.ones(2), 0.0)


# ------------------------------------------------------------------ fused vs composed
def _grads(fn, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = sg.from_numpy(x.copy()).requires_grad_()
    out = fn(t)
    out.backward(sg.from_numpy(np.random.default_rng(1).standard_normal(out.shape)))
    return out.detach().numpy(), t.grad.numpy()


X64 = np.random.default_rng(0).uniform(-4, 4, (6, 8))
ALPHA, SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
COMPOSED = {
    "mish": (sm.mish, lambda t: t * sg.tanh(sg.log1p(sg.exp(t)))),
    "selu": (sm.selu, lambda t: SCALE * sg.where(t > 0, t, ALPHA * (sg.exp(t) - 1))),
    "celu": (
        lambda t: sm.celu(t, 1.5),
        lambda t: sg.where(t > 0, t, 1.5 * (sg.exp(t / 1.5) - 1)),
    ),
    "softsign": (sm.softsign, lambda t: t / (1 + sg.abs(t))),
    "logsigmoid": (sm.logsigmoid, lambda t: sg.log(sg.sigmoid(t))),
    "glu": (lambda t: sm.glu(t, 1), lambda t: t[:, :4] * sg.sigmoid(t[:, 4:])),
}


@pytest.mark.parametrize("name", COMPOSED)
def test_fused_op_equals_its_composition(name: str) -> None:
    fused, composed = COMPOSED[name]
    out, grad = _grads(fused, X64)
    ref_out, ref_grad = _grads(composed, X64)
    np.testing.assert_allclose(out, ref_out, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-12, atol=1e-14)
