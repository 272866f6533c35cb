"""check_recipe_data: the recipes' own data and a deliberately leaky Standardize."""

import warnings

from scratchgrad.config import resolve_settings
from scratchgrad.recipes import RECIPES
from scratchgrad.recipes import hygiene as recipe_hygiene
from scratchgrad.recipes.hygiene import check_recipe_data


def _settings(recipe, **extra):
    return resolve_settings(recipe.defaults, None, {"extra": extra}, extra=recipe.extra)


def test_clean_supervised_recipe():
    r = RECIPES["diabetes-regression"]
    assert check_recipe_data(r, _settings(r)) == []


def test_a_standardize_fitted_on_all_rows_is_found(monkeypatch):
    def fit_everything(module, data):
        first = next(iter(module.model.children()))
        import scratchgrad as sg

        first.fit(sg.cat([ds.tensors[0] for ds in data.splits.values()]))

    monkeypatch.setattr(recipe_hygiene, "_fit_to_train_split", fit_everything)
    r = RECIPES["diabetes-regression"]
    (f,) = check_recipe_data(r, _settings(r))
    assert f.problem == "Standardize layer fitted on rows outside the training split"
    assert "train + val and test" in f.detail


def test_language_task_duplicates_and_vocabulary():
    r = RECIPES["sort-digits"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        findings = check_recipe_data(r, _settings(r, examples=2000))
    assert any(f.problem == "identical samples in train and test" for f in findings)
    assert not any("vocabulary" in f.problem for f in findings)  # every digit is in train
