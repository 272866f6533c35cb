"""The ``scratchgrad`` command line: list, train, evaluate, predict with, generate, sample, tune.

One module per command (``train.py`` holds ``recipes``, ``train`` and ``eval``); each
registers itself on the shared Typer :data:`~scratchgrad.cli.app.app`.
"""

import os
import sys
from pathlib import Path

from scratchgrad.cli import (  # noqa: F401 - registers the commands
    ask,
    check_data,
    export,
    generate,
    index,
    predict,
    sample,
    search,
    selfcheck,
    train,
)
from scratchgrad.cli.app import app
from scratchgrad.distributed.process_group import launched_by_mpi, mpi_rank


def main() -> None:
    """The ``scratchgrad`` console script; ``--debug`` may come anywhere in the line."""
    if launched_by_mpi() and mpi_rank() > 0:  # under mpiexec, rank 0 alone prints
        sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115 - for the life of the process
    args = sys.argv[1:]
    if "--debug" in args:
        args = ["--debug", *(a for a in args if a != "--debug")]
    app(args)


__all__ = ["app", "main"]
