"""``scratchgrad recipes``, ``train`` and ``eval``: list the recipes, train one, evaluate a run.

``scratchgrad train digits-cnn --epochs 5`` trains a recipe and prints its test metrics;
``scratchgrad eval RUN_DIR`` reloads a run's best checkpoint and evaluates it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from scratchgrad.cli.app import (
    BatchOpt,
    ConfigOpt,
    DataOpt,
    EpochsOpt,
    FileOpt,
    LrOpt,
    OutOpt,
    SeedOpt,
    SetOpt,
    app,
    clear_errors,
    format_metrics,
    recipe_settings,
    stdout,
)
from scratchgrad.config import parse_assignments
from scratchgrad.errors import RecipeError
from scratchgrad.recipes import RECIPES, get_recipe, load_run
from scratchgrad.recipes.base import read_record
from scratchgrad.recipes.rl import RL_RECIPES


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
    stdout().print(table)


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
    with clear_errors():
        chosen = get_recipe(recipe)
        cli: dict[str, Any] = {"epochs": epochs, "lr": lr, "batch_size": batch_size, "seed": seed}
        cli |= {"out_dir": out, "data_dir": data_dir, "data": data}
        cli |= {"extra": parse_assignments(set_ or [])}
        result = chosen.run(recipe_settings(chosen, config, cli))
    stdout().print(f"test: {format_metrics(result.test_metrics)}")
    stdout().print(f"run folder: {result.run_dir}")


@app.command("eval")
def eval_command(
    run_dir: Annotated[Path, typer.Argument(help="A run folder written by `train`.")],
    episodes: Annotated[
        int | None, typer.Option("--episodes", min=1, help="RL runs: episodes to play (100).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", min=0, help="RL runs: seeds the environments (0).")
    ] = None,
) -> None:
    """Reload a run's best checkpoint and print its metrics on the test split.

    For a reinforcement-learning run, play the saved agent's deterministic policy and print
    the mean and standard deviation of the return.
    """
    with clear_errors():
        name, _ = read_record(run_dir)
        if name in RL_RECIPES:
            mean, std = RL_RECIPES[name].evaluate_run(run_dir, episodes or 100, seed or 0)
            stdout().print(f"mean_return {mean:.1f} +- {std:.1f} over {episodes or 100} episodes")
            return
        if episodes is not None or seed is not None:
            raise RecipeError(f"--episodes and --seed are for RL runs; {name} has a test split")
        recipe, settings, module = load_run(run_dir)
        metrics = recipe.evaluate(module, settings)
    stdout().print(f"{recipe.name} test: {format_metrics(metrics)}")
