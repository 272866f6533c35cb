"""Supervised recipes end to end: train, reload, evaluate, predict; and their errors."""

import json
from pathlib import Path

import numpy as np
import pytest

from scratchgrad.config import resolve_settings
from scratchgrad.recipes import RECIPE_FILE, SUPERVISED_RECIPES, RecipeError, get_recipe, load_run


def test_supervised_registry_holds_the_tabular_and_image_recipes() -> None:
    assert set(SUPERVISED_RECIPES) == {
        "xor-mlp",
        "digits-mlp",
        "digits-cnn",
        "mnist-cnn",
        "diabetes-regression",
    }


def test_xor_run_writes_recipe_json_and_reloads(tmp_path: Path) -> None:
    recipe = get_recipe("xor-mlp")
    settings = resolve_settings(recipe.defaults, cli={"epochs": 15, "out_dir": tmp_path})
    result = recipe.run(settings, progress=False)
    assert result.run_dir.parent == tmp_path
    record = json.loads((result.run_dir / RECIPE_FILE).read_text(encoding="utf-8"))
    assert record["recipe"] == "xor-mlp" and record["settings"]["epochs"] == 15
    assert result.test_metrics["test_accuracy"] >= 0.9
    assert result.best_score == max(result.best_score, result.val_metrics["val_accuracy"])
    loaded, loaded_settings, module = load_run(result.run_dir)
    assert loaded is recipe and loaded_settings == settings
    assert loaded.evaluate(module, loaded_settings) == pytest.approx(result.test_metrics)
    preds = loaded.predict(module, np.array([[1.0, 1.0], [1.0, -1.0]], dtype=np.float32))
    assert preds.tolist() == [0, 1]
    with pytest.raises(RecipeError, match=r"shape \(1, 3\) do not match \(N, 2\)"):
        loaded.predict(module, np.zeros((1, 3)))
    with pytest.raises(RecipeError, match="xor-mlp is not a language model; use `predict`"):
        loaded.generate(module, result.run_dir, "x", 1)


def test_regression_recipe_runs(tmp_path: Path) -> None:
    recipe = get_recipe("diabetes-regression")
    settings = resolve_settings(recipe.defaults, cli={"epochs": 40, "out_dir": tmp_path})
    result = recipe.run(settings, progress=False)
    assert result.monitor == "val_loss" and recipe.mode == "min"
    assert result.test_metrics["test_r2"] > 0.1
    _, _, module = load_run(result.run_dir)
    assert recipe.predict(module, np.zeros(10, dtype=np.float32)).shape == (1, 1)
    # raw features in, as in the data set: the run's train-split scaling is applied
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True, scaled=False)  # the units the data set has
    preds = recipe.predict(module, X.astype(np.float32))[:, 0]
    assert abs(preds.mean() - y.mean()) < 40 and np.abs(preds - y).mean() < 80
    state = module.state_dict()
    assert set(state) >= {"model.0.mean", "model.0.std"} or set(state) >= {"0.mean", "0.std"}


def test_mnist_needs_a_data_dir(tmp_path: Path) -> None:
    recipe = get_recipe("mnist-cnn")
    with pytest.raises(RecipeError, match="--data-dir"):
        recipe.run(resolve_settings(recipe.defaults, cli={"out_dir": tmp_path}))
    settings = resolve_settings(recipe.defaults, cli={"out_dir": tmp_path, "data_dir": tmp_path})
    with pytest.raises(RecipeError, match="mnist-cnn: .*t10k"):
        recipe.run(settings)


def test_digits_cnn_defaults_reach_97_percent(tmp_path: Path) -> None:
    # the slowest test: about 16 s on 2 cores
    recipe = get_recipe("digits-cnn")
    result = recipe.run(resolve_settings(recipe.defaults, cli={"out_dir": tmp_path}), False)
    assert result.test_metrics["test_accuracy"] >= 0.97
