"""``scratchgrad search`` with Optuna: ranges, pruning, workers and a shared storage.

``--param`` ranges (and ``--grid`` values, as choices) become an Optuna study; its
trials run here and in ``--workers - 1`` more local processes, and on any other machine
started with the same ``--storage`` and ``--study``. The table lists every trial of the
study, best first, with its run folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.table import Table

from scratchgrad.cli.app import stdout
from scratchgrad.config import RecipeSettings
from scratchgrad.distributed.search import (
    PRUNERS,
    SearchJob,
    describe,
    finished_trials,
    run_search,
)
from scratchgrad.distributed.search_space import ParamSpec, parse_param
from scratchgrad.errors import SettingsError
from scratchgrad.recipes import Recipe


@dataclass(frozen=True)
class StudyOptions:
    """How an Optuna search runs.

    Attributes:
        n_trials: trials to add to the study.
        storage: the storage given (None: a journal file in the output folder).
        study: the study's name (None: ``<recipe>-search``).
        workers: local processes sharing the trials.
        pruner: "median" or "none".
    """

    n_trials: int
    storage: str | None
    study: str | None
    workers: int
    pruner: str


def specs_from(items: list[str]) -> tuple[ParamSpec, ...]:
    """``--param`` ranges, and ``--grid key=a,b`` values as choices.

    Raises:
        SettingsError: for a malformed item or a setting given twice.
    """
    specs = []
    for item in items:
        key, sep, rest = item.partition("=")
        is_range = rest.split(":", 1)[0] in ("log", "float", "int", "choice")
        specs.append(parse_param(item if is_range or not sep else f"{key}=choice:{rest}"))
    names = [s.name for s in specs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise SettingsError(f"--param: {twice[0]} is given more than once")
    if not specs:
        raise SettingsError("search: --n-trials needs at least one --param name=RANGE")
    return tuple(specs)


def run_study(
    recipe: Recipe,
    base: RecipeSettings,
    cli: dict[str, Any],
    config: Path | None,
    items: list[str],
    options: StudyOptions,
) -> None:
    """Run the study and print its table, the best trial marked, run folders below.

    Raises:
        SettingsError: for a bad search space, pruner or storage.
    """
    if options.pruner not in PRUNERS:
        raise SettingsError(f"--pruner: got {options.pruner!r}; expected one of {PRUNERS}")
    name = options.study or f"{recipe.name}-search"
    storage = options.storage or str(base.out_dir / f"{name}.journal")
    specs = specs_from(items)
    job = SearchJob(recipe.name, cli, config, specs, name, storage, options.pruner, base.seed)
    study = run_search(job, options.n_trials, options.workers)
    trials = finished_trials(study)
    stdout().print(study_table(recipe, name, trials))
    for i, trial in enumerate(trials, start=1):
        stdout().print(f"#{i} run folder: {trial.user_attrs.get('run_folder', '-')}")
    stdout().print(f"study {name!r} in {storage}")


def study_table(recipe: Recipe, name: str, trials: Any) -> Table:
    """The study's trials, best first: state, settings and best monitored value."""
    table = Table(title=f"study {name}: {recipe.name}, sorted by best {recipe.monitor}")
    for column in ("#", "", "trial", "state", "settings", f"best {recipe.monitor}"):
        table.add_column(column)
    for i, trial in enumerate(trials, start=1):
        mark = "* best" if i == 1 and trial.state.name == "COMPLETE" else ""
        value = "-" if trial.value is None else f"{trial.value:.4f}"
        state = trial.state.name.lower()
        if state == "pruned":
            state += f" (epoch {trial.user_attrs.get('pruned_at_epoch', '?')})"
        table.add_row(str(i), mark, str(trial.number), state, describe(trial.params), value)
    return table


__all__ = ["StudyOptions", "run_study", "specs_from", "study_table"]
