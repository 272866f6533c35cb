"""``scratchgrad recipes``, ``train`` and ``eval``: list the recipes, train one, evaluate a run.

``scratchgrad train digits-cnn --epochs 5`` trains a recipe and prints its test metrics;
``scratchgrad train --resume RUN_DIR`` continues a killed or stopped run from its last
checkpoint, bit for bit as if it had not stopped; ``scratchgrad eval RUN_DIR`` reloads a
run's best checkpoint and evaluates it.
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
    debug_requested,
    format_metrics,
    recipe_settings,
    stderr,
    stdout,
)
from scratchgrad.cli.launch import flag as launch_flag
from scratchgrad.cli.launch import relaunch, train_args
from scratchgrad.config import RecipeSettings, parse_assignments
from scratchgrad.distributed.process_group import get_rank, launched_by_mpi
from scratchgrad.errors import RecipeError, SettingsError, TrainingInterruptedError
from scratchgrad.recipes import RECIPES, Recipe, RunResult, get_recipe, load_run
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


ResumeOpt = Annotated[
    Path | None,
    typer.Option(
        "--resume",
        help="A run folder to continue from its last checkpoint, with its own settings "
        "(only --epochs may be given, to train it further).",
    ),
]
EveryOpt = Annotated[
    int | None,
    typer.Option("--checkpoint-every", min=1, help="Also save the last checkpoint every N steps."),
]


@app.command("train")
def train_command(
    recipe: Annotated[
        str | None, typer.Argument(help="The recipe's name (see `recipes`); none with --resume.")
    ] = None,
    epochs: EpochsOpt = None,
    lr: LrOpt = None,
    batch_size: BatchOpt = None,
    seed: SeedOpt = None,
    out: OutOpt = None,
    data_dir: DataOpt = None,
    data: FileOpt = None,
    config: ConfigOpt = None,
    set_: SetOpt = None,
    checkpoint_every: EveryOpt = None,
    resume: ResumeOpt = None,
    base: Annotated[
        Path | None, typer.Option("--base", help="A run to start from (shakespeare-lora).")
    ] = None,
    nproc: Annotated[
        int | None,
        typer.Option("--nproc", min=1, help="Train as N MPI ranks (data parallel, same batch)."),
    ] = None,
) -> None:
    """Train a recipe, or continue a stopped run; print progress, test metrics, run folder.

    Ctrl-C stops cleanly: the run folder keeps its plots and checkpoints, and one line
    names the last checkpoint and the command that resumes it.
    """
    with clear_errors():
        cli: dict[str, Any] = {"epochs": epochs, "lr": lr, "batch_size": batch_size, "seed": seed}
        cli |= {"out_dir": out, "data_dir": data_dir, "data": data}
        cli |= {"checkpoint_every": checkpoint_every, "config": config, "extra": set_}
        cli |= {"base": base}
        if nproc is not None and nproc > 1 and not launched_by_mpi():
            raise typer.Exit(code=relaunch(nproc, train_args(recipe, cli, resume)))
        if resume is not None:
            chosen, settings = resumed_settings(resume, recipe, cli)
        else:
            chosen, settings = _new_settings(recipe, cli)
        result = _run_or_report_interrupt(chosen, settings, resume)
    if get_rank() == 0:  # under mpiexec, rank 0 reports for all
        stdout().print(f"test (held out): {format_metrics(result.test_metrics)}")
        stdout().print(f"run folder: {result.run_dir}")


def _new_settings(name: str | None, cli: dict[str, Any]) -> tuple[Recipe, RecipeSettings]:
    if name is None:
        raise SettingsError("train: give a recipe name (see `scratchgrad recipes`) or --resume")
    chosen = get_recipe(name)
    flags = {k: v for k, v in cli.items() if k not in ("config", "base")}
    flags["extra"] = parse_assignments(cli["extra"] or [])
    if cli["base"] is not None:  # the run a fine-tuning recipe starts from
        flags["extra"]["base"] = str(Path(cli["base"]).expanduser().absolute())
    return chosen, recipe_settings(chosen, cli["config"], flags)


def resumed_settings(
    run_dir: Path, name: str | None, cli: dict[str, Any]
) -> tuple[Recipe, RecipeSettings]:
    """The recipe and stored settings of ``run_dir``, ``epochs`` extended if given.

    Args:
        run_dir: the run folder to continue.
        name: the recipe name given on the command line, if any (must be the run's).
        cli: the command line's other flags; only ``epochs`` may be set.

    Raises:
        SettingsError: for another flag, another recipe, or fewer epochs than stored.
    """
    stored_name, stored = read_record(run_dir)
    if name is not None and name != stored_name:
        raise SettingsError(f"--resume: {run_dir} is a {stored_name} run, not {name}")
    given = sorted(k for k, v in cli.items() if v and k != "epochs")
    if given:
        flag = launch_flag(given[0])
        raise SettingsError(
            f"--resume continues {run_dir} with its stored settings; only --epochs may be "
            f"given (to train further), got {flag}"
        )
    epochs = cli["epochs"]
    if epochs is not None and epochs < stored.epochs:
        raise SettingsError(
            f"--epochs: got {epochs}; --resume may only extend the run's {stored.epochs} epochs"
        )
    settings = stored.model_copy(update={"epochs": epochs}) if epochs else stored
    return get_recipe(stored_name), settings


def _run_or_report_interrupt(
    recipe: Recipe, settings: RecipeSettings, resume: Path | None
) -> RunResult:
    """Run the recipe; on Ctrl-C print one line on what was kept and exit 130."""
    try:
        return recipe.run(settings, resume=resume)
    except TrainingInterruptedError as e:
        if debug_requested():
            raise
        stderr().print(interrupt_line(e), markup=False)
        raise typer.Exit(code=130) from None


def interrupt_line(e: TrainingInterruptedError) -> str:
    """``interrupted in epoch 3, after step 120; last checkpoint: ...; resume with: ...``."""
    if e.checkpoint is None or e.run_dir is None:
        return f"{e}; no checkpoint was saved yet, so there is nothing to resume"
    return (
        f"{e}; last checkpoint: {e.checkpoint}; resume with: scratchgrad train --resume {e.run_dir}"
    )


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
