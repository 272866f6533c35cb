"""``scratchgrad check-data RECIPE``: data-split hygiene of a recipe's data.

Prints each problem (identical samples across splits, a scaler fitted outside the
training split, a vocabulary from held-out text) with the rows it touches. Exit code 0
when the data is clean, 1 when a problem was found, 2 for a bad recipe name or settings.
"""

from __future__ import annotations

import warnings
from typing import Annotated, Any

import typer

from scratchgrad.cli.app import (
    DataOpt,
    FileOpt,
    SeedOpt,
    SetOpt,
    app,
    clear_errors,
    recipe_settings,
    stdout,
)
from scratchgrad.config import parse_assignments
from scratchgrad.errors import DataLeakageWarning
from scratchgrad.recipes import get_recipe
from scratchgrad.recipes.hygiene import check_recipe_data


@app.command("check-data")
def check_data_command(
    recipe: Annotated[str, typer.Argument(help="A recipe name (see `scratchgrad recipes`).")],
    seed: SeedOpt = None,
    data_dir: DataOpt = None,
    data: FileOpt = None,
    set_: SetOpt = None,
) -> None:
    """Report data-split leaks in a recipe's train / val / test data."""
    with clear_errors():
        chosen = get_recipe(recipe)
        cli: dict[str, Any] = {"seed": seed, "data_dir": data_dir, "data": data}
        cli["extra"] = parse_assignments(set_ or [])
        settings = recipe_settings(chosen, None, cli)
        with warnings.catch_warnings():  # reported below, once, as findings
            warnings.simplefilter("ignore", DataLeakageWarning)
            findings = check_recipe_data(chosen, settings)
    for f in findings:
        stdout().print(f"{f.problem}: {f.detail}", markup=False)
    if findings:
        stdout().print(f"{recipe}: {len(findings)} data-split problem(s)")
        raise typer.Exit(code=1)
    stdout().print(f"{recipe}: no data-split problems found")
