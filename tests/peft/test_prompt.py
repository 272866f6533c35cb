"""Soft prompt tuning: equal to a GPT fed the prompt vectors, trains only the prompt."""

from pathlib import Path

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.models import GPT, GPTConfig
from scratchgrad.peft import PeftModel, PromptTuningConfig, get_peft_model


def gpt() -> GPT:
    sg.manual_seed(0)
    return GPT(GPTConfig(vocab_size=9, block_size=10, n_layer=1, n_head=2, n_embd=8))


def test_virtual_tokens_act_as_real_ones() -> None:
    # A prompt initialised from the embeddings of tokens [4, 5] must give the logits a GPT
    # gives after those tokens, at the real positions.
    model = get_peft_model(
        gpt(), PromptTuningConfig(2, "TEXT", "ab"), encode=lambda s: [4, 5][: len(s)]
    )
    idx = sg.tensor([[1, 2, 3]])
    expected = gpt()(sg.tensor([[4, 5, 1, 2, 3]])).detach().numpy()[:, 2:]
    np.testing.assert_allclose(model(idx).detach().numpy(), expected, rtol=1e-5, atol=1e-6)


def test_a_text_initialised_prompt_loads_without_the_tokenizer(tmp_path: Path) -> None:
    config = PromptTuningConfig(2, "TEXT", "ab")
    model = get_peft_model(gpt(), config, encode=lambda s: [4, 5])
    model.save_pretrained(tmp_path)
    loaded = PeftModel.from_pretrained(gpt(), tmp_path)
    assert loaded.peft_config == config
    idx = sg.tensor([[1, 2]])
    np.testing.assert_array_equal(loaded(idx).detach().numpy(), model(idx).detach().numpy())


def test_only_the_prompt_trains_and_learns(tmp_path: Path) -> None:
    model = get_peft_model(gpt(), PromptTuningConfig(num_virtual_tokens=3))
    assert [n for n, p in model.named_parameters() if p.requires_grad] == [
        "prompt_embeddings.weight"
    ]
    opt = sg.optim.Adam([model.prompt_embeddings.weight], lr=0.05)
    idx, target = sg.tensor([[1, 2, 3, 4]]), sg.tensor([[2, 3, 4, 5]])
    losses = []
    for _ in range(30):
        loss = nn.functional.cross_entropy(model(idx).reshape(-1, 9), target.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
    model.save_pretrained(tmp_path)
    loaded = PeftModel.from_pretrained(gpt(), tmp_path)
    np.testing.assert_allclose(loaded(idx).detach().numpy(), model(idx).detach().numpy(), rtol=1e-6)


def test_generate_and_limits() -> None:
    model = get_peft_model(gpt(), PromptTuningConfig(num_virtual_tokens=4))
    out = model.generate(sg.tensor([[1, 2]]), 9, generator=sg.Generator(0))
    assert out.shape == (1, 11)
    with pytest.raises(ValueError, match="exceed block_size 10"):
        model(sg.zeros(1, 7, dtype=sg.int64))
    with pytest.raises(ValueError, match="must be < block_size"):
        get_peft_model(gpt(), PromptTuningConfig(num_virtual_tokens=10))
    with pytest.raises(ValueError, match="needs encode"):
        get_peft_model(gpt(), PromptTuningConfig(2, "TEXT", "ab"))
