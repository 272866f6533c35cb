"""scaled_dot_product_attention against torch: values, gradients, masks, dropout, errors."""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.ops.neural.attention import scaled_dot_product_attention as sdpa
from tests.ops._parity import Case, make_tests

OP = "scaled_dot_product_attention"


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


def _attn(**kw):
    return lambda m, q, k, v: F(m).scaled_dot_product_attention(q, k, v, **kw)


def _masked(**kw):
    return lambda m, q, k, v, mask: F(m).scaled_dot_product_attention(q, k, v, mask, **kw)


def _qkv_mask(shapes, mask_shape, kind):
    """make(): q, k, v uniform, and a bool (some False) or float (some -inf) mask."""

    def make(rng, dtype):
        arrays = [rng.uniform(-2, 2, s).astype(dtype) for s in shapes]
        keep = rng.random(mask_shape) > 0.3
        keep[..., 0] = True  # every row attends somewhere: no 0/0 rows here
        if kind == "bool":
            return [*arrays, keep]
        return [*arrays, np.where(keep, rng.standard_normal(mask_shape), -np.inf).astype(dtype)]

    return make


QKV = ((2, 3, 5, 4), (2, 3, 6, 4), (2, 3, 6, 3))  # L=5 != S=6, Ev=3 != E=4

CASES = [
    Case(OP, _attn(), QKV, name="4d"),
    Case(OP, _attn(), ((4, 3), (4, 3), (4, 2)), name="2d"),
    Case(OP, _attn(), ((3, 5, 4), (3, 2, 4), (3, 2, 4)), name="3d-S<L"),
    Case(OP, _attn(is_causal=True), QKV, name="causal-L<S"),
    Case(OP, _attn(is_causal=True), ((2, 6, 4), (2, 4, 4), (2, 4, 2)), name="causal-L>S"),
    Case(OP, _attn(scale=0.3), QKV, name="scale"),
    Case(OP, _attn(is_causal=True, scale=1.7), ((1, 2, 4, 3),) * 3, name="causal-scale"),
    Case(OP, _attn(), ((2, 3, 5, 4), (1, 3, 6, 4), (1, 3, 6, 3)), name="batch-broadcast"),
    Case(OP, _masked(), make=_qkv_mask(QKV, (5, 6), "bool"), name="bool-mask-2d"),
    Case(OP, _masked(), make=_qkv_mask(QKV, (2, 1, 5, 6), "bool"), name="bool-mask-heads"),
    Case(OP, _masked(scale=0.5), make=_qkv_mask(QKV, (2, 3, 5, 6), "bool"), name="bool-full"),
    Case(OP, _masked(), make=_qkv_mask(QKV, (5, 6), "float"), name="float-mask-2d"),
    Case(OP, _masked(), make=_qkv_mask(QKV, (1, 3, 1, 6), "float"), name="float-mask-bcast"),
    Case(OP, _masked(), make=_qkv_mask(QKV, (2, 3, 5, 6), "float"), name="float-mask-full"),
]

test_parity, test_gradcheck = make_tests(CASES)


def _pair(*shapes, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    ours = [sg.from_numpy(a.copy()).requires_grad_() for a in arrays]
    theirs = [torch.from_numpy(a.copy()).requires_grad_() for a in arrays]
    return ours, theirs


def test_gqa_matches_torch() -> None:
    ours, theirs = _pair((2, 4, 3, 5), (2, 2, 6, 5), (2, 2, 6, 3))
    out_s, out_t = (
        sdpa(*ours, enable_gqa=True),
        F(torch).scaled_dot_product_attention(*theirs, enable_gqa=True),
    )
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), 1e-12, 1e-12)
    out_s.sum().backward()
    out_t.sum().backward()
    for x, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), 1e-12, 1e-12)


@pytest.mark.parametrize("kind", ["bool", "float"])
def test_fully_masked_rows_give_zeros_like_torch(kind: str) -> None:
    ours, theirs = _pair((1, 3, 4), (1, 5, 4), (1, 5, 2))
    keep = np.ones((3, 5), dtype=bool)
    keep[1] = False
    mask = keep if kind == "bool" else np.where(keep, 0.0, -np.inf)
    out_s = sdpa(*ours, attn_mask=sg.from_numpy(mask))
    out_t = F(torch).scaled_dot_product_attention(*theirs, attn_mask=torch.from_numpy(mask))
    assert not np.isnan(out_s.detach().numpy()).any()
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), 1e-12, 1e-12)
    assert not out_s.detach().numpy()[0, 1].any()
    out_s.sum().backward()
    out_t.sum().backward()
    for x, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), 1e-12, 1e-12)


@pytest.mark.parametrize("kw", [{}, {"is_causal": True}, {"scale": 0.2}], ids=str)
def test_fused_equals_composed(kw: dict) -> None:
    ours, _ = _pair((2, 2, 4, 3), (2, 2, 4, 3), (2, 2, 4, 2), dtype=np.float32)
    q, k, v = ours
    scale = kw.get("scale", 1 / math.sqrt(3))
    scores = q @ k.transpose(-1, -2) * scale
    if kw.get("is_causal"):
        scores = scores.masked_fill(sg.tensor(np.triu(np.ones((4, 4), bool), 1)), -math.inf)
    composed = F(sg).softmax(scores, dim=-1) @ v
    composed.sum().backward()
    grads = [t.grad.numpy().copy() for t in ours]
    for t in ours:
        t.grad = None
    fused = sdpa(q, k, v, **kw)
    fused.sum().backward()
    np.testing.assert_allclose(fused.detach().numpy(), composed.detach().numpy(), 1e-5, 1e-6)
    for t, g in zip(ours, grads, strict=True):
        np.testing.assert_allclose(t.grad.numpy(), g, 1e-5, 1e-6)


def test_float32_stays_float32() -> None:
    ours, _ = _pair((2, 3, 4), (2, 5, 4), (2, 5, 6), dtype=np.float32)
    out = sdpa(*ours, is_causal=True)
    out.sum().backward()
    assert out.dtype == sg.float32
    assert all(t.grad.dtype == sg.float32 for t in ours)


# ------------------------------------------------------------------ dropout
def _eye_values(p: float, seed: int = 0):
    """With v = I, the output is the dropped attention weights themselves."""
    ours, _ = _pair((4, 50, 8), (4, 40, 8), dtype=np.float32, seed=seed)
    eye = sg.eye(40)
    sg.manual_seed(seed)
    return ours, sdpa(ours[0], ours[1], eye, dropout_p=p), sdpa(ours[0], ours[1], eye)


def test_dropout_zeroes_about_p_and_rescales_the_rest() -> None:
    _, dropped, full = _eye_values(0.3)
    d, f = dropped.detach().numpy(), full.detach().numpy()
    zero = d == 0
    assert 0.27 < zero.mean() < 0.33  # 8000 draws: the std of the fraction is 0.005
    np.testing.assert_allclose(d[~zero], f[~zero] / 0.7, rtol=1e-6)


def test_dropout_follows_the_global_seed() -> None:
    a = _eye_values(0.5, seed=3)[1].detach().numpy()
    b = _eye_values(0.5, seed=3)[1].detach().numpy()
    c = _eye_values(0.5, seed=4)[1].detach().numpy()
    np.testing.assert_array_equal(a, b)
    assert (a != c).any()


def test_dropout_one_gives_zeros() -> None:
    assert not _eye_values(1.0)[1].detach().numpy().any()


@pytest.mark.parametrize("mask", [False, True])
def test_dropout_backward_with_a_fixed_mask_passes_gradcheck(mask: bool) -> None:
    ours, _ = _pair((2, 3, 4), (2, 5, 4), (2, 5, 3), (3, 5))

    def f(q, k, v, m):
        sg.manual_seed(7)  # the same dropout mask at every evaluation
        return sdpa(q, k, v, attn_mask=m if mask else None, dropout_p=0.4)

    assert sg.gradcheck(f, ours, eps=1e-6, atol=1e-6, rtol=1e-4)


def test_dropout_statistically_matches_torch_on_average() -> None:
    """The mean over many dropout draws approaches the no-dropout output, as torch's."""
    ours, theirs = _pair((2, 6, 4), (2, 6, 4), (2, 6, 3), dtype=np.float32)
    sg.manual_seed(0)
    torch.manual_seed(0)
    mean_s = sum(sdpa(*ours, dropout_p=0.5).detach().numpy() for _ in range(400)) / 400
    mean_t = (
        sum(
            F(torch).scaled_dot_product_attention(*theirs, dropout_p=0.5).detach().numpy()
            for _ in range(400)
        )
        / 400
    )
    exact = sdpa(*ours).detach().numpy()
    assert np.abs(mean_s - exact).mean() < 0.1
    assert abs(np.abs(mean_s - exact).mean() - np.abs(mean_t - exact).mean()) < 0.05


# ------------------------------------------------------------------ errors
def test_errors() -> None:
    q = sg.randn(2, 3, 4)
    with pytest.raises(RuntimeError, match="is_causal"):
        sdpa(q, q, q, attn_mask=sg.ones(3, 3, dtype=sg.bool), is_causal=True)
    with pytest.raises(TypeError, match="same floating dtype"):
        sdpa(q, q, q.double())
    with pytest.raises(TypeError, match="attn_mask dtype"):
        sdpa(q, q, q, attn_mask=sg.zeros(3, 3, dtype=sg.float64))
    with pytest.raises(sg.ShapeError, match="key must be"):
        sdpa(q, sg.randn(2, 3, 5), q)
    with pytest.raises(sg.ShapeError, match="attn_mask must broadcast"):
        sdpa(q, q, q, attn_mask=sg.ones(4, 3, dtype=sg.bool))
    with pytest.raises(ValueError, match="dropout_p"):
        sdpa(q, q, q, dropout_p=1.5)
    with pytest.raises(sg.ShapeError, match="multiple of key/value heads"):
        sdpa(sg.randn(1, 3, 2, 4), sg.randn(1, 2, 2, 4), sg.randn(1, 2, 2, 4), enable_gqa=True)
