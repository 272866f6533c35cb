"""The settings of an adaptation, with Hugging Face PEFT's names and defaults.

A config is a frozen dataclass that round-trips through JSON (``adapter_config.json``
next to the adapter's weights): :func:`config_from_dict` reads one back by its
``peft_type``.

>>> LoraConfig(r=4, lora_alpha=8, target_modules=["0"]).scaling
2.0
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Bias = Literal["none", "all", "lora_only"]
_BIASES = ("none", "all", "lora_only")


def _names(value: Any, what: str) -> list[str] | str | None:
    """``target_modules``/``modules_to_save`` as given: None, a regex string, or a name list."""
    if value is None or isinstance(value, str):
        return value
    if not all(isinstance(v, str) for v in value):
        raise TypeError(f"{what} must be a string or a list of strings, got {value!r}")
    return list(value)


@dataclass(frozen=True)
class LoraConfig:
    """Low-rank adaptation: W x + (B A x) * lora_alpha / r, A (r, in) and B (out, r) trained.

    Attributes:
        r: the rank of the update (>= 1).
        lora_alpha: the update is scaled by ``lora_alpha / r`` (``/ sqrt(r)`` with rsLoRA).
        lora_dropout: dropout on the input of the low-rank branch.
        target_modules: which layers get an adapter: a list of names (a module matches
            when its full name equals one or ends with ``"." + name``), or a regular
            expression that must match the whole name.
        modules_to_save: layers trained in full next to the adapters (e.g. a new head):
            each is wrapped, its original kept frozen and a trainable copy used and saved.
        bias: which biases train: "none", "all", or "lora_only" (those of adapted layers).
        use_rslora: scale by ``lora_alpha / sqrt(r)`` (rank-stabilised LoRA).
        init_lora_weights: True: A as ``Linear``'s default (Kaiming uniform), B zero, so
            the adapted model starts equal to the base; False: B random too (for tests).
    """

    r: int = 8
    lora_alpha: float = 8
    lora_dropout: float = 0.0
    target_modules: list[str] | str | None = None
    modules_to_save: list[str] | None = None
    bias: Bias = "none"
    use_rslora: bool = False
    init_lora_weights: bool = True
    peft_type: str = field(default="LORA", init=False)

    def __post_init__(self) -> None:
        if isinstance(self.r, bool) or not isinstance(self.r, int) or self.r < 1:
            raise ValueError(f"LoraConfig: r must be an integer >= 1, got {self.r!r}")
        if not 0 <= self.lora_dropout < 1:
            raise ValueError(f"LoraConfig: lora_dropout must be in [0, 1), got {self.lora_dropout}")
        if self.bias not in _BIASES:
            raise ValueError(f"LoraConfig: bias must be one of {_BIASES}, got {self.bias!r}")
        object.__setattr__(self, "target_modules", _names(self.target_modules, "target_modules"))
        saved = _names(self.modules_to_save, "modules_to_save")
        if isinstance(saved, str):
            saved = [saved]
        object.__setattr__(self, "modules_to_save", saved)

    @property
    def scaling(self) -> float:
        """The factor on B A: ``lora_alpha / r``, or ``lora_alpha / sqrt(r)`` with rsLoRA."""
        return self.lora_alpha / (math.sqrt(self.r) if self.use_rslora else self.r)

    def to_dict(self) -> dict[str, Any]:
        """The fields (with ``peft_type``) as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class PromptTuningConfig:
    """Soft prompt tuning: ``num_virtual_tokens`` learned vectors prepended to the input.

    Attributes:
        num_virtual_tokens: P, the learned prompt's length (>= 1).
        prompt_tuning_init: "RANDOM" (N(0, 0.02), as GPT's embeddings) or "TEXT" (the
            token embeddings of ``prompt_tuning_init_text``, repeated to length P).
        prompt_tuning_init_text: the text for "TEXT" initialisation.
    """

    num_virtual_tokens: int = 8
    prompt_tuning_init: Literal["RANDOM", "TEXT"] = "RANDOM"
    prompt_tuning_init_text: str | None = None
    peft_type: str = field(default="PROMPT_TUNING", init=False)

    def __post_init__(self) -> None:
        n = self.num_virtual_tokens
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"PromptTuningConfig: num_virtual_tokens must be >= 1, got {n!r}")
        if self.prompt_tuning_init not in ("RANDOM", "TEXT"):
            raise ValueError(
                "PromptTuningConfig: prompt_tuning_init must be 'RANDOM' or 'TEXT', "
                f"got {self.prompt_tuning_init!r}"
            )
        if self.prompt_tuning_init == "TEXT" and not self.prompt_tuning_init_text:
            raise ValueError("PromptTuningConfig: 'TEXT' needs prompt_tuning_init_text")

    def to_dict(self) -> dict[str, Any]:
        """The fields (with ``peft_type``) as a JSON-ready dict."""
        return asdict(self)


PeftConfig = LoraConfig | PromptTuningConfig
_CONFIGS: dict[str, type[LoraConfig] | type[PromptTuningConfig]] = {
    "LORA": LoraConfig,
    "PROMPT_TUNING": PromptTuningConfig,
}


def config_from_dict(data: dict[str, Any]) -> PeftConfig:
    """The config that :meth:`LoraConfig.to_dict` (or PromptTuningConfig's) wrote.

    Raises:
        ValueError: for an unknown ``peft_type`` or unknown or invalid fields.
    """
    kind = data.get("peft_type")
    if kind not in _CONFIGS:
        raise ValueError(f"unknown peft_type {kind!r}; known: {', '.join(_CONFIGS)}")
    fields = {k: v for k, v in data.items() if k != "peft_type"}
    try:
        return _CONFIGS[kind](**fields)
    except TypeError as e:
        raise ValueError(f"{kind} config: {e}") from e


__all__ = ["Bias", "LoraConfig", "PeftConfig", "PromptTuningConfig", "config_from_dict"]
