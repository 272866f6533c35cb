"""Fold and Unfold against their torch.nn twins: reprs, values, gradients."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn

RTOL, ATOL = 1e-5, 1e-6


def run_both(ours: nn.Module, theirs: torch.nn.Module, x: np.ndarray) -> None:
    """Same repr and (empty) state; same outputs and input gradients."""
    assert repr(ours) == repr(theirs)
    assert ours.state_dict() == {} and not list(ours.parameters())
    xs, xt = sg.from_numpy(x.copy()).requires_grad_(), torch.from_numpy(x.copy()).requires_grad_()
    out_s, out_t = ours(xs), theirs(xt)
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), RTOL, ATOL)
    g = np.random.default_rng(1).standard_normal(out_t.shape).astype(np.float32)
    out_s.backward(sg.from_numpy(g))
    out_t.backward(torch.from_numpy(g))
    np.testing.assert_allclose(xs.grad.numpy(), xt.grad.numpy(), RTOL, ATOL)


def x32(*shape: int) -> np.ndarray:
    return np.random.default_rng(0).standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize(
    ("args", "shape"),
    [
        (((2,), {}), (2, 3, 5, 6)),
        ((((2, 3),), {"dilation": (1, 2), "padding": 1, "stride": (2, 1)}), (2, 3, 6, 7)),
        (((3,), {"stride": 2}), (3, 7, 5)),
    ],
    ids=str,
)
def test_unfold_matches_torch(args, shape) -> None:
    pos, kw = args
    run_both(nn.Unfold(*pos, **kw), torch.nn.Unfold(*pos, **kw), x32(*shape))


@pytest.mark.parametrize(
    ("args", "shape"),
    [
        ((4, 2, {}), (2, 12, 9)),
        (((5, 6), (2, 3), {"dilation": (2, 1), "padding": 1, "stride": 2}), (2, 12, 9)),
        ((4, 3, {"stride": 1}), (9, 4)),
    ],
    ids=str,
)
def test_fold_matches_torch(args, shape) -> None:
    *pos, kw = args  # (output_size, kernel_size, kwargs)
    run_both(nn.Fold(*pos, **kw), torch.nn.Fold(*pos, **kw), x32(*shape))


def test_fold_inverts_unfold_for_non_overlapping_blocks() -> None:
    x = sg.from_numpy(x32(2, 3, 6, 4))
    back = nn.Fold((6, 4), 2, stride=2)(nn.Unfold(2, stride=2)(x))
    np.testing.assert_array_equal(back.numpy(), x.numpy())
