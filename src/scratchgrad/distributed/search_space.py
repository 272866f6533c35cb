"""Search spaces written as text: ``lr=log:1e-4:1e-1``, ``hidden=int:32:256``, ``act=choice:a,b``.

Each ``--param`` of ``scratchgrad search`` becomes a :class:`ParamSpec`, which draws its
value from an Optuna trial (``suggest``) and names the values to check before the first
trial (``corners``), so a bad range is refused before anything trains.

>>> parse_param("lr=log:1e-4:1e-1")
ParamSpec(name='lr', kind='log', low=0.0001, high=0.1, choices=())
>>> parse_param("act=choice:relu,gelu").choices
('relu', 'gelu')
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Literal

from scratchgrad.errors import SettingsError

Kind = Literal["log", "float", "int", "choice"]
KINDS: tuple[Kind, ...] = ("log", "float", "int", "choice")
FORMS = "log:LOW:HIGH, float:LOW:HIGH, int:LOW:HIGH or choice:A,B,..."


@dataclass(frozen=True)
class ParamSpec:
    """One searched setting: its name and the range or choices it is drawn from.

    Attributes:
        name: the setting (``lr``, ``batch_size``, or a recipe's ``--set`` key).
        kind: "log" (log-uniform float), "float" (uniform), "int" (uniform integer,
            bounds included) or "choice" (one of ``choices``).
        low: the lower bound (None for a choice).
        high: the upper bound (None for a choice).
        choices: the values of a choice (JSON values: numbers, true/false, or text).
    """

    name: str
    kind: Kind
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] = ()

    def suggest(self, trial: Any) -> Any:
        """This setting's value for an Optuna ``trial``."""
        if self.kind == "choice":
            return trial.suggest_categorical(self.name, list(self.choices))
        if self.kind == "int":
            return trial.suggest_int(self.name, int(self.low or 0), int(self.high or 0))
        return trial.suggest_float(self.name, self.low, self.high, log=self.kind == "log")

    def corners(self) -> list[Any]:
        """The values to validate before the search: both bounds, or every choice."""
        if self.kind == "choice":
            return list(self.choices)
        if self.kind == "int":
            return [int(self.low or 0), int(self.high or 0)]
        return [self.low, self.high]


def parse_param(item: str) -> ParamSpec:
    """A :class:`ParamSpec` from ``name=kind:...`` text.

    Raises:
        SettingsError: naming the item and the forms allowed.
    """
    name, sep, rest = item.partition("=")
    kind, _, body = rest.partition(":")
    if not sep or not name.strip() or kind not in KINDS or not body:
        raise SettingsError(f"--param: expected name={FORMS}; got {item!r}")
    if kind == "choice":
        return ParamSpec(name.strip(), "choice", choices=tuple(_value(v) for v in body.split(",")))
    low, high = _bounds(item, body, integer=kind == "int")
    if kind == "log" and low <= 0:
        raise SettingsError(f"--param {item!r}: a log range needs LOW > 0")
    return ParamSpec(name.strip(), kind, low, high)


def _bounds(item: str, body: str, integer: bool) -> tuple[float, float]:
    """``LOW:HIGH`` as two finite numbers with LOW < HIGH (integers for ``int``)."""
    parts = body.split(":")
    try:
        low, high = (float(p) for p in parts) if len(parts) == 2 else (math.nan, math.nan)
    except ValueError:
        low = high = math.nan
    whole = not integer or (low.is_integer() and high.is_integer())
    if not (math.isfinite(low) and math.isfinite(high) and low < high and whole):
        kind = "integers" if integer else "numbers"
        raise SettingsError(f"--param {item!r}: expected LOW:HIGH, two {kind} with LOW < HIGH")
    return low, high


def _value(text: str) -> Any:
    """A choice as JSON (``1``, ``0.5``, ``true``) or else as text (``relu``)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


__all__ = ["FORMS", "KINDS", "ParamSpec", "parse_param"]
