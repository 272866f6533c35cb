"""Elementwise kernels against their NumPy expressions and torch's gradients."""

from __future__ import annotations

import numpy as np
import torch

from scratchgrad.kernels import elementwise


def test_relu_backward_matches_numpy_and_torch() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 40_000)).astype(np.float32)
    x[0, :5] = 0.0
    out = np.maximum(x, 0)
    grad = rng.standard_normal(x.shape).astype(np.float32)
    got = elementwise.relu_backward(grad, out)
    np.testing.assert_array_equal(got, grad * (out > 0))
    xt = torch.tensor(x, requires_grad=True)
    torch.relu(xt).backward(torch.tensor(grad))
    np.testing.assert_array_equal(got, xt.grad.numpy())
    assert got.dtype == np.float32 and got.shape == x.shape
