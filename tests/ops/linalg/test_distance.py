"""dist, cdist, pdist and renorm against torch, values and gradients."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.ops.linalg import distance


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0])
def test_cdist_and_its_gradient_match_torch(p: float) -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(4, 3)), rng.normal(size=(5, 3))
    x, y = sg.tensor(a, requires_grad=True), sg.tensor(b, requires_grad=True)
    tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    ours, theirs = distance.cdist(x, y, p=p), torch.cdist(tx, ty, p=p)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-8)


def test_dist_matches_torch() -> None:
    a, b = np.arange(6.0).reshape(2, 3), np.ones((2, 3))
    ours = distance.dist(sg.tensor(a), sg.tensor(b), p=3).item()
    assert ours == pytest.approx(torch.dist(torch.tensor(a), torch.tensor(b), p=3).item())


def test_renorm_matches_torch() -> None:
    a = np.random.default_rng(2).normal(size=(3, 4)) * 3
    ours = distance.renorm(sg.tensor(a), p=2, dim=0, maxnorm=1.0).numpy()
    theirs = torch.renorm(torch.tensor(a), p=2, dim=0, maxnorm=1.0).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0])
def test_pdist_and_its_gradient_match_torch(p: float) -> None:
    a = np.random.default_rng(2).normal(size=(5, 3))
    a[3] = a[1]  # a zero distance: gradient 0 there, as torch
    x, tx = sg.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    ours, theirs = distance.pdist(x, p), torch.pdist(tx, p)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10)
    g = np.random.default_rng(3).normal(size=theirs.shape)
    (ours * sg.tensor(g)).sum().backward()
    (theirs * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-8, atol=1e-12)


def test_pdist_needs_a_matrix() -> None:
    with pytest.raises(ValueError, match="pdist: only supports 2D tensors, got: 1D"):
        distance.pdist(sg.zeros(3))
