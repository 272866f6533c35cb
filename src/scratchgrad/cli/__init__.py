"""The ``scratchgrad`` command line: list, train, evaluate, predict with, generate and tune.

One module per command (``train.py`` holds ``recipes``, ``train`` and ``eval``); each
registers itself on the shared Typer :data:`~scratchgrad.cli.app.app`.
"""

import sys

from scratchgrad.cli import (  # noqa: F401 - registers commands
    check_data,
    export,
    generate,
    predict,
    search,
    selfcheck,
    train,
)
from scratchgrad.cli.app import app


def main() -> None:
    """The ``scratchgrad`` console script; ``--debug`` may come anywhere in the line."""
    args = sys.argv[1:]
    if "--debug" in args:
        args = ["--debug", *(a for a in args if a != "--debug")]
    app(args)


__all__ = ["app", "main"]
