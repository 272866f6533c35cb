"""Transformer layers and stacks, as ``torch.nn.Transformer*``.

Same arguments, submodule and parameter names (``layers.0.self_attn.in_proj_weight``,
``layers.0.linear1.weight``, ...), so torch state_dicts load directly, and the same
computation: post-norm (``norm_first=False``, the paper's) or pre-norm blocks of
self-attention, cross-attention (decoder) and a feed-forward network, each wrapped in
dropout and a residual connection. torch's inference fast paths (nested tensors) are not
reproduced: padded positions get ordinary outputs, not zeros.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from scratchgrad.autograd import no_grad
from scratchgrad.backend import check_device, xp
from scratchgrad.errors import ShapeError
from scratchgrad.nn import init
from scratchgrad.nn.attention import MultiheadAttention, canonical_mask
from scratchgrad.nn.container import ModuleList
from scratchgrad.nn.linear import Dropout, Linear
from scratchgrad.nn.module import Module
from scratchgrad.nn.normalization import LayerNorm
from scratchgrad.ops.neural.piecewise import relu
from scratchgrad.ops.neural.smooth import gelu
from scratchgrad.tensor import Tensor, wrap

Activation = str | Callable[[Tensor], Tensor]


def _activation_fn(activation: Activation) -> Callable[[Tensor], Tensor]:
    """The activation function: relu or gelu for their names, a callable as is."""
    if activation == "relu":
        return relu
    if activation == "gelu":
        return gelu
    if isinstance(activation, str):
        raise RuntimeError(f"activation should be relu/gelu, not {activation}")
    return activation


def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
    """The causal float mask (sz, sz): 0 on and below the diagonal, -inf above.

    >>> generate_square_subsequent_mask(3).tolist()
    [[0.0, -inf, -inf], [0.0, 0.0, -inf], [0.0, 0.0, 0.0]]
    """
    from scratchgrad.dtypes import as_dtype, get_default_dtype

    check_device(device, "generate_square_subsequent_mask")
    dt = str(as_dtype(dtype) if dtype is not None else get_default_dtype())
    return wrap(xp.triu(xp.full((sz, sz), -xp.inf, dtype=dt), k=1))


def _is_causal(mask: Tensor | None, is_causal: bool | None, size: int) -> bool:
    """torch's ``_detect_is_causal_mask``: the flag, or (when None) whether mask is causal."""
    if is_causal is not None:
        return is_causal
    if mask is None or mask.shape != (size, size):
        return False
    as_float = canonical_mask(mask, "mask", "float64")  # a bool mask: True -> -inf
    causal = xp.triu(xp.full((size, size), -xp.inf), k=1)
    return as_float is not None and bool(xp.array_equal(as_float.array, causal))


class _Block(Module):
    """What encoder and decoder layers share: self-attention and feed-forward blocks."""

    activation: Callable[[Tensor], Tensor]
    self_attn: MultiheadAttention
    dropout1: Dropout

    def _feed_forward_parts(self, d_model: int, dim_ff: int, dropout: float, bias: bool) -> None:
        self.linear1 = Linear(d_model, dim_ff, bias=bias)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_ff, d_model, bias=bias)

    def _sa_block(
        self, x: Tensor, mask: Tensor | None, kpm: Tensor | None, is_causal: bool
    ) -> Tensor:
        """Self-attention of x (no weights: the fused kernel), then dropout1."""
        out = self.self_attn(
            x, x, x, attn_mask=mask, key_padding_mask=kpm, need_weights=False, is_causal=is_causal
        )[0]
        result: Tensor = self.dropout1(out)
        return result

    def _ff_block(self, x: Tensor, drop: Dropout) -> Tensor:
        """linear2(dropout(activation(linear1(x)))), then ``drop``. (*, E) -> (*, E)."""
        out: Tensor = drop(self.linear2(self.dropout(self.activation(self.linear1(x)))))
        return out


class TransformerEncoderLayer(_Block):
    """Self-attention and a feed-forward network, each with residual, dropout and norm.

    Args:
        d_model: model width E.
        nhead: attention heads.
        dim_feedforward: hidden width of the feed-forward network.
        dropout: dropout probability (attention weights, feed-forward, residuals).
        activation: "relu", "gelu" or a callable.
        layer_norm_eps: LayerNorm eps.
        batch_first: (N, S, E) instead of (S, N, E).
        norm_first: pre-norm (x + f(norm(x))) instead of post-norm (norm(x + f(x))).
        bias: biases in the linear layers and LayerNorms.

    Shape:
        src (S, N, E), (N, S, E) when batch_first, or (S, E) -> same.

    >>> import scratchgrad as sg
    >>> TransformerEncoderLayer(8, 2, 16, batch_first=True)(sg.randn(3, 5, 8)).shape
    (3, 5, 8)
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Activation = "relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device, "TransformerEncoderLayer")
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first
        )
        self._feed_forward_parts(d_model, dim_feedforward, dropout, bias)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.activation = _activation_fn(activation)
        if dtype is not None:
            self.to(dtype=dtype)

    def forward(
        self,
        src: Tensor,
        src_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool = False,
    ) -> Tensor:
        """One encoder block.

        Args:
            src: (S, N, E), (N, S, E) or (S, E).
            src_mask: (S, S) or (N * nhead, S, S); bool True = may not attend, or float.
            src_key_padding_mask: (N, S); bool True = padding, or float.
            is_causal: a hint that src_mask is the causal mask.

        Returns:
            Same shape as src.
        """
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._ff_block(self.norm2(x), self.dropout2)
        x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
        out: Tensor = self.norm2(x + self._ff_block(x, self.dropout2))
        return out


class TransformerDecoderLayer(_Block):
    """Self-attention, cross-attention to memory, feed-forward; each with residual and norm.

    Args: as :class:`TransformerEncoderLayer`.

    Shape:
        tgt (T, N, E), memory (S, N, E) -> (T, N, E); batch-first (N, T, E); or unbatched.

    >>> import scratchgrad as sg
    >>> layer = TransformerDecoderLayer(8, 2, 16, batch_first=True)
    >>> layer(sg.randn(3, 4, 8), sg.randn(3, 6, 8)).shape
    (3, 4, 8)
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Activation = "relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device, "TransformerDecoderLayer")
        kw: dict[str, Any] = {"dropout": dropout, "batch_first": batch_first, "bias": bias}
        self.self_attn = MultiheadAttention(d_model, nhead, **kw)
        self.multihead_attn = MultiheadAttention(d_model, nhead, **kw)
        self._feed_forward_parts(d_model, dim_feedforward, dropout, bias)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        self.norm3 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.dropout3 = Dropout(dropout)
        self.activation = _activation_fn(activation)
        if dtype is not None:
            self.to(dtype=dtype)

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Tensor:
        """One decoder block.

        Args:
            tgt: (T, N, E), (N, T, E) or (T, E).
            memory: the encoder output, (S, N, E), (N, S, E) or (S, E).
            tgt_mask: (T, T) or (N * nhead, T, T) self-attention mask.
            memory_mask: (T, S) or (N * nhead, T, S) cross-attention mask.
            tgt_key_padding_mask: (N, T).
            memory_key_padding_mask: (N, S).
            tgt_is_causal: a hint that tgt_mask is the causal mask.
            memory_is_causal: a hint that memory_mask is causal.

        Returns:
            Same shape as tgt.
        """
        x = tgt
        sa = (tgt_mask, tgt_key_padding_mask, tgt_is_causal)
        mha = (memory, memory_mask, memory_key_padding_mask, memory_is_causal)
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), *sa)
            x = x + self._mha_block(self.norm2(x), *mha)
            return x + self._ff_block(self.norm3(x), self.dropout3)
        x = self.norm1(x + self._sa_block(x, *sa))
        x = self.norm2(x + self._mha_block(x, *mha))
        out: Tensor = self.norm3(x + self._ff_block(x, self.dropout3))
        return out

    def _mha_block(
        self, x: Tensor, mem: Tensor, mask: Tensor | None, kpm: Tensor | None, is_causal: bool
    ) -> Tensor:
        out = self.multihead_attn(
            x, mem, mem, attn_mask=mask, key_padding_mask=kpm, is_causal=is_causal,
            need_weights=False,
        )[0]  # fmt: skip
        result: Tensor = self.dropout2(out)
        return result


def _clones(layer: Module, n: int) -> ModuleList:
    return ModuleList([copy.deepcopy(layer) for _ in range(n)])


def _seq_len(x: Tensor, layers: ModuleList) -> int:
    """The sequence length of a (S, N, E), (N, S, E) or unbatched (S, E) input."""
    batch_first = getattr(getattr(layers[0], "self_attn", None), "batch_first", False)
    return x.shape[1] if batch_first and x.ndim == 3 else x.shape[0]


class TransformerEncoder(Module):
    """``num_layers`` deep copies of ``encoder_layer``, then an optional norm.

    Args:
        encoder_layer: the layer to copy (its parameters are copied, not shared).
        num_layers: how many layers.
        norm: applied to the output (e.g. LayerNorm for pre-norm stacks), or None.
        enable_nested_tensor: accepted for torch compatibility; ignored.
        mask_check: accepted for torch compatibility; ignored.

    Shape:
        as the layer's src.

    >>> import scratchgrad as sg
    >>> enc = TransformerEncoder(TransformerEncoderLayer(8, 2, 16), 2)
    >>> enc(sg.randn(5, 3, 8)).shape
    (5, 3, 8)
    """

    def __init__(
        self,
        encoder_layer: TransformerEncoderLayer,
        num_layers: int,
        norm: Module | None = None,
        enable_nested_tensor: bool = True,
        mask_check: bool = True,
    ) -> None:
        super().__init__()
        self.layers = _clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(
        self,
        src: Tensor,
        mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool | None = None,
    ) -> Tensor:
        """Run every layer with the same masks; is_causal None detects a causal mask."""
        causal = _is_causal(mask, is_causal, _seq_len(src, self.layers))
        out = src
        for layer in self.layers:
            out = layer(
                out, src_mask=mask, src_key_padding_mask=src_key_padding_mask, is_causal=causal
            )
        return out if self.norm is None else self.norm(out)


class TransformerDecoder(Module):
    """``num_layers`` deep copies of ``decoder_layer``, then an optional norm.

    Args:
        decoder_layer: the layer to copy.
        num_layers: how many layers.
        norm: applied to the output, or None.

    Shape:
        tgt (T, N, E), memory (S, N, E) -> (T, N, E) (batch-first as the layer).

    >>> import scratchgrad as sg
    >>> dec = TransformerDecoder(TransformerDecoderLayer(8, 2, 16), 2)
    >>> dec(sg.randn(4, 3, 8), sg.randn(6, 3, 8)).shape
    (4, 3, 8)
    """

    def __init__(
        self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None
    ) -> None:
        super().__init__()
        self.layers = _clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        """Run every layer on (tgt, memory); tgt_is_causal None detects a causal tgt_mask."""
        causal = _is_causal(tgt_mask, tgt_is_causal, _seq_len(tgt, self.layers))
        out = tgt
        for layer in self.layers:
            out = layer(
                out,
                memory,
                tgt_mask=tgt_mask,
                memory_mask=memory_mask,
                tgt_key_padding_mask=tgt_key_padding_mask,
                memory_key_padding_mask=memory_key_padding_mask,
                tgt_is_causal=causal,
                memory_is_causal=memory_is_causal,
            )
        return out if self.norm is None else self.norm(out)


class Transformer(Module):
    """The encoder-decoder Transformer of "Attention Is All You Need", as torch's.

    Args:
        d_model: model width E.
        nhead: attention heads.
        num_encoder_layers: encoder depth.
        num_decoder_layers: decoder depth.
        dim_feedforward: feed-forward hidden width.
        dropout: dropout probability.
        activation: "relu", "gelu" or a callable.
        custom_encoder: used instead of the default encoder stack.
        custom_decoder: used instead of the default decoder stack.
        layer_norm_eps: LayerNorm eps.
        batch_first: (N, S, E) instead of (S, N, E).
        norm_first: pre-norm layers.
        bias: biases in linear layers and LayerNorms.
        device: "cpu" or None.
        dtype: parameter dtype.

    Every parameter with more than one dim starts Xavier-uniform (torch's
    ``_reset_parameters``), custom encoder/decoder included.

    Shape:
        src (S, N, E), tgt (T, N, E) -> (T, N, E); batch-first (N, S, E), (N, T, E).

    >>> import scratchgrad as sg
    >>> model = Transformer(8, 2, 1, 1, 16, batch_first=True)
    >>> model(sg.randn(3, 5, 8), sg.randn(3, 4, 8)).shape
    (3, 4, 8)
    """

    def __init__(
        self,
        d_model: int = 512,
        nhead: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Activation = "relu",
        custom_encoder: Module | None = None,
        custom_decoder: Module | None = None,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device, "Transformer")
        kw: dict[str, Any] = {
            "dim_feedforward": dim_feedforward, "dropout": dropout, "activation": activation,
            "layer_norm_eps": layer_norm_eps, "batch_first": batch_first,
            "norm_first": norm_first, "bias": bias, "dtype": dtype,
        }  # fmt: skip
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            layer = TransformerEncoderLayer(d_model, nhead, **kw)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            self.encoder = TransformerEncoder(layer, num_encoder_layers, norm)
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            dec_layer = TransformerDecoderLayer(d_model, nhead, **kw)
            dec_norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            self.decoder = TransformerDecoder(dec_layer, num_decoder_layers, dec_norm)
        self._reset_parameters()
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def _reset_parameters(self) -> None:
        with no_grad():
            for p in self.parameters():
                if p.ndim > 1:
                    init.xavier_uniform_(p)

    generate_square_subsequent_mask = staticmethod(generate_square_subsequent_mask)

    def forward(
        self,
        src: Tensor,
        tgt: Tensor,
        src_mask: Tensor | None = None,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        src_is_causal: bool | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        """Encode src into memory, decode tgt against it. Masks as the layers'.

        Raises:
            ShapeError: if src and tgt batch sizes differ or their width is not d_model.
        """
        batch_dim = 0 if self.batch_first else 1
        if src.ndim == 3 and src.shape[batch_dim] != tgt.shape[batch_dim]:
            raise ShapeError(
                f"Transformer: the batch number of src and tgt must be equal, got "
                f"src={src.shape}, tgt={tgt.shape}"
            )
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise ShapeError(
                f"Transformer: the feature number of src and tgt must be equal to d_model="
                f"{self.d_model}, got src={src.shape}, tgt={tgt.shape}"
            )
        memory = self.encoder(
            src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal
        )
        out: Tensor = self.decoder(
            tgt,
            memory,
            tgt_mask=tgt_mask,
            memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
            tgt_is_causal=tgt_is_causal,
            memory_is_causal=memory_is_causal,
        )
        return out


__all__ = [
    "Transformer",
    "TransformerDecoder",
    "TransformerDecoderLayer",
    "TransformerEncoder",
    "TransformerEncoderLayer",
    "generate_square_subsequent_mask",
]
