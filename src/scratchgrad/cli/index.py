"""``scratchgrad index build``: cut a text into passages and save a TF-IDF search index.

``scratchgrad index build --data notes.txt --chunk 200 --out notes.index`` writes one
safetensors file (vectors, passages, vocabulary) that ``scratchgrad ask`` searches.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from scratchgrad.cli.app import app, stderr, stdout
from scratchgrad.retrieval.rag import TextIndex

index_app = typer.Typer(
    help="Build search indexes of texts for retrieval (see `ask`).", no_args_is_help=True
)
app.add_typer(index_app, name="index")


@contextmanager
def file_errors() -> Iterator[None]:
    """A missing or unusable input file: one line on stderr, exit code 2."""
    try:
        yield
    except (FileNotFoundError, IsADirectoryError, ValueError) as e:
        stderr().print(f"error: {e}", markup=False)
        raise typer.Exit(code=2) from None


def read_text(path: Path) -> str:
    """The UTF-8 text of ``path``.

    Raises:
        FileNotFoundError: if there is no such file.
        ValueError: if it is not UTF-8.
    """
    if not path.is_file():
        raise FileNotFoundError(f"no file {path}")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path} is not UTF-8 text ({e.reason} at byte {e.start})") from None


@index_app.command("build")
def build_command(
    data: Annotated[Path, typer.Option("--data", help="A UTF-8 text file to index.")],
    out: Annotated[Path, typer.Option("--out", help="The index file to write.")],
    chunk: Annotated[
        int, typer.Option("--chunk", min=1, help="Most characters per passage.")
    ] = 200,
) -> None:
    """Cut --data into passages of at most --chunk characters; write a TF-IDF index."""
    with file_errors():
        index = TextIndex.build(read_text(data), chunk)
        out.parent.mkdir(parents=True, exist_ok=True)
        index.save(out)
    words = len(index.vectorizer.vocabulary_)
    stdout().print(f"indexed {len(index.passages)} passages ({words} words) into {out}")
