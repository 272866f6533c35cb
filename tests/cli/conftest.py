"""Shared by the command-line tests: a trained xor run, and ways to damage files."""

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scratchgrad.cli import app

runner = CliRunner()


def run_dir_of(output: str) -> Path:
    match = re.search(r"run folder: (\S+)", output)
    assert match, output
    return Path(match.group(1))


@pytest.fixture(scope="module")
def xor_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs")
    result = runner.invoke(
        app, ["train", "xor-mlp", "--epochs", "12", "--out", str(out), "--set", "hidden=8"]
    )
    assert result.exit_code == 0, result.output
    assert "test (held out): test_loss" in result.stdout and "epoch 12/12" in result.stdout
    run_dir = run_dir_of(result.stdout)
    assert run_dir.parent == out and (run_dir / "recipe.json").is_file()
    return run_dir


@pytest.fixture
def run_copy(xor_run: Path, tmp_path: Path) -> Path:
    """A copy of the trained run, free to damage."""
    return Path(shutil.copytree(xor_run, tmp_path / "run"))


def save_raw(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garble(path: Path) -> None:
    path.write_text('{"recipe": "xor-mlp", "sett', encoding="utf-8")
