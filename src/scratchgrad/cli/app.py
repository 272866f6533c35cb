"""The command line's shared parts: the Typer ``app``, its consoles, options and error lines.

Each command lives in its own module of :mod:`scratchgrad.cli` and registers itself on
:data:`app`. Errors print one clear message on stderr and exit with a non-zero code,
never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from loguru import logger
from rich.console import Console

from scratchgrad import __version__
from scratchgrad.config import RecipeSettings, resolve_settings
from scratchgrad.errors import CheckpointError, RecipeError, RunFileError, SettingsError
from scratchgrad.recipes import Recipe

app = typer.Typer(
    name="scratchgrad",
    help="Train, evaluate and tune scratchgrad's named recipes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def stdout() -> Console:
    """The console for results (stdout)."""
    return Console(highlight=False, soft_wrap=True)


def stderr() -> Console:
    """The console for errors (stderr)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn the library's expected errors into one line on stderr and a non-zero exit.

    Exit code 1: a saved file of a run is missing, damaged or changed; 2: the command's
    arguments or settings cannot be used.
    """
    try:
        yield
    except (CheckpointError, RunFileError) as e:
        stderr().print(f"error: {e}", markup=False)
        raise typer.Exit(code=1) from None
    except (SettingsError, RecipeError) as e:
        stderr().print(f"error: {e}", markup=False)
        raise typer.Exit(code=2) from None


def _version(value: bool) -> None:
    if value:
        stdout().print(f"scratchgrad {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Train, evaluate and tune scratchgrad's named recipes."""
    logger.remove()
    logger.add(sys.stderr, level="INFO")
    logger.enable("scratchgrad")


def format_metrics(metrics: dict[str, float]) -> str:
    """``"loss 0.1234  accuracy 0.9800"``: metrics on one line, four decimals."""
    return "  ".join(f"{k} {v:.4f}" for k, v in metrics.items())


def recipe_settings(recipe: Recipe, config: Path | None, cli: dict[str, Any]) -> RecipeSettings:
    """A recipe's settings: its defaults, then the TOML file, then the command line's flags."""
    return resolve_settings(recipe.defaults, config, cli, extra=recipe.extra, inputs=recipe.inputs)


EpochsOpt = Annotated[int | None, typer.Option("--epochs", help="Epochs to train.")]
LrOpt = Annotated[float | None, typer.Option("--lr", help="Learning rate.")]
BatchOpt = Annotated[int | None, typer.Option("--batch-size", help="Samples per batch.")]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Random seed.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Where run folders go.")]
DataOpt = Annotated[Path | None, typer.Option("--data-dir", help="Folder of data files.")]
FileOpt = Annotated[Path | None, typer.Option("--data", help="A data file (a text corpus).")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="A TOML file of settings.")]
SetOpt = Annotated[
    list[str] | None, typer.Option("--set", help="A recipe-specific key=value (repeatable).")
]
