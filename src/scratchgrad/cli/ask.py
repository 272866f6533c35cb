"""``scratchgrad ask RUN_DIR --index INDEX "question"``: retrieve, then generate.

The question's top passages (cosine of TF-IDF vectors) are printed with their scores;
those that share no word with the question are left out. The run's language model then
continues the prompt "passages, one per line, then the question". Characters of the
passages that the model's vocabulary lacks are dropped; a small model sees only its
last ``block_size`` characters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scratchgrad.cli.app import app, clear_errors, stderr, stdout
from scratchgrad.cli.index import file_errors
from scratchgrad.data.tokenizers import Tokenizer
from scratchgrad.errors import TokenizerError
from scratchgrad.recipes import load_run
from scratchgrad.recipes.language import load_tokenizer
from scratchgrad.retrieval.rag import TextIndex, rag_prompt


def known_characters(text: str, tokenizer: Tokenizer) -> str:
    """``text`` without the characters the tokenizer cannot encode."""
    keep: dict[str, bool] = {}
    for c in set(text):
        try:
            tokenizer.encode(c)
            keep[c] = True
        except (KeyError, TokenizerError):
            keep[c] = False
    return "".join(c for c in text if keep[c])


def load_index(path: Path) -> TextIndex:
    """The text index at ``path``; a missing file exits 2, a damaged one 1."""
    with file_errors():
        if not path.is_file():
            raise FileNotFoundError(
                f"no index file {path} (build one with `scratchgrad index build`)"
            )
    try:
        return TextIndex.load(path)
    except ValueError as e:
        stderr().print(f"error: {e}", markup=False)
        raise typer.Exit(code=1) from None


@app.command("ask")
def ask_command(
    run_dir: Annotated[Path, typer.Argument(help="A language-model run folder.")],
    question: Annotated[str, typer.Argument(help="The question (the prompt's last line).")],
    index: Annotated[Path, typer.Option("--index", help="An index from `index build`.")],
    k: Annotated[int, typer.Option("--k", min=1, help="Passages to retrieve.")] = 3,
    max_new_tokens: Annotated[
        int, typer.Option("--max-new-tokens", min=0, help="Tokens to generate.")
    ] = 200,
    temperature: Annotated[
        float, typer.Option("--temperature", min=0.01, help="Lower is more conservative.")
    ] = 0.8,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 0,
) -> None:
    """Print the top passages for QUESTION with their scores, then generate after them."""
    text_index = load_index(index)
    hits = [(s, p) for s, p in text_index.search(question, k) if s > 0]
    out = stdout()
    for rank, (score, passage) in enumerate(hits, 1):
        out.print(f"[{rank}] score {score:.4f}  {passage}", markup=False)
    if not hits:
        out.print("no passage shares a word with the question", markup=False)
    with clear_errors():
        recipe, _, module = load_run(run_dir)
        tokenizer = load_tokenizer(run_dir)
        context = [known_characters(p, tokenizer) for _, p in hits]
        prompt = rag_prompt(question, context)
        text = recipe.generate(module, run_dir, prompt, max_new_tokens, temperature, None, seed)
    out.print("--- generated ---", markup=False)
    out.print(text[len(prompt) :] if text.startswith(prompt) else text, markup=False)


__all__ = ["ask_command", "known_characters", "load_index"]
