"""LoraConfig and PromptTuningConfig: PEFT's defaults, scaling, validation, JSON round trip."""

import math

import pytest

from scratchgrad.peft.config import LoraConfig, PromptTuningConfig, config_from_dict


def test_peft_defaults_and_scaling() -> None:
    c = LoraConfig()
    assert (c.r, c.lora_alpha, c.lora_dropout, c.bias) == (8, 8, 0.0, "none")
    assert c.target_modules is None and c.modules_to_save is None and c.scaling == 1.0
    assert LoraConfig(r=4, lora_alpha=32).scaling == 8.0
    assert LoraConfig(r=4, lora_alpha=32, use_rslora=True).scaling == 32 / math.sqrt(4)
    assert LoraConfig(modules_to_save="head").modules_to_save == ["head"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"r": 0}, "r must be an integer >= 1"),
        ({"lora_dropout": 1.0}, "lora_dropout must be in"),
        ({"bias": "some"}, "bias must be one of"),
    ],
)
def test_lora_config_refuses(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        LoraConfig(**kwargs)
    with pytest.raises(TypeError, match="target_modules must be a string or a list"):
        LoraConfig(target_modules=[1])  # type: ignore[list-item]


def test_round_trip() -> None:
    for c in (LoraConfig(r=2, target_modules=["a"], bias="all"), PromptTuningConfig(3)):
        assert config_from_dict(c.to_dict()) == c
    assert LoraConfig().to_dict()["peft_type"] == "LORA"
    with pytest.raises(ValueError, match="unknown peft_type 'X'"):
        config_from_dict({"peft_type": "X"})
    with pytest.raises(ValueError, match="LORA config"):
        config_from_dict({"peft_type": "LORA", "rank": 3})


def test_prompt_config_refuses() -> None:
    with pytest.raises(ValueError, match="num_virtual_tokens must be >= 1"):
        PromptTuningConfig(0)
    with pytest.raises(ValueError, match="'TEXT' needs prompt_tuning_init_text"):
        PromptTuningConfig(2, "TEXT")
    with pytest.raises(ValueError, match="must be 'RANDOM' or 'TEXT'"):
        PromptTuningConfig(2, "WORDS")  # type: ignore[arg-type]
