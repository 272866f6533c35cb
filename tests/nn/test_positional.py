"""PositionalEncoding (sinusoidal) and LearnedPositionalEncoding: values, grads, buffers."""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn


def torch_table(max_len: int, d_model: int) -> np.ndarray:
    """The PyTorch tutorial's formula, computed in torch."""
    position = torch.arange(max_len, dtype=torch.float64).unsqueeze(1)
    two_i = torch.arange(0, d_model, 2, dtype=torch.float64)
    div = torch.exp(two_i * (-math.log(10000.0) / d_model))
    pe = torch.zeros(max_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(position * div)
    pe[:, 1::2] = torch.cos(position * div[: d_model // 2])
    return pe.numpy()


@pytest.mark.parametrize("d_model", [8, 7, 2])
def test_sinusoidal_values_match_the_formula(d_model: int) -> None:
    pe = nn.PositionalEncoding(d_model, max_len=300)
    assert pe.pe.shape == (300, 1, d_model) and pe.pe.dtype == sg.float32
    np.testing.assert_allclose(pe.pe.numpy()[:, 0], torch_table(300, d_model), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("batch_first", [False, True])
def test_sinusoidal_adds_per_position_and_passes_gradients(batch_first: bool) -> None:
    x = np.random.default_rng(0).standard_normal((3, 5, 8)).astype(np.float32)  # (L or N, ...)
    xs = sg.from_numpy(x.copy()).requires_grad_()
    out = nn.PositionalEncoding(8, max_len=50, batch_first=batch_first)(xs)
    table = torch_table(50, 8).astype(np.float32)
    expected = x + (table[None, :5] if batch_first else table[:3, None])
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-6, atol=1e-6)
    out.sum().backward()
    np.testing.assert_array_equal(xs.grad.numpy(), np.ones_like(x))


def test_sinusoidal_buffer_is_persistent_and_untrained() -> None:
    pe = nn.PositionalEncoding(4, max_len=10)
    assert list(pe.state_dict()) == ["pe"]
    assert list(pe.parameters()) == []
    assert not pe.pe.requires_grad
    assert repr(pe) == (
        "PositionalEncoding(\n  d_model=4, max_len=10, batch_first=False\n"
        "  (dropout): Dropout(p=0.0, inplace=False)\n)"
    )


def test_sinusoidal_dropout_in_training_only() -> None:
    pe = nn.PositionalEncoding(8, max_len=20, dropout=0.5)
    x = sg.ones(10, 4, 8)
    assert (pe(x).numpy() == 0).mean() > 0.3
    pe.eval()
    np.testing.assert_allclose(pe(x).numpy(), np.broadcast_to(1 + pe.pe.numpy()[:10], (10, 4, 8)))


@pytest.mark.parametrize("batch_first", [False, True])
def test_learned_encoding_value_and_gradient(batch_first: bool) -> None:
    torch.manual_seed(0)
    ours = nn.LearnedPositionalEncoding(12, 6, batch_first=batch_first)
    theirs = torch.nn.Embedding(12, 6)
    assert list(ours.state_dict()) == ["embedding.weight"]
    ours.load_state_dict({"embedding.weight": theirs.weight.detach().numpy()})
    shape = (2, 5, 6) if batch_first else (5, 2, 6)
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    xs, xt = sg.from_numpy(x.copy()).requires_grad_(), torch.from_numpy(x.copy()).requires_grad_()
    pos = theirs(torch.arange(5))
    out_t = xt + (pos if batch_first else pos.unsqueeze(1))
    out_s = ours(xs)
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), 1e-6, 1e-6)
    g = np.random.default_rng(2).standard_normal(shape).astype(np.float32)
    out_s.backward(sg.from_numpy(g))
    out_t.backward(torch.from_numpy(g))
    np.testing.assert_allclose(xs.grad.numpy(), xt.grad.numpy())
    np.testing.assert_allclose(
        ours.embedding.weight.grad.numpy(), theirs.weight.grad.numpy(), 1e-6, 1e-6
    )
    assert not ours.embedding.weight.grad.numpy()[5:].any()  # unused positions


def test_too_long_sequences_raise() -> None:
    with pytest.raises(sg.ShapeError, match="exceeds max_len=4"):
        nn.PositionalEncoding(8, max_len=4)(sg.zeros(5, 1, 8))
    with pytest.raises(sg.ShapeError, match="exceeds max_len=4"):
        nn.LearnedPositionalEncoding(4, 8, batch_first=True)(sg.zeros(1, 5, 8))
