"""Choosing the next token from logits: temperature, top-k, then a categorical draw."""

from __future__ import annotations

from scratchgrad.backend import Array, xp
from scratchgrad.random import Generator, default_generator


def check_sampling(idx_shape: tuple[int, ...], temperature: float, top_k: int | None) -> None:
    """Refuse what ``generate`` cannot use, naming the value.

    Args:
        idx_shape: the prompt's shape; must be (B, T) with T >= 1.
        temperature: must be > 0.
        top_k: must be >= 1 or None.
    """
    if not temperature > 0:
        raise ValueError(f"generate: temperature must be > 0, got {temperature}")
    if top_k is not None and top_k < 1:
        raise ValueError(f"generate: top_k must be >= 1 or None, got {top_k}")
    if len(idx_shape) != 2 or idx_shape[1] < 1:
        raise ValueError(f"generate: idx must be (B, T) with T >= 1, got {idx_shape}")


def sample_next(
    logits: Array, temperature: float, top_k: int | None, generator: Generator | None
) -> Array:
    """One token per row of ``logits`` (B, V) -> (B, 1) int64.

    The logits are divided by ``temperature`` (below 1 sharpens, above 1 flattens), all
    but the ``top_k`` largest are dropped, and a token is drawn from the softmax.
    """
    x = logits.astype(xp.float64) / temperature  # (B, V)
    if top_k is not None and top_k < x.shape[-1]:
        kth = xp.partition(x, -top_k, axis=-1)[:, -top_k, None]  # (B, 1)
        x = xp.where(x < kth, -xp.inf, x)
    p = xp.exp(x - x.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    rng = (generator or default_generator).numpy
    u = rng.random((len(p), 1))  # one uniform per row: inverse-CDF draw
    picks = (p.cumsum(axis=-1) < u).sum(axis=-1, keepdims=True)
    out: Array = xp.minimum(picks, p.shape[-1] - 1).astype(xp.int64)
    return out
