"""What every recipe is and shares: the Recipe protocol, its errors, result and files.

Supervised recipes (:mod:`~scratchgrad.recipes.supervised`) and language-model recipes
(:mod:`~scratchgrad.recipes.language`) both implement :class:`Recipe` and train with the
helpers here, so a run folder looks the same: ``recipe.json`` (the recipe's name and
settings, written by :class:`SaveRecipe`, read back by :func:`read_record`) next to the
Trainer's files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from numpy.typing import NDArray

from scratchgrad._io import atomic_write_text
from scratchgrad.config import RecipeSettings
from scratchgrad.data.distributed import DistributedSampler
from scratchgrad.data.loader import DataLoader
from scratchgrad.distributed.process_group import get_world_size
from scratchgrad.errors import RecipeError, RunFileError, SettingsError
from scratchgrad.random import Generator
from scratchgrad.train.callbacks import Callback
from scratchgrad.train.checkpoint import load_checkpoint
from scratchgrad.train.module import TrainModule
from scratchgrad.train.trainer import TrainConfig, Trainer

RECIPE_FILE = "recipe.json"


@dataclass(frozen=True)
class RunResult:
    """What a recipe run produced.

    Attributes:
        run_dir: the run folder.
        val_metrics: the last epoch's metrics (train and val).
        test_metrics: the best checkpoint's metrics on the test split.
        monitor: the metric the best checkpoint was chosen by.
        best_score: its best value over the epochs.
    """

    run_dir: Path
    val_metrics: dict[str, float]
    test_metrics: dict[str, float]
    monitor: str
    best_score: float


class Recipe(Protocol):
    """What every recipe offers: a name, defaults, a training run, and its run folder's reuse.

    A run writes ``recipe.json``; :func:`~scratchgrad.recipes.load_run` reads it, calls
    :meth:`rebuild` for a fresh module and loads the best checkpoint into it, after
    which :meth:`evaluate`, :meth:`predict` or :meth:`generate` use the module.
    """

    @property
    def name(self) -> str:
        """The registry name, e.g. "digits-cnn"."""

    @property
    def description(self) -> str:
        """One line on what it trains."""

    @property
    def defaults(self) -> Mapping[str, Any]:
        """The settings this recipe overrides (epochs, lr, batch_size, ...)."""

    @property
    def extra(self) -> Mapping[str, Any]:
        """This recipe's own ``--set`` keys and their defaults; other keys are refused."""

    @property
    def inputs(self) -> tuple[str, ...]:
        """Which of ``data`` and ``data_dir`` it reads; the others are refused."""

    @property
    def monitor(self) -> str:
        """The validation metric that picks the best checkpoint."""

    @property
    def mode(self) -> Literal["min", "max"]:
        """Whether the monitored metric is better when lower ("min") or higher ("max")."""

    def run(
        self,
        settings: RecipeSettings,
        progress: bool | None = None,
        resume: Path | None = None,
        callbacks: Sequence[Callback] = (),
    ) -> RunResult:
        """Train with ``settings``; returns the run folder and the val and test metrics.

        Args:
            settings: the resolved settings.
            progress: progress bars (True), lines (False), or automatic (None).
            resume: a run folder of this recipe to continue from its last checkpoint
                (``settings`` are then the run's own, ``epochs`` perhaps extended).
            callbacks: more Trainer callbacks (a search's pruning report, say).
        """

    def rebuild(self, settings: RecipeSettings, run_dir: Path) -> TrainModule:
        """A fresh module for a run's settings and folder (weights to be loaded)."""

    def evaluate(self, module: TrainModule, settings: RecipeSettings) -> dict[str, float]:
        """The module's metrics on the recipe's test data (no run folder is written)."""

    def predict(self, module: TrainModule, inputs: NDArray[Any]) -> NDArray[Any]:
        """The module's predictions for ``inputs`` (N, ...).

        Raises:
            RecipeError: if the inputs do not fit, or the recipe does not predict.
        """

    def generate(
        self,
        module: TrainModule,
        run_dir: Path,
        prompt: str | None,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        seed: int = 0,
    ) -> str:
        """The prompt continued by ``max_new_tokens`` tokens sampled from the module.

        Args:
            module: the run's module, its best weights loaded.
            run_dir: the run folder (a language model's tokenizer is kept there).
            prompt: the text to continue (None: a default for the run's tokenizer).
            max_new_tokens: tokens to add.
            temperature: > 0; below 1 is more conservative, above 1 more random.
            top_k: sample only among the k most likely tokens (None: all).
            seed: seeds the sampling.

        Raises:
            RecipeError: if the recipe does not generate text, or for a bad prompt or
                temperature.
        """


def train_config(
    name: str,
    monitor: str,
    mode: Literal["min", "max"],
    settings: RecipeSettings,
    progress: bool | None,
    **overrides: Any,
) -> TrainConfig:
    """The Trainer's settings for a recipe run: epochs, seed and folders from ``settings``.

    Args:
        name: the recipe's name, which starts the run folder's name.
        monitor: the validation metric that picks the best checkpoint.
        mode: "min" or "max", whether lower or higher ``monitor`` is better.
        settings: the run's settings.
        progress: progress bars (True), lines (False), or automatic (None).
        **overrides: further TrainConfig fields, e.g. ``gradient_clip_val``.
    """
    return TrainConfig.model_validate(
        {
            "max_epochs": settings.epochs,
            "seed": settings.seed,
            "out_dir": settings.out_dir,
            "run_name": name,
            "monitor": monitor,
            "monitor_mode": mode,
            "progress": progress,
            "checkpoint_every_n_steps": settings.checkpoint_every,
        }
        | overrides
    )


def resume_point(run_dir: Path | None, settings: RecipeSettings) -> Path | None:
    """The ``last`` checkpoint pointer of ``run_dir`` to resume from (None: a new run).

    Args:
        run_dir: the run folder to continue, or None.
        settings: the resumed run's settings (``epochs`` is the total to reach).

    Raises:
        RecipeError: if the folder has no checkpoint yet, or its run has already done
            ``settings.epochs`` epochs.
    """
    if run_dir is None:
        return None
    pointer = run_dir / "checkpoints" / "last.json"
    if not pointer.is_file():
        raise RecipeError(
            f"{run_dir} has no checkpoint to resume from ({pointer} is missing: the run "
            "stopped before its first save; start it again, or use --checkpoint-every N)"
        )
    done = int(load_checkpoint(pointer)["trainer"]["epoch"])
    if done >= settings.epochs:
        raise RecipeError(
            f"{run_dir} has already trained {done} of {settings.epochs} epochs; "
            f"give --epochs N with N > {done} to train it further"
        )
    return pointer


def train_loader(dataset: Any, settings: RecipeSettings) -> DataLoader:
    """Shuffled training batches of ``settings.batch_size`` samples, in all.

    In one process, a DataLoader that shuffles with ``settings.seed``. Under ``mpiexec -n
    N``, each rank's share from a :class:`~scratchgrad.data.DistributedSampler` (seeded
    with ``settings.seed``), ``batch_size / N`` samples a rank, the last partial batch
    dropped: the ranks' k-th batches together make one global batch.

    Raises:
        SettingsError: if ``batch_size`` does not divide by the number of ranks.
    """
    world = get_world_size()
    if world == 1:
        gen = Generator(settings.seed)
        return DataLoader(dataset, settings.batch_size, shuffle=True, generator=gen)
    if settings.batch_size % world:
        raise SettingsError(
            f"batch_size: got {settings.batch_size}; the global batch must divide by the "
            f"{world} ranks"
        )
    sampler = DistributedSampler(dataset, shuffle=True, seed=settings.seed)
    return DataLoader(dataset, settings.batch_size // world, sampler=sampler, drop_last=True)


def split_record_sizes(data: Any) -> dict[str, int]:
    """``{"train": n, "val": n, "test": n}``: the sizes of a recipe's three splits."""
    return {"train": len(data.train), "val": len(data.val), "test": len(data.test)}


def fit_and_judge(
    trainer: Trainer,
    module: TrainModule,
    data: Any,
    settings: RecipeSettings,
    resume_from: Path | None,
) -> RunResult:
    """Fit on ``data.train`` (validated on ``data.val``), then judge the best checkpoint.

    Args:
        trainer: the run's Trainer.
        module: the model to train.
        data: the splits (``train``, ``val`` and ``test`` data sets of samples).
        settings: the run's settings (batch size, seed).
        resume_from: a checkpoint pointer to continue from, or None.
    """
    train = train_loader(data.train, settings)
    last = trainer.fit(module, train, DataLoader(data.val, batch_size=256), resume_from)
    return finish_run(trainer, module, DataLoader(data.test, batch_size=256), last)


def finish_run(
    trainer: Trainer, module: TrainModule, test: DataLoader, last: dict[str, float]
) -> RunResult:
    """Judge the best checkpoint once on ``test``; the run's folder, metrics and best score.

    Args:
        trainer: the Trainer that has just fitted ``module`` (with a run folder).
        module: the trained module; its best checkpoint's weights are loaded into it.
        test: the test data.
        last: the last epoch's metrics, as ``Trainer.fit`` returned them.
    """
    monitor, mode = trainer.config.monitor, trainer.config.monitor_mode
    if trainer.run is None:  # a rank other than 0 of a distributed run: rank 0 judges
        return RunResult(Path(), last, {}, monitor, math.nan)
    module.load_state_dict(load_checkpoint(trainer.run.checkpoints / "best.json")["module"])
    metrics = trainer.test(module, test)
    scores = [row[monitor] for row in trainer.run.rows if monitor in row]
    best = min(scores) if mode == "min" else max(scores)
    return RunResult(trainer.run.path, last, metrics, monitor, best)


class SaveRecipe(Callback):
    """Writes ``recipe.json`` (the recipe's name, settings and splits) when the run opens.

    Args:
        recipe: the recipe being run.
        settings: the run's settings.
        splits: the sizes of the train, val and test splits (samples or windows); the
            record says which split chose the best checkpoint and which was held out.
    """

    def __init__(
        self, recipe: Recipe, settings: RecipeSettings, splits: Mapping[str, int] | None = None
    ) -> None:
        self.recipe, self.settings, self.splits = recipe, settings, splits

    def on_fit_start(self, trainer: Trainer, module: TrainModule) -> None:
        """Write the file into the trainer's run folder."""
        if trainer.run is not None:
            write_record(trainer.run.path, self.recipe.name, self.settings, self.splits)


def write_record(
    run_dir: Path,
    name: str,
    settings: RecipeSettings,
    splits: Mapping[str, int] | None = None,
) -> None:
    """Write ``recipe.json``: the recipe's name, its settings and (if given) its splits.

    Args:
        run_dir: the run folder.
        name: the recipe's name.
        settings: the run's settings.
        splits: the sizes of the train, val and test splits, or None.
    """
    record: dict[str, Any] = {"recipe": name, "settings": settings.model_dump(mode="json")}
    if splits is not None:
        record["splits"] = split_record(splits)
    atomic_write_text(run_dir / RECIPE_FILE, json.dumps(record, indent=2))


def split_record(sizes: Mapping[str, int]) -> dict[str, Any]:
    """What ``recipe.json`` says of the splits: sizes, and what each is used for.

    Args:
        sizes: ``{"train": n, "val": n, "test": n}``.
    """
    return {
        "sizes": dict(sizes),
        "train": "fits the weights",
        "val": "picks the best checkpoint (and is reported each epoch)",
        "test": "held out: judged once, on the best checkpoint; never used for selection",
    }


def read_record(run_dir: Path) -> tuple[str, RecipeSettings]:
    """The recipe name and settings that ``recipe.json`` of a run folder holds.

    Args:
        run_dir: a run folder written by a recipe.

    Raises:
        RecipeError: if the folder or its ``recipe.json`` is missing.
        RunFileError: if ``recipe.json`` is not JSON or lacks the recipe or its settings.
    """
    record_file = run_dir / RECIPE_FILE
    if not run_dir.is_dir():
        raise RecipeError(f"no run folder {run_dir}")
    if not record_file.is_file():
        raise RecipeError(f"{run_dir} is not a recipe run: no {RECIPE_FILE}")
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
        return str(record["recipe"]), RecipeSettings(**record["settings"])
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise RunFileError(f"{record_file}: damaged, not JSON ({e})") from e
    except (KeyError, TypeError, ValueError) as e:  # pydantic's ValidationError too
        detail = str(e).replace("\n", "; ")
        raise RunFileError(
            f"{record_file}: damaged: expected {{'recipe': name, 'settings': {{...}}}} ({detail})"
        ) from e


__all__ = [
    "RECIPE_FILE",
    "Recipe",
    "RunResult",
    "SaveRecipe",
    "finish_run",
    "fit_and_judge",
    "read_record",
    "resume_point",
    "split_record",
    "split_record_sizes",
    "train_config",
    "train_loader",
    "write_record",
]
