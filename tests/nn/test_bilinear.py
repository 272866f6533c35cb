"""Bilinear and ChannelShuffle against torch's modules, given the same weights."""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from tests.nn.test_linear import (
    assert_param_grads_equal,
    assert_same_structure,
    copy_from_torch,
)


@pytest.mark.parametrize("bias", [True, False])
def test_bilinear_matches_torch(bias: bool) -> None:
    theirs, ours = torch.nn.Bilinear(3, 4, 5, bias=bias), nn.Bilinear(3, 4, 5, bias=bias)
    assert_same_structure(ours, theirs)
    copy_from_torch(ours, theirs)
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((6, 3)), rng.standard_normal((6, 4))
    xs = [sg.tensor(v.astype(np.float32), requires_grad=True) for v in (a, b)]
    ts = [torch.tensor(v.astype(np.float32), requires_grad=True) for v in (a, b)]
    out_s, out_t = ours(*xs), theirs(*ts)
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), 1e-5, 1e-5)
    out_s.sum().backward()
    out_t.sum().backward()
    for x, t in zip(xs, ts, strict=True):
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), 1e-5, 1e-5)
    assert_param_grads_equal(ours, theirs)


def test_bilinear_init_bounds_are_torchs() -> None:
    m = nn.Bilinear(16, 3, 50)
    bound = 1 / math.sqrt(16)
    w = m.weight.detach().numpy()
    assert np.abs(w).max() <= bound and w.std() == pytest.approx(bound / math.sqrt(3), rel=0.1)


@pytest.mark.parametrize("groups", [1, 2, 3])
def test_channel_shuffle_matches_torch(groups: int) -> None:
    x = np.arange(2 * 6 * 4, dtype=np.float32).reshape(2, 6, 4)
    ours, theirs = nn.ChannelShuffle(groups), torch.nn.ChannelShuffle(groups)
    assert repr(ours) == repr(theirs)
    np.testing.assert_array_equal(ours(sg.tensor(x)).numpy(), theirs(torch.tensor(x)).numpy())
