"""Max-pooling kernels against the NumPy reference and torch, forward and backward."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import kernels
from scratchgrad.kernels import pool as pool_kernels


def _ours(x: np.ndarray, g: np.ndarray, kind: str, k: int, s: int) -> list[np.ndarray]:
    with kernels.use(kind):
        xt = sg.tensor(x, requires_grad=True)
        out, idx = sg.nn.functional.max_pool2d(xt, k, s, return_indices=True)
        out.backward(sg.tensor(g))
        assert xt.grad is not None
        return [out.detach().numpy(), idx.numpy(), xt.grad.numpy()]


@pytest.mark.parametrize(("k", "s"), [(2, 2), (3, 1), (3, 2)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_max_pool_kernels_match_the_reference_and_torch(k: int, s: int, dtype: type) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 11, 12)).astype(dtype)
    x[0, 0, 0, :4] = [np.nan, 5.0, 5.0, -np.inf]  # NaN wins; ties go to the first max
    x[1, 1, :3, :3] = 1.0
    xt = torch.tensor(x, requires_grad=True)
    out, idx = torch.nn.functional.max_pool2d(xt, k, s, return_indices=True)
    g = rng.standard_normal(out.shape).astype(dtype)
    out.backward(torch.tensor(g))
    compiled, reference = _ours(x, g, "numba", k, s), _ours(x, g, "numpy", k, s)
    theirs = [out.detach().numpy(), idx.numpy(), xt.grad.numpy()]
    for ours, ref, th in zip(compiled, reference, theirs, strict=True):
        np.testing.assert_array_equal(ours, th)
        np.testing.assert_allclose(ours, ref, rtol=1e-6, atol=1e-6)  # overlaps summed apart


def test_the_kernel_is_compiled_once_per_window_geometry() -> None:
    assert pool_kernels.max_pool2d(2, 2, 2, 2) is pool_kernels.max_pool2d(2, 2, 2, 2)
    assert pool_kernels.max_pool2d(2, 2, 2, 2) is not pool_kernels.max_pool2d(3, 3, 2, 2)
