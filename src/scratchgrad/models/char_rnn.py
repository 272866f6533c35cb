"""CharRNN: an LSTM language model over characters (or any token ids).

Tokens (B, T) -> Embedding (B, T, E) -> LSTM (B, T, H) -> Linear -> logits (B, T, V). Unlike
the GPT, it has no context window: the LSTM's state carries the whole past, so generation
feeds one token at a time and keeps the state.

>>> import scratchgrad as sg
>>> _ = sg.manual_seed(0)
>>> model = CharRNN(vocab_size=11, embed_dim=8, hidden_size=16)
>>> logits, (h, c) = model(sg.zeros(2, 5, dtype=sg.int64))
>>> logits.shape, h.shape
((2, 5, 11), (1, 2, 16))
"""

from __future__ import annotations

from scratchgrad import nn
from scratchgrad.autograd import no_grad
from scratchgrad.models._sampling import check_sampling, sample_next
from scratchgrad.ops.shape.join import cat
from scratchgrad.random import Generator
from scratchgrad.tensor import Tensor

State = tuple[Tensor, Tensor]


class CharRNN(nn.Module):
    """An LSTM language model.

    Args:
        vocab_size: V, the number of token ids.
        embed_dim: E, the width of the token embedding.
        hidden_size: H, the LSTM's state size.
        num_layers: stacked LSTM layers.
        dropout: dropout between LSTM layers and before the output layer.

    Shape:
        idx (B, T) int64 -> logits (B, T, V) and the final (h, c), each (num_layers, B, H).
    """

    def __init__(
        self,
        vocab_size: int,
        embed_dim: int = 64,
        hidden_size: int = 256,
        num_layers: int = 1,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers, batch_first=True, dropout=dropout)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, idx: Tensor, state: State | None = None) -> tuple[Tensor, State]:
        """Logits (B, T, V) of the next token at every position, and the final state."""
        if idx.ndim != 2:
            raise ValueError(f"CharRNN: idx must be (B, T) token ids, got shape {idx.shape}")
        out, state = self.lstm(self.embedding(idx), state)  # (B, T, H)
        logits: Tensor = self.head(self.drop(out))
        return logits, state

    def generate(
        self,
        idx: Tensor,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        generator: Generator | None = None,
    ) -> Tensor:
        """Extend idx (B, T) by ``max_new_tokens`` sampled tokens -> (B, T + max_new_tokens).

        The prompt is read once; then each new token is fed alone with the carried state.

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
                logits, state = self(idx)
                for _ in range(max_new_tokens):
                    nxt = Tensor(sample_next(logits.array[:, -1, :], temperature, top_k, generator))
                    idx = cat([idx, nxt], dim=1)
                    logits, state = self(nxt, state)
        finally:
            self.train(was_training)
        return idx


__all__ = ["CharRNN"]
