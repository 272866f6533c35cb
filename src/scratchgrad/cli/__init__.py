"""The ``scratchgrad`` command line: list, train, evaluate, predict with, generate and tune.

One module per command (``train.py`` holds ``recipes``, ``train`` and ``eval``); each
registers itself on the shared Typer :data:`~scratchgrad.cli.app.app`.
"""

from scratchgrad.cli import ask, generate, index, predict, search, train  # noqa: F401 - registers commands
from scratchgrad.cli.app import app


def main() -> None:
    """The ``scratchgrad`` console script."""
    app()


__all__ = ["app", "main"]
