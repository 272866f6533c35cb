"""EmbeddingBag, as ``torch.nn``: the sum, mean or max of the embeddings of each bag."""

from __future__ import annotations

from typing import Any

from scratchgrad.nn.linear import Embedding
from scratchgrad.ops.neural.embedding_bag import MODES, embedding_bag
from scratchgrad.tensor import Tensor


class EmbeddingBag(Embedding):
    """A lookup table whose rows are reduced per bag of indices, without the (B, N, D) tensor.

    Args:
        num_embeddings: V, the size of the table.
        embedding_dim: D.
        max_norm: not supported.
        norm_type: unused without max_norm.
        scale_grad_by_freq: not supported.
        mode: "sum", "mean" or "max".
        sparse: accepted; gradients are dense.
        _weight: an initial table (V, D) to copy.
        include_last_offset: offsets hold B + 1 boundaries.
        padding_idx: an index left out of every bag; its row starts at zero.
        device: "cpu" or None (the only device).
        dtype: weight dtype (default: the default float dtype).

    Shape:
        forward((B, N) indices) or forward((L,) indices, (B,) offsets) -> (B, D).

    Raises:
        ValueError: for an unknown mode or a padding_idx outside the table.
        NotImplementedError: for max_norm or scale_grad_by_freq.

    >>> import scratchgrad as sg
    >>> EmbeddingBag(10, 3, mode="sum")(sg.tensor([[1, 2], [3, 3]])).shape
    (2, 3)
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        _weight: Tensor | None = None,
        include_last_offset: bool = False,
        padding_idx: int | None = None,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"EmbeddingBag: mode has to be one of sum, mean or max, got {mode!r}")
        if max_norm is not None or scale_grad_by_freq:
            raise NotImplementedError(
                "EmbeddingBag: max_norm and scale_grad_by_freq are not supported"
            )
        super().__init__(num_embeddings, embedding_dim, padding_idx, device=device, dtype=dtype)
        if _weight is not None:
            self.weight.array[...] = _weight.array
        self.max_norm, self.norm_type, self.scale_grad_by_freq = max_norm, norm_type, False
        self.mode, self.sparse, self.include_last_offset = mode, sparse, include_last_offset

    def forward(
        self,
        input: Tensor,  # noqa: A002 - PyTorch's name
        offsets: Tensor | None = None,
        per_sample_weights: Tensor | None = None,
    ) -> Tensor:
        """embedding_bag of the indices with this table and settings. -> (B, D)."""
        return embedding_bag(
            input,
            self.weight,
            offsets,
            mode=self.mode,
            per_sample_weights=per_sample_weights,
            include_last_offset=self.include_last_offset,
            padding_idx=self.padding_idx,
        )

    def extra_repr(self) -> str:
        """``10, 3, mode='mean'`` and ``, padding_idx=0`` when set."""
        s = f"{self.num_embeddings}, {self.embedding_dim}, mode='{self.mode}'"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s


__all__ = ["EmbeddingBag"]
