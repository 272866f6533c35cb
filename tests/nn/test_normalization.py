"""BatchNorm1d/2d/3d, LayerNorm and RMSNorm against torch: train steps, running stats, eval."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from tests.nn.test_linear import (
    ATOL,
    RTOL,
    assert_param_grads_equal,
    assert_same_structure,
    copy_from_torch,
    run_both,
    x32,
)

BN = [
    ("BatchNorm1d", (8, 3)),
    ("BatchNorm1d", (6, 3, 5)),
    ("BatchNorm2d", (4, 3, 5, 6)),
    ("BatchNorm3d", (2, 3, 2, 3, 4)),
]


def _random_affine(theirs: torch.nn.Module, seed: int = 0) -> None:
    """Non-trivial weight and bias (the defaults are ones and zeros)."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in theirs.parameters():
            p.copy_(torch.from_numpy(rng.uniform(0.5, 1.5, p.shape).astype(np.float32)))


def _assert_buffers_equal(ours: nn.Module, theirs: torch.nn.Module) -> None:
    mine = ours.state_dict()
    for k, v in theirs.state_dict().items():
        np.testing.assert_allclose(mine[k].numpy(), v.numpy(), RTOL, ATOL, err_msg=k)
        assert str(mine[k].dtype) == str(v.dtype).removeprefix("torch."), k


@pytest.mark.parametrize(("name", "shape"), BN, ids=[f"{n}-{len(s)}d" for n, s in BN])
@pytest.mark.parametrize("momentum", [0.1, None])
def test_batchnorm_trains_and_evaluates_like_torch(name, shape, momentum) -> None:
    theirs = getattr(torch.nn, name)(3, momentum=momentum)
    ours = getattr(nn, name)(3, momentum=momentum)
    assert_same_structure(ours, theirs)
    _random_affine(theirs)
    copy_from_torch(ours, theirs)
    for step in range(4):  # training: batch statistics, running ones updated
        x = x32(*shape, seed=step) * 2 + 1
        run_both(ours, theirs, x, seed=step)
        assert_param_grads_equal(ours, theirs)
        ours.zero_grad()
        theirs.zero_grad()
        _assert_buffers_equal(ours, theirs)
    assert int(ours.num_batches_tracked.item()) == 4
    ours.eval()
    theirs.eval()
    run_both(ours, theirs, x32(*shape, seed=9) * 2 + 1)  # eval: the running statistics
    assert_param_grads_equal(ours, theirs)
    _assert_buffers_equal(ours, theirs)  # eval does not touch them


@pytest.mark.parametrize("kwargs", [{"affine": False}, {"bias": False}, {"eps": 1e-3}])
def test_batchnorm_options_match_torch(kwargs) -> None:
    theirs, ours = torch.nn.BatchNorm2d(3, **kwargs), nn.BatchNorm2d(3, **kwargs)
    assert_same_structure(ours, theirs)
    copy_from_torch(ours, theirs)
    run_both(ours, theirs, x32(2, 3, 4, 4))
    assert_param_grads_equal(ours, theirs)
    _assert_buffers_equal(ours, theirs)


def test_batchnorm_without_running_stats_uses_batch_stats_in_eval() -> None:
    theirs = torch.nn.BatchNorm1d(3, track_running_stats=False)
    ours = nn.BatchNorm1d(3, track_running_stats=False)
    assert_same_structure(ours, theirs)
    assert ours.running_mean is None and list(ours.buffers()) == []
    ours.eval()
    theirs.eval()
    run_both(ours, theirs, x32(5, 3))


def test_batchnorm_state_dict_round_trips_with_torch() -> None:
    theirs = torch.nn.BatchNorm2d(3)
    theirs(torch.from_numpy(x32(4, 3, 2, 2)))  # move the running statistics
    ours = nn.BatchNorm2d(3)
    copy_from_torch(ours, theirs)
    _assert_buffers_equal(ours, theirs)
    assert ours.num_batches_tracked.dtype == sg.int64 and ours.num_batches_tracked.shape == ()
    back = torch.nn.BatchNorm2d(3)
    back.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in ours.state_dict().items()})
    _assert_buffers_equal(ours, back)


def test_batchnorm_reset_running_stats() -> None:
    layer = nn.BatchNorm1d(2)
    layer(sg.randn(4, 2) * 3 + 1)
    layer.reset_running_stats()
    assert layer.running_mean.tolist() == [0.0, 0.0] and layer.running_var.tolist() == [1.0, 1.0]
    assert int(layer.num_batches_tracked.item()) == 0


@pytest.mark.parametrize(
    ("layer", "shape", "message"),
    [
        (nn.BatchNorm1d(3), (2, 3, 4, 5), "expected 2D or 3D input"),
        (nn.BatchNorm1d(3), (3,), "expected 2D or 3D input"),
        (nn.BatchNorm2d(3), (2, 3, 4), "expected 4D input"),
        (nn.BatchNorm3d(3), (2, 3, 4, 4), "expected 5D input"),
    ],
)
def test_batchnorm_rejects_wrong_rank(layer, shape, message) -> None:
    with pytest.raises(sg.ShapeError, match=message):
        layer(sg.randn(*shape))


def test_batchnorm_needs_more_than_one_value_per_channel_in_training() -> None:
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(sg.randn(1, 3))


# ------------------------------------------------------------------ LayerNorm
LN = [
    ((4,), (2, 5, 4), {}),
    (4, (3, 4), {"eps": 1e-3}),
    ((3, 4), (2, 3, 4), {}),
    ((4,), (3, 4), {"bias": False}),
    ((4,), (3, 4), {"elementwise_affine": False}),
]


@pytest.mark.parametrize(("normalized", "shape", "kwargs"), LN)
def test_layernorm_matches_torch(normalized, shape, kwargs) -> None:
    theirs = torch.nn.LayerNorm(normalized, **kwargs)
    ours = nn.LayerNorm(normalized, **kwargs)
    assert_same_structure(ours, theirs)
    _random_affine(theirs)
    copy_from_torch(ours, theirs)
    for mode in ("train", "eval"):  # no difference between modes, as in torch
        getattr(ours, mode)() if mode == "eval" else ours.train()
        run_both(ours, theirs, x32(*shape) * 3 + 2)
        assert_param_grads_equal(ours, theirs)
        ours.zero_grad()
        theirs.zero_grad()


def test_layernorm_default_parameters() -> None:
    layer = nn.LayerNorm((2, 3))
    assert layer.weight.tolist() == [[1.0] * 3] * 2 and layer.bias.tolist() == [[0.0] * 3] * 2
    assert layer.normalized_shape == (2, 3)


def test_layernorm_rejects_wrong_trailing_shape() -> None:
    with pytest.raises(sg.ShapeError, match="normalized_shape"):
        nn.LayerNorm(4)(sg.randn(2, 5))


# ------------------------------------------------------------------ RMSNorm
@pytest.mark.parametrize(
    ("normalized", "kwargs", "shape"),
    [
        (4, {}, (3, 4)),
        ((5, 4), {"eps": 1e-3}, (2, 5, 4)),
        ([6], {"elementwise_affine": False}, (2, 3, 6)),
    ],
)
def test_rmsnorm_matches_torch(normalized, kwargs, shape) -> None:
    theirs, ours = torch.nn.RMSNorm(normalized, **kwargs), nn.RMSNorm(normalized, **kwargs)
    assert_same_structure(ours, theirs)
    _random_affine(theirs)
    copy_from_torch(ours, theirs)
    run_both(ours, theirs, x32(*shape) * 2 + 1)
    assert_param_grads_equal(ours, theirs)


def test_rmsnorm_reset_parameters_gives_ones() -> None:
    m = nn.RMSNorm(3)
    with sg.no_grad():
        m.weight.mul_(3.0)
    m.reset_parameters()
    assert m.weight.tolist() == [1.0, 1.0, 1.0]
