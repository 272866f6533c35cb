"""Elementwise kernels against their NumPy references and torch."""

from __future__ import annotations

import numpy as np
import torch

import scratchgrad as sg
from scratchgrad import kernels
from scratchgrad.kernels import elementwise


def _relu_both(x: np.ndarray, grad: np.ndarray, kind: str) -> tuple[np.ndarray, np.ndarray]:
    with kernels.use(kind):
        t = sg.tensor(x, requires_grad=True)
        out = sg.relu(t)
        out.backward(sg.tensor(grad))
        assert t.grad is not None
        return out.detach().numpy(), t.grad.numpy()


def test_relu_kernels_match_the_reference_and_torch() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4000)).astype(np.float32)
    x[0, :3] = [0.0, np.nan, -np.inf]
    grad = rng.standard_normal(x.shape).astype(np.float32)
    compiled, reference = _relu_both(x, grad, "numba"), _relu_both(x, grad, "numpy")
    for a, b in zip(compiled, reference, strict=True):
        np.testing.assert_array_equal(a, b)
    xt = torch.tensor(x, requires_grad=True)
    torch.relu(xt).backward(torch.tensor(grad))
    np.testing.assert_array_equal(compiled[0], torch.relu(torch.tensor(x)).numpy())
    np.testing.assert_array_equal(compiled[1], xt.grad.numpy())


def test_relu_backward_kernel_alone() -> None:
    out = np.array([[0.0, 2.0], [-0.0, np.nan]], dtype=np.float64)
    grad = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(elementwise.relu_backward(grad, out), [[0, 2], [0, 4]])


def _gelu_both(x: np.ndarray, grad: np.ndarray, kind: str) -> tuple[np.ndarray, np.ndarray]:
    with kernels.use(kind):
        t = sg.tensor(x, requires_grad=True)
        out = sg.nn.functional.gelu(t)
        out.backward(sg.tensor(grad))
        assert t.grad is not None
        return out.detach().numpy(), t.grad.numpy()


def test_gelu_kernel_is_the_reference_bit_for_bit_and_near_torch() -> None:
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((5, 30000)) * 3).astype(np.float32)
    x[0, :5] = [0.0, -np.inf, np.inf, np.nan, -0.0]
    grad = rng.standard_normal(x.shape).astype(np.float32)
    compiled, reference = _gelu_both(x, grad, "numba"), _gelu_both(x, grad, "numpy")
    for ours, ref in zip(compiled, reference, strict=True):
        np.testing.assert_array_equal(ours, ref)
    xt = torch.tensor(x, requires_grad=True)
    out_t = torch.nn.functional.gelu(xt)
    out_t.backward(torch.tensor(grad))
    finite = np.isfinite(x)
    # torch's float32 erf is off by up to 1e-6 in the tails
    np.testing.assert_allclose(compiled[0][finite], out_t.detach().numpy()[finite], atol=2e-6)
