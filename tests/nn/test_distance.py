"""CosineSimilarity and PairwiseDistance against torch's modules."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn


def _both(ours, theirs, *arrays):
    xs = [sg.tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out_s, out_t = ours(*xs), theirs(*ts)
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), rtol=1e-12)
    out_s.sum().backward()
    out_t.sum().backward()
    for x, t in zip(xs, ts, strict=True):
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kwargs", [{}, {"dim": 0, "eps": 1e-3}])
def test_cosine_similarity_matches_torch(kwargs) -> None:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    ours, theirs = nn.CosineSimilarity(**kwargs), torch.nn.CosineSimilarity(**kwargs)
    assert repr(ours) == repr(theirs)
    _both(ours, theirs, a, b)


@pytest.mark.parametrize("kwargs", [{}, {"p": 1.0, "eps": 0.0, "keepdim": True}])
def test_pairwise_distance_matches_torch(kwargs) -> None:
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    ours, theirs = nn.PairwiseDistance(**kwargs), torch.nn.PairwiseDistance(**kwargs)
    assert repr(ours) == repr(theirs) and ours.norm == theirs.norm
    _both(ours, theirs, a, b)
