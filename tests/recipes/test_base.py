"""The Recipe protocol, the recipe.json record and the Trainer settings every run shares."""

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from scratchgrad.config import resolve_settings
from scratchgrad.recipes import RECIPE_FILE, RECIPES, Recipe, RecipeError, get_recipe
from scratchgrad.recipes.base import SaveRecipe, read_record, train_config


def test_every_recipe_offers_what_the_protocol_names() -> None:
    members = {name for name in vars(Recipe) if not name.startswith("_")}
    assert {"name", "defaults", "mode", "run", "rebuild", "predict", "generate"} <= members
    for recipe in RECIPES.values():
        missing = {name for name in members if not hasattr(recipe, name)}
        assert not missing, f"{recipe.name} lacks {missing}"


def test_save_recipe_writes_the_record_that_read_record_reads(tmp_path: Path) -> None:
    recipe = get_recipe("xor-mlp")
    settings = resolve_settings(recipe.defaults, cli={"epochs": 3, "out_dir": tmp_path})
    trainer: Any = SimpleNamespace(run=SimpleNamespace(path=tmp_path))
    SaveRecipe(recipe, settings).on_fit_start(trainer, None)  # type: ignore[arg-type]
    record = json.loads((tmp_path / RECIPE_FILE).read_text(encoding="utf-8"))
    assert record["recipe"] == "xor-mlp" and record["settings"]["epochs"] == 3
    assert read_record(tmp_path) == ("xor-mlp", settings)


def test_read_record_errors(tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match="no run folder"):
        read_record(tmp_path / "missing")
    with pytest.raises(RecipeError, match=f"not a recipe run: no {RECIPE_FILE}"):
        read_record(tmp_path)


def test_train_config_takes_the_run_settings_and_overrides(tmp_path: Path) -> None:
    settings = resolve_settings({"epochs": 4}, cli={"seed": 7, "out_dir": tmp_path})
    config = train_config("x", "val_loss", "min", settings, False, gradient_clip_val=1.0)
    assert (config.max_epochs, config.seed, config.out_dir) == (4, 7, tmp_path)
    assert (config.run_name, config.monitor, config.monitor_mode) == ("x", "val_loss", "min")
    assert config.progress is False and config.gradient_clip_val == 1.0
