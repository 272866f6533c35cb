"""MultiheadAttention against torch.nn.MultiheadAttention: outputs, weights, all grads."""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn

TOL = {"float64": (1e-10, 1e-12), "float32": (1e-5, 1e-5)}
GRAD_TOL = {"float64": (1e-9, 1e-11), "float32": (1e-4, 1e-5)}


def _pair(a: np.ndarray, grad: bool):
    if a.dtype == bool or not grad:
        return sg.from_numpy(a.copy()), torch.from_numpy(a.copy())
    return sg.from_numpy(a.copy()).requires_grad_(), torch.from_numpy(a.copy()).requires_grad_()


def _outputs(out):
    return [o for o in (out if isinstance(out, tuple) else (out,)) if o is not None]


def check_module(ours, theirs, args, kwargs=None, dtype="float64", grad_inputs=None):
    """Load torch's state_dict into ours; compare outputs, input and parameter grads.

    ``args`` are NumPy arrays (float ones get gradients unless ``grad_inputs`` says not);
    ``kwargs`` maps names to NumPy arrays (masks, no gradient) or plain values.
    """
    theirs = theirs.to(getattr(torch, dtype))
    ours = ours.to(dtype=getattr(sg, dtype))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    grad_inputs = grad_inputs or [True] * len(args)
    pairs = [_pair(a.astype(dtype) if a.dtype.kind == "f" else a, g)
             for a, g in zip(args, grad_inputs, strict=True)]  # fmt: skip
    kw_s, kw_t = {}, {}
    for k, v in (kwargs or {}).items():
        if isinstance(v, np.ndarray):
            v = v.astype(dtype) if v.dtype.kind == "f" else v
            kw_s[k], kw_t[k] = sg.from_numpy(v.copy()), torch.from_numpy(v.copy())
        else:
            kw_s[k] = kw_t[k] = v
    out_s = _outputs(ours(*(p[0] for p in pairs), **kw_s))
    out_t = _outputs(theirs(*(p[1] for p in pairs), **kw_t))
    assert len(out_s) == len(out_t)
    rtol, atol = TOL[dtype]
    for o, t in zip(out_s, out_t, strict=True):
        assert o.shape == tuple(t.shape) and str(o.dtype).endswith(dtype)
        np.testing.assert_allclose(o.detach().numpy(), t.detach().numpy(), rtol, atol)
    rng = np.random.default_rng(1)
    seeds = [rng.standard_normal(t.shape).astype(dtype) for t in out_t]
    sum((o * sg.from_numpy(g)).sum() for o, g in zip(out_s, seeds, strict=True)).backward()
    sum((t * torch.from_numpy(g)).sum() for t, g in zip(out_t, seeds, strict=True)).backward()
    rtol, atol = GRAD_TOL[dtype]
    for i, (x, t) in enumerate(pairs):
        if t.requires_grad:
            np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol, atol, f"input {i}")
    params = dict(theirs.named_parameters())
    assert [n for n, _ in ours.named_parameters()] == list(params)
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), params[name].grad.numpy(), rtol, atol, name)


def rand(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


def causal_bool(n: int, m: int | None = None) -> np.ndarray:
    """torch MHA convention: True = may NOT attend (above the diagonal)."""
    return np.triu(np.ones((n, m or n), dtype=bool), 1)


def padding(n: int, s: int) -> np.ndarray:
    """(N, S) key padding: True = padding; key 0 is never padded."""
    kpm = np.random.default_rng(5).random((n, s)) < 0.4
    kpm[:, 0] = False
    return kpm


E, H, N, L, S = 8, 2, 3, 4, 5


def _qkv(batch_first: bool, kdim: int = E, vdim: int = E, same: bool = False):
    def shape(n_seq, d):
        return (N, n_seq, d) if batch_first else (n_seq, N, d)

    q = rand(*shape(L, E), seed=1)
    if same:
        return [q]
    return [q, rand(*shape(S, kdim), seed=2), rand(*shape(S, vdim), seed=3)]


def _mha_pair(**kw):
    torch.manual_seed(0)
    return nn.MultiheadAttention(E, H, **kw), torch.nn.MultiheadAttention(E, H, **kw)


FORWARD_KW = [
    {},
    {"need_weights": False},
    {"average_attn_weights": False},
    {"key_padding_mask": padding(N, S)},
    {"key_padding_mask": padding(N, S), "need_weights": False},
    {"attn_mask": causal_bool(L, S)},
    {"attn_mask": causal_bool(L, S), "need_weights": False, "key_padding_mask": padding(N, S)},
    {"attn_mask": rand(L, S, seed=7)},
    {"attn_mask": rand(N * H, L, S, seed=8), "need_weights": False},
    {"attn_mask": rand(N * H, L, S, seed=8), "average_attn_weights": False},
    {"attn_mask": rand(L, S, seed=9), "key_padding_mask": np.where(padding(N, S), -np.inf, 0.0)},
]


def _ids(kw: dict) -> str:
    return ",".join(f"{k}={v.shape if isinstance(v, np.ndarray) else v}" for k, v in kw.items())


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("fkw", FORWARD_KW, ids=[_ids(k) for k in FORWARD_KW])
def test_mha_matches_torch(fkw: dict, batch_first: bool, dtype: str) -> None:
    ours, theirs = _mha_pair(batch_first=batch_first)
    check_module(ours, theirs, _qkv(batch_first), fkw, dtype)


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_self_attention_uses_the_packed_projection(need_weights: bool) -> None:
    ours, theirs = _mha_pair(batch_first=True)
    x = _qkv(True, same=True)[0]
    xs, xt = sg.from_numpy(x.copy()).requires_grad_(), torch.from_numpy(x.copy()).requires_grad_()
    theirs.double()
    ours.double().load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    out_s = ours(xs, xs, xs, need_weights=need_weights)[0]
    out_t = theirs(xt, xt, xt, need_weights=need_weights)[0]
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), 1e-10, 1e-12)
    out_s.sum().backward()
    out_t.sum().backward()
    np.testing.assert_allclose(xs.grad.numpy(), xt.grad.numpy(), 1e-10, 1e-12)


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_is_causal_hint_with_its_mask(need_weights: bool) -> None:
    ours, theirs = _mha_pair()
    mask = np.triu(np.full((L, L), -np.inf), 1)
    q = rand(L, N, E)
    kw = {"attn_mask": mask, "is_causal": True, "need_weights": need_weights}
    check_module(ours, theirs, [q, q.copy(), q.copy()], kw)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("fkw", [{}, {"need_weights": False}, {"average_attn_weights": False}])
def test_mha_kdim_vdim_match_torch(fkw: dict, dtype: str) -> None:
    ours, theirs = _mha_pair(kdim=3, vdim=6)
    assert ours.in_proj_weight is None and ours.q_proj_weight.shape == (E, E)
    check_module(ours, theirs, _qkv(False, 3, 6), fkw, dtype)


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_without_bias_matches_torch(need_weights: bool) -> None:
    ours, theirs = _mha_pair(bias=False)
    assert ours.in_proj_bias is None and ours.out_proj.bias is None
    check_module(ours, theirs, _qkv(False), {"need_weights": need_weights})


@pytest.mark.parametrize(
    "fkw",
    [
        {},
        {"need_weights": False, "key_padding_mask": np.array([False, True, False, False, True])},
        {"attn_mask": rand(H, L, S, seed=4), "average_attn_weights": False},
    ],
    ids=["plain", "kpm", "3d-mask"],
)
def test_mha_unbatched_matches_torch(fkw: dict) -> None:
    ours, theirs = _mha_pair(batch_first=True)  # ignored for unbatched input, as torch
    check_module(ours, theirs, [rand(L, E), rand(S, E, seed=1), rand(S, E, seed=2)], fkw)


def test_mha_eval_ignores_dropout_and_train_applies_it() -> None:
    mha = nn.MultiheadAttention(E, H, dropout=0.5)
    x = sg.from_numpy(rand(L, N, E).astype(np.float32))
    mha.eval()
    a, b = mha(x, x, x)[0], mha(x, x, x)[0]
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    mha.train()
    _, w = mha(x, x, x, average_attn_weights=False)
    assert (w.detach().numpy() == 0).mean() > 0.2  # about half the weights dropped
    c = mha(x, x, x, need_weights=False)[0]
    assert not np.allclose(c.detach().numpy(), a.detach().numpy())


def test_mha_default_init_like_torch() -> None:
    mha = nn.MultiheadAttention(16, 4)
    bound = math.sqrt(6 / (16 + 48))
    w = mha.in_proj_weight.detach().numpy()
    assert w.shape == (48, 16) and w.dtype == np.float32
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.15 * bound
    assert not mha.in_proj_bias.detach().numpy().any()
    assert not mha.out_proj.bias.detach().numpy().any()
    ow = mha.out_proj.weight.detach().numpy()
    assert np.abs(ow).max() <= 1 / math.sqrt(16) and ow.std() > 0
    sep = nn.MultiheadAttention(16, 4, kdim=5, vdim=7)
    kb = math.sqrt(6 / (16 + 5))
    assert (
        sep.k_proj_weight.shape == (16, 5)
        and np.abs(sep.k_proj_weight.detach().numpy()).max() <= kb
    )
    assert sep.v_proj_weight.shape == (16, 7)


def test_mha_repr_and_attributes_like_torch() -> None:
    ours, theirs = _mha_pair(batch_first=True)
    assert repr(ours) == repr(theirs).replace("NonDynamicallyQuantizableLinear", "Linear")
    for name in ("embed_dim", "kdim", "vdim", "num_heads", "dropout", "batch_first", "head_dim"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert ours.bias_k is None and ours.bias_v is None and ours._qkv_same_embed_dim


def test_mha_errors() -> None:
    with pytest.raises(NotImplementedError, match="add_bias_kv"):
        nn.MultiheadAttention(8, 2, add_bias_kv=True)
    with pytest.raises(NotImplementedError, match="add_zero_attn"):
        nn.MultiheadAttention(8, 2, add_zero_attn=True)
    with pytest.raises(ValueError, match="divisible"):
        nn.MultiheadAttention(8, 3)
    with pytest.raises(ValueError, match="greater than 0"):
        nn.MultiheadAttention(0, 2)
    mha = nn.MultiheadAttention(8, 2)
    x = sg.randn(4, 3, 8)
    with pytest.raises(RuntimeError, match="Need attn_mask"):
        mha(x, x, x, is_causal=True)
    with pytest.raises(sg.ShapeError, match="2D attn_mask"):
        mha(x, x, x, attn_mask=sg.zeros(4, 5))
    with pytest.raises(sg.ShapeError, match="3D attn_mask"):
        mha(x, x, x, attn_mask=sg.zeros(3, 4, 4))
    with pytest.raises(sg.ShapeError, match="key_padding_mask"):
        mha(x, x, x, key_padding_mask=sg.zeros(3, 5, dtype=sg.bool))
    with pytest.raises(sg.ShapeError, match="embedding dimension"):
        mha(sg.randn(4, 3, 6), x, x)
    with pytest.raises(sg.ShapeError, match="2-D .unbatched. or 3-D"):
        mha(x, sg.randn(4, 8), x)
    with pytest.raises(TypeError, match="only bool and floating"):
        mha(x, x, x, attn_mask=sg.zeros(4, 4, dtype=sg.int64))
