"""Parity of the fused rms_norm with torch, and with its composition of primitives."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.ops.neural.rms_norm import rms_norm
from tests.ops._parity import Case, make_tests


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


CASES = [
    Case("rms_norm", lambda m, x, w: F(m).rms_norm(x, (4,), w), ((3, 5, 4), (4,)), name="w"),
    Case(
        "rms_norm",
        lambda m, x, w: F(m).rms_norm(x, [5, 4], w, eps=1e-3),
        ((2, 5, 4), (5, 4)),
        name="2d-eps",
    ),
    Case("rms_norm", lambda m, x: F(m).rms_norm(x, (6,)), ((4, 6),), name="no-weight"),
    Case("rms_norm", lambda m, x: F(m).rms_norm(x, (6,), eps=0.5), ((6,),), name="1d"),
]

test_parity, test_gradcheck = make_tests(CASES)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fused_equals_composed(dtype: str) -> None:
    rng = np.random.default_rng(0)
    x0, w0 = rng.standard_normal((6, 8)).astype(dtype), rng.standard_normal(8).astype(dtype)
    g = sg.tensor(rng.standard_normal((6, 8)).astype(dtype))
    grads = []
    for fused in (True, False):
        x, w = sg.tensor(x0, requires_grad=True), sg.tensor(w0, requires_grad=True)
        if fused:
            out = rms_norm(x, 8, w, eps=1e-5)
        else:
            out = x * ((x * x).mean(-1, keepdim=True) + 1e-5).rsqrt() * w
        (out * g).sum().backward()
        grads.append((out.detach().numpy(), x.grad.numpy(), w.grad.numpy()))
    tol = 1e-5 if dtype == "float32" else 1e-12
    for a, b in zip(*grads, strict=True):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def test_default_eps_is_the_dtypes_machine_epsilon() -> None:
    tiny = sg.full((1, 4), 1e-5, dtype=sg.float64)  # mean square 1e-10 >> 2.2e-16
    assert rms_norm(tiny, 4).tolist()[0] == pytest.approx([1.0] * 4, rel=1e-5)
    zero = rms_norm(sg.zeros(1, 4), 4)
    assert zero.tolist() == [[0.0] * 4]


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((sg.zeros(3, 4), (5,)), r"trailing dims must equal normalized_shape"),
        ((sg.zeros(3, 4), (4,), sg.ones(3)), r"weight shape must equal"),
        ((sg.zeros(4), (2, 4)), r"trailing dims"),
    ],
)
def test_errors(args: tuple, match: str) -> None:
    with pytest.raises(ShapeError, match=match):
        rms_norm(*args)
