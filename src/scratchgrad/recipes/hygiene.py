"""Data-split hygiene of a recipe's data: what ``scratchgrad check-data RECIPE`` reports.

A supervised recipe's splits are checked for identical samples and its model's
``Standardize`` layer, fitted as a run fits it, for statistics from outside the training
split. A language recipe's splits are checked for identical examples (a task such as
sort-digits) and its tokenizer for tokens seen only in validation or test text.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.config import RecipeSettings
from scratchgrad.data.hygiene import (
    Finding,
    duplicate_samples,
    scaler_outside_train,
    vocabulary_leak,
)
from scratchgrad.recipes.base import Recipe
from scratchgrad.recipes.supervised import Standardize, SupervisedRecipe, _fit_to_train_split

SPLITS = ("train", "val", "test")


def _supervised(recipe: SupervisedRecipe, settings: RecipeSettings) -> list[Finding]:
    data = recipe.data(settings)
    findings = duplicate_samples(data.splits)
    module = recipe.module(settings)
    _fit_to_train_split(module, data)  # as a run does
    first = next(iter(module.model.children()), None)
    if isinstance(first, Standardize):
        inputs = {k: ds.tensors[0] for k, ds in data.splits.items()}
        findings += scaler_outside_train(first.mean, inputs, name="Standardize layer")
    return findings


def _token_text(tokenizer: Any, split: Any) -> str | None:
    """A split's text back from its token ids (windows' tokens, or examples' inputs)."""
    tokens = getattr(split, "tokens", None)
    if tokens is None and hasattr(split, "tensors"):
        tokens = split.tensors[0].array.reshape(-1)
    return None if tokens is None else str(tokenizer.decode([int(t) for t in tokens]))


def _language(recipe: Any, settings: RecipeSettings) -> list[Finding]:
    data = recipe.data(settings)
    splits = {k: getattr(data, k) for k in SPLITS}
    findings = [] if not hasattr(data.train, "tensors") else duplicate_samples(splits)
    texts = {k: _token_text(data.tokenizer, v) for k, v in splits.items()}
    vocab = getattr(data.tokenizer, "vocab_", None)
    if vocab is not None and all(t is not None for t in texts.values()):
        findings += vocabulary_leak(list(vocab), {k: str(t) for k, t in texts.items()})
    return findings


def check_recipe_data(recipe: Recipe, settings: RecipeSettings) -> list[Finding]:
    """Every hygiene finding for ``recipe``'s data under ``settings`` ([] when clean)."""
    if isinstance(recipe, SupervisedRecipe):
        return _supervised(recipe, settings)
    return _language(recipe, settings)


__all__ = ["check_recipe_data"]
