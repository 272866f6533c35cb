"""Choosing what trains: freezing by name pattern or by module, per-group learning rates, counts.

Names are those of ``model.named_parameters()`` ("features.0.weight"); patterns are
shell-style globs (``fnmatch``: "features.*", "*.bias", "2.weight").

>>> from scratchgrad import nn
>>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
>>> freeze(model, ["0.*"])
['0.weight', '0.bias']
>>> count_parameters(model)
ParameterCount(trainable=4, total=13)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from typing import Any, NamedTuple

from scratchgrad import nn


class ParameterCount(NamedTuple):
    """Parameters (elements, each shared tensor once): those that train, and all."""

    trainable: int
    total: int


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatchcase(name, p) for p in patterns)


def _set_requires_grad(model: nn.Module, patterns: Sequence[str] | None, value: bool) -> list[str]:
    names = []
    for name, p in model.named_parameters():
        if patterns is None or _matches(name, patterns):
            p.requires_grad_(value)
            names.append(name)
    return names


def freeze(model: nn.Module, patterns: Sequence[str] | None = None) -> list[str]:
    """Stop the matching parameters training (``requires_grad = False``).

    Args:
        model: the model (or any submodule: ``freeze(model.features)`` freezes by module).
        patterns: globs over parameter names; None freezes every parameter.

    Returns:
        The names frozen, in ``named_parameters`` order.
    """
    return _set_requires_grad(model, patterns, False)


def unfreeze(model: nn.Module, patterns: Sequence[str] | None = None) -> list[str]:
    """Let the matching parameters train again (``requires_grad = True``).

    Args:
        model: the model or a submodule.
        patterns: globs over parameter names; None unfreezes every parameter.

    Returns:
        The names unfrozen.
    """
    return _set_requires_grad(model, patterns, True)


def count_parameters(model: nn.Module) -> ParameterCount:
    """The numbers of trainable and of all parameter elements (a tied weight counts once)."""
    trainable = total = 0
    for p in model.parameters():
        total += p.numel()
        trainable += p.numel() if p.requires_grad else 0
    return ParameterCount(trainable, total)


def trainable_parameters(model: nn.Module) -> list[nn.Parameter]:
    """The parameters with ``requires_grad``: what to give the optimizer."""
    return [p for p in model.parameters() if p.requires_grad]


def param_groups(
    model: nn.Module, lrs: Mapping[str, float], default_lr: float | None = None
) -> list[dict[str, Any]]:
    """Optimizer parameter groups with their own learning rates, chosen by name pattern.

    Each trainable parameter goes to the first pattern of ``lrs`` that matches its name;
    the others form a last group with ``default_lr`` (left out when it is None, so they
    do not train). Empty groups are left out. Pass the result to any optimizer:
    ``optim.Adam(param_groups(model, {"head.*": 1e-3}, 1e-4))``.

    Args:
        model: the model.
        lrs: glob pattern -> learning rate, in priority order.
        default_lr: the learning rate of the unmatched trainable parameters, or None.

    Returns:
        ``[{"params": [...], "lr": lr}, ...]``.
    """
    groups: dict[str, dict[str, Any]] = {p: {"params": [], "lr": lr} for p, lr in lrs.items()}
    rest: dict[str, Any] = {"params": [], "lr": default_lr}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        group = next((groups[pat] for pat in lrs if fnmatchcase(name, pat)), rest)
        group["params"].append(p)
    chosen = [*groups.values(), *([rest] if default_lr is not None else [])]
    return [g for g in chosen if g["params"]]


__all__ = [
    "ParameterCount",
    "count_parameters",
    "freeze",
    "param_groups",
    "trainable_parameters",
    "unfreeze",
]
