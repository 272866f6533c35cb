"""The pooling layers (2-d, 3-d, adaptive, unpooling) against their torch.nn twins."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn

RTOL, ATOL = 1e-5, 1e-6


def run_both(ours: nn.Module, theirs: torch.nn.Module, x: np.ndarray) -> None:
    """Same repr and (empty) state; same outputs (and indices) and input gradients."""
    assert repr(ours) == repr(theirs)
    assert ours.state_dict() == {} and not list(ours.parameters())
    xs, xt = sg.from_numpy(x.copy()).requires_grad_(), torch.from_numpy(x.copy()).requires_grad_()
    out_s, out_t = ours(xs), theirs(xt)
    if isinstance(out_t, tuple):
        np.testing.assert_array_equal(out_s[1].numpy(), out_t[1].numpy())
        out_s, out_t = out_s[0], out_t[0]
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), RTOL, ATOL)
    g = np.random.default_rng(1).standard_normal(out_t.shape).astype(np.float32)
    out_s.backward(sg.from_numpy(g))
    out_t.backward(torch.from_numpy(g))
    np.testing.assert_allclose(xs.grad.numpy(), xt.grad.numpy(), RTOL, ATOL)


def x32(*shape: int) -> np.ndarray:
    return np.random.default_rng(0).standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize(
    "args",
    [
        ((2,), {}),
        ((3,), {"stride": 2, "padding": 1}),
        (((2, 3),), {"stride": 1, "dilation": (2, 1)}),
        ((3,), {"stride": 2, "ceil_mode": True}),
        ((2,), {"return_indices": True}),
        ((3,), {"stride": 2, "padding": 1, "ceil_mode": True, "return_indices": True}),
    ],
    ids=str,
)
def test_max_pool2d_matches_torch(args) -> None:
    pos, kw = args
    run_both(nn.MaxPool2d(*pos, **kw), torch.nn.MaxPool2d(*pos, **kw), x32(2, 3, 9, 8))


@pytest.mark.parametrize(
    "args",
    [
        ((2,), {}),
        ((3,), {"stride": 2, "padding": 1}),
        ((3,), {"stride": 2, "padding": 1, "count_include_pad": False}),
        (((3, 2),), {"stride": 2, "padding": 1, "ceil_mode": True}),
        ((2,), {"stride": 1, "divisor_override": 2}),
    ],
    ids=str,
)
def test_avg_pool2d_matches_torch(args) -> None:
    pos, kw = args
    run_both(nn.AvgPool2d(*pos, **kw), torch.nn.AvgPool2d(*pos, **kw), x32(2, 3, 9, 8))


@pytest.mark.parametrize("size", [1, 3, (2, 5), (None, 3), (4, None), 10])
def test_adaptive_avg_pool2d_matches_torch(size) -> None:
    run_both(nn.AdaptiveAvgPool2d(size), torch.nn.AdaptiveAvgPool2d(size), x32(2, 3, 9, 8))


def test_unbatched_input() -> None:
    run_both(nn.MaxPool2d(2), torch.nn.MaxPool2d(2), x32(3, 6, 6))
    run_both(nn.AdaptiveAvgPool2d(2), torch.nn.AdaptiveAvgPool2d(2), x32(3, 6, 6))


def test_stride_defaults_to_kernel_size() -> None:
    assert nn.MaxPool2d(3).stride == 3
    assert nn.AvgPool2d((2, 3)).stride == (2, 3)
    assert nn.MaxPool2d(3, stride=1).stride == 1


def test_pooling_in_a_sequential_reports_its_position() -> None:
    model = nn.Sequential(nn.MaxPool2d(2), nn.AvgPool2d(2))
    with pytest.raises(ValueError, match=r"max_pool2d: input must be") as err:
        model(sg.zeros(2, 2))
    assert err.value.__notes__ == ["in 0 (MaxPool2d), called with input shapes [(2, 2)]"]


@pytest.mark.parametrize(
    "args",
    [
        ((2,), {}),
        ((3,), {"stride": 2, "padding": 1, "ceil_mode": True, "return_indices": True}),
        (((2, 3, 2),), {"stride": (1, 2, 1), "dilation": (2, 1, 1), "return_indices": True}),
    ],
    ids=str,
)
def test_max_pool3d_matches_torch(args) -> None:
    pos, kw = args
    run_both(nn.MaxPool3d(*pos, **kw), torch.nn.MaxPool3d(*pos, **kw), x32(2, 3, 5, 6, 7))


@pytest.mark.parametrize(
    "args",
    [
        ((2,), {}),
        ((3,), {"stride": 2, "padding": 1, "count_include_pad": False, "ceil_mode": True}),
        (((3, 2, 2),), {"stride": 2, "padding": 1}),
        ((2,), {"stride": 1, "divisor_override": 5}),
    ],
    ids=str,
)
def test_avg_pool3d_matches_torch(args) -> None:
    pos, kw = args
    run_both(nn.AvgPool3d(*pos, **kw), torch.nn.AvgPool3d(*pos, **kw), x32(2, 3, 5, 6, 7))


@pytest.mark.parametrize(
    ("size", "indices"), [(1, False), (3, True), ((2, 5), True), ((None, 3), False), (10, True)]
)
def test_adaptive_max_pool2d_matches_torch(size, indices) -> None:
    ours, theirs = nn.AdaptiveMaxPool2d(size, indices), torch.nn.AdaptiveMaxPool2d(size, indices)
    run_both(ours, theirs, x32(2, 3, 9, 8))


@pytest.mark.parametrize(
    ("args", "shape", "output_size"),
    [
        (((2,), {}), (2, 3, 8, 6), None),
        (((3,), {"stride": 2, "padding": 1}), (2, 3, 9, 8), (9, 8)),
        ((((2, 3),), {}), (2, 3, 8, 9), None),
    ],
    ids=str,
)
def test_max_unpool2d_matches_torch(args, shape, output_size) -> None:
    pos, kw = args
    ours, theirs = nn.MaxUnpool2d(*pos, **kw), torch.nn.MaxUnpool2d(*pos, **kw)
    assert repr(ours) == repr(theirs)
    x = x32(*shape)
    pool_s, pool_t = (
        nn.MaxPool2d(*pos, **kw, return_indices=True),
        torch.nn.MaxPool2d(*pos, **kw, return_indices=True),
    )
    xs, xt = sg.from_numpy(x.copy()).requires_grad_(), torch.from_numpy(x.copy()).requires_grad_()
    out_s = ours(*pool_s(xs), output_size=output_size)
    out_t = theirs(*pool_t(xt), output_size=output_size)
    np.testing.assert_array_equal(out_s.detach().numpy(), out_t.detach().numpy())
    g = np.random.default_rng(1).standard_normal(out_t.shape).astype(np.float32)
    out_s.backward(sg.from_numpy(g))
    out_t.backward(torch.from_numpy(g))
    np.testing.assert_allclose(xs.grad.numpy(), xt.grad.numpy(), RTOL, ATOL)


def test_new_layers_unbatched_and_reprs() -> None:
    run_both(nn.MaxPool3d(2), torch.nn.MaxPool3d(2), x32(3, 4, 4, 5))
    run_both(nn.AvgPool3d(2, 1), torch.nn.AvgPool3d(2, 1), x32(3, 4, 4, 5))
    run_both(nn.AdaptiveMaxPool2d(2, True), torch.nn.AdaptiveMaxPool2d(2, True), x32(3, 6, 5))
    for name, args in [("MaxUnpool2d", ((2, 3), 1, (0, 1))), ("AdaptiveMaxPool2d", ((None, 2),))]:
        assert repr(getattr(nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))


@pytest.mark.parametrize(
    "args",
    [
        ((2,), {}),
        ((3,), {"stride": 2, "padding": 1}),
        ((2,), {"stride": 1, "dilation": 3}),
        ((4,), {"stride": 3, "padding": 2, "ceil_mode": True, "return_indices": True}),
    ],
    ids=str,
)
@pytest.mark.parametrize("shape", [(2, 3, 11), (3, 11)], ids=["batched", "unbatched"])
def test_max_pool1d_matches_torch(args, shape) -> None:
    pos, kw = args
    run_both(nn.MaxPool1d(*pos, **kw), torch.nn.MaxPool1d(*pos, **kw), x32(*shape))


@pytest.mark.parametrize(
    "layer",
    [
        lambda lib: lib.nn.AvgPool1d(3),
        lambda lib: lib.nn.AvgPool1d(3, 2, 1, ceil_mode=True, count_include_pad=False),
        lambda lib: lib.nn.AdaptiveAvgPool1d(4),
        lambda lib: lib.nn.AdaptiveMaxPool1d(4),
        lambda lib: lib.nn.AdaptiveMaxPool1d(3, return_indices=True),
    ],
)
@pytest.mark.parametrize("shape", [(2, 3, 11), (3, 11)], ids=["batched", "unbatched"])
def test_1d_pools_match_torch(layer, shape) -> None:
    run_both(layer(sg), layer(torch), x32(*shape))
    assert sg.nn.AvgPool1d(3, 2).stride == torch.nn.AvgPool1d(3, 2).stride == (2,)
