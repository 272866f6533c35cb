"""GPT: a decoder-only transformer language model (the GPT-2 layout, pre-LayerNorm).

Tokens (B, T) -> token + position embeddings (B, T, C) -> ``n_layer`` blocks of
[x + attn(ln_1(x)), x + mlp(ln_2(x))] -> ln_f -> logits (B, T, vocab_size). Attention is
causal: position t sees positions <= t. The output layer shares its weight with the token
embedding (weight tying). Names and initialisation follow nanoGPT, so a nanoGPT-style
PyTorch model with the same config loads our state_dict unchanged.

>>> import scratchgrad as sg
>>> _ = sg.manual_seed(0)
>>> model = GPT(GPTConfig(vocab_size=11, block_size=8, n_layer=1, n_head=2, n_embd=16))
>>> model(sg.zeros(2, 5, dtype=sg.int64)).shape
(2, 5, 11)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from scratchgrad import nn
from scratchgrad.autograd import no_grad
from scratchgrad.creation import arange
from scratchgrad.models._sampling import check_sampling, sample_next
from scratchgrad.nn import functional as F  # noqa: N812 - PyTorch's alias
from scratchgrad.ops.shape.join import cat
from scratchgrad.random import Generator
from scratchgrad.tensor import Tensor


@dataclass(frozen=True)
class GPTConfig:
    """The size of a GPT.

    Attributes:
        vocab_size: V, the number of token ids.
        block_size: the context window: the most tokens the model sees at once.
        n_layer: transformer blocks.
        n_head: attention heads; must divide ``n_embd``.
        n_embd: C, the width of every token's vector.
        dropout: dropout on embeddings, attention weights and residual branches.
        bias: biases in the Linear and LayerNorm layers.
    """

    vocab_size: int
    block_size: int = 64
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    dropout: float = 0.0
    bias: bool = True

    def __post_init__(self) -> None:
        for name in ("vocab_size", "block_size", "n_layer", "n_head", "n_embd"):
            if getattr(self, name) < 1:
                raise ValueError(f"GPTConfig: {name} must be >= 1, got {getattr(self, name)}")
        if self.n_embd % self.n_head:
            raise ValueError(
                f"GPTConfig: n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})"
            )
        if not 0 <= self.dropout < 1:
            raise ValueError(f"GPTConfig: dropout must be in [0, 1), got {self.dropout}")

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-ready dict."""
        return asdict(self)


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention where each position sees itself and the past.

    Shape: (B, T, C) -> (B, T, C).
    """

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        c = config.n_embd
        self.n_head, self.dropout = config.n_head, config.dropout
        self.c_attn = nn.Linear(c, 3 * c, bias=config.bias)  # q, k, v in one matmul
        self.c_proj = nn.Linear(c, c, bias=config.bias)
        self.resid_dropout = nn.Dropout(config.dropout)

    def forward(self, x: Tensor) -> Tensor:
        """Attend over the past; x (B, T, C) -> (B, T, C)."""
        B, T, C = x.shape  # noqa: N806 - nanoGPT's names
        qkv = self.c_attn(x).reshape(B, T, 3, self.n_head, C // self.n_head)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)  # each (B, nh, T, hs)
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True)
        y = y.transpose(1, 2).reshape(B, T, C)  # heads side by side again
        out: Tensor = self.resid_dropout(self.c_proj(y))
        return out


class MLP(nn.Module):
    """Position-wise feed-forward: Linear(C, 4C) -> GELU -> Linear(4C, C) -> Dropout."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        c = config.n_embd
        self.c_fc = nn.Linear(c, 4 * c, bias=config.bias)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * c, c, bias=config.bias)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: Tensor) -> Tensor:
        """(B, T, C) -> (B, T, C)."""
        out: Tensor = self.dropout(self.c_proj(self.gelu(self.c_fc(x))))
        return out


class Block(nn.Module):
    """One pre-LayerNorm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x))."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x: Tensor) -> Tensor:
        """(B, T, C) -> (B, T, C)."""
        x = x + self.attn(self.ln_1(x))
        out: Tensor = x + self.mlp(self.ln_2(x))
        return out


class GPT(nn.Module):
    """A decoder-only transformer language model.

    Args:
        config: the sizes (see :class:`GPTConfig`).

    Shape:
        idx (B, T) int64 token ids, T <= block_size -> logits (B, T, vocab_size).
    """

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.block_size, config.n_embd)
        self.drop = nn.Dropout(config.dropout)
        self.h = nn.ModuleList([Block(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight  # weight tying: one matrix, two uses
        self._init_weights()

    def _init_weights(self) -> None:
        """N(0, 0.02) weights, zero biases; residual projections N(0, 0.02/sqrt(2 n_layer))."""
        for m in self.modules():
            if isinstance(m, nn.Linear | nn.Embedding):
                nn.init.normal_(m.weight, 0.0, 0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * self.config.n_layer))

    def num_parameters(self) -> int:
        """Parameters, each tied matrix counted once."""
        return sum(p.numel() for p in self.parameters())

    def forward(self, idx: Tensor) -> Tensor:
        """Logits (B, T, vocab_size) of the next token at every position of idx (B, T)."""
        if idx.ndim != 2:
            raise ValueError(f"GPT: idx must be (B, T) token ids, got shape {idx.shape}")
        T = idx.shape[1]  # noqa: N806
        if self.config.block_size < T:
            raise ValueError(
                f"GPT: sequence length {T} exceeds block_size {self.config.block_size}; "
                "crop the input to the context window"
            )
        pos = arange(T)  # (T,)
        x = self.drop(self.wte(idx) + self.wpe(pos))  # (B, T, C)
        for block in self.h:
            x = block(x)
        logits: Tensor = self.lm_head(self.ln_f(x))
        return logits

    def generate(
        self,
        idx: Tensor,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        generator: Generator | None = None,
    ) -> Tensor:
        """Extend idx (B, T) by ``max_new_tokens`` sampled tokens -> (B, T + max_new_tokens).

        Each step feeds at most the last ``block_size`` tokens (the context window),
        takes the last position's logits, divides them by ``temperature``, keeps the
        ``top_k`` largest and samples from the softmax. Runs in eval mode without grad.

        Args:
            idx: the prompt's token ids, (B, T) int64, T >= 1.
            max_new_tokens: tokens to add.
            temperature: > 0; below 1 is more conservative, above 1 more random.
            top_k: sample only among the k most likely tokens (None: all).
            generator: the random source (default: the global generator).
        """
        check_sampling(idx.shape, temperature, top_k)
        was_training = self.training
        self.eval()
        try:
            with no_grad():
                for _ in range(max_new_tokens):
                    context = idx[:, -self.config.block_size :]
                    logits = self(context).array[:, -1, :]  # (B, V)
                    nxt = sample_next(logits, temperature, top_k, generator)
                    idx = cat([idx, Tensor(nxt)], dim=1)
        finally:
            self.train(was_training)
        return idx

    def extra_repr(self) -> str:
        """The config, as the repr's first line."""
        return ", ".join(f"{k}={v}" for k, v in self.config.to_dict().items())


__all__ = ["GPT", "Block", "CausalSelfAttention", "GPTConfig", "MLP"]
