"""The fused Adam kernel gives the NumPy reference's bits, and torch's values."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import kernels


def _train(opt_name: str, kind: str, dtype: np.dtype, **kw: object) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal((33, 17)).astype(dtype)
    grads = [rng.standard_normal((33, 17)).astype(dtype) for _ in range(6)]
    with kernels.use(kind):
        p = sg.nn.Parameter(sg.from_numpy(w0.copy()))
        opt = getattr(sg.optim, opt_name)([p], lr=1e-2, **kw)
        for g in grads:
            p.grad = sg.from_numpy(g.copy())
            opt.step()
        state = opt.state[p]
        moments = [state[k].numpy() for k in ("exp_avg", "exp_avg_sq") if k in state]
        return [p.detach().numpy().copy(), *moments]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("name", "kw"),
    [
        ("Adam", {}),
        ("Adam", {"betas": (0.3, 0.9)}),  # lerp's other side: weight 0.7 >= 0.5
        ("Adam", {"weight_decay": 0.1, "maximize": True}),
        ("AdamW", {"weight_decay": 0.1}),
    ],
)
def test_adam_kernel_is_the_reference_bit_for_bit(
    name: str, kw: dict[str, object], dtype: np.dtype
) -> None:
    compiled = _train(name, "numba", dtype, **kw)
    reference = _train(name, "numpy", dtype, **kw)
    for a, b in zip(compiled, reference, strict=True):
        np.testing.assert_array_equal(a, b)


def test_adam_kernel_matches_torch() -> None:
    rng = np.random.default_rng(1)
    w0 = rng.standard_normal((8, 5)).astype(np.float32)
    grads = [rng.standard_normal((8, 5)).astype(np.float32) for _ in range(5)]
    p = sg.nn.Parameter(sg.from_numpy(w0.copy()))
    pt = torch.nn.Parameter(torch.tensor(w0))
    ours, theirs = sg.optim.AdamW([p], lr=0.05), torch.optim.AdamW([pt], lr=0.05)
    with kernels.use("numba"):
        for g in grads:
            p.grad, pt.grad = sg.from_numpy(g.copy()), torch.tensor(g)
            ours.step()
            theirs.step()
    np.testing.assert_allclose(p.detach().numpy(), pt.detach().numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("kw", [{"momentum": 0.9}, {"momentum": 0.8, "dampening": 0.3}])
def test_sgd_momentum_kernel_is_the_reference_bit_for_bit(kw: dict[str, float]) -> None:
    compiled = _train("SGD", "numba", np.float32, weight_decay=0.01, **kw)
    reference = _train("SGD", "numpy", np.float32, weight_decay=0.01, **kw)
    np.testing.assert_array_equal(compiled[0], reference[0])
