"""EmbeddingBag against torch's: repr, weights, forward with offsets, gradients."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from tests.nn.test_linear import assert_same_structure, copy_from_torch


@pytest.mark.parametrize(
    "kwargs", [{}, {"mode": "sum", "padding_idx": 0}, {"mode": "max", "include_last_offset": True}]
)
def test_embedding_bag_matches_torch(kwargs) -> None:
    theirs, ours = torch.nn.EmbeddingBag(10, 3, **kwargs), nn.EmbeddingBag(10, 3, **kwargs)
    assert_same_structure(ours, theirs)
    copy_from_torch(ours, theirs)
    idx, offsets = np.array([1, 0, 4, 5, 4, 3, 0, 9]), np.array([0, 3, 3, 6])
    if kwargs.get("include_last_offset"):
        offsets = np.append(offsets, len(idx))
    out_s = ours(sg.tensor(idx), sg.tensor(offsets))
    out_t = theirs(torch.tensor(idx), torch.tensor(offsets))
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), 1e-6, 1e-6)
    g = np.random.default_rng(0).standard_normal(out_t.shape).astype(np.float32)
    (out_s * sg.tensor(g)).sum().backward()
    (out_t * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), 1e-6, 1e-6)


def test_padding_row_starts_at_zero_and_modes_are_checked() -> None:
    m = nn.EmbeddingBag(5, 2, padding_idx=-1)
    assert m.padding_idx == 4 and m.weight[4].tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="mode has to be one of"):
        nn.EmbeddingBag(5, 2, mode="min")
