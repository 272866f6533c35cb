"""Positional encodings added to token embeddings: sinusoidal (fixed) and learned.

torch has no such layers; ``PositionalEncoding`` is the one of the PyTorch tutorial
("Language modeling with nn.Transformer"), with the same buffer name and shape, so the
tutorial's state_dicts load directly.
"""

from __future__ import annotations

import math

from scratchgrad.backend import xp
from scratchgrad.creation import arange
from scratchgrad.dtypes import get_default_dtype
from scratchgrad.errors import ShapeError
from scratchgrad.nn.linear import Dropout, Embedding
from scratchgrad.nn.module import Module
from scratchgrad.tensor import Tensor, wrap


def sinusoidal_table(max_len: int, d_model: int) -> Tensor:
    """The sinusoidal encodings, shape (max_len, d_model), in the default float dtype.

    ``pe[pos, 2i] = sin(pos * div[i])`` and ``pe[pos, 2i + 1] = cos(pos * div[i])`` with
    ``div = exp(arange(0, d_model, 2) * (-ln(10000) / d_model))`` (an odd d_model drops
    the last cosine column). Computed in float64, then cast.

    >>> [round(v, 4) for v in sinusoidal_table(2, 4)[1].tolist()]
    [0.8415, 0.5403, 0.01, 0.9999]
    """
    position = xp.arange(max_len, dtype=xp.float64)[:, None]  # (max_len, 1)
    div = xp.exp(xp.arange(0, d_model, 2, dtype=xp.float64) * (-math.log(10000.0) / d_model))
    pe = xp.zeros((max_len, d_model))
    pe[:, 0::2] = xp.sin(position * div)
    pe[:, 1::2] = xp.cos(position * div[: d_model // 2])
    return wrap(pe.astype(str(get_default_dtype())))


def _check_len(n: int, max_len: int, where: str) -> None:
    if n > max_len:
        raise ShapeError(f"{where}: sequence length {n} exceeds max_len={max_len} positions")


class PositionalEncoding(Module):
    """Adds the fixed sinusoidal encoding of each position, then dropout.

    Args:
        d_model: embedding width E.
        max_len: the longest sequence.
        dropout: dropout probability after the addition (PyTorch's tutorial uses 0.1).
        batch_first: inputs are (N, L, E) instead of (L, N, E).

    Attributes:
        pe: a persistent buffer of shape (max_len, 1, d_model), as the PyTorch tutorial's
            (so its state_dicts load; it is saved although it never changes).

    Shape:
        (L, N, E), or (N, L, E) when batch_first -> same; L <= max_len.

    >>> import scratchgrad as sg
    >>> PositionalEncoding(4)(sg.zeros(2, 1, 4))[1, 0].tolist()[:2]  # sin(1), cos(1)
    [0.8414709568023682, 0.5403022766113281]
    """

    pe: Tensor

    def __init__(
        self, d_model: int, max_len: int = 5000, dropout: float = 0.0, batch_first: bool = False
    ) -> None:
        super().__init__()
        self.d_model = d_model
        self.max_len = max_len
        self.batch_first = batch_first
        self.dropout = Dropout(p=dropout)
        self.register_buffer("pe", sinusoidal_table(max_len, d_model).unsqueeze(1))

    def forward(self, x: Tensor) -> Tensor:
        """x + pe for each position, then dropout. (L, N, E) or (N, L, E) -> same."""
        n = x.shape[1] if self.batch_first else x.shape[0]
        _check_len(n, self.max_len, "PositionalEncoding")
        pe: Tensor = self.pe[:n]  # (L, 1, E)
        if self.batch_first:
            pe = pe.transpose(0, 1)  # (1, L, E)
        out: Tensor = self.dropout(x + pe)
        return out

    def extra_repr(self) -> str:
        """``d_model=8, max_len=5000, batch_first=False``."""
        return f"d_model={self.d_model}, max_len={self.max_len}, batch_first={self.batch_first}"


class LearnedPositionalEncoding(Module):
    """Adds a learned vector per position (an Embedding of positions), then dropout.

    Args:
        max_len: the longest sequence (number of positions).
        d_model: embedding width E.
        dropout: dropout probability after the addition.
        batch_first: inputs are (N, L, E) instead of (L, N, E).

    Attributes:
        embedding: Embedding(max_len, d_model), N(0, 1) at start (state key
            ``embedding.weight``).

    Shape:
        (L, N, E), or (N, L, E) when batch_first -> same; L <= max_len.

    >>> import scratchgrad as sg
    >>> LearnedPositionalEncoding(16, 4, batch_first=True)(sg.zeros(2, 3, 4)).shape
    (2, 3, 4)
    """

    def __init__(
        self, max_len: int, d_model: int, dropout: float = 0.0, batch_first: bool = False
    ) -> None:
        super().__init__()
        self.max_len = max_len
        self.d_model = d_model
        self.batch_first = batch_first
        self.embedding = Embedding(max_len, d_model)
        self.dropout = Dropout(p=dropout)

    def forward(self, x: Tensor) -> Tensor:
        """x + embedding(positions), then dropout. (L, N, E) or (N, L, E) -> same."""
        n = x.shape[1] if self.batch_first else x.shape[0]
        _check_len(n, self.max_len, "LearnedPositionalEncoding")
        pos: Tensor = self.embedding(arange(n))  # (L, E)
        out: Tensor = self.dropout(x + (pos if self.batch_first else pos.unsqueeze(1)))
        return out


__all__ = ["LearnedPositionalEncoding", "PositionalEncoding", "sinusoidal_table"]
