"""Small helpers shared by the examples: where files go, and section headers.

The examples import it as ``from _common import ...``; that works because Python puts
the folder of the script it runs (examples/) first on ``sys.path``.
"""

import os
from pathlib import Path


def out_dir() -> Path:
    """The folder for the files an example writes, created if missing.

    It is $SCRATCHGRAD_EXAMPLES_OUT when set (the tests point it at a temporary
    folder), else examples/out/ next to this file, whatever the current directory.
    """
    path = Path(os.environ.get("SCRATCHGRAD_EXAMPLES_OUT") or Path(__file__).parent / "out")
    path.mkdir(parents=True, exist_ok=True)
    return path


def section(title: str) -> None:
    """Print a header that separates the parts of an example's output."""
    print(f"\n=== {title} " + "=" * max(0, 76 - len(title)))
