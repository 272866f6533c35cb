"""Perplexity: vs exp of torch cross-entropy, streaming vs one-shot, errors."""

import math
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.train.metrics.language_model import Perplexity, perplexity
from tests.train.metrics._common import (
    SEED,
    SEEDS,
    STREAM,
    _raises,
    _stream,
)


# ---------------------------------------------------------------- perplexity vs torch
def _torch_ppl(logits: np.ndarray, targets: np.ndarray, ignore_index: int = -100) -> float:
    x = torch.from_numpy(logits).reshape(-1, logits.shape[-1])
    loss = torch.nn.functional.cross_entropy(
        x, torch.from_numpy(targets).reshape(-1), ignore_index=ignore_index
    )
    return math.exp(loss.item())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_perplexity_matches_exp_of_torch_cross_entropy(seed: int, dtype: Any) -> None:
    rng = np.random.default_rng(seed)
    logits = (rng.standard_normal((4, 9, 30)) * 3).astype(dtype)  # (B, T, V)
    targets = rng.integers(0, 30, (4, 9))
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    expected = _torch_ppl(logits, targets)
    np.testing.assert_allclose(perplexity(logits, targets), expected, rtol=rtol)
    np.testing.assert_allclose(
        perplexity(logits.reshape(36, 30), targets.ravel()), expected, rtol=rtol
    )
    targets[:, -3:] = -100  # padding
    np.testing.assert_allclose(
        perplexity(sg.tensor(logits), targets, ignore_index=-100),
        _torch_ppl(logits, targets),
        rtol=rtol,
    )


def test_perplexity_of_float16_logits_is_computed_in_float32() -> None:
    rng = np.random.default_rng(0)
    logits = (rng.standard_normal((64, 50)) * 4).astype(np.float16)
    targets = rng.integers(0, 50, 64)
    expected = _torch_ppl(logits.astype(np.float32), targets)
    np.testing.assert_allclose(perplexity(logits, targets), expected, rtol=1e-5)


def test_perplexity_of_a_loss_and_extreme_logits() -> None:
    loss = torch.nn.functional.cross_entropy(torch.randn(8, 5), torch.randint(0, 5, (8,)))
    assert perplexity(loss.item()) == pytest.approx(math.exp(loss.item()))
    assert perplexity(sg.tensor(2.0)) == pytest.approx(math.exp(2.0))
    assert perplexity(np.array([math.log(3.0)])) == pytest.approx(3.0)
    logits = np.array([[1000.0, -1000.0], [0.0, 1000.0]], dtype=np.float32)
    assert perplexity(logits, np.array([0, 1])) == 1.0  # no overflow in exp


@STREAM
@given(seed=SEED, cuts=st.lists(st.integers(1, 11), max_size=5))
def test_streaming_perplexity_equals_one_shot(seed: int, cuts: list[int]) -> None:
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((12, 6, 11)).astype(np.float32)  # batches split along B
    targets = rng.integers(0, 11, (12, 6))
    targets[rng.random((12, 6)) < 0.3] = -1
    got = _stream(Perplexity(ignore_index=-1), logits, targets, cuts)
    np.testing.assert_allclose(got, perplexity(logits, targets, ignore_index=-1), rtol=1e-12)


def test_error_perplexity_shapes() -> None:
    _raises(
        ShapeError,
        "perplexity: logits (..., C) and targets (...) must share the leading dims: "
        "logits=(2, 7, 5), targets=(2, 8)",
        lambda: perplexity(np.zeros((2, 7, 5)), np.zeros((2, 8), dtype=int)),
    )
    _raises(
        ShapeError,
        "perplexity: without targets, expects the mean cross-entropy, a scalar; got shape (2, 5)",
        lambda: perplexity(np.zeros((2, 5))),
    )
