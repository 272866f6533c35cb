"""Build the same distribution in scratchgrad and torch, compare values and gradients."""

import re

import numpy as np
import torch

import scratchgrad as sg

TOL = {"float32": (1e-5, 1e-6), "float64": (1e-10, 1e-10)}  # dtype -> (rtol, atol)


def pair(arrays, dtype):
    """(scratchgrad leaves, torch leaves) of the same values, requiring grad."""
    ours = [sg.tensor(a, dtype=getattr(sg, dtype), requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, dtype=getattr(torch, dtype), requires_grad=True) for a in arrays]
    return ours, theirs


def check(build, method, params, dtype, value=None):
    """Compare ``method`` of ``build(lib, *params)`` (log_prob(value) or entropy ...) and the
    gradients of its sum with respect to every parameter."""
    ours, theirs = pair(params, dtype)
    d_sg, d_t = build(sg, *ours), build(torch, *theirs)
    if value is None:
        out_sg, out_t = getattr(d_sg, method)(), getattr(d_t, method)()
    else:
        v_sg = sg.tensor(value, dtype=getattr(sg, str(value.dtype)))
        v_t = torch.tensor(value)
        out_sg, out_t = getattr(d_sg, method)(v_sg), getattr(d_t, method)(v_t)
    rtol, atol = TOL[dtype]
    assert tuple(out_sg.shape) == tuple(out_t.shape)
    np.testing.assert_allclose(out_sg.detach().numpy(), out_t.detach().numpy(), rtol, atol)
    out_sg.sum().backward()
    out_t.sum().backward()
    for a, b in zip(ours, theirs, strict=True):
        expected = np.zeros(a.shape) if b.grad is None else b.grad.numpy()
        got = np.zeros(a.shape) if a.grad is None else a.grad.numpy()
        np.testing.assert_allclose(got, expected, rtol, atol)


def error(fn):
    """(type name, message) of what ``fn`` raises, sizes printed as tuples."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - comparing what each library raises
        msg = re.sub(r"torch\.Size\(\[([^\]]*)\]\)", _as_tuple, str(e))
        return type(e).__name__, msg
    return None


def _as_tuple(m: re.Match) -> str:
    """torch.Size([2, 3]) as a tuple's repr, (2, 3): scratchgrad's sizes are tuples."""
    return repr(tuple(int(x) for x in m.group(1).split(",") if x.strip()))
