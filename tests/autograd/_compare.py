"""Shared by the autograd tests: random leaves, the same values in scratchgrad and torch."""

import numpy as np
import torch

import scratchgrad as sg

RNG = np.random.default_rng(0)


def arr(*shape: int, dtype: str = "float64") -> np.ndarray:
    return RNG.uniform(-1.5, 1.5, shape).astype(dtype)


def leaves(*arrays: np.ndarray) -> tuple[list[sg.Tensor], list[torch.Tensor]]:
    ours = [sg.tensor(a.copy(), requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a.copy(), requires_grad=True) for a in arrays]
    return ours, theirs


def same_grads(ours: list[sg.Tensor], theirs: list[torch.Tensor], rtol: float = 1e-10) -> None:
    for i, (x, t) in enumerate(zip(ours, theirs, strict=True)):
        assert x.grad is not None, f"input {i}: no grad"
        assert x.grad.shape == tuple(t.grad.shape), f"input {i}: grad shape"
        assert x.grad.dtype == x.dtype, f"input {i}: grad dtype"
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=rtol, atol=1e-12)
