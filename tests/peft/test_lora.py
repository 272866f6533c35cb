"""LoRA layers against the same computation written in torch; merging; initialisation."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF  # noqa: N812

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.peft import lora

RTOL, ATOL = 1e-5, 1e-5


def _t(p: sg.Tensor) -> torch.Tensor:
    return torch.from_numpy(p.detach().numpy().copy()).requires_grad_(True)


def _check(ours: lora.LoraLayer, x: np.ndarray, torch_forward, params: dict[str, sg.Tensor]):
    """Forward both, backward one random upstream gradient; compare outputs and grads."""
    theirs = {k: _t(v) for k, v in params.items()}
    xs = sg.from_numpy(x.copy()).requires_grad_(x.dtype.kind == "f")
    xt = torch.from_numpy(x.copy()).requires_grad_(x.dtype.kind == "f")
    out_s, out_t = ours(xs), torch_forward(xt, theirs)
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), RTOL, ATOL)
    g = np.random.default_rng(1).standard_normal(out_t.shape).astype(np.float32)
    out_s.backward(sg.from_numpy(g))
    out_t.backward(torch.from_numpy(g))
    for k, p in params.items():
        np.testing.assert_allclose(
            p.grad.numpy(), theirs[k].grad.detach().numpy(), RTOL, ATOL, err_msg=k
        )
    if x.dtype.kind == "f":
        np.testing.assert_allclose(xs.grad.numpy(), xt.grad.detach().numpy(), RTOL, ATOL)


def test_linear_matches_torch() -> None:
    sg.manual_seed(0)
    layer = lora.Linear(nn.Linear(5, 7), r=3, scaling=2.0, init_lora_weights=False)
    b = layer.base_layer
    params = {"w": b.weight, "b": b.bias, "A": layer.lora_A.weight, "B": layer.lora_B.weight}

    def ref(x, p):
        return TF.linear(x, p["w"], p["b"]) + (x @ p["A"].T @ p["B"].T) * 2.0

    _check(
        layer, np.random.default_rng(0).standard_normal((4, 2, 5)).astype(np.float32), ref, params
    )


def test_conv2d_matches_torch() -> None:
    sg.manual_seed(0)
    base = nn.Conv2d(3, 6, 3, stride=2, padding=1)
    layer = lora.Conv2d(base, r=2, scaling=0.5, init_lora_weights=False)
    params = {"w": base.weight, "b": base.bias, "A": layer.lora_A.weight, "B": layer.lora_B.weight}

    def ref(x, p):
        low = TF.conv2d(TF.conv2d(x, p["A"], stride=2, padding=1), p["B"])
        return TF.conv2d(x, p["w"], p["b"], stride=2, padding=1) + low * 0.5

    _check(
        layer,
        np.random.default_rng(0).standard_normal((2, 3, 7, 7)).astype(np.float32),
        ref,
        params,
    )


def test_embedding_matches_torch() -> None:
    sg.manual_seed(0)
    layer = lora.Embedding(nn.Embedding(11, 4), r=3, scaling=1.5, init_lora_weights=False)
    params = {
        "w": layer.base_layer.weight, "A": layer.lora_embedding_A, "B": layer.lora_embedding_B,
    }  # fmt: skip

    def ref(ids, p):
        return TF.embedding(ids, p["w"]) + TF.embedding(ids, p["A"].T) @ p["B"].T * 1.5

    _check(layer, np.array([[1, 5, 10], [0, 5, 2]]), ref, params)


@pytest.mark.parametrize(
    ("make", "x"),
    [
        (lambda: lora.Linear(nn.Linear(6, 5), 2, 2.0, init_lora_weights=False), (3, 6)),
        (lambda: lora.Conv2d(nn.Conv2d(2, 4, 3, padding=1), 2, 0.5, init_lora_weights=False),
         (2, 2, 5, 5)),
    ],
)  # fmt: skip
def test_merged_output_equals_unmerged(make, x) -> None:
    sg.manual_seed(0)
    layer = make()
    xs = sg.randn(*x)
    before = layer(xs).detach().numpy()
    layer.merge()
    assert layer.merged
    np.testing.assert_allclose(layer(xs).detach().numpy(), before, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(layer.base_layer(xs).detach().numpy(), before, rtol=1e-5, atol=1e-5)
    w = layer.base_layer.weight.detach().numpy().copy()
    layer.merge()  # twice is once
    np.testing.assert_array_equal(layer.base_layer.weight.detach().numpy(), w)
    layer.unmerge()
    assert not layer.merged
    np.testing.assert_allclose(layer(xs).detach().numpy(), before, rtol=1e-5, atol=1e-5)


def test_embedding_merge() -> None:
    sg.manual_seed(0)
    layer = lora.Embedding(nn.Embedding(9, 4), 2, 3.0, init_lora_weights=False)
    ids = sg.tensor([[0, 3, 8]])
    before = layer(ids).detach().numpy()
    layer.merge()
    np.testing.assert_allclose(layer(ids).detach().numpy(), before, rtol=1e-5, atol=1e-5)


def test_default_init_starts_at_the_base_model() -> None:
    sg.manual_seed(0)
    for layer, x in (
        (lora.Linear(nn.Linear(4, 3), 2, 1.0), sg.randn(2, 4)),
        (lora.Conv2d(nn.Conv2d(1, 2, 3), 2, 1.0), sg.randn(1, 1, 5, 5)),
        (lora.Embedding(nn.Embedding(5, 3), 2, 1.0), sg.tensor([1, 4])),
    ):
        np.testing.assert_array_equal(
            layer(x).detach().numpy(), layer.base_layer(x).detach().numpy()
        )
    lin = lora.Linear(nn.Linear(40, 3), 4, 1.0)
    assert np.all(lin.lora_B.weight.detach().numpy() == 0) and np.any(
        lin.lora_A.weight.detach().numpy() != 0
    )
    bound = 1 / np.sqrt(40)  # kaiming_uniform(a=sqrt(5)): U(-1/sqrt(in), 1/sqrt(in))
    assert np.abs(lin.lora_A.weight.detach().numpy()).max() <= bound
    emb = lora.Embedding(nn.Embedding(5, 3), 2, 1.0)
    assert np.all(emb.lora_embedding_A.detach().numpy() == 0) and np.any(
        emb.lora_embedding_B.detach().numpy() != 0
    )


def test_dropout_only_on_the_branch() -> None:
    sg.manual_seed(0)
    layer = lora.Linear(nn.Linear(4, 3), 2, 1.0, lora_dropout=0.5, init_lora_weights=False)
    x = sg.randn(8, 4)
    assert isinstance(layer.lora_dropout, nn.Dropout)
    layer.eval()
    expected = layer.base_layer(x).detach().numpy() + layer.lora_forward(x).detach().numpy()
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-6)


def test_unsupported_layers() -> None:
    with pytest.raises(ValueError, match="LayerNorm is not supported; only Linear, Conv2d"):
        lora.lora_layer(nn.LayerNorm(3), 2, 1.0, 0.0, True)
    with pytest.raises(ValueError, match="groups=1"):
        lora.Conv2d(nn.Conv2d(4, 4, 3, groups=2), 2, 1.0)
