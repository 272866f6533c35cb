"""InstanceNorm1d/2d/3d against torch: affine, running statistics, unbatched input."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.errors import ShapeError
from tests.nn.test_linear import (
    assert_param_grads_equal,
    assert_same_structure,
    copy_from_torch,
    run_both,
    x32,
)
from tests.nn.test_normalization import _assert_buffers_equal, _random_affine

SHAPES = [
    ("InstanceNorm1d", (4, 3, 6)),
    ("InstanceNorm1d", (3, 6)),
    ("InstanceNorm2d", (2, 3, 4, 5)),
    ("InstanceNorm2d", (3, 4, 5)),
    ("InstanceNorm3d", (2, 3, 2, 3, 4)),
]


@pytest.mark.parametrize(("name", "shape"), SHAPES, ids=[f"{n}-{len(s)}d" for n, s in SHAPES])
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"affine": True}, {"affine": True, "track_running_stats": True, "momentum": 0.3}],
    ids=["plain", "affine", "running"],
)
def test_instancenorm_matches_torch(name, shape, kwargs) -> None:
    theirs, ours = getattr(torch.nn, name)(3, **kwargs), getattr(nn, name)(3, **kwargs)
    assert_same_structure(ours, theirs)
    _random_affine(theirs)
    copy_from_torch(ours, theirs)
    for step in range(3):
        run_both(ours, theirs, x32(*shape, seed=step) * 2 + 1, seed=step)
        assert_param_grads_equal(ours, theirs)
        _assert_buffers_equal(ours, theirs)
        ours.zero_grad()
        theirs.zero_grad()
    ours.eval()
    theirs.eval()
    run_both(ours, theirs, x32(*shape, seed=7) * 2 + 1)  # running statistics, when tracked
    _assert_buffers_equal(ours, theirs)


def test_momentum_none_leaves_running_stats() -> None:
    theirs = torch.nn.InstanceNorm1d(2, track_running_stats=True, momentum=None)
    ours = nn.InstanceNorm1d(2, track_running_stats=True, momentum=None)
    run_both(ours, theirs, x32(3, 2, 5))
    _assert_buffers_equal(ours, theirs)
    assert ours.running_mean.tolist() == [0.0, 0.0]


def test_channel_mismatch_raises_when_affine_and_warns_otherwise() -> None:
    with pytest.raises(ValueError, match="expected input's size at dim=1 to match num_features"):
        nn.InstanceNorm1d(4, affine=True)(sg.randn(2, 3, 5))
    with pytest.warns(UserWarning, match="does not match num_features"):
        out = nn.InstanceNorm1d(4)(sg.randn(2, 3, 5))
    assert out.shape == (2, 3, 5)


def test_wrong_rank_is_refused() -> None:
    with pytest.raises(ShapeError, match="InstanceNorm2d: expected 3D or 4D input"):
        nn.InstanceNorm2d(3)(sg.randn(2, 3))


def test_state_dict_round_trips_with_torch() -> None:
    theirs = torch.nn.InstanceNorm2d(3, affine=True, track_running_stats=True)
    theirs(torch.randn(2, 3, 4, 4))
    ours = nn.InstanceNorm2d(3, affine=True, track_running_stats=True)
    copy_from_torch(ours, theirs)
    for k, v in theirs.state_dict().items():
        np.testing.assert_array_equal(ours.state_dict()[k].numpy(), v.numpy())
