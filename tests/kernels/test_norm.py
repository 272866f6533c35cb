"""Layer-norm kernels against the NumPy reference and torch, forward and backward."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import kernels


def _ours(x: np.ndarray, w: np.ndarray | None, g: np.ndarray, kind: str) -> list[np.ndarray]:
    with kernels.use(kind):
        xt = sg.tensor(x, requires_grad=True)
        wt = None if w is None else sg.tensor(w, requires_grad=True)
        bt = None if w is None else sg.tensor(w[::-1].copy(), requires_grad=True)
        out = sg.nn.functional.layer_norm(xt, x.shape[-1:], wt, bt)
        out.backward(sg.tensor(g))
        grads = [p.grad.numpy() for p in (xt, wt, bt) if p is not None and p.grad is not None]
        return [out.detach().numpy(), *grads]


def _torch(x: np.ndarray, w: np.ndarray | None, g: np.ndarray) -> list[np.ndarray]:
    xt = torch.tensor(x, requires_grad=True)
    wt = None if w is None else torch.tensor(w, requires_grad=True)
    bt = None if w is None else torch.tensor(w[::-1].copy(), requires_grad=True)
    out = torch.nn.functional.layer_norm(xt, x.shape[-1:], wt, bt)
    out.backward(torch.tensor(g))
    grads = [p.grad.numpy() for p in (xt, wt, bt) if p is not None and p.grad is not None]
    return [out.detach().numpy(), *grads]


@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_layer_norm_kernels(affine: bool, dtype: type) -> None:
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((4, 50, 96)) * 3 + 5).astype(dtype)
    w = rng.standard_normal(96).astype(dtype) if affine else None
    g = rng.standard_normal(x.shape).astype(dtype)
    compiled, reference, theirs = _ours(x, w, g, "numba"), _ours(x, w, g, "numpy"), _torch(x, w, g)
    assert len(compiled) == len(theirs) == (4 if affine else 2)
    tol = {"rtol": 2e-5, "atol": 2e-5} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-10}
    for ours, ref, th in zip(compiled, reference, theirs, strict=True):
        np.testing.assert_allclose(ours, ref, **tol)
        np.testing.assert_allclose(ours, th, **tol)
