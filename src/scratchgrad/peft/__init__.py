"""Parameter-efficient fine-tuning, with Hugging Face PEFT's names: LoRA, adapters, prompts.

- Freezing: :func:`freeze`/:func:`unfreeze` by name pattern or module,
  :func:`param_groups` (learning rate per group), :func:`count_parameters`.
- LoRA on Linear, Conv2d and Embedding: :class:`LoraConfig` + :func:`get_peft_model`
  -> :class:`PeftModel` (``print_trainable_parameters``, ``merge_and_unload``,
  ``save_pretrained``/``from_pretrained``).
- Houlsby bottleneck adapters: :func:`add_adapters`.
- Soft prompt tuning for ``models.GPT``: :class:`PromptTuningConfig`.
"""

from scratchgrad.peft import lora
from scratchgrad.peft.adapter import AdapterLayer, BottleneckAdapter, add_adapters
from scratchgrad.peft.config import LoraConfig, PeftConfig, PromptTuningConfig
from scratchgrad.peft.freezing import (
    ParameterCount,
    count_parameters,
    freeze,
    param_groups,
    trainable_parameters,
    unfreeze,
)
from scratchgrad.peft.mapping import get_peft_model
from scratchgrad.peft.model import ModulesToSaveWrapper, PeftModel
from scratchgrad.peft.prompt import PromptTuningModel

__all__ = [
    "AdapterLayer",
    "BottleneckAdapter",
    "LoraConfig",
    "ModulesToSaveWrapper",
    "ParameterCount",
    "PeftConfig",
    "PeftModel",
    "PromptTuningConfig",
    "PromptTuningModel",
    "add_adapters",
    "count_parameters",
    "freeze",
    "get_peft_model",
    "lora",
    "param_groups",
    "trainable_parameters",
    "unfreeze",
]
