"""Ready-made models: a GPT (decoder-only transformer) and an LSTM language model."""

from scratchgrad.models.char_rnn import CharRNN
from scratchgrad.models.gpt import GPT, GPTConfig

__all__ = ["GPT", "CharRNN", "GPTConfig"]
