"""``scratchgrad search RECIPE --grid key=v1,v2``: grid or random search over settings.

Every trial's settings are checked before the first one trains; the results table lists
the trials best first and the full run folder of each below it.
"""

from __future__ import annotations

import io
import itertools
import random
from contextlib import redirect_stdout
from typing import Annotated, Any

import typer
from rich.table import Table

from scratchgrad.cli.app import (
    ConfigOpt,
    DataOpt,
    EpochsOpt,
    FileOpt,
    OutOpt,
    SeedOpt,
    app,
    clear_errors,
    format_metrics,
    recipe_settings,
    stdout,
)
from scratchgrad.cli.study import StudyOptions, run_study
from scratchgrad.config import RecipeSettings, parse_assignments
from scratchgrad.distributed.search import trial_cli
from scratchgrad.errors import SettingsError
from scratchgrad.recipes import Recipe, RunResult, get_recipe


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


def _describe(trial: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in trial.items())


def _results_table(recipe: Recipe, rows: list[tuple[dict[str, Any], RunResult]]) -> Table:
    """The trials, best first; the "#" column points at the run folders listed below it."""
    table = Table(title=f"search: {recipe.name}, sorted by best {recipe.monitor}")
    for column in ("#", "", "settings", f"best {recipe.monitor}", "test"):
        table.add_column(column)
    for i, (trial, result) in enumerate(rows, start=1):
        mark = "* best" if i == 1 else ""
        score, test = f"{result.best_score:.4f}", format_metrics(result.test_metrics)
        table.add_row(str(i), mark, _describe(trial), score, test)
    return table


def _run_trials(
    recipe: Recipe, trials: list[tuple[dict[str, Any], RecipeSettings]], verbose: bool
) -> list[tuple[dict[str, Any], RunResult]]:
    """Run each trial; one line per trial, or the Trainer's epoch lines when ``verbose``."""
    rows = []
    for i, (trial, settings) in enumerate(trials, start=1):
        if verbose:
            stdout().print(f"trial {i}/{len(trials)}: {_describe(trial)}")
            result = recipe.run(settings, progress=False)
        else:
            with redirect_stdout(io.StringIO()):
                result = recipe.run(settings, progress=False)
        line = f"trial {i}/{len(trials)}: {_describe(trial)}  best {recipe.monitor}"
        stdout().print(f"{line} {result.best_score:.4f}")
        rows.append((trial, result))
    return sorted(rows, key=lambda r: r[1].best_score, reverse=recipe.mode == "max")


GridOpt = Annotated[
    list[str] | None, typer.Option("--grid", help="key=v1,v2,... values to try (repeatable).")
]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        help="A range to search with Optuna: lr=log:1e-4:1e-1, hidden=int:32:256, "
        "dropout=float:0:0.5, act=choice:relu,gelu (repeatable).",
    ),
]
TrialsOpt = Annotated[
    int | None, typer.Option("--n-trials", min=1, help="Optuna trials to run (with --param).")
]
StorageOpt = Annotated[
    str | None,
    typer.Option(
        "--storage",
        help="Where the study lives: a journal file (default OUT/STUDY.journal) or a "
        "postgresql:// URL that workers on several machines share.",
    ),
]
StudyOpt = Annotated[str | None, typer.Option("--study", help="The study's name.")]
WorkersOpt = Annotated[
    int, typer.Option("--workers", min=1, help="Local worker processes sharing the trials.")
]
PrunerOpt = Annotated[
    str, typer.Option("--pruner", help="median (stop trials behind the median) or none.")
]


@app.command("search")
def search_command(
    recipe: Annotated[str, typer.Argument(help="The recipe's name (see `recipes`).")],
    grid: GridOpt = None,
    n_random: Annotated[
        int | None, typer.Option("--random", min=1, help="Try N random grid points.")
    ] = None,
    param: ParamOpt = None,
    n_trials: TrialsOpt = None,
    storage: StorageOpt = None,
    study: StudyOpt = None,
    workers: WorkersOpt = 1,
    pruner: PrunerOpt = "median",
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
    """Grid, random or Optuna search over settings; print a results table, the best marked.

    Every trial's settings are checked before the first one trains. With --param (or
    --n-trials), Optuna samples the ranges, prunes trials that fall behind, and lets
    --workers processes, or other machines with the same --storage and --study, share
    the trials.
    """
    with clear_errors():
        chosen = get_recipe(recipe)
        cli: dict[str, Any] = {"epochs": epochs, "seed": seed, "out_dir": out}
        cli |= {"data_dir": data_dir, "data": data}
        base = recipe_settings(chosen, config, cli)
        if param or n_trials:
            options = StudyOptions(n_trials or 10, storage, study, workers, pruner)
            run_study(chosen, base, cli, config, [*(param or []), *(grid or [])], options)
            return
        if not grid:
            raise SettingsError("search: give --grid key=v1,v2,... or --param with --n-trials")
        combos = _trials(_parse_grid(grid), n_random, base.seed)
        trials = [(t, recipe_settings(chosen, config, trial_cli(cli, t))) for t in combos]
        rows = _run_trials(chosen, trials, verbose)
    stdout().print(_results_table(chosen, rows))
    for i, (_, result) in enumerate(rows, start=1):
        stdout().print(f"#{i} run folder: {result.run_dir}")
