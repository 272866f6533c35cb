"""Every recipe by name, and the way back from a run folder to its recipe and model.

``RECIPES`` is built from the per-kind registries (``SUPERVISED_RECIPES``,
``LANGUAGE_RECIPES``, ``GENERATIVE_RECIPES``, ``TRANSFER_RECIPES``, ``RL_RECIPES``): a new
recipe is one entry in its kind's module.

>>> "digits-cnn" in RECIPES and "cartpole-ppo" in RECIPES
True
"""

from __future__ import annotations

from pathlib import Path

from scratchgrad.config import RecipeSettings
from scratchgrad.errors import CheckpointError, RecipeError
from scratchgrad.recipes.base import Recipe, read_record
from scratchgrad.recipes.generative import GENERATIVE_RECIPES
from scratchgrad.recipes.language import LANGUAGE_RECIPES
from scratchgrad.recipes.rl import RL_RECIPES
from scratchgrad.recipes.supervised import SUPERVISED_RECIPES
from scratchgrad.recipes.transfer import TRANSFER_RECIPES
from scratchgrad.train.checkpoint import load_checkpoint
from scratchgrad.train.module import TrainModule

RECIPES: dict[str, Recipe] = {
    **SUPERVISED_RECIPES,
    **LANGUAGE_RECIPES,
    **GENERATIVE_RECIPES,
    **TRANSFER_RECIPES,
    **RL_RECIPES,
}
"""Every recipe by name: supervised ones and language models."""


def get_recipe(name: str) -> Recipe:
    """The recipe called ``name``.

    Args:
        name: a registry name, e.g. "digits-cnn".

    Raises:
        RecipeError: for an unknown name (the message lists the known ones).
    """
    if name not in RECIPES:
        raise RecipeError(f"unknown recipe {name!r}; known: {', '.join(sorted(RECIPES))}")
    return RECIPES[name]


def load_run(run_dir: Path) -> tuple[Recipe, RecipeSettings, TrainModule]:
    """The recipe, settings and model (best checkpoint's weights) of a recipe run folder.

    Args:
        run_dir: a run folder written by a recipe's ``run``.

    Raises:
        RecipeError: if the folder, its ``recipe.json`` or its best checkpoint is missing
            (a ``RunFileError`` if ``recipe.json`` or ``tokenizer.json`` is damaged).
        CheckpointError: if the checkpoint is damaged or its weights do not fit the model.
    """
    name, settings = read_record(run_dir)
    recipe = get_recipe(name)
    module = recipe.rebuild(settings, run_dir)
    pointer = run_dir / "checkpoints" / "best.json"
    if not pointer.is_file():
        raise RecipeError(f"{run_dir} has no best checkpoint ({pointer} is missing)")
    state = load_checkpoint(pointer)
    try:
        module.load_state_dict(state["module"])
    except (KeyError, TypeError, RuntimeError) as e:
        raise CheckpointError(f"{pointer}: weights do not fit the {name} model ({e})") from e
    return recipe, settings, module


__all__ = ["RECIPES", "get_recipe", "load_run"]
