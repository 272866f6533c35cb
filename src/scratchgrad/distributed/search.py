"""Hyperparameter searches with Optuna: workers share one study through its storage.

A study lives in a storage that every worker reads and writes: by default Optuna's
journal file (an append-only log behind a file lock, safe for several processes on one
machine; Optuna advises against SQLite for parallel work), or a PostgreSQL URL for
workers on many machines. Each trial is one recipe run with the sampled settings; its
validation metric is reported after every epoch, so a pruner can stop a trial that
falls behind the others.

``scratchgrad search RECIPE --n-trials 20 --param lr=log:1e-4:1e-1 --workers 2`` runs
:func:`run_search`; a second machine joins with the same ``--storage`` and ``--study``.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from scratchgrad.config import RecipeSettings, resolve_settings
from scratchgrad.distributed.search_space import ParamSpec
from scratchgrad.errors import RecipeError, SettingsError
from scratchgrad.train.callbacks import Callback

if TYPE_CHECKING:
    from scratchgrad.recipes.base import Recipe
    from scratchgrad.train.module import TrainModule
    from scratchgrad.train.trainer import Trainer

PRUNERS = ("median", "none")


def require_optuna() -> ModuleType:
    """The ``optuna`` module, quiet; a clear error if the extra is not installed.

    Raises:
        ImportError: naming the ``distributed`` extra.
    """
    try:
        import optuna
    except ImportError as e:
        raise ImportError(
            "searches with --n-trials or --param need Optuna: "
            "pip install 'scratchgrad[distributed]'"
        ) from e
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


@dataclass(frozen=True)
class SearchJob:
    """What every worker of a search needs (plain values, so a spawned process gets them).

    Attributes:
        recipe: the recipe's name.
        cli: the command line's settings, the base of every trial.
        config: a TOML file of settings, or None.
        specs: the searched settings.
        study: the study's name in the storage.
        storage: a database URL, ``journal:PATH``, or a journal file path.
        pruner: "median" (Optuna's MedianPruner) or "none".
        seed: seeds each worker's sampler (worker i uses seed + i).
    """

    recipe: str
    cli: Mapping[str, Any]
    config: Path | None
    specs: tuple[ParamSpec, ...]
    study: str
    storage: str
    pruner: str = "median"
    seed: int = 0


def open_storage(url: str) -> Any:
    """An Optuna storage: a database URL (``postgresql://...``), else a journal file.

    ``journal:PATH`` and a plain path both name a journal file, created with its folder.

    Raises:
        SettingsError: if a database cannot be reached or the file cannot be opened.
    """
    optuna = require_optuna()
    from optuna.storages.journal import JournalFileBackend, JournalStorage

    try:
        if "://" in url:
            connect = {"connect_timeout": 10} if url.startswith("postgresql") else {}
            engine = {"connect_args": connect}
            return optuna.storages.RDBStorage(url, engine_kwargs=engine, heartbeat_interval=60)
        path = Path(url.removeprefix("journal:")).expanduser().absolute()
        path.parent.mkdir(parents=True, exist_ok=True)
        return JournalStorage(JournalFileBackend(str(path)))
    except (OSError, ImportError, optuna.exceptions.StorageInternalError) as e:
        raise SettingsError(f"--storage: cannot open {url!r} ({e})") from e


def trial_cli(cli: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The command line's settings with a trial's values (non-fields go to ``extra``).

    Args:
        cli: the base settings (``extra`` a dict of ``--set`` keys).
        values: the trial's values by setting name.
    """
    fields = set(RecipeSettings.model_fields) - {"extra"}
    known = {k: v for k, v in values.items() if k in fields}
    extra = dict(cli.get("extra") or {}) | {k: v for k, v in values.items() if k not in fields}
    return dict(cli) | known | {"extra": extra}


def job_settings(job: SearchJob, recipe: Recipe, values: Mapping[str, Any]) -> RecipeSettings:
    """A trial's settings: the recipe's, then the TOML file, the command line, the values."""
    cli = trial_cli(job.cli, values)
    return resolve_settings(
        recipe.defaults, job.config, cli, extra=recipe.extra, inputs=recipe.inputs
    )


def check_space(job: SearchJob, recipe: Recipe) -> None:
    """Refuse a search space with a value its recipe would refuse, before any trial.

    Raises:
        SettingsError: naming the setting and the value.
    """
    for spec in job.specs:
        for value in spec.corners():
            job_settings(job, recipe, {spec.name: value})


class ReportToTrial(Callback):
    """Reports the monitored metric to an Optuna trial each epoch; prunes when told.

    Args:
        trial: the Optuna trial of this run.
        monitor: the validation metric, e.g. "val_loss".
    """

    def __init__(self, trial: Any, monitor: str) -> None:
        self.trial, self.monitor = trial, monitor

    def on_fit_start(self, trainer: Trainer, module: TrainModule) -> None:
        """Record the run folder in the trial."""
        if trainer.run is not None:
            self.trial.set_user_attr("run_folder", str(trainer.run.path))

    def on_epoch_end(
        self, trainer: Trainer, module: TrainModule, metrics: dict[str, float]
    ) -> None:
        """Report ``metrics[monitor]`` at this epoch; raise ``TrialPruned`` if pruned."""
        epoch = trainer.current_epoch + 1
        self.trial.report(metrics[self.monitor], epoch)
        if self.trial.should_prune():
            self.trial.set_user_attr("pruned_at_epoch", epoch)
            raise require_optuna().TrialPruned(f"pruned after epoch {epoch}")


def describe(values: Mapping[str, Any]) -> str:
    """``lr=0.0123, hidden=64``: a trial's values, floats to 4 significant digits."""
    return ", ".join(
        f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in values.items()
    )


def _short(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _say(line: str) -> None:
    """One line on stdout at once (workers share the terminal)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _objective(job: SearchJob, recipe: Recipe, worker: int) -> Any:
    """The function Optuna calls per trial: train one run, return its best score."""
    optuna = require_optuna()

    def objective(trial: Any) -> float:
        values = {spec.name: spec.suggest(trial) for spec in job.specs}
        settings = job_settings(job, recipe, values)
        line = f"trial {trial.number} (worker {worker}): {describe(values)}"
        report = ReportToTrial(trial, recipe.monitor)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                result = recipe.run(settings, progress=False, callbacks=[report])
        except optuna.TrialPruned:
            _say(f"{line}  pruned after epoch {trial.user_attrs.get('pruned_at_epoch')}")
            raise
        _say(f"{line}  best {recipe.monitor} {result.best_score:.4f}")
        return float(result.best_score)

    return objective


def _pruner(name: str) -> Any:
    optuna = require_optuna()
    if name == "none":
        return optuna.pruners.NopPruner()
    return optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=0)


def run_worker(job: SearchJob, n_trials: int, worker: int) -> None:
    """Run ``n_trials`` trials of ``job``'s study in this process.

    Args:
        job: the search.
        n_trials: trials this worker runs.
        worker: its index (0 is the process that started the search).
    """
    from scratchgrad.recipes.registry import get_recipe

    optuna = require_optuna()
    recipe = get_recipe(job.recipe)
    study = optuna.load_study(
        study_name=job.study,
        storage=open_storage(job.storage),
        sampler=optuna.samplers.TPESampler(seed=job.seed + worker),
        pruner=_pruner(job.pruner),
    )
    study.optimize(_objective(job, recipe, worker), n_trials=n_trials)


def shares(n_trials: int, workers: int) -> list[int]:
    """How many trials each worker runs: ``n_trials`` split as evenly as possible.

    >>> shares(7, 3)
    [3, 2, 2]
    """
    return [n_trials // workers + (i < n_trials % workers) for i in range(workers)]


def run_search(job: SearchJob, n_trials: int, workers: int = 1) -> Any:
    """Create (or continue) the study and run ``n_trials`` trials over ``workers`` processes.

    Args:
        job: the search; its space is checked before any trial.
        n_trials: trials to add to the study, in all.
        workers: local processes sharing them (this one included).

    Returns:
        The Optuna study, every trial of it (earlier runs of the same study too).

    Raises:
        SettingsError: for a search space the recipe refuses, or a storage that cannot
            be opened.
        RecipeError: if a worker process fails.
    """
    from scratchgrad.recipes.registry import get_recipe

    optuna = require_optuna()
    recipe = get_recipe(job.recipe)
    check_space(job, recipe)
    direction = "minimize" if recipe.mode == "min" else "maximize"
    storage = open_storage(job.storage)
    optuna.create_study(
        study_name=job.study, storage=storage, direction=direction, load_if_exists=True
    )
    counts = shares(n_trials, workers)
    context = multiprocessing.get_context("spawn")
    others = [
        context.Process(target=run_worker, args=(job, n, i), daemon=True)
        for i, n in enumerate(counts[1:], start=1)
        if n
    ]
    for process in others:
        process.start()
    run_worker(job, counts[0], 0)
    for process in others:
        process.join()
    failed = [p.name for p in others if p.exitcode != 0]
    if failed:
        raise RecipeError(f"search: worker process(es) {', '.join(failed)} failed")
    return optuna.load_study(study_name=job.study, storage=storage)


def finished_trials(study: Any) -> Sequence[Any]:
    """The study's trials, best first: complete ones by value, then pruned, then others."""
    optuna = require_optuna()
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    done.sort(key=lambda t: t.value, reverse=study.direction.name == "MAXIMIZE")
    rest = [t for t in study.trials if t.state != optuna.trial.TrialState.COMPLETE]
    return done + sorted(rest, key=lambda t: (t.state.name != "PRUNED", t.number))


__all__ = [
    "PRUNERS",
    "ReportToTrial",
    "SearchJob",
    "check_space",
    "describe",
    "finished_trials",
    "job_settings",
    "open_storage",
    "require_optuna",
    "run_search",
    "run_worker",
    "shares",
    "trial_cli",
]
