"""``python -m scratchgrad`` is the ``scratchgrad`` command."""

import subprocess
import sys


def test_python_m_scratchgrad_lists_the_commands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "scratchgrad", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("train", "eval", "predict", "search", "generate"):
        assert command in out
