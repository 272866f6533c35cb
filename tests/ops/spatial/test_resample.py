"""Parity of interpolate and the pixel shuffles with torch; errors; the adjoint identity."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.ops.spatial import resample as rs
from tests.ops._parity import Case, make_tests


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


def interp(**kw):
    def fn(m, a):
        return F(m).interpolate(a, **kw)

    return fn


def _label(kw: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in kw.items()).replace(" ", "")


SHAPE = {3: (2, 3, 5), 4: (2, 3, 5, 4), 5: (1, 2, 3, 4, 5)}
RESIZES = {  # ndim -> size / scale arguments (PyTorch's nearest 1-d/3-d backward disagrees
    # with its forward where out == in or 2 in but in / out != 1 / scale: left out here,
    # see test_nearest_gradient_is_the_adjoint_where_torchs_is_not)
    3: [{"size": 7}, {"size": 3}, {"scale_factor": 1.7}, {"scale_factor": 0.6}, {"size": 1}],
    4: [
        {"size": (7, 3)},
        {"scale_factor": 2},
        {"scale_factor": (1.5, 2.5)},
        {"scale_factor": 1.2},
        {"scale_factor": (0.6, 3.3), "recompute_scale_factor": True},
        {"size": 1},
    ],
    5: [{"size": (4, 2, 7)}, {"scale_factor": (1.5, 0.7, 1.7)}],
}
MODES = {
    "nearest": (3, 4, 5),
    "nearest-exact": (3, 4, 5),
    "linear": (3,),
    "bilinear": (4,),
    "bicubic": (4,),
    "trilinear": (5,),
}


# float32 bicubic: torch's cubic weights differ from ours by ~1 ulp (both ~6e-7 from the
# exact ones), and 16 taps of up to 3x the input add up to ~2e-6 absolute.
BICUBIC_TOL = (1e-5, 5e-6)


def _interpolate_cases() -> list[Case]:
    cases = []
    for mode, ndims in MODES.items():
        corners = (None,) if mode.startswith("nearest") else (False, True)
        for nd in ndims:
            for resize in RESIZES[nd]:
                for ac in corners:
                    kw = {**resize, "mode": mode}
                    if ac is not None:
                        kw["align_corners"] = ac
                    tol = BICUBIC_TOL if mode == "bicubic" else None
                    fn = interp(**kw)
                    cases.append(Case("interpolate", fn, (SHAPE[nd],), tol=tol, name=_label(kw)))
    return cases


UINT8_MODES = {"nearest": (3, 4, 5), "nearest-exact": (3, 4, 5), "bilinear": (4,), "bicubic": (4,)}


def _uint8_cases() -> list[Case]:
    """uint8 in, uint8 out, rounded as torch's fixed-point kernels: exactly equal.

    Left out: bilinear/bicubic to size 1 (torch 2.13 fails an internal assert there).
    """
    cases = []
    for mode, ndims in UINT8_MODES.items():
        corners = (None,) if mode.startswith("nearest") else (False, True)
        for nd in ndims:
            for resize in RESIZES[nd]:
                if corners != (None,) and resize == {"size": 1}:
                    continue
                for ac in corners:
                    kw = {**resize, "mode": mode, **({} if ac is None else {"align_corners": ac})}
                    name = f"uint8-{_label(kw)}"
                    fn = interp(**kw)
                    cases.append(
                        Case(
                            "interpolate",
                            fn,
                            (SHAPE[nd],),
                            low=0,
                            high=255,
                            dtypes=("uint8",),
                            name=name,
                        )
                    )
    return cases


def shuffle(m, a):
    return F(m).pixel_shuffle(a, 2)


def unshuffle(m, a):
    return F(m).pixel_unshuffle(a, 2)


SHUFFLE = ("reshape", "permute")
CASES = [
    *_interpolate_cases(),
    *_uint8_cases(),
    Case(
        "interpolate",
        interp(size=(9, 11), mode="bicubic"),
        make=lambda rng, dt: [(rng.integers(0, 2, (1, 3, 4, 5)) * 255).astype("uint8")],
        dtypes=("uint8",),
        name="uint8-bicubic-overshoot-clamped",
    ),
    Case("interpolate", interp(size=8), ((1, 2, 4),), name="nearest-default-2x"),
    Case(SHUFFLE, shuffle, ((2, 8, 3, 4),), name="pixel_shuffle"),
    Case(SHUFFLE, lambda m, a: F(m).pixel_shuffle(a, 3), ((9, 2, 3),), name="shuffle-3d-r3"),
    Case(SHUFFLE, shuffle, ((2, 1, 4, 2, 3),), name="pixel_shuffle-5d"),
    Case(SHUFFLE, unshuffle, ((2, 3, 4, 6),), name="pixel_unshuffle"),
    Case(SHUFFLE, lambda m, a: F(m).pixel_unshuffle(a, 3), ((1, 6, 3),), name="unshuffle-3d"),
    Case(SHUFFLE, lambda m, a: F(m).pixel_unshuffle(a, 1), ((2, 3, 4),), name="unshuffle-r1"),
]

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ indices, exactly
@pytest.mark.parametrize("nd", [3, 4, 5])
@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
@pytest.mark.parametrize("n", [3, 4, 5, 7, 10])
@pytest.mark.parametrize("scale", [0.6, 0.7, 1.2, 1.5, 1.7, 2.3, 2.5, 3.3, None])
def test_nearest_picks_torchs_source_indices(nd: int, mode: str, n: int, scale) -> None:
    """Forward on arange: each output is the index torch reads (float32 floor(dst * s))."""
    shape = (1, 1) + (1,) * (nd - 3) + (n,)
    kw = (
        {"scale_factor": (1.0,) * (nd - 3) + (scale,)}
        if scale
        else {"size": (1,) * (nd - 3) + (2 * n + 1,)}
    )
    x = np.arange(n, dtype=np.float32).reshape(shape)
    ours = rs.interpolate(sg.from_numpy(x), mode=mode, **kw).numpy()
    theirs = torch.nn.functional.interpolate(torch.from_numpy(x), mode=mode, **kw).numpy()
    np.testing.assert_array_equal(ours, theirs)


def test_nearest_gradient_is_the_adjoint_where_torchs_is_not() -> None:
    """1-d nearest, 4 -> 4 with scale 1.2: torch's forward reads [0, 0, 1, 2] (1 / scale)
    but its backward sends to [0, 1, 2, 3] (in / out); ours sends where forward read."""
    x = np.zeros((1, 1, 4))
    xs = sg.from_numpy(x.copy()).requires_grad_()
    xt = torch.from_numpy(x.copy()).requires_grad_()
    g = np.array([[[1.0, 10.0, 100.0, 1000.0]]])
    rs.interpolate(xs, scale_factor=1.2).backward(sg.from_numpy(g))
    torch.nn.functional.interpolate(xt, scale_factor=1.2).backward(torch.from_numpy(g))
    assert xs.grad.tolist() == [[[11.0, 100.0, 1000.0, 0.0]]]
    assert xt.grad.tolist() == [[[1.0, 10.0, 100.0, 1000.0]]]  # torch's, inconsistent


@pytest.mark.parametrize("mode", ["nearest", "bilinear", "bicubic"])
def test_backward_is_the_adjoint_on_a_large_image(mode: str) -> None:
    """<A x, g> == <x, A^T g> for a 2-d resize of 37 x 53 to 64 x 30 (the dot-product test)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 37, 53))
    xs = sg.from_numpy(x.copy()).requires_grad_()
    out = rs.interpolate(xs, size=(64, 30), mode=mode)
    g = rng.standard_normal(out.shape)
    out.backward(sg.from_numpy(g))
    np.testing.assert_allclose((out.detach().numpy() * g).sum(), (x * xs.grad.numpy()).sum())


def test_float32_stays_float32() -> None:
    x = sg.randn(1, 2, 3, 3, requires_grad=True)
    for mode in ("nearest", "bilinear", "bicubic"):
        y = rs.interpolate(x, scale_factor=1.5, mode=mode)
        y.sum().backward()
        assert y.dtype == sg.float32 and x.grad.dtype == sg.float32
        x.grad = None


# ------------------------------------------------------------------ errors, as torch's
ERRORS = [
    ({"size": 3, "scale_factor": 2.0}, ValueError, "only one of size or scale_factor"),
    ({}, ValueError, "either size or scale_factor"),
    ({"size": (3, 4, 5)}, ValueError, "same number of spatial dimensions"),
    ({"scale_factor": (2.0,)}, ValueError, "same number of spatial dimensions"),
    ({"size": 3, "align_corners": True}, ValueError, "align_corners option can only be set"),
    ({"size": 3, "mode": "linear"}, NotImplementedError, "Got 4D input, but linear mode"),
    ({"size": 3, "mode": "trilinear"}, NotImplementedError, "needs 5D input"),
    ({"size": 3, "mode": "area"}, NotImplementedError, "Only 3D, 4D and 5D"),
    ({"size": 3, "mode": "bilinear", "antialias": True}, NotImplementedError, "antialias"),
    ({"size": 0}, ShapeError, r"greater than 0, but got input \(H: 4, W: 4\) output"),
    ({"scale_factor": 0.1}, ShapeError, "greater than 0"),
]


@pytest.mark.parametrize(("kw", "error", "match"), ERRORS, ids=[e[2][:20] for e in ERRORS])
def test_interpolate_errors(kw: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        rs.interpolate(sg.zeros(1, 1, 4, 4), **kw)
    if error is not ShapeError and "antialias" not in kw and kw.get("mode") != "area":
        with pytest.raises(error):  # the same type as torch's
            torch.nn.functional.interpolate(torch.zeros(1, 1, 4, 4), **kw)


def test_interpolate_rejects_2d_and_integer_inputs() -> None:
    with pytest.raises(NotImplementedError, match="got 2D"):
        rs.interpolate(sg.zeros(3, 4), size=3)
    with pytest.raises(NotImplementedError, match="int64"):
        rs.interpolate(sg.zeros(1, 1, 4, dtype=sg.int64), size=3)
    for mode in ("linear", "trilinear"):  # torch: not implemented for 'Byte'
        x = sg.zeros(1, 1, *(4,) * (1 if mode == "linear" else 3), dtype=sg.uint8)
        with pytest.raises(NotImplementedError, match="uint8"):
            rs.interpolate(x, scale_factor=2, mode=mode)


def test_uint8_has_no_gradient_and_rounds_like_torch() -> None:
    """A uint8 resize returns uint8 that needs no grad; values equal torch's exactly."""
    rng = np.random.default_rng(3)
    a = rng.integers(0, 256, (2, 3, 37, 53)).astype(np.uint8)
    for mode in ("bilinear", "bicubic"):
        ours = rs.interpolate(sg.from_numpy(a), size=(64, 30), mode=mode)
        theirs = torch.nn.functional.interpolate(torch.from_numpy(a), size=(64, 30), mode=mode)
        assert ours.dtype == sg.uint8 and not ours.requires_grad
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_pixel_shuffle_errors() -> None:
    with pytest.raises(ShapeError, match="at least 3 dimensions"):
        rs.pixel_shuffle(sg.zeros(2, 3), 2)
    with pytest.raises(ShapeError, match=r"input.size\(-3\)=5 is not divisible by 4"):
        rs.pixel_shuffle(sg.zeros(1, 5, 2, 2), 2)
    with pytest.raises(ValueError, match="positive upscale_factor, but got 0"):
        rs.pixel_shuffle(sg.zeros(1, 4, 2, 2), 0)
    with pytest.raises(ShapeError, match=r"height to be divisible .* input.size\(-2\)=3"):
        rs.pixel_unshuffle(sg.zeros(1, 4, 3, 2), 2)
    with pytest.raises(ShapeError, match=r"width to be divisible .* input.size\(-1\)=3"):
        rs.pixel_unshuffle(sg.zeros(1, 4, 2, 3), 2)
    with pytest.raises(ValueError, match="positive downscale_factor"):
        rs.pixel_unshuffle(sg.zeros(1, 4, 2, 2), -1)


def test_pixel_unshuffle_inverts_pixel_shuffle() -> None:
    x = sg.randn(2, 12, 3, 5)
    np.testing.assert_array_equal(rs.pixel_unshuffle(rs.pixel_shuffle(x, 2), 2).numpy(), x.numpy())
