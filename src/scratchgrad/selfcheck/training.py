"""Training and weight-file checks of the self-check.

``check_training``: one recipe of each family (each recipe class: supervised, language
model, ...) that runs on built-in data trains for a few epochs at a tiny size, in a
temporary folder; its training loss must fall from the first epoch to the last.
``check_weights``: a state dict written to a safetensors file reads back identical.
"""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
from pathlib import Path
from typing import Any

from scratchgrad.selfcheck.report import Status, summarize

# Shrinks applied to whichever of these ``--set`` keys a recipe has.
_TINY_EXTRA = {
    "examples": 512,
    "n_layer": 1,
    "n_embd": 32,
    "steps_per_epoch": 20,
    "adapt_epochs": 2,
}
_EPOCHS = 3


def family_recipes() -> dict[str, Any]:
    """Per recipe class that trains by epochs, the first recipe needing no data files.

    Returns:
        {class name: recipe}. Families counted in environment steps (reinforcement
        learning) have no epoch loss to compare and are left out.
    """
    from scratchgrad.recipes import RECIPES

    picked: dict[str, Any] = {}
    for recipe in RECIPES.values():
        family = type(recipe).__name__
        if family not in picked and not tuple(recipe.inputs) and "epochs" in recipe.defaults:
            picked[family] = recipe
    return picked


def _train_losses(recipe: Any, out_dir: Path) -> list[float] | None:
    """Train ``recipe`` tiny in ``out_dir``; the train loss of each epoch (None: not kept)."""
    from scratchgrad.config import resolve_settings

    extra = {k: v for k, v in _TINY_EXTRA.items() if k in recipe.extra}
    cli = {"epochs": _EPOCHS, "out_dir": out_dir, "extra": extra}
    settings = resolve_settings(recipe.defaults, None, cli, extra=recipe.extra)
    with contextlib.redirect_stdout(io.StringIO()):
        result = recipe.run(settings, progress=False)
    for path in sorted(result.run_dir.rglob("metrics.csv")):  # a staged run has several
        with path.open(newline="") as f:
            rows = list(csv.DictReader(f))
        if rows and "train_loss" in rows[0]:
            return [float(row["train_loss"]) for row in rows]
    return None  # a comparison of several trainings (transfer) writes a table instead


def check_training(quick: bool) -> tuple[Status, str]:
    """A tiny training of one recipe per family lowers its training loss."""
    failures, shown = [], []
    recipes = family_recipes()
    with tempfile.TemporaryDirectory() as tmp:
        for family, recipe in recipes.items():
            losses = _train_losses(recipe, Path(tmp))
            if losses is None:
                shown.append(f"{recipe.name} ran (no epoch losses to compare)")
                continue
            shown.append(f"{recipe.name} {losses[0]:.3f}->{losses[-1]:.3f}")
            if not losses[-1] < losses[0]:
                failures.append(f"{family} ({recipe.name})")
    status, detail = summarize(len(recipes), failures, "recipe families")
    return status, f"{detail}: {'; '.join(shown)}"


def check_weights(quick: bool) -> tuple[Status, str]:
    """A model's state dict survives a safetensors file: same names, dtypes and values."""
    import scratchgrad as sg
    from scratchgrad import nn

    sg.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 3))
    state = model.state_dict()
    with tempfile.TemporaryDirectory() as tmp:
        sg.save(state, Path(tmp) / "w.safetensors")
        back = sg.load(Path(tmp) / "w.safetensors")
    bad = [
        k
        for k, v in state.items()
        if k not in back or back[k].dtype != v.dtype or not bool(sg.equal(back[k], v))
    ]
    bad += [k for k in back if k not in state]
    return summarize(len(state), bad, "tensors")
