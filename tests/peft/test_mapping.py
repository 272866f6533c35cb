"""get_peft_model: the issue's exact counts, LoRA and prompt tuning by config."""

import pytest

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.models import GPT, GPTConfig
from scratchgrad.peft import (
    LoraConfig,
    PeftModel,
    PromptTuningConfig,
    PromptTuningModel,
    get_peft_model,
)


def mlp() -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(20, 2000), nn.ReLU(), nn.Linear(2000, 2000), nn.ReLU(), nn.Linear(2000, 2)
    )


def test_mlp_counts_are_exact(capsys) -> None:
    model = get_peft_model(mlp(), LoraConfig(r=8, target_modules=["0", "2"], modules_to_save=["4"]))
    # adapters: (8*20 + 2000*8) + (8*2000 + 2000*8) = 48,160; the head: 2000*2 + 2 = 4,002
    trainable, total = model.get_nb_trainable_parameters()
    assert trainable == 48_160 + 4_002 == 52_162
    base = 20 * 2000 + 2000 + 2000 * 2000 + 2000 + 4_002
    assert total == base + 48_160 + 4_002  # the head's frozen original stays too
    model.print_trainable_parameters()
    out = capsys.readouterr().out
    assert out == (
        f"trainable params: 52,162 || all params: {total:,} || "
        f"trainable%: {100 * 52_162 / total:.4f}\n"
    )


def test_only_the_adapters_and_saved_modules_train() -> None:
    model = get_peft_model(mlp(), LoraConfig(r=2, target_modules=["2"], modules_to_save=["4"]))
    names = {n for n, p in model.named_parameters() if p.requires_grad}
    assert names == {
        "base_model.2.lora_A.weight", "base_model.2.lora_B.weight",
        "base_model.4.modules_to_save.weight", "base_model.4.modules_to_save.bias",
    }  # fmt: skip


def test_prompt_tuning_config_gives_a_prompt_model() -> None:
    sg.manual_seed(0)
    gpt = GPT(GPTConfig(vocab_size=7, block_size=8, n_layer=1, n_head=1, n_embd=4))
    model = get_peft_model(gpt, PromptTuningConfig(num_virtual_tokens=3))
    assert isinstance(model, PromptTuningModel) and isinstance(model, PeftModel)
    assert model.get_nb_trainable_parameters()[0] == 3 * 4
    with pytest.raises(ValueError, match="needs a models.GPT, got Sequential"):
        get_peft_model(mlp(), PromptTuningConfig())
