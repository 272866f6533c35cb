"""Settings for the named recipes: pydantic-checked, from defaults, env, TOML and the CLI.

Precedence, highest first: command line > TOML file > ``SCRATCHGRAD_*`` environment
variables > the recipe's defaults > the field defaults below. Every value is checked; an
invalid one is refused with a message naming the field, the value and what is allowed.

>>> resolve_settings(cli={"lr": 0.5}).lr
0.5
"""

from __future__ import annotations

import difflib
import json
import tomllib
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict

from scratchgrad.errors import SettingsError


class RecipeSettings(BaseSettings):
    """The settings of one recipe run.

    Attributes:
        epochs: epochs to train (>= 1).
        lr: the optimizer's learning rate (> 0).
        batch_size: training samples per batch (>= 1).
        seed: seeds the model's initialisation and the data order (>= 0).
        out_dir: where run folders are created.
        data_dir: a folder of data files, for recipes that need one (mnist-cnn).
        data: a data file, for recipes that need one (a text for shakespeare-gpt).
        checkpoint_every: also save the ``last`` checkpoint every this many optimizer
            steps (None: at each epoch's end only), so a killed run resumes close to where
            it stopped.
        extra: recipe-specific keys, set with ``--set key=value``.
    """

    model_config = SettingsConfigDict(env_prefix="SCRATCHGRAD_", extra="forbid")

    epochs: int = Field(10, ge=1, description="epochs to train")
    lr: float = Field(1e-3, gt=0, description="learning rate")
    batch_size: int = Field(32, ge=1, description="samples per training batch")
    seed: int = Field(0, ge=0, description="random seed")
    out_dir: Path = Field(Path("runs"), description="where run folders are created")
    data_dir: Path | None = Field(None, description="folder of data files, if needed")
    data: Path | None = Field(None, description="a data file (a text corpus), if needed")
    checkpoint_every: int | None = Field(
        None, ge=1, description="save the last checkpoint every N steps too"
    )
    extra: dict[str, Any] = Field(default_factory=dict, description="recipe-specific keys")

    @field_validator("out_dir", "data_dir", "data")
    @classmethod
    def _absolute(cls, value: Path | None) -> Path | None:
        """Paths are kept absolute, so a run folder's settings work from any directory."""
        return None if value is None else value.expanduser().absolute()

    @field_validator("epochs", "lr", "batch_size", "seed", "checkpoint_every", mode="before")
    @classmethod
    def _no_booleans(cls, value: Any, info: ValidationInfo) -> Any:
        """Refuse ``true``/``false`` for a number (pydantic would read them as 1 and 0)."""
        if isinstance(value, bool):
            kind = "a number" if info.field_name == "lr" else "an integer"
            raise ValueError(f"must be {kind}, not a boolean")
        return value


def format_validation_error(error: ValidationError) -> str:
    """One line per error: ``lr: got -1.0; must be > 0``."""
    lines = []
    for err in error.errors():
        field = ".".join(str(p) for p in err["loc"]) or "settings"
        lines.append(f"{field}: got {err.get('input')!r}; {_allowed(err)}")
    return "\n".join(lines)


_BOUNDS = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt"}
_SIGNS = {"gt": ">", "ge": ">=", "lt": "<"}


def _allowed(err: Mapping[str, Any]) -> str:
    """What the field allows, from one pydantic error: ``must be > 0``."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in _BOUNDS:
        key = _BOUNDS[kind]
        return f"must be {_SIGNS[key]} {ctx[key]}"
    if kind == "extra_forbidden":
        return _unknown(str(err["loc"][-1]), RecipeSettings.model_fields)
    message = str(err["msg"]).removeprefix("Value error, ")
    return (
        "must be " + message.removeprefix("Input should be ")
        if message.startswith("Input should be ")
        else message
    )


def _unknown(key: str, known: Collection[str]) -> str:
    """``unknown setting; did you mean 'hidden'? known: ...`` for a key not in ``known``."""
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown setting; {hint}known: {', '.join(known) or '(none)'}"


def check_extra(extra: Mapping[str, Any], declared: Mapping[str, Any]) -> None:
    """Refuse ``extra`` keys a recipe does not declare, and values unlike the declared default.

    A key with an integer default takes an integer >= 1; one with a float default, a number
    >= 0 (the rules the recipes read them by).

    Args:
        extra: the recipe-specific settings given (``--set``, TOML ``[extra]``, ``--grid``).
        declared: the recipe's keys and their defaults.

    Raises:
        SettingsError: naming the key, its value and the known keys or what is allowed.

    >>> try:
    ...     check_extra({"hiden": 8}, {"hidden": 16})
    ... except SettingsError as e:
    ...     print(e)
    extra.hiden: got 8; unknown setting; did you mean 'hidden'? known: hidden
    """
    for key, value in extra.items():
        if key not in declared:
            hint = _unknown(key, declared)
            if key in RecipeSettings.model_fields:
                hint += f" ({key} is a main setting: use --{key.replace('_', '-')})"
            raise SettingsError(f"extra.{key}: got {value!r}; {hint}")
        problem = _extra_problem(value, declared[key])
        if problem:
            raise SettingsError(f"extra.{key}: got {value!r}; {problem}")


def _extra_problem(value: Any, default: Any) -> str | None:
    """What is wrong with ``value`` for a key whose default is ``default`` (None if fine)."""
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "must be true or false"
    if isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        return None if ok else "must be an integer >= 1"
    if isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
        return None if ok else "must be a number >= 0"
    return None


def _check_inputs(layers: Iterable[Mapping[str, Any]], inputs: Collection[str]) -> None:
    """Refuse ``data`` / ``data_dir`` given (TOML or command line) to a recipe that ignores it."""
    for layer in layers:
        for key in ("data", "data_dir"):
            if layer.get(key) is not None and key not in inputs:
                flag = "--" + key.replace("_", "-")
                raise SettingsError(
                    f"{key}: got {str(layer[key])!r}; this recipe reads no {flag}"
                    f" (recipes that do: see `scratchgrad recipes`)"
                )


def env_settings() -> dict[str, Any]:
    """The settings given as ``SCRATCHGRAD_*`` environment variables (raw values)."""
    return dict(EnvSettingsSource(RecipeSettings)())


def read_toml(path: Path) -> dict[str, Any]:
    """The settings in a TOML file: top-level keys, an optional ``[extra]`` table.

    Raises:
        SettingsError: if the file is missing or not valid TOML.
    """
    if not path.is_file():
        raise SettingsError(f"config: no file {path}")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"config: {path} is not valid TOML ({e})") from e


def parse_assignments(items: Iterable[str]) -> dict[str, Any]:
    """``["depth=3", "name=a"]`` -> ``{"depth": 3, "name": "a"}`` (JSON values, else text).

    Raises:
        SettingsError: for an item without ``=`` or with an empty key.
    """
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise SettingsError(f"--set: expected key=value, got {item!r}")
        try:
            out[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            out[key.strip()] = raw
    return out


def _merge(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """Later layers win; their ``extra`` dicts are merged key by key."""
    merged: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for layer in layers:
        extra |= dict(layer.get("extra") or {})
        merged |= {k: v for k, v in layer.items() if k != "extra" and v is not None}
    return merged | {"extra": extra}


def resolve_settings(
    defaults: Mapping[str, Any] | None = None,
    toml_file: Path | None = None,
    cli: Mapping[str, Any] | None = None,
    *,
    extra: Mapping[str, Any] | None = None,
    inputs: Collection[str] | None = None,
) -> RecipeSettings:
    """Settings from (lowest first) field defaults, recipe defaults, env, TOML and CLI.

    Args:
        defaults: the recipe's defaults.
        toml_file: a TOML file of settings, or None.
        cli: values from the command line (None values are ignored).
        extra: the recipe's own keys and their defaults; when given, they are the lowest
            layer of ``extra`` and any other ``extra`` key is refused.
        inputs: which of ``data`` and ``data_dir`` the recipe reads; when given, the
            others are refused if the TOML file or command line sets them.

    Raises:
        SettingsError: naming each invalid field, its value and what is allowed.
    """
    toml = read_toml(toml_file) if toml_file is not None else {}
    if inputs is not None:
        _check_inputs((toml, cli or {}), inputs)
    base = {"extra": dict(extra)} if extra is not None else {}
    merged = _merge(base, defaults or {}, env_settings(), toml, cli or {})
    if extra is not None:
        check_extra(merged["extra"], extra)
    try:
        return RecipeSettings(**merged)
    except ValidationError as e:
        raise SettingsError(format_validation_error(e)) from None


__all__ = [
    "RecipeSettings",
    "SettingsError",
    "check_extra",
    "env_settings",
    "format_validation_error",
    "parse_assignments",
    "read_toml",
    "resolve_settings",
]
