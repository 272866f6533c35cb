"""Houlsby adapters: identity at start, the residual bottleneck against torch, insertion."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.models import GPT, GPTConfig
from scratchgrad.peft import count_parameters
from scratchgrad.peft.adapter import AdapterLayer, BottleneckAdapter, add_adapters


def test_starts_as_identity_and_matches_torch() -> None:
    sg.manual_seed(0)
    a = BottleneckAdapter(6, 3)
    h = sg.randn(4, 6)
    np.testing.assert_array_equal(a(h).detach().numpy(), h.numpy())
    for p in (a.up.weight, a.up.bias):
        p.array[...] = np.random.default_rng(0).standard_normal(p.shape)
    t = {k: torch.from_numpy(v.detach().numpy().copy()) for k, v in a.state_dict().items()}
    ht = torch.from_numpy(h.numpy().copy())
    down = torch.relu(ht @ t["down.weight"].T + t["down.bias"])
    expected = ht + down @ t["up.weight"].T + t["up.bias"]
    np.testing.assert_allclose(a(h).detach().numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)


def test_add_adapters_to_a_gpt() -> None:
    sg.manual_seed(0)
    gpt = GPT(GPTConfig(vocab_size=9, block_size=8, n_layer=2, n_head=2, n_embd=8))
    idx = sg.tensor([[1, 2, 3]])
    before = gpt(idx).detach().numpy()
    names = add_adapters(gpt, ["attn", "mlp"], bottleneck=2, dim=8)
    assert names == ["h.0.attn", "h.0.mlp", "h.1.attn", "h.1.mlp"]
    assert isinstance(gpt.h[0].attn, AdapterLayer)
    assert count_parameters(gpt).trainable == 4 * (8 * 2 + 2 + 2 * 8 + 8)
    np.testing.assert_allclose(gpt(idx).detach().numpy(), before, rtol=1e-6)


def test_add_adapters_errors() -> None:
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    with pytest.raises(ValueError, match="not found"):
        add_adapters(model, ["head"])
    with pytest.raises(ValueError, match="give dim: 1 is a ReLU"):
        add_adapters(model, ["1"])
