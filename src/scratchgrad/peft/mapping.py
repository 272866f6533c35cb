"""``get_peft_model``: a model and a config in, the model with its adapters out (PEFT's name)."""

from __future__ import annotations

from collections.abc import Callable

from scratchgrad import nn
from scratchgrad.models.gpt import GPT
from scratchgrad.peft.config import LoraConfig, PeftConfig
from scratchgrad.peft.model import PeftModel, inject_lora
from scratchgrad.peft.prompt import PromptTuningModel


def get_peft_model(
    model: nn.Module, peft_config: PeftConfig, encode: Callable[[str], list[int]] | None = None
) -> PeftModel:
    """Freeze ``model`` and add the adapters ``peft_config`` describes.

    LoRA changes ``model`` in place (its target layers become LoRA layers); prompt
    tuning wraps a ``models.GPT``.

    Args:
        model: the base model.
        peft_config: a :class:`LoraConfig` or :class:`PromptTuningConfig`.
        encode: for prompt tuning initialised from text, the tokenizer's ``encode``.

    Returns:
        The :class:`PeftModel`; ``print_trainable_parameters()`` shows what trains.

    Raises:
        ValueError: for targets that match nothing or are not supported, or a prompt
            tuning config for a model that is not a GPT.

    >>> import scratchgrad as sg
    >>> mlp = sg.nn.Sequential(sg.nn.Linear(20, 2000), sg.nn.ReLU(),
    ...     sg.nn.Linear(2000, 2000), sg.nn.ReLU(), sg.nn.Linear(2000, 2))
    >>> config = LoraConfig(r=8, target_modules=["0", "2"], modules_to_save=["4"])
    >>> get_peft_model(mlp, config).print_trainable_parameters()
    trainable params: 52,162 || all params: 4,100,164 || trainable%: 1.2722
    """
    if isinstance(peft_config, LoraConfig):
        inject_lora(model, peft_config)
        return PeftModel(model, peft_config)
    if not isinstance(model, GPT):
        raise ValueError(f"prompt tuning: needs a models.GPT, got {type(model).__name__}")
    return PromptTuningModel(model, peft_config, encode)


__all__ = ["get_peft_model"]
