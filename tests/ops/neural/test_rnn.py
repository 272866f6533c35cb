"""Parity of the whole-sequence recurrent ops (rnn_layer, lstm_layer, gru_layer) with torch.

The torch reference is the same recurrence written step by step with torch ops, in
PyTorch's gate orders; tests/nn/test_rnn.py checks the layers against torch.nn itself.
"""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.ops.neural.rnn import gru_layer, lstm_layer, rnn_layer
from tests.ops._parity import Case, make_tests

L, N, H = 4, 2, 3
TOL32 = (1e-5, 1e-5)  # float32 through a few steps of matmuls and tanh


def _steps(reverse: bool) -> range:
    return range(L - 1, -1, -1) if reverse else range(L)


def _rnn_ref(gx, h, w, b=None, relu=False, reverse=False):
    outs = [None] * L
    for t in _steps(reverse):
        a = gx[t] + h @ w.T + (0 if b is None else b)
        h = torch.relu(a) if relu else torch.tanh(a)
        outs[t] = h
    return torch.stack(outs)


def _lstm_ref(gx, h, c, w, b=None, reverse=False):
    outs = [None] * L
    for t in _steps(reverse):
        a = gx[t] + h @ w.T + (0 if b is None else b)
        i, f, g, o = a.chunk(4, dim=-1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        outs[t] = h
    return torch.stack(outs), c


def _gru_ref(gx, h, w, b=None, reverse=False):
    outs = [None] * L
    for t in _steps(reverse):
        gh = h @ w.T + (0 if b is None else b)
        xr, xz, xn = gx[t].chunk(3, dim=-1)
        hr, hz, hn = gh.chunk(3, dim=-1)
        r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
        n = torch.tanh(xn + r * hn)
        h = (1 - z) * n + z * h
        outs[t] = h
    return torch.stack(outs)


def _rnn_case(relu: bool, reverse: bool, bias: bool) -> Case:
    nl = "relu" if relu else "tanh"
    shapes = ((L, N, H), (N, H), (H, H), (H,))[: 4 if bias else 3]
    return Case(
        "rnn_layer",
        lambda m, *a: rnn_layer(*a, nonlinearity=nl, reverse=reverse),
        shapes,
        torch_fn=lambda m, *a: _rnn_ref(*a[:3], *a[3:], relu=relu, reverse=reverse),
        tol=TOL32,
        name=f"{nl}-reverse{reverse}-bias{bias}",
    )


def _lstm_case(reverse: bool, bias: bool) -> Case:
    shapes = ((L, N, 4 * H), (N, H), (N, H), (4 * H, H), (4 * H,))[: 5 if bias else 4]
    return Case(
        "lstm_layer",
        lambda m, *a: lstm_layer(*a, reverse=reverse),
        shapes,
        torch_fn=lambda m, *a: _lstm_ref(*a, reverse=reverse),
        tol=TOL32,
        name=f"reverse{reverse}-bias{bias}",
    )


def _gru_case(reverse: bool, bias: bool) -> Case:
    shapes = ((L, N, 3 * H), (N, H), (3 * H, H), (3 * H,))[: 4 if bias else 3]
    return Case(
        "gru_layer",
        lambda m, *a: gru_layer(*a, reverse=reverse),
        shapes,
        torch_fn=lambda m, *a: _gru_ref(*a, reverse=reverse),
        tol=TOL32,
        name=f"reverse{reverse}-bias{bias}",
    )


FLAGS = [(False, True), (True, True), (False, False)]
CASES = [
    *[_rnn_case(False, r, b) for r, b in FLAGS],
    _rnn_case(True, False, True),
    _rnn_case(True, True, False),
    *[_lstm_case(r, b) for r, b in FLAGS],
    *[_gru_case(r, b) for r, b in FLAGS],
]

test_parity, test_gradcheck = make_tests(CASES)


def test_lstm_large_gates_do_not_overflow() -> None:
    """Saturated gates (|a| ~ 1e4) give finite states: sigmoid never computes exp(-a)."""
    gx = sg.tensor(np.full((2, 1, 8), -1e4, dtype=np.float32))
    z = sg.zeros(1, 2)
    out, c = lstm_layer(gx, z, z, sg.zeros(8, 2))
    assert np.isfinite(out.numpy()).all()
    assert np.isfinite(c.numpy()).all()


def test_float32_stays_float32() -> None:
    args = [sg.randn(3, 2, 12), sg.randn(2, 3), sg.randn(2, 3), sg.randn(12, 3), sg.randn(12)]
    assert [t.dtype for t in lstm_layer(*args)] == [sg.float32, sg.float32]


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (((0, 2, 4), (2, 4), (4, 4)), "larger than 0"),
        (((3, 2, 5), (2, 4), (4, 4)), "gx must be"),
        (((3, 2, 4), (3, 4), (4, 4)), "gx must be"),
        (((3, 2, 4), (2, 4), (4, 3)), "w_hh must be"),
        (((3, 2), (2, 4), (4, 4)), "gx must be"),
    ],
)
def test_bad_shapes_name_the_rule(args: tuple, match: str) -> None:
    with pytest.raises(ShapeError, match=match):
        rnn_layer(*(sg.zeros(*s) for s in args))


def test_unknown_nonlinearity() -> None:
    with pytest.raises(ValueError, match="nonlinearity"):
        rnn_layer(sg.zeros(1, 1, 1), sg.zeros(1, 1), sg.zeros(1, 1), nonlinearity="gelu")
