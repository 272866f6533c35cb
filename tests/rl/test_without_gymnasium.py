"""Without gymnasium, scratchgrad and its command line work; RL says what to install."""

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

PROGRAM = """
import sys
sys.modules["gymnasium"] = None  # as if it were not installed
import scratchgrad
from typer.testing import CliRunner
from scratchgrad.cli import app
print("imported", scratchgrad.__version__)
try:
    import scratchgrad.rl
except ImportError as e:
    print("rl:", e)
result = CliRunner().invoke(app, ["train", "cartpole-ppo", "--out", sys.argv[1]])
print("train exit", result.exit_code, result.stderr.strip())
"""


def test_import_works_and_rl_names_the_extra(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(tmp_path)], capture_output=True, text=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "imported" in done.stdout
    assert "rl: scratchgrad.rl needs gymnasium" in done.stdout
    assert "pip install 'scratchgrad[rl]'" in done.stdout
    assert "train exit 2 error: scratchgrad.rl needs gymnasium" in done.stdout
