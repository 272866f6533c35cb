"""Shared by the indexing tests: input makers, and errors checked against torch's."""

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg

Error = tuple[str, type[Exception], str, Callable[[Any], Any]]  # id, type, message, fn(lib)


def _x(rng: np.random.Generator, dtype: str, shape: tuple[int, ...] = (3, 4)) -> np.ndarray:
    return rng.uniform(-2, 2, shape).astype(dtype)


def _with_index(shape: tuple[int, ...], high: int, idx_shape: tuple[int, ...]) -> Callable:
    """x of ``shape`` and random int64 indices in [0, high) (repeats likely)."""
    return lambda rng, dt: [_x(rng, dt, shape), rng.integers(0, high, idx_shape)]


def make_error_test(errors: list[Error]) -> Callable[..., None]:
    """A test of each error: ``fn(sg)`` raises it with torch's message, as ``fn(torch)`` does."""

    @pytest.mark.parametrize(
        ("exc", "msg", "fn"), [e[1:] for e in errors], ids=[e[0] for e in errors]
    )
    def test_error_matches_torch(exc: type[Exception], msg: str, fn: Callable[[Any], Any]) -> None:
        with pytest.raises(exc, match=re.escape(msg)):
            fn(sg)
        with pytest.raises(exc, match=re.escape(msg)):  # the oracle says the same
            fn(torch)

    return test_error_matches_torch
