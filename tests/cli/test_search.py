from pathlib import Path

import pytest
from typer.testing import CliRunner

from scratchgrad.cli import app

runner = CliRunner()


def test_search_marks_the_best(tmp_path: Path) -> None:
    args = ["search", "xor-mlp", "--grid", "lr=0.05,0.0001", "--grid", "batch_size=32"]
    args += ["--epochs", "3", "--out", str(tmp_path)]
    result = runner.invoke(app, args, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if "lr=" in ln and ln.startswith("│")]
    assert len(lines) == 2
    assert "* best" in lines[0] and "lr=0.05" in lines[0]  # sorted: best first
    assert "* best" not in lines[1]
    assert len(list(tmp_path.iterdir())) == 2


def test_search_prints_one_line_per_trial_and_full_run_folders(tmp_path: Path) -> None:
    out = tmp_path / ("a-long-folder-name-" * 4)
    args = ["search", "xor-mlp", "--grid", "lr=0.05,0.01", "--epochs", "2", "--out", str(out)]
    result = runner.invoke(app, args, env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    assert "epoch 1/2" not in result.stdout
    assert [ln[:9] for ln in result.stdout.splitlines() if ln.startswith("trial")] == [
        "trial 1/2",
        "trial 2/2",
    ]
    for run_dir in out.iterdir():
        assert f"run folder: {run_dir}" in result.stdout  # never cut, however narrow
    verbose = runner.invoke(app, [*args, "--epochs", "1", "--verbose"])
    assert verbose.exit_code == 0 and "epoch 1/1" in verbose.stdout


@pytest.mark.parametrize("bad", ["lr=0.05,0.01,-1", "hidden=8,16,0", "batch_size=8,16,true"])
def test_search_checks_every_trial_before_training(tmp_path: Path, bad: str) -> None:
    args = ["search", "xor-mlp", "--grid", bad, "--epochs", "1", "--out", str(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "got" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no trial started


def test_random_search_draws_n_points(tmp_path: Path) -> None:
    args = ["search", "xor-mlp", "--grid", "lr=0.05,0.01,0.001", "--random", "1"]
    args += ["--epochs", "1", "--out", str(tmp_path)]
    result = runner.invoke(app, args, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert len([ln for ln in result.stdout.splitlines() if ln.startswith("trial")]) == 1
