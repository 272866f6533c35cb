"""The ``scratchgrad`` command line: list, train, evaluate, predict with and tune recipes.

``scratchgrad train digits-cnn --epochs 5`` trains a recipe and prints its test metrics;
``scratchgrad eval RUN_DIR`` and ``scratchgrad predict RUN_DIR inputs.npy`` reuse a run;
``scratchgrad search xor-mlp --grid lr=0.01,0.001`` compares settings. Errors print one
clear message on stderr and exit with a non-zero code, never a traceback.
"""

from __future__ import annotations

import io
import itertools
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from loguru import logger
from rich.console import Console
from rich.table import Table

from scratchgrad import __version__
from scratchgrad.config import RecipeSettings, parse_assignments, resolve_settings
from scratchgrad.errors import CheckpointError, RecipeError, RunFileError, SettingsError
from scratchgrad.recipes import RECIPES, Recipe, RunResult, get_recipe, load_run

app = typer.Typer(
    name="scratchgrad",
    help="Train, evaluate and tune scratchgrad's named recipes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Turn the library's expected errors into one line on stderr and a non-zero exit.

    Exit code 1: a saved file of a run is missing, damaged or changed; 2: the command's
    arguments or settings cannot be used.
    """
    try:
        yield
    except (CheckpointError, RunFileError) as e:
        _err().print(f"error: {e}", markup=False)
        raise typer.Exit(code=1) from None
    except (SettingsError, RecipeError) as e:
        _err().print(f"error: {e}", markup=False)
        raise typer.Exit(code=2) from None


def _version(value: bool) -> None:
    if value:
        _out().print(f"scratchgrad {__version__}")
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


# ------------------------------------------------------------------------ helpers
def _format(metrics: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.4f}" for k, v in metrics.items())


def _settings(recipe: Recipe, config: Path | None, cli: dict[str, Any]) -> RecipeSettings:
    return resolve_settings(recipe.defaults, config, cli, extra=recipe.extra, inputs=recipe.inputs)


# ----------------------------------------------------------------------- commands
@app.command("recipes")
def recipes_command() -> None:
    """List the recipes: name, description, default settings and their own --set keys."""
    table = Table(title="recipes")
    for column in ("name", "description", "defaults", "--set keys (defaults)"):
        table.add_column(column)
    for recipe in RECIPES.values():
        defaults = ", ".join(f"{k}={v}" for k, v in recipe.defaults.items())
        defaults += "".join(f", needs --{k.replace('_', '-')}" for k in recipe.inputs)
        keys = ", ".join(f"{k}={v}" for k, v in recipe.extra.items()) or "-"
        table.add_row(recipe.name, recipe.description, defaults, keys)
    _out().print(table)


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


@app.command("train")
def train_command(
    recipe: Annotated[str, typer.Argument(help="The recipe's name (see `recipes`).")],
    epochs: EpochsOpt = None,
    lr: LrOpt = None,
    batch_size: BatchOpt = None,
    seed: SeedOpt = None,
    out: OutOpt = None,
    data_dir: DataOpt = None,
    data: FileOpt = None,
    config: ConfigOpt = None,
    set_: SetOpt = None,
) -> None:
    """Train a recipe; print progress, the test metrics and the run folder."""
    with _clear_errors():
        chosen = get_recipe(recipe)
        cli: dict[str, Any] = {"epochs": epochs, "lr": lr, "batch_size": batch_size, "seed": seed}
        cli |= {"out_dir": out, "data_dir": data_dir, "data": data}
        cli |= {"extra": parse_assignments(set_ or [])}
        result = chosen.run(_settings(chosen, config, cli))
    _out().print(f"test: {_format(result.test_metrics)}")
    _out().print(f"run folder: {result.run_dir}")


@app.command("eval")
def eval_command(
    run_dir: Annotated[Path, typer.Argument(help="A run folder written by `train`.")],
) -> None:
    """Reload a run's best checkpoint and print its metrics on the test split."""
    with _clear_errors():
        recipe, settings, module = load_run(run_dir)
        metrics = recipe.evaluate(module, settings)
    _out().print(f"{recipe.name} test: {_format(metrics)}")


@app.command("predict")
def predict_command(
    run_dir: Annotated[Path, typer.Argument(help="A run folder written by `train`.")],
    input_file: Annotated[
        Path,
        typer.Argument(
            help="A .npy array of inputs, shape (N, *input_shape) or one sample, in the data "
            "set's own units (raw features, images as loaded): the run applies the "
            "preprocessing it was trained with. `scratchgrad recipes` lists input shapes."
        ),
    ],
) -> None:
    """Print the predictions of a run's best model for the inputs in a .npy file.

    Classifiers print one class per row; regressors print the predicted values.
    """
    with _clear_errors():
        recipe, _, module = load_run(run_dir)
        preds = recipe.predict(module, _read_npy(input_file))
    for row in preds:
        _out().print(" ".join(f"{v:.6g}" for v in np.atleast_1d(row)))


def _positive(value: float) -> float:
    """Refuse a value <= 0 (``typer.Option(min=...)`` can only include its bound)."""
    if value <= 0:
        raise typer.BadParameter(f"temperature must be > 0, got {value}")
    return value


@app.command("generate")
def generate_command(
    run_dir: Annotated[Path, typer.Argument(help="A language-model run folder.")],
    prompt: Annotated[str, typer.Option("--prompt", help="The text to continue.")] = "\n",
    max_new_tokens: Annotated[
        int, typer.Option("--max-new-tokens", min=0, help="Tokens to generate.")
    ] = 200,
    temperature: Annotated[
        float,
        typer.Option("--temperature", callback=_positive, help="> 0; lower is more conservative."),
    ] = 1.0,
    top_k: Annotated[
        int | None, typer.Option("--top-k", min=1, help="Sample among the k likeliest.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 0,
) -> None:
    """Continue a prompt with a language-model run's best checkpoint; print the text."""
    with _clear_errors():
        recipe, _, module = load_run(run_dir)
        text = recipe.generate(module, run_dir, prompt, max_new_tokens, temperature, top_k, seed)
    _out().print(text, markup=False)


_NPY_MAGIC = b"\x93NUMPY"
_EXPECTED = "expected a .npy array of finite real numbers, shape (N, ...)"


def _what_file(head: bytes) -> str:
    """What a file that is not a .npy array looks like, from its first bytes."""
    if head.startswith(b"PK\x03\x04"):
        return "a zip archive (an .npz of several arrays? save one array with np.save)"
    if head.startswith(b"\x80"):
        return "a pickle (never loaded: it could run code)"
    if head and all(32 <= b < 127 or b in b"\t\r\n" for b in head):
        return f"text starting {head[:20].decode()!r}"
    return f"a file starting with bytes {head[:8]!r}"


def _read_npy(path: Path) -> np.ndarray[Any, Any]:
    """The array in a .npy file, checked: numbers, at least one row, all finite.

    Raises:
        RecipeError: one line naming the file, what was expected and what came.
    """
    if not path.is_file():
        raise RecipeError(f"no input file {path}")
    with path.open("rb") as f:
        head = f.read(len(_NPY_MAGIC))
        if head != _NPY_MAGIC:
            head += f.read(32)
            raise RecipeError(f"{path}: {_EXPECTED}; got {_what_file(head)}")
        f.seek(0)
        try:
            array = np.lib.format.read_array(f, allow_pickle=False)
        except (ValueError, EOFError, OSError) as e:
            raise RecipeError(f"{path}: {_EXPECTED}; got a damaged .npy file ({e})") from e
    _check_inputs(path, np.asarray(array))
    return np.asarray(array)


def _check_inputs(path: Path, array: np.ndarray[Any, Any]) -> None:
    """Refuse arrays that would give a silently wrong prediction."""
    if array.dtype.kind not in "biufc":
        raise RecipeError(f"{path}: {_EXPECTED}; got dtype {array.dtype}")
    if array.ndim == 0 or array.shape[0] == 0:
        raise RecipeError(f"{path}: {_EXPECTED}; got an empty array, shape {array.shape}")
    bad = np.iscomplex(array) if array.dtype.kind == "c" else ~np.isfinite(array)
    if array.dtype.kind == "c" and not bad.any():
        raise RecipeError(f"{path}: {_EXPECTED}; got dtype {array.dtype}")
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise RecipeError(f"{path}: {_EXPECTED}; {_position(index)} is {array[index]}")


def _position(index: tuple[int, ...]) -> str:
    """``row 3, column 1`` (rows count from 0, as in NumPy)."""
    if len(index) == 1:
        return f"row {index[0]}"
    rest = index[1] if len(index) == 2 else index[1:]
    return f"row {index[0]}, column {rest}"


# ------------------------------------------------------------------------- search
def _parse_grid(items: list[str]) -> dict[str, list[Any]]:
    """``["lr=0.01,0.001"]`` -> ``{"lr": [0.01, 0.001]}``."""
    grid: dict[str, list[Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not raw:
            raise SettingsError(f"--grid: expected key=v1,v2,..., got {item!r}")
        values = [f"v={v}" for v in raw.split(",")]
        grid[key.strip()] = [parse_assignments([v])["v"] for v in values]
    return grid


def _trials(grid: dict[str, list[Any]], n_random: int | None, seed: int) -> list[dict[str, Any]]:
    """Every combination of the grid, or ``n_random`` of them drawn without replacement."""
    combos = [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]
    if n_random is not None and n_random < len(combos):
        combos = random.Random(seed).sample(combos, n_random)
    return combos


def _trial_cli(cli: dict[str, Any], trial: dict[str, Any]) -> dict[str, Any]:
    """The command line's settings with one trial's values (non-fields go to ``extra``)."""
    fields = set(RecipeSettings.model_fields) - {"extra"}
    known = {k: v for k, v in trial.items() if k in fields}
    extra = {k: v for k, v in trial.items() if k not in fields}
    return cli | known | {"extra": extra}


def _describe(trial: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in trial.items())


def _results_table(recipe: Recipe, rows: list[tuple[dict[str, Any], RunResult]]) -> Table:
    """The trials, best first; the "#" column points at the run folders listed below it."""
    table = Table(title=f"search: {recipe.name}, sorted by best {recipe.monitor}")
    for column in ("#", "", "settings", f"best {recipe.monitor}", "test"):
        table.add_column(column)
    for i, (trial, result) in enumerate(rows, start=1):
        mark = "* best" if i == 1 else ""
        score, test = f"{result.best_score:.4f}", _format(result.test_metrics)
        table.add_row(str(i), mark, _describe(trial), score, test)
    return table


def _run_trials(
    recipe: Recipe, trials: list[tuple[dict[str, Any], RecipeSettings]], verbose: bool
) -> list[tuple[dict[str, Any], RunResult]]:
    """Run each trial; one line per trial, or the Trainer's epoch lines when ``verbose``."""
    rows = []
    for i, (trial, settings) in enumerate(trials, start=1):
        if verbose:
            _out().print(f"trial {i}/{len(trials)}: {_describe(trial)}")
            result = recipe.run(settings, progress=False)
        else:
            with redirect_stdout(io.StringIO()):
                result = recipe.run(settings, progress=False)
        line = f"trial {i}/{len(trials)}: {_describe(trial)}  best {recipe.monitor}"
        _out().print(f"{line} {result.best_score:.4f}")
        rows.append((trial, result))
    return sorted(rows, key=lambda r: r[1].best_score, reverse=recipe.mode == "max")


@app.command("search")
def search_command(
    recipe: Annotated[str, typer.Argument(help="The recipe's name (see `recipes`).")],
    grid: Annotated[
        list[str], typer.Option("--grid", help="key=v1,v2,... values to try (repeatable).")
    ],
    n_random: Annotated[
        int | None, typer.Option("--random", min=1, help="Try N random grid points.")
    ] = None,
    epochs: EpochsOpt = None,
    seed: SeedOpt = None,
    out: OutOpt = None,
    data_dir: DataOpt = None,
    data: FileOpt = None,
    config: ConfigOpt = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Show each trial's epoch lines.")
    ] = False,
) -> None:
    """Grid or random search over settings; print a results table, the best marked.

    Every trial's settings are checked before the first one trains.
    """
    with _clear_errors():
        chosen = get_recipe(recipe)
        cli: dict[str, Any] = {"epochs": epochs, "seed": seed, "out_dir": out}
        cli |= {"data_dir": data_dir, "data": data}
        base = _settings(chosen, config, cli)
        combos = _trials(_parse_grid(grid), n_random, base.seed)
        trials = [(t, _settings(chosen, config, _trial_cli(cli, t))) for t in combos]
        rows = _run_trials(chosen, trials, verbose)
    _out().print(_results_table(chosen, rows))
    for i, (_, result) in enumerate(rows, start=1):
        _out().print(f"#{i} run folder: {result.run_dir}")


def main() -> None:
    """The ``scratchgrad`` console script."""
    app()


__all__ = ["app", "main"]
