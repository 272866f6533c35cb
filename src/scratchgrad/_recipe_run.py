"""What every recipe run shares: its errors, its result, its Trainer settings, its files.

Supervised recipes (``scratchgrad.recipes``) and language-model recipes
(``scratchgrad.text_recipes``) both train with these, so a run folder looks the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from scratchgrad._io import atomic_write_text
from scratchgrad.config import RecipeSettings
from scratchgrad.data.loader import DataLoader
from scratchgrad.train.callbacks import Callback
from scratchgrad.train.checkpoint import load_checkpoint
from scratchgrad.train.module import TrainModule
from scratchgrad.train.trainer import TrainConfig, Trainer

RECIPE_FILE = "recipe.json"


class RecipeError(ValueError):
    """An unknown recipe, a run folder that is not a recipe's, or unusable inputs."""


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


class Named(Protocol):
    """Anything with a registry name (a recipe)."""

    @property
    def name(self) -> str:
        """The registry name."""


def train_config(
    name: str,
    monitor: str,
    mode: Literal["min", "max"],
    settings: RecipeSettings,
    progress: bool | None,
    **overrides: Any,
) -> TrainConfig:
    """The Trainer's settings for a recipe run: epochs, seed and folders from ``settings``."""
    return TrainConfig.model_validate(
        {
            "max_epochs": settings.epochs,
            "seed": settings.seed,
            "out_dir": settings.out_dir,
            "run_name": name,
            "monitor": monitor,
            "monitor_mode": mode,
            "progress": progress,
        }
        | overrides
    )


def finish_run(
    trainer: Trainer, module: TrainModule, test: DataLoader, last: dict[str, float]
) -> RunResult:
    """Judge the best checkpoint once on ``test``; the run's folder, metrics and best score."""
    if trainer.run is None:  # pragma: no cover - write_run is always on here
        raise RuntimeError("recipe runs always write a run folder")
    module.load_state_dict(load_checkpoint(trainer.run.checkpoints / "best.json")["module"])
    metrics = trainer.test(module, test)
    monitor, mode = trainer.config.monitor, trainer.config.monitor_mode
    scores = [row[monitor] for row in trainer.run.rows if monitor in row]
    best = min(scores) if mode == "min" else max(scores)
    return RunResult(trainer.run.path, last, metrics, monitor, best)


class SaveRecipe(Callback):
    """Writes ``recipe.json`` (the recipe's name and settings) when the run folder opens."""

    def __init__(self, recipe: Named, settings: RecipeSettings) -> None:
        self.recipe, self.settings = recipe, settings

    def on_fit_start(self, trainer: Trainer, module: TrainModule) -> None:
        """Write the file into the trainer's run folder."""
        if trainer.run is not None:
            record = {"recipe": self.recipe.name, "settings": self.settings.model_dump(mode="json")}
            atomic_write_text(trainer.run.path / RECIPE_FILE, json.dumps(record, indent=2))


__all__ = ["RECIPE_FILE", "RecipeError", "RunResult", "SaveRecipe", "finish_run", "train_config"]
