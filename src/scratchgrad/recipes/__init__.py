"""Recipes: named, runnable trainings built from the library's data sets, layers and Trainer.

Every recipe implements the :class:`Recipe` protocol (``base``); the supervised
(tabular and image) recipes live in ``supervised``, the language models in ``language``,
autoencoders, VAEs and GANs in ``generative``, and ``registry`` gathers them into
``RECIPES`` and reloads run folders.

>>> get_recipe("digits-cnn").defaults["epochs"]
15
"""

from scratchgrad.errors import RecipeError, RunFileError
from scratchgrad.recipes.base import RECIPE_FILE, Recipe, RunResult
from scratchgrad.recipes.generative import GENERATIVE_RECIPES, GenerativeRecipe
from scratchgrad.recipes.language import (
    LANGUAGE_RECIPES,
    TOKENIZER_FILE,
    LanguageRecipe,
    TextData,
    generate_text,
    load_tokenizer,
)
from scratchgrad.recipes.registry import RECIPES, get_recipe, load_run
from scratchgrad.recipes.supervised import SUPERVISED_RECIPES, SupervisedRecipe

__all__ = [
    "GENERATIVE_RECIPES",
    "GenerativeRecipe",
    "LANGUAGE_RECIPES",
    "RECIPES",
    "RECIPE_FILE",
    "SUPERVISED_RECIPES",
    "TOKENIZER_FILE",
    "LanguageRecipe",
    "Recipe",
    "RecipeError",
    "RunFileError",
    "RunResult",
    "SupervisedRecipe",
    "TextData",
    "generate_text",
    "get_recipe",
    "load_run",
    "load_tokenizer",
]
