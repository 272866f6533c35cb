"""Sequence data for language models: windows of a token stream, and a digit-sorting task.

A language model learns to predict token t+1 from tokens <= t, so each sample is a window
x = tokens[i : i + T] with its target y = tokens[i + 1 : i + T + 1], both (T,) int64.

>>> import numpy as np
>>> w = TokenWindows(np.arange(6), block_size=3)
>>> len(w), [t.tolist() for t in w[1]]
(3, [[1, 2, 3], [2, 3, 4]])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scratchgrad.data.dataset import TensorDataset
from scratchgrad.tensor import Tensor

IGNORE_INDEX = -100
"""Targets with this value add nothing to the loss (``cross_entropy``'s default)."""


class TokenWindows:
    """Every window of ``block_size`` tokens (and its shifted target) in a token stream.

    Args:
        tokens: the stream of token ids, shape (N,).
        block_size: T, the window length.
        stride: the step between window starts: 1 gives every window (for random
            training batches), ``block_size`` gives non-overlapping ones (for evaluation).

    A sample is (x, y), each (T,) int64, with y the next token at every position.
    """

    def __init__(self, tokens: ArrayLike, block_size: int, stride: int = 1) -> None:
        self.tokens = np.asarray(tokens, dtype=np.int64)
        if self.tokens.ndim != 1:
            raise ValueError(f"TokenWindows: tokens must be 1-d, got shape {self.tokens.shape}")
        if block_size < 1 or stride < 1:
            raise ValueError(
                f"TokenWindows: block_size and stride must be >= 1, got {block_size}, {stride}"
            )
        if len(self.tokens) < block_size + 1:
            raise ValueError(
                f"TokenWindows: {len(self.tokens)} tokens are too few for one window of "
                f"{block_size} and its target (need {block_size + 1})"
            )
        self.block_size, self.stride = block_size, stride

    def __len__(self) -> int:
        return (len(self.tokens) - self.block_size - 1) // self.stride + 1

    def __getitem__(self, index: int) -> tuple[Tensor, Tensor]:
        """The window at ``index``: (x, y), each (T,)."""
        x, y = self.__getitems__([index])
        return Tensor(x.array[0]), Tensor(y.array[0])

    def __getitems__(self, indices: Sequence[int] | NDArray[np.integer]) -> tuple[Tensor, Tensor]:
        """A batch of windows: x and y, each (B, T), gathered with one index array."""
        idx = np.asarray(indices, dtype=np.int64)
        if idx.size and (idx.min() < -len(self) or idx.max() >= len(self)):
            raise IndexError(f"TokenWindows: index out of range for {len(self)} windows")
        starts = (idx % len(self)) * self.stride  # (B,)
        pos = starts[:, None] + np.arange(self.block_size + 1)  # (B, T + 1)
        chunk = self.tokens[pos]
        return Tensor(chunk[:, :-1]), Tensor(chunk[:, 1:])


def sort_digits(n: int, length: int = 6, seed: int = 0) -> tuple[TensorDataset, str]:
    """A sequence task that needs no data files: learn to sort a string of digits.

    Each example is the text ``"<digits>><sorted digits>"``, e.g. ``"3141592>1123459"``
    written as token ids over the vocabulary ``"0123456789>"``. A language model reads
    it left to right; only the sorted half is scored, so the targets of the prompt
    positions are ``IGNORE_INDEX``.

    Args:
        n: examples.
        length: digits per example.
        seed: makes the examples reproducible.

    Returns:
        A dataset of (x, y), each (2 * length,) int64, and the vocabulary string.

    >>> data, vocab = sort_digits(2, length=3, seed=1)
    >>> x, y = data[0]
    >>> "".join(vocab[i] for i in x.tolist()), y.tolist()[:2]
    ('457>45', [-100, -100])
    """
    if n < 1 or length < 1:
        raise ValueError(f"sort_digits: n and length must be >= 1, got {n}, {length}")
    vocab = "0123456789>"
    digits = np.random.default_rng(seed).integers(0, 10, (n, length))
    sep = np.full((n, 1), vocab.index(">"))
    seq = np.concatenate([digits, sep, np.sort(digits, axis=1)], axis=1)  # (n, 2L + 1)
    x, y = seq[:, :-1], seq[:, 1:].copy()
    y[:, :length] = IGNORE_INDEX  # positions that read the prompt: unpredictable digits
    return TensorDataset(x.astype(np.int64), y.astype(np.int64)), vocab


__all__ = ["IGNORE_INDEX", "TokenWindows", "sort_digits"]
