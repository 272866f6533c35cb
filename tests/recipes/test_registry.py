"""The registry: every recipe by name, unknown names, run folders that are not recipes'."""

from pathlib import Path

import pytest

from scratchgrad.recipes import RECIPES, RecipeError, get_recipe, load_run
from scratchgrad.recipes.rl import RL_RECIPES


def test_registry_has_the_recipes() -> None:
    assert set(RECIPES) == {
        "xor-mlp",
        "digits-mlp",
        "digits-cnn",
        "mnist-cnn",
        "diabetes-regression",
        "shakespeare-gpt",
        "shakespeare-lstm",
        "sort-digits",
        "digits-autoencoder",
        "digits-denoise",
        "digits-vae",
        "digits-gan",
        "mnist-vae",
        "mnist-gan",
        "digits-transfer",
        "shakespeare-lora",
        *RL_RECIPES,  # reinforcement learning: recipes/rl.py
    }
    for recipe in RECIPES.values():
        assert recipe.description and recipe.defaults


def test_unknown_recipe() -> None:
    with pytest.raises(RecipeError, match="unknown recipe 'nope'; known: .*xor-mlp"):
        get_recipe("nope")


def test_load_run_errors(tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match="no run folder"):
        load_run(tmp_path / "missing")
    with pytest.raises(RecipeError, match="not a recipe run"):
        load_run(tmp_path)
