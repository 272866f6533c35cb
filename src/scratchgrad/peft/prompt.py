"""Soft prompt tuning for ``models.GPT``: P learned vectors prepended to every input.

The GPT stays frozen; only the prompt (P, C) trains (Lester et al., 2021, "The Power of
Scale for Parameter-Efficient Prompt Tuning"). The virtual tokens take the first P
positions, so a prompt-tuned model sees at most ``block_size - P`` real tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scratchgrad import nn
from scratchgrad.autograd import no_grad
from scratchgrad.creation import arange, tensor
from scratchgrad.dtypes import int64
from scratchgrad.models._sampling import check_sampling, sample_next
from scratchgrad.models.gpt import GPT
from scratchgrad.ops.shape.join import cat
from scratchgrad.peft.config import PromptTuningConfig
from scratchgrad.peft.freezing import freeze
from scratchgrad.peft.model import PeftModel
from scratchgrad.random import Generator
from scratchgrad.tensor import Tensor


class PromptTuningModel(PeftModel):
    """A frozen GPT behind a learned soft prompt.

    Args:
        model: the GPT (frozen here).
        config: the prompt's length and initialisation.
        encode: for "TEXT" initialisation, the tokenizer's ``encode`` (str -> ids).

    Attributes:
        prompt_embeddings: an ``Embedding(P, C)`` whose rows are the virtual tokens.

    Shape:
        idx (B, T), T <= block_size - P -> logits (B, T, vocab_size) (the virtual
        positions' logits are dropped).

    Raises:
        ValueError: if the prompt leaves no room in the context window, or "TEXT" has no
            ``encode``.
    """

    def __init__(
        self,
        model: GPT,
        config: PromptTuningConfig,
        encode: Callable[[str], list[int]] | None = None,
    ) -> None:
        if not isinstance(model, GPT):
            raise ValueError(f"prompt tuning: needs a models.GPT, got {type(model).__name__}")
        p = config.num_virtual_tokens
        if p >= model.config.block_size:
            raise ValueError(
                f"prompt tuning: num_virtual_tokens ({p}) must be < block_size "
                f"({model.config.block_size})"
            )
        super().__init__(model, config)
        freeze(model)
        self.gpt = model
        self.num_virtual_tokens = p
        self.prompt_embeddings = nn.Embedding(p, model.config.n_embd)
        self._init_prompt(config, encode)

    def _init_prompt(
        self, config: PromptTuningConfig, encode: Callable[[str], list[int]] | None
    ) -> None:
        weight = self.prompt_embeddings.weight
        with no_grad():
            nn.init.normal_(weight, 0.0, 0.02)
            if config.prompt_tuning_init == "TEXT":
                if encode is None:
                    raise ValueError("prompt tuning: 'TEXT' initialisation needs encode")
                ids = encode(config.prompt_tuning_init_text or "")
                ids = (ids * (self.num_virtual_tokens // max(len(ids), 1) + 1))[: weight.shape[0]]
                rows = self.gpt.wte.weight.array[tensor(ids, dtype=int64).array]
                weight.array[...] = rows

    def forward(self, idx: Tensor) -> Tensor:
        """Logits (B, T, V) for idx (B, T), the soft prompt in front."""
        gpt, p = self.gpt, self.num_virtual_tokens
        b, t = idx.shape
        if p + t > gpt.config.block_size:
            raise ValueError(
                f"prompt tuning: {t} tokens + {p} virtual exceed block_size {gpt.config.block_size}"
            )
        prompt = self.prompt_embeddings.weight.unsqueeze(0).expand(b, p, -1)  # (B, P, C)
        x = cat([prompt, gpt.wte(idx)], dim=1) + gpt.wpe(arange(p + t))
        x = gpt.drop(x)
        for block in gpt.h:
            x = block(x)
        logits: Tensor = gpt.lm_head(gpt.ln_f(x))
        return logits[:, p:, :]

    def generate(
        self,
        idx: Tensor,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        generator: Generator | None = None,
    ) -> Tensor:
        """Extend idx (B, T) by ``max_new_tokens`` sampled tokens, as ``GPT.generate``."""
        check_sampling(idx.shape, temperature, top_k)
        window = self.gpt.config.block_size - self.num_virtual_tokens
        was_training = self.training
        self.eval()
        try:
            with no_grad():
                for _ in range(max_new_tokens):
                    logits = self(idx[:, -window:]).array[:, -1, :]  # (B, V)
                    idx = cat([idx, Tensor(sample_next(logits, temperature, top_k, generator))], 1)
        finally:
            self.train(was_training)
        return idx

    def adapter_state_dict(self) -> dict[str, Tensor]:
        """The prompt only: ``{"prompt_embeddings": (P, C)}``."""
        return {"prompt_embeddings": self.prompt_embeddings.weight.detach()}

    def load_adapter_state_dict(self, state: dict[str, Any]) -> None:
        """Copy a saved prompt in.

        Raises:
            ValueError: if it is missing or of the wrong shape.
        """
        try:
            self.prompt_embeddings.load_state_dict({"weight": state["prompt_embeddings"]})
        except (KeyError, RuntimeError) as e:
            raise ValueError(f"prompt weights do not fit: {e}") from e


__all__ = ["PromptTuningModel"]
