"""Parity of the piecewise-linear activations with torch, kinks included."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.ops import neural as pw
from tests.ops._parity import Case, make_tests


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


def on_kinks(*kinks: float, shape=(4, 5), low=-8.0, high=8.0):
    """A ``make`` whose input has every kink exactly, several times, among random values."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        x = rng.uniform(low, high, shape)
        flat = x.reshape(-1)
        spots = rng.permutation(flat.size)[: 2 * len(kinks)]
        flat[spots] = np.tile(kinks, 2)
        return [x.astype(dtype)]

    return make


def _with_infs(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    x = rng.uniform(-8, 8, (3, 4))
    x[0, 0], x[1, 2], x[2, 3] = np.inf, -np.inf, np.nan
    return [x.astype(dtype)]


def prelu_inputs(x_shape, w_shape, kinks: bool = False):
    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        x = rng.uniform(-3, 3, x_shape)
        if kinks and x.size:
            x.reshape(-1)[::3] = 0.0
        w = rng.uniform(-0.5, 1.5, w_shape)
        return [x.astype(dtype), w.astype(dtype)]

    return make


def _kink_cases(op: str, fn, kinks: tuple[float, ...], name: str, **kw) -> list[Case]:
    """Values at the kinks (no gradient), and gradients at the kinks (torch's choice of
    side; no gradcheck, whose central differences average the two sides)."""
    make = on_kinks(*kinks, **kw)
    return [
        Case(op, fn, make=make, grad=False, name=f"{name}-kinks-values"),
        Case(op, fn, make=make, gradcheck=False, name=f"{name}-kinks-grad"),
    ]


def hardtanh(m, a):
    return F(m).hardtanh(a)


def hardtanh_wide(m, a):
    return F(m).hardtanh(a, -2.0, 3.0)


def relu6(m, a):
    return F(m).relu6(a)


def hardsigmoid(m, a):
    return F(m).hardsigmoid(a)


def hardswish(m, a):
    return F(m).hardswish(a)


def threshold(m, a):
    return F(m).threshold(a, 0.5, -2.0)


def prelu(m, a, w):
    return F(m).prelu(a, w)


CASES = [
    Case("hardtanh", hardtanh, ((3, 4),)),
    Case("hardtanh", hardtanh_wide, ((2, 3, 4),), low=-5, high=5, name="bounds"),
    Case("hardtanh", relu6, ((2, 3, 4),), low=-3, high=9, name="relu6"),
    *_kink_cases("hardtanh", hardtanh, (-1.0, 1.0), "hardtanh"),
    *_kink_cases("hardtanh", hardtanh_wide, (-2.0, 3.0), "hardtanh-bounds"),
    *_kink_cases("hardtanh", relu6, (0.0, 6.0), "relu6"),
    Case("hardtanh", hardtanh, make=_with_infs, grad=False, name="inf"),
    Case("hardtanh", relu6, make=_with_infs, grad=False, name="relu6-inf"),
    Case("hardsigmoid", hardsigmoid, ((2, 3, 4),), low=-5, high=5),
    *_kink_cases("hardsigmoid", hardsigmoid, (-3.0, 3.0), "hardsigmoid"),
    Case("hardsigmoid", hardsigmoid, make=_with_infs, grad=False, name="inf"),
    Case("hardswish", hardswish, ((2, 3, 4),), low=-5, high=5),
    *_kink_cases("hardswish", hardswish, (-3.0, 3.0, 0.0), "hardswish"),
    Case("hardswish", hardswish, make=_with_infs, grad=False, name="inf"),
    Case("threshold", threshold, ((2, 3, 4),)),
    *_kink_cases("threshold", threshold, (0.5,), "threshold", low=-2, high=2),
    Case("threshold", threshold, make=_with_infs, grad=False, name="inf"),
    Case("prelu", prelu, make=prelu_inputs((2, 3, 4, 5), (3,)), name="channels-4d"),
    Case("prelu", prelu, make=prelu_inputs((2, 3, 4), (1,)), name="shared-3d"),
    Case("prelu", prelu, make=prelu_inputs((5, 4), (4,)), name="channels-2d"),
    Case("prelu", prelu, make=prelu_inputs((7,), (1,)), name="1d"),
    Case("prelu", prelu, make=prelu_inputs((), (1,)), name="0d"),
    Case(
        "prelu",
        prelu,
        make=prelu_inputs((2, 3, 4), (3,), kinks=True),
        gradcheck=False,
        name="channels-kinks",
    ),
    Case(
        "prelu",
        prelu,
        make=prelu_inputs((2, 3, 4), (3,), kinks=True),
        grad=False,
        name="channels-kinks-values",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ kinks, spelled out
F32_SIXTH = float(np.float32(1) / np.float32(6))  # torch rounds 1/6 to float32
KINK_GRADS = {  # op -> {x: torch's gradient there}
    "hardtanh": (pw.hardtanh, {-1.0: 0.0, 1.0: 0.0, 0.0: 1.0}),
    "relu6": (pw.relu6, {0.0: 0.0, 6.0: 0.0, 3.0: 1.0}),
    "hardsigmoid": (pw.hardsigmoid, {-3.0: 0.0, 3.0: 0.0, 0.0: F32_SIXTH}),
    "hardswish": (pw.hardswish, {-3.0: 0.0, 3.0: 1.0, 0.0: 0.5}),
    "threshold": (lambda t: pw.threshold(t, 1.0, 5.0), {1.0: 0.0, 2.0: 1.0}),
}


@pytest.mark.parametrize("name", KINK_GRADS)
def test_gradient_at_the_kinks_is_torchs(name: str) -> None:
    fn, expected = KINK_GRADS[name]
    x = sg.tensor(list(expected), dtype=sg.float64, requires_grad=True)
    fn(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), list(expected.values()), rtol=1e-15)
    tfn = getattr(torch.nn.functional, name)
    tx = torch.tensor(list(expected), dtype=torch.float64, requires_grad=True)
    (tfn(tx, 1.0, 5.0) if name == "threshold" else tfn(tx)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


def test_prelu_at_zero_takes_the_slope() -> None:
    x = sg.tensor([0.0, -1.0, 2.0], requires_grad=True)
    w = sg.tensor([0.25], requires_grad=True)
    pw.prelu(x, w).sum().backward()
    assert x.grad.tolist() == [0.25, 0.25, 1.0]
    assert w.grad.tolist() == [-1.0]


# ------------------------------------------------------------------ dtypes and errors
def test_float32_stays_float32_and_ints_become_float() -> None:
    x = sg.randn(5, requires_grad=True)
    for fn in (
        pw.hardtanh,
        pw.relu6,
        pw.hardsigmoid,
        pw.hardswish,
        lambda t: pw.threshold(t, 0, 1),
    ):
        y = fn(x)
        y.sum().backward()
        assert y.dtype == sg.float32 and x.grad.dtype == sg.float32
        x.grad = None
        assert fn(sg.tensor([1, 2])).dtype == sg.get_default_dtype()


def test_hardtanh_rejects_max_below_min() -> None:
    with pytest.raises(ValueError, match="max_val cannot be less than min_val"):
        pw.hardtanh(sg.ones(2), 1.0, -1.0)


def test_prelu_rejects_a_weight_of_the_wrong_size() -> None:
    with pytest.raises(ShapeError, match="parameter numbers = 2 and channel size = 3"):
        pw.prelu(sg.ones(2, 3), sg.ones(2))
    with pytest.raises(ShapeError, match="parameter numbers = 3 and channel size = 1"):
        pw.prelu(sg.ones(3), sg.ones(3))
    with pytest.raises(ShapeError, match="scalar or 1D"):
        pw.prelu(sg.ones(2, 3), sg.ones(1, 3))


def test_prelu_weight_gradient_without_input_gradient() -> None:
    x = sg.randn(2, 3, 4)
    w = sg.full((3,), 0.1, requires_grad=True)
    pw.prelu(x, w).sum().backward()
    expected = np.where(x.numpy() > 0, 0, x.numpy()).sum(axis=(0, 2))
    np.testing.assert_allclose(w.grad.numpy(), expected, rtol=1e-6)
