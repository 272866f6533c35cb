"""``scratchgrad generate RUN_DIR``: continue a prompt with a language-model run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scratchgrad.cli.app import app, clear_errors, stdout
from scratchgrad.recipes import load_run


def _positive(value: float) -> float:
    """Refuse a value <= 0 (``typer.Option(min=...)`` can only include its bound)."""
    if value <= 0:
        raise typer.BadParameter(f"temperature must be > 0, got {value}")
    return value


@app.command("generate")
def generate_command(
    run_dir: Annotated[Path, typer.Argument(help="A language-model run folder.")],
    prompt: Annotated[
        str | None,
        typer.Option(
            "--prompt",
            help="The text to continue (default: a new line, or the first token of a "
            "vocabulary without one).",
        ),
    ] = None,
    max_new_tokens: Annotated[
        int, typer.Option("--max-new-tokens", min=0, help="Tokens to generate.")
    ] = 200,
    temperature: Annotated[
        float,
        typer.Option("--temperature", callback=_positive, help="> 0; lower is more conservative."),
    ] = 1.0,
    top_k: Annotated[
        int | None, typer.Option("--top-k", min=1, help="Sample among the k likeliest.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 0,
) -> None:
    """Continue a prompt with a language-model run's best checkpoint; print the text."""
    with clear_errors():
        recipe, _, module = load_run(run_dir)
        text = recipe.generate(module, run_dir, prompt, max_new_tokens, temperature, top_k, seed)
    stdout().print(text, markup=False)
