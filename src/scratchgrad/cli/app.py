"""The command line's shared parts: the Typer ``app``, its consoles, options and error lines.

Each command lives in its own module of :mod:`scratchgrad.cli` and registers itself on
:data:`app`. Errors print one clear message on stderr and exit with a non-zero code,
never a traceback.
"""

from __future__ import annotations

import errno
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from loguru import logger
from rich.console import Console

from scratchgrad import __version__, kernels
from scratchgrad.config import RecipeSettings, resolve_settings
from scratchgrad.errors import (
    CheckpointError,
    NonFiniteLossError,
    RecipeError,
    RunFileError,
    SettingsError,
)
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


class _State:
    """What the top-level options set for the command that follows."""

    debug = False


def debug_requested() -> bool:
    """Whether ``--debug`` was given: errors then show their traceback."""
    return _State.debug


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn the library's expected errors into one line on stderr and a non-zero exit.

    Exit code 1: a saved file of a run is missing, damaged or changed, a file cannot be
    written (full disk, no permission), or training diverged; 2: the command's arguments,
    settings or input files cannot be used. With ``--debug`` the error propagates with
    its traceback.
    """
    try:
        yield
    except (CheckpointError, RunFileError) as e:
        _fail(e, f"error: {e}", code=1)
    except NonFiniteLossError as e:
        _fail(e, f"error: training diverged: {e}; try a lower --lr", code=1)
    except (SettingsError, RecipeError) as e:
        _fail(e, f"error: {e}", code=2)
    except OSError as e:
        _fail(e, f"error: {describe_os_error(e)}", code=2 if e.errno in _USER_ERRNOS else 1)


_USER_ERRNOS = {errno.ENOTDIR, errno.EISDIR, errno.EEXIST, errno.ENOENT}
_MACHINE_LIMITS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up"}


def describe_os_error(e: OSError) -> str:
    """One line for a failed file operation: the file, and what went wrong in words."""
    what = _MACHINE_LIMITS.get(e.errno or 0, e.strerror or str(e))
    where = f"{e.filename}: " if e.filename else ""
    if e.errno in _MACHINE_LIMITS:
        what += "; nothing half-written was left (files are written whole or not at all)"
    return f"{where}{what}"


def _fail(error: BaseException, line: str, code: int) -> None:
    if _State.debug:
        raise error
    stderr().print(line, markup=False)
    raise typer.Exit(code=code) from None


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
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an error (anywhere in the line).")
    ] = False,
) -> None:
    """Train, evaluate and tune scratchgrad's named recipes."""
    _State.debug = debug
    if not debug:  # NumPy's overflow warnings: a diverging run is reported in one line
        warnings.simplefilter("ignore", RuntimeWarning)
    logger.remove()
    logger.add(sys.stderr, level="INFO")
    logger.enable("scratchgrad")
    with clear_errors():  # a bad SCRATCHGRAD_KERNELS is refused before any run folder exists
        kernels.check_setting()


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
