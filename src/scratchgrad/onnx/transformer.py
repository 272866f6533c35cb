"""ONNX converters for attention: the GPT's blocks, MultiheadAttention, transformer encoders.

Batch and sequence length stay symbolic: positions come from ``Range(0, T)`` with T read
from the input's shape, and the causal mask is a slice ``[:T, :T]`` of a constant
(block_size, block_size) mask. Attention follows the model: x (B, T, C) -> q, k, v
(B, nh, T, hs) -> softmax(q k^T / sqrt(hs) + mask) v -> (B, T, C).
"""

from __future__ import annotations

import math
from typing import Any, cast

from scratchgrad.creation import full
from scratchgrad.errors import OnnxExportError
from scratchgrad.models.gpt import GPT, MLP, Block, CausalSelfAttention
from scratchgrad.nn.activation import GELU
from scratchgrad.nn.attention import MultiheadAttention
from scratchgrad.nn.transformer import TransformerEncoder, TransformerEncoderLayer
from scratchgrad.onnx.graph import GraphBuilder
from scratchgrad.onnx.layers import converts, emit
from scratchgrad.ops.neural.piecewise import relu
from scratchgrad.ops.neural.smooth import gelu


def _causal_mask(g: GraphBuilder, block_size: int, length: str) -> str:
    """(T, T) additive mask: 0 on and below the diagonal, -inf above."""
    mask = full((block_size, block_size), float("-inf"), dtype=g.float_dtype).triu(1)
    zero = g.const([0, 0], "zero")
    ends = g.op("Concat", [length, length], axis=0)
    return g.op("Slice", [g.weight(mask, "causal_mask"), zero, ends, g.const([0, 1], "axes")])


def _seq_len(g: GraphBuilder, x: str) -> str:
    """T of x (B, T, ...), as a 1-element int64 tensor."""
    return g.op("Gather", [g.op("Shape", [x]), g.const([1], "t_axis")], axis=0)


def _attend(g: GraphBuilder, qkv: str, c: int, nh: int, mask: str | None) -> str:
    """Heads of attention from packed q, k, v (B, T, 3C) -> (B, T, C), before out-projection."""
    hs = c // nh
    qkv = g.op("Reshape", [qkv, g.const([0, 0, 3, nh, hs], "qkv_shape")])
    qkv = g.op("Transpose", [qkv], perm=[2, 0, 3, 1, 4])  # (3, B, nh, T, hs)
    q, k, v = (g.op("Gather", [qkv, g.const(float(i), dtype="int64")], axis=0) for i in range(3))
    kt = g.op("Transpose", [k], perm=[0, 1, 3, 2])  # (B, nh, hs, T)
    att = g.op("Mul", [g.op("MatMul", [q, kt]), g.const(1.0 / math.sqrt(hs))])  # (B, nh, T, T)
    if mask is not None:
        att = g.op("Add", [att, mask])
    y = g.op("MatMul", [g.op("Softmax", [att], axis=-1), v])  # (B, nh, T, hs)
    y = g.op("Transpose", [y], perm=[0, 2, 1, 3])
    return g.op("Reshape", [y, g.const([0, 0, c], "merge_shape")])  # (B, T, C)


@converts(CausalSelfAttention)
def _attention(g: GraphBuilder, m: CausalSelfAttention, x: str, block_size: int = 0) -> str:
    mask = _causal_mask(g, block_size or 1024, _seq_len(g, x))
    y = _attend(g, emit(g, m.c_attn, x), m.c_proj.in_features, m.n_head, mask)
    return emit(g, m.c_proj, y)


@converts(MultiheadAttention)
def _self_attention(g: GraphBuilder, m: MultiheadAttention, x: str) -> str:
    """Self-attention ``m(x, x, x)[0]`` without masks; x (N, L, E) batch-first, else (L, N, E)."""
    if m.in_proj_weight is None:
        raise OnnxExportError("onnx.export: MultiheadAttention with kdim/vdim != embed_dim")
    if not m.batch_first:
        x = g.op("Transpose", [x], perm=[1, 0, 2])
    qkv = g.op("MatMul", [x, g.weight(m.in_proj_weight.T, "in_proj_wT")])
    if m.in_proj_bias is not None:
        qkv = g.op("Add", [qkv, g.weight(m.in_proj_bias, "in_proj_b")])
    y = emit(g, m.out_proj, _attend(g, qkv, m.embed_dim, m.num_heads, None))
    return y if m.batch_first else g.op("Transpose", [y], perm=[1, 0, 2])


def _activation(g: GraphBuilder, fn: Any, x: str) -> str:
    if fn is relu:
        return g.op("Relu", [x])
    if fn is gelu:
        return emit(g, GELU(), x)
    raise OnnxExportError(f"onnx.export: transformer activation {fn!r} (relu or gelu only)")


@converts(TransformerEncoderLayer)
def _encoder_layer(g: GraphBuilder, m: TransformerEncoderLayer, x: str) -> str:
    """Post-norm norm(x + f(x)) or pre-norm x + f(norm(x)), as the layer is built."""

    def ff(h: str) -> str:
        return emit(g, m.linear2, _activation(g, m.activation, emit(g, m.linear1, h)))

    if m.norm_first:
        x = g.op("Add", [x, _self_attention(g, m.self_attn, emit(g, m.norm1, x))])
        return g.op("Add", [x, ff(emit(g, m.norm2, x))])
    x = emit(g, m.norm1, g.op("Add", [x, _self_attention(g, m.self_attn, x)]))
    return emit(g, m.norm2, g.op("Add", [x, ff(x)]))


@converts(TransformerEncoder)
def _encoder(g: GraphBuilder, m: TransformerEncoder, x: str) -> str:
    for layer in m.layers:
        x = _encoder_layer(g, cast(TransformerEncoderLayer, layer), x)
    return x if m.norm is None else emit(g, m.norm, x)


@converts(MLP)
def _mlp(g: GraphBuilder, m: MLP, x: str) -> str:
    return emit(g, m.c_proj, emit(g, m.gelu, emit(g, m.c_fc, x)))


def _block(g: GraphBuilder, m: Block, x: str, block_size: int) -> str:
    a = _attention(g, m.attn, emit(g, m.ln_1, x), block_size)
    x = g.op("Add", [x, a])
    return g.op("Add", [x, emit(g, m.mlp, emit(g, m.ln_2, x))])


@converts(Block)
def _block_alone(g: GraphBuilder, m: Block, x: str) -> str:
    return _block(g, m, x, 1024)


@converts(GPT)
def _gpt(g: GraphBuilder, m: GPT, idx: str) -> str:
    """Token ids (B, T) int64 -> logits (B, T, V)."""
    zero, one = g.const(0.0, dtype="int64"), g.const(1.0, dtype="int64")
    t = g.op("Squeeze", [_seq_len(g, idx), g.const([0], "axis0")])
    pos = g.op("Range", [zero, t, one])  # (T,)
    x = g.op("Add", [emit(g, m.wte, idx), emit(g, m.wpe, pos)])  # (B, T, C)
    for block in m.h:
        x = _block(g, cast(Block, block), x, m.config.block_size)
    return emit(g, m.lm_head, emit(g, m.ln_f, x))
