"""PeftModel: a base model with adapters in it, PEFT's way; LoRA's injection and unloading.

``get_peft_model(model, LoraConfig(...))`` (in :mod:`~scratchgrad.peft.mapping`) freezes
the model, replaces each target layer by its LoRA layer and each ``modules_to_save``
layer by a :class:`ModulesToSaveWrapper`, and returns a :class:`PeftModel`. Only the
adapter's tensors are saved (``adapter_model.safetensors`` + ``adapter_config.json``),
and :meth:`PeftModel.from_pretrained` puts them back into a fresh base model.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from scratchgrad import nn
from scratchgrad._io import atomic_write_text
from scratchgrad.peft.config import LoraConfig, PeftConfig, PromptTuningConfig, config_from_dict
from scratchgrad.peft.freezing import count_parameters, freeze
from scratchgrad.peft.lora import LoraLayer, lora_layer
from scratchgrad.serialization import load, save
from scratchgrad.tensor import Tensor

WEIGHTS_NAME = "adapter_model.safetensors"
CONFIG_NAME = "adapter_config.json"
# PEFT's defaults for architectures it knows: a GPT's fused q, k, v projection.
_DEFAULT_TARGETS = {"GPT": ["c_attn"]}


class ModulesToSaveWrapper(nn.Module):
    """A layer trained in full next to the adapters: a frozen original and a trained copy.

    Args:
        module: the layer; it is kept, frozen, as ``original_module``, and a deep copy of
            it, trainable, as ``modules_to_save`` is what forward runs.
    """

    def __init__(self, module: nn.Module) -> None:
        super().__init__()
        self.original_module = module.requires_grad_(False)
        self.modules_to_save = copy.deepcopy(module).requires_grad_(True)
        self.disabled = False

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The trained copy's output (the original's while adapters are disabled)."""
        chosen = self.original_module if self.disabled else self.modules_to_save
        return chosen(*args, **kwargs)


def matches(name: str, targets: list[str] | str) -> bool:
    """Whether the module ``name`` is a target: a name equal or a ``.``-suffix, or a regex.

    >>> matches("h.0.attn.c_attn", ["c_attn"]), matches("h.0.attn", "h.[0-9]+.attn")
    (True, True)
    """
    if isinstance(targets, str):
        return re.fullmatch(targets, name) is not None
    return any(name == t or name.endswith("." + t) for t in targets)


def set_submodule(model: nn.Module, name: str, new: nn.Module) -> None:
    """Put ``new`` where the submodule ``name`` ("h.0.attn.c_attn") is, as torch's method."""
    parent, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent) if parent else model, child, new)


def inject_lora(model: nn.Module, config: LoraConfig) -> None:
    """Freeze ``model`` and put LoRA layers and trained copies into it, in place.

    Raises:
        ValueError: if ``target_modules`` is missing (for a model PEFT has no default for)
            or matches no module, or a target is not a Linear, Conv2d or Embedding.
    """
    targets = config.target_modules or _DEFAULT_TARGETS.get(type(model).__name__)
    if not targets:
        raise ValueError("LoraConfig: give target_modules (the names of the layers to adapt)")
    freeze(model)
    done: list[str] = []
    for name, module in list(model.named_modules()):
        if not name or any(name.startswith(d + ".") for d in done):
            continue
        if config.modules_to_save and matches(name, config.modules_to_save):
            set_submodule(model, name, ModulesToSaveWrapper(module))
        elif matches(name, targets):
            layer = lora_layer(
                module, config.r, config.scaling, config.lora_dropout, config.init_lora_weights
            )
            set_submodule(model, name, layer)
        else:
            continue
        done.append(name)
    if not any(isinstance(model.get_submodule(n), LoraLayer) for n in done):
        raise ValueError(f"target modules {targets} not found in the base model")
    _unfreeze_biases(model, config)


def _unfreeze_biases(model: nn.Module, config: LoraConfig) -> None:
    """``bias="all"``: every bias trains; ``"lora_only"``: those of the adapted layers."""
    for name, module in model.named_modules():
        bias = getattr(module, "bias", None)
        if not isinstance(bias, nn.Parameter):
            continue
        adapted = name.endswith("base_layer") or name == "base_layer"
        if config.bias == "all" or (config.bias == "lora_only" and adapted):
            bias.requires_grad_(True)


class PeftModel(nn.Module):
    """A base model with adapters injected; calls go to the base model.

    Args:
        model: the base model, already holding its adapters (see ``get_peft_model``).
        peft_config: the adapters' config.

    Attributes:
        base_model: the model (its layers replaced in place by LoRA layers).
        peft_config: the config.
    """

    def __init__(self, model: nn.Module, peft_config: PeftConfig) -> None:
        super().__init__()
        self.base_model = model
        self.peft_config = peft_config

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The base model's forward, adapters included."""
        return self.base_model(*args, **kwargs)

    # ------------------------------------------------------------------ counts
    def get_nb_trainable_parameters(self) -> tuple[int, int]:
        """(trainable parameters, all parameters), elements, a tied weight counted once."""
        return tuple(count_parameters(self))  # type: ignore[return-value]

    def print_trainable_parameters(self) -> None:
        """Print ``trainable params: 52,162 || all params: 4,100,164 || trainable%: 1.2722``."""
        trainable, total = self.get_nb_trainable_parameters()
        print(  # noqa: T201 - PEFT's method prints
            f"trainable params: {trainable:,d} || all params: {total:,d} || "
            f"trainable%: {100 * trainable / max(total, 1):.4f}"
        )

    # ------------------------------------------------------------------ merging
    def _lora_layers(self) -> list[tuple[str, LoraLayer]]:
        return [(n, m) for n, m in self.base_model.named_modules() if isinstance(m, LoraLayer)]

    def _untie(self, layer: LoraLayer) -> None:
        """Give ``layer`` its own base weight if another layer shares it.

        A GPT's wte and lm_head share one matrix: merging must change the adapted one only.
        """
        weight = layer.base_layer.weight
        uses = self.base_model.named_parameters(remove_duplicate=False)
        if sum(p is weight for _, p in uses) > 1:
            layer.base_layer.weight = nn.Parameter(weight.detach().clone(), weight.requires_grad)

    def merge_adapter(self) -> None:
        """Add every LoRA update into its base weight (forward then costs the base's).

        A base weight shared with another layer is copied first, so that layer is unchanged.
        """
        for _, layer in self._lora_layers():
            self._untie(layer)
            layer.merge()

    def unmerge_adapter(self) -> None:
        """Take every LoRA update out of its base weight again."""
        for _, layer in self._lora_layers():
            layer.unmerge()

    def _unload(self, merge: bool) -> nn.Module:
        for name, module in list(self.base_model.named_modules()):
            if isinstance(module, LoraLayer):
                if merge:
                    self._untie(module)
                    module.merge()
                set_submodule(self.base_model, name, module.base_layer)
            elif isinstance(module, ModulesToSaveWrapper):
                set_submodule(self.base_model, name, module.modules_to_save)
        return self.base_model

    def merge_and_unload(self) -> nn.Module:
        """The base model with every update merged and the LoRA layers taken out.

        Trained copies (``modules_to_save``) replace their originals. The result is a
        plain model of the base's type, as fast as the base model.
        """
        return self._unload(merge=True)

    def unload(self) -> nn.Module:
        """The base model with the LoRA layers taken out, unmerged (the updates dropped)."""
        self.unmerge_adapter()
        return self._unload(merge=False)

    @contextmanager
    def disable_adapter(self) -> Iterator[None]:
        """Within the block, the model is the base model: no LoRA branch, original layers."""
        kinds = (LoraLayer, ModulesToSaveWrapper)
        wrapped: list[Any] = [m for m in self.base_model.modules() if isinstance(m, kinds)]
        merged = [m for m in wrapped if isinstance(m, LoraLayer) and m.merged]
        for m in merged:
            m.unmerge()
        for m in wrapped:
            m.disabled = True
        try:
            yield
        finally:
            for m in wrapped:
                m.disabled = False
            for m in merged:
                m.merge()

    # ------------------------------------------------------------------ saving
    def _is_adapter_key(self, key: str) -> bool:
        if "lora_" in key or "modules_to_save." in key:
            return True
        bias = getattr(self.peft_config, "bias", "none")
        if key.endswith("bias") and bias == "all":
            return True
        return bias == "lora_only" and key.endswith("base_layer.bias")

    def adapter_state_dict(self) -> dict[str, Tensor]:
        """The adapter's tensors only, by their names in ``base_model``."""
        state = self.base_model.state_dict()
        return {k: v for k, v in state.items() if self._is_adapter_key(k)}

    def load_adapter_state_dict(self, state: dict[str, Any]) -> None:
        """Copy saved adapter tensors in.

        Raises:
            ValueError: if an adapter tensor is missing, unexpected or of the wrong shape.
        """
        expected = set(self.adapter_state_dict())
        missing, unexpected = sorted(expected - set(state)), sorted(set(state) - expected)
        if missing or unexpected:
            raise ValueError(
                f"adapter weights do not fit: missing {missing}, unexpected {unexpected}"
            )
        try:
            self.base_model.load_state_dict(state, strict=False)
        except RuntimeError as e:
            raise ValueError(f"adapter weights do not fit: {e}") from e

    def save_pretrained(self, save_directory: str | Path) -> None:
        """Write ``adapter_model.safetensors`` and ``adapter_config.json`` into the folder."""
        folder = Path(save_directory)
        folder.mkdir(parents=True, exist_ok=True)
        save(self.adapter_state_dict(), folder / WEIGHTS_NAME)
        atomic_write_text(folder / CONFIG_NAME, json.dumps(self.peft_config.to_dict(), indent=2))

    @classmethod
    def from_pretrained(
        cls, model: nn.Module, model_id: str | Path, is_trainable: bool = False
    ) -> PeftModel:
        """``model`` with the adapter saved in the folder ``model_id``.

        Args:
            model: a fresh base model (the same architecture and weights as when trained).
            model_id: a folder written by :meth:`save_pretrained`.
            is_trainable: keep the adapter trainable; by default everything is frozen.

        Raises:
            FileNotFoundError: if the folder lacks either file.
            ValueError: if a file is damaged or its tensors do not fit the model.
        """
        from scratchgrad.peft.mapping import get_peft_model

        folder = Path(model_id)
        config = read_config(folder)
        weights = folder / WEIGHTS_NAME
        if not weights.is_file():
            raise FileNotFoundError(f"no adapter weights {weights}")
        # the saved weights replace any initialisation: build a prompt without its text
        build = config
        if isinstance(config, PromptTuningConfig):
            build = replace(config, prompt_tuning_init="RANDOM", prompt_tuning_init_text=None)
        peft = get_peft_model(model, build)
        peft.peft_config = config
        peft.load_adapter_state_dict(load(weights))
        if not is_trainable:
            freeze(peft)
        return peft


def read_config(folder: Path) -> PeftConfig:
    """The config in ``folder/adapter_config.json``.

    Raises:
        FileNotFoundError: if there is none.
        ValueError: if it is not JSON or not a known config.
    """
    path = folder / CONFIG_NAME
    if not path.is_file():
        raise FileNotFoundError(f"no adapter config {path}")
    try:
        return config_from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError) as e:
        raise ValueError(f"{path}: damaged, not a JSON config ({e})") from e


__all__ = [
    "CONFIG_NAME",
    "WEIGHTS_NAME",
    "ModulesToSaveWrapper",
    "PeftModel",
    "inject_lora",
    "matches",
    "read_config",
    "set_submodule",
]
