"""GroupNorm and LocalResponseNorm against torch's modules, given the same weights."""

import pytest
import torch

from scratchgrad import nn
from tests.nn.test_linear import (
    assert_param_grads_equal,
    assert_same_structure,
    copy_from_torch,
    run_both,
    x32,
)
from tests.nn.test_normalization import _random_affine


@pytest.mark.parametrize(
    ("args", "kwargs", "shape"),
    [
        ((2, 6), {}, (4, 6, 5)),
        ((3, 6), {"eps": 1e-3}, (2, 6, 3, 4)),
        ((6, 6), {"affine": False}, (3, 6, 4)),
        ((1, 6), {"bias": False}, (3, 6)),
    ],
)
def test_groupnorm_matches_torch(args, kwargs, shape) -> None:
    theirs, ours = torch.nn.GroupNorm(*args, **kwargs), nn.GroupNorm(*args, **kwargs)
    assert_same_structure(ours, theirs)
    _random_affine(theirs)
    copy_from_torch(ours, theirs)
    run_both(ours, theirs, x32(*shape) * 2 + 1)
    assert_param_grads_equal(ours, theirs)


def test_groupnorm_rejects_channels_not_divisible() -> None:
    with pytest.raises(ValueError, match="num_channels must be divisible by num_groups"):
        nn.GroupNorm(4, 6)


@pytest.mark.parametrize("shape", [(2, 5, 4), (2, 6, 3, 3)])
def test_local_response_norm_matches_torch(shape) -> None:
    theirs = torch.nn.LocalResponseNorm(3, alpha=0.3, beta=0.6, k=1.5)
    ours = nn.LocalResponseNorm(3, alpha=0.3, beta=0.6, k=1.5)
    assert_same_structure(ours, theirs)
    run_both(ours, theirs, x32(*shape))
