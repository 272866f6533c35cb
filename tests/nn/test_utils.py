"""Gradient clipping (nn.utils): clip_grad_norm_ and clip_grad_value_ against torch's."""

import math
import types

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.nn.utils import (
    clip_grad_norm_,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
)

RNG = np.random.default_rng(7)
SHAPES = ((4, 3), (3,), (2, 2, 2))
GRADS = [RNG.standard_normal(s).astype(np.float32) * 3 for s in SHAPES]


def _params(lib, grads, with_none: bool = True):
    """Leaf tensors with the given gradients, and one parameter without a gradient."""
    params = []
    for g in grads:
        p = lib.tensor(np.ones(g.shape, np.float32), requires_grad=True)
        p.grad = lib.tensor(g.copy())
        params.append(p)
    if with_none:
        params.append(lib.tensor(np.ones(2, np.float32), requires_grad=True))
    return params


def _grads(params):
    return [p.grad.numpy() for p in params if p.grad is not None]


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, 0.5, math.inf, -math.inf, 0.0])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_grad_norm_matches_torch(norm_type: float, max_norm: float) -> None:
    ours, theirs = _params(sg, GRADS), _params(torch, GRADS)
    total = clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    total_t = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total, sg.Tensor) and total.shape == () and total.dtype == np.float32
    np.testing.assert_allclose(total.item(), total_t.item(), rtol=1e-6)
    for a, b in zip(_grads(ours), _grads(theirs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert ours[-1].grad is None


def test_clip_grad_norm_scales_to_the_max_norm_in_place() -> None:
    params = _params(sg, GRADS)
    arrays = [p.grad.array for p in params[:-1]]
    before = float(np.sqrt(sum(float((g.astype(np.float64) ** 2).sum()) for g in GRADS)))
    total = clip_grad_norm_(params, max_norm=1.0)
    assert total.item() == pytest.approx(before, rel=1e-6)
    after = math.sqrt(
        sum(float((p.grad.numpy().astype(np.float64) ** 2).sum()) for p in params[:-1])
    )
    assert after == pytest.approx(1.0, rel=1e-5)
    assert all(p.grad.array is a for p, a in zip(params, arrays, strict=False))


def test_a_norm_below_the_max_leaves_the_gradients_alone() -> None:
    params = _params(sg, GRADS)
    clip_grad_norm_(params, max_norm=1e6)
    for a, b in zip(_grads(params), GRADS, strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_single_tensor_and_a_generator_are_accepted_like_torch() -> None:
    (p,), (pt,) = _params(sg, GRADS[:1], False), _params(torch, GRADS[:1], False)
    np.testing.assert_allclose(
        clip_grad_norm_(p, 1.0).item(), torch.nn.utils.clip_grad_norm_(pt, 1.0).item(), rtol=1e-6
    )
    params = _params(sg, GRADS)
    total = clip_grad_norm_((q for q in params), 1.0)
    assert total.item() > 1.0
    with pytest.warns(UserWarning, match="empty generator"):
        empty = clip_grad_norm_((q for q in []), 1.0)
    assert empty.item() == 0.0 == torch.nn.utils.clip_grad_norm_([], 1.0).item()


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_error_if_nonfinite_raises_like_torch(bad: float) -> None:
    grads = [g.copy() for g in GRADS]
    grads[1][0] = bad
    ours, theirs = _params(sg, grads), _params(torch, grads)
    with pytest.raises(RuntimeError):
        torch.nn.utils.clip_grad_norm_(theirs, 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match="order 2.0 .* is non-finite"):
        clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    np.testing.assert_array_equal(_grads(ours)[0], grads[0])  # nothing was scaled


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_nonfinite_norm_scales_anyway_like_torch(bad: float) -> None:
    grads = [g.copy() for g in GRADS]
    grads[1][0] = bad
    ours, theirs = _params(sg, grads), _params(torch, grads)
    total = clip_grad_norm_(ours, 1.0)
    total_t = torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    np.testing.assert_equal(total.item(), total_t.item())
    for a, b in zip(_grads(ours), _grads(theirs), strict=True):
        np.testing.assert_array_equal(a, b)


def test_get_total_norm_and_clip_grads_with_norm_compose_like_torch() -> None:
    ours, theirs = _params(sg, GRADS), _params(torch, GRADS)
    total = get_total_norm([p.grad for p in ours[:-1]], norm_type=3.0)
    total_t = torch.nn.utils.get_total_norm([p.grad for p in theirs[:-1]], norm_type=3.0)
    np.testing.assert_allclose(total.item(), total_t.item(), rtol=1e-6)
    clip_grads_with_norm_(ours, 2.0, total)
    torch.nn.utils.clip_grads_with_norm_(theirs, 2.0, total_t)
    for a, b in zip(_grads(ours), _grads(theirs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_float64_gradients_give_a_float64_norm() -> None:
    p = sg.zeros(3, dtype=sg.float64, requires_grad=True)
    p.grad = sg.tensor([3.0, 4.0, 0.0], dtype=sg.float64)
    total = clip_grad_norm_([p], 1.0)
    assert total.dtype == np.float64 and total.item() == 5.0


@pytest.mark.parametrize("clip", [0.5, 2.0, 100.0])
def test_clip_grad_value_matches_torch(clip: float) -> None:
    ours, theirs = _params(sg, GRADS), _params(torch, GRADS)
    arrays = [p.grad.array for p in ours[:-1]]
    assert clip_grad_value_(ours, clip) is None
    torch.nn.utils.clip_grad_value_(theirs, clip)
    for a, b in zip(_grads(ours), _grads(theirs), strict=True):
        np.testing.assert_array_equal(a, b)
    assert max(float(np.abs(g).max()) for g in _grads(ours)) <= clip
    assert all(p.grad.array is a for p, a in zip(ours, arrays, strict=False))


def test_clip_grad_value_takes_a_single_tensor() -> None:
    (p,) = _params(sg, [np.array([-3.0, 0.5, 3.0], np.float32)], False)
    clip_grad_value_(p, 1)
    assert p.grad.tolist() == [-1.0, 0.5, 1.0]


def test_module_is_importable_as_nn_utils() -> None:
    import scratchgrad.nn.utils as utils

    assert isinstance(utils, types.ModuleType)
    assert utils.clip_grad_norm_ is clip_grad_norm_


def test_tiny_gradients_keep_torchs_1e_6_in_the_denominator() -> None:
    grads = [np.array([3e-6, 4e-6], np.float32)]  # norm 5e-6, comparable to the 1e-6
    ours, theirs = _params(sg, grads), _params(torch, grads)
    clip_grad_norm_(ours, 1e-6)
    torch.nn.utils.clip_grad_norm_(theirs, 1e-6)
    np.testing.assert_allclose(_grads(ours)[0], _grads(theirs)[0], rtol=1e-6)
    np.testing.assert_allclose(_grads(ours)[0], np.array([3e-6, 4e-6]) / 6, rtol=1e-5)
