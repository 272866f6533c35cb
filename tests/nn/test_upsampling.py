"""Upsample, UpsamplingNearest2d/Bilinear2d, PixelShuffle/Unshuffle against torch.nn."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from tests.nn.test_linear import assert_same_structure, run_both, x32

PAIRS = [
    (lambda m: m.Upsample(scale_factor=2), (2, 3, 4, 5), "nearest-2x"),
    (lambda m: m.Upsample(size=7), (2, 3, 5), "nearest-1d-size"),
    (lambda m: m.Upsample(scale_factor=(1.5, 2.5)), (1, 2, 4, 3), "nearest-tuple"),
    (lambda m: m.Upsample(size=(3, 9), mode="nearest-exact"), (2, 2, 5, 4), "nearest-exact"),
    (lambda m: m.Upsample(scale_factor=1.7, mode="linear"), (2, 3, 5), "linear"),
    (
        lambda m: m.Upsample(size=(7, 3), mode="bilinear", align_corners=True),
        (2, 3, 5, 4),
        "bilinear-corners",
    ),
    (lambda m: m.Upsample(scale_factor=2, mode="bilinear"), (2, 3, 5, 4), "bilinear"),
    (
        lambda m: m.Upsample(scale_factor=0.6, mode="bilinear", recompute_scale_factor=True),
        (1, 2, 6, 7),
        "bilinear-recompute",
    ),
    (lambda m: m.Upsample(scale_factor=1.5, mode="bicubic"), (1, 2, 4, 4), "bicubic"),
    (lambda m: m.Upsample(size=(2, 3, 4), mode="trilinear"), (1, 2, 3, 4, 5), "trilinear"),
    (lambda m: m.UpsamplingNearest2d(scale_factor=2), (2, 3, 4, 5), "UpsamplingNearest2d"),
    (lambda m: m.UpsamplingBilinear2d(size=(6, 9)), (2, 3, 4, 5), "UpsamplingBilinear2d"),
    (lambda m: m.PixelShuffle(2), (2, 8, 3, 4), "PixelShuffle"),
    (lambda m: m.PixelShuffle(3), (9, 2, 3), "PixelShuffle-unbatched"),
    (lambda m: m.PixelUnshuffle(2), (2, 3, 4, 6), "PixelUnshuffle"),
]


@pytest.mark.parametrize(("make", "shape"), [p[:2] for p in PAIRS], ids=[p[2] for p in PAIRS])
def test_layer_matches_torch(make, shape: tuple) -> None:
    ours, theirs = make(nn), make(torch.nn)
    assert_same_structure(ours, theirs)
    assert list(ours.parameters()) == []
    if "bicubic" not in repr(ours):
        run_both(ours, theirs, x32(*shape))
        return
    # float32 bicubic: 16 taps whose weights differ from torch's by ~1 ulp (see test_resample)
    xs = sg.from_numpy(x32(*shape)).requires_grad_()
    xt = torch.from_numpy(x32(*shape)).requires_grad_()
    out_s, out_t = ours(xs), theirs(xt)
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), 1e-5, 5e-6)
    g = np.random.default_rng(0).standard_normal(out_t.shape).astype(np.float32)
    out_s.backward(sg.from_numpy(g))
    out_t.backward(torch.from_numpy(g))
    np.testing.assert_allclose(xs.grad.numpy(), xt.grad.numpy(), 1e-5, 5e-6)


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.Upsample(scale_factor=2),
        lambda m: m.Upsample(scale_factor=(2, 3), mode="bilinear"),
        lambda m: m.Upsample(size=5, mode="bicubic", align_corners=False),
        lambda m: m.Upsample(size=(3, 4)),
        lambda m: m.Upsample(scale_factor=0),
        lambda m: m.UpsamplingBilinear2d(scale_factor=2),
        lambda m: m.PixelUnshuffle(3),
    ],
)
def test_repr_and_stored_arguments_match_torch(make) -> None:
    ours, theirs = make(nn), make(torch.nn)
    assert repr(ours) == repr(theirs)
    for name in ("size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"):
        assert getattr(ours, name, None) == getattr(theirs, name, None), name


def test_upsample_errors_come_from_interpolate() -> None:
    with pytest.raises(ValueError, match="either size or scale_factor"):
        nn.Upsample()(sg.zeros(1, 1, 4))
    with pytest.raises(NotImplementedError, match="bilinear mode needs 4D"):
        nn.Upsample(size=3, mode="bilinear")(sg.zeros(1, 1, 4))
