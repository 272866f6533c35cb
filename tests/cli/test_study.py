from pathlib import Path

import pytest

from scratchgrad.cli import app
from scratchgrad.cli.study import specs_from
from scratchgrad.distributed.search_space import ParamSpec
from scratchgrad.errors import SettingsError
from tests.cli.conftest import runner


def test_specs_from_takes_ranges_and_grid_values() -> None:
    specs = specs_from(["lr=log:1e-3:1e-1", "batch_size=16,32"])
    assert specs == (
        ParamSpec("lr", "log", 1e-3, 1e-1),
        ParamSpec("batch_size", "choice", choices=(16, 32)),
    )
    with pytest.raises(SettingsError, match="given more than once"):
        specs_from(["lr=log:1e-3:1e-1", "lr=0.1,0.2"])


def test_an_optuna_search_prints_its_study_best_first(tmp_path: Path) -> None:
    args = ["search", "xor-mlp", "--param", "lr=log:1e-3:1e-1", "--n-trials", "3"]
    args += ["--epochs", "2", "--out", str(tmp_path), "--pruner", "none"]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("trial ")]
    assert len(lines) == 3 and all("(worker 0): lr=" in ln for ln in lines)
    rows = [ln for ln in result.stdout.splitlines() if ln.startswith("│") and "lr=" in ln]
    assert len(rows) == 3 and "* best" in rows[0] and "complete" in rows[0]
    assert (tmp_path / "xor-mlp-search.journal").is_file()
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 3
    assert f"study 'xor-mlp-search' in {tmp_path / 'xor-mlp-search.journal'}" in result.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--param", "lr=log:0:1"], "LOW > 0"),
        (["--param", "hidden=int:0:8"], "extra.hidden: got 0"),
        (["--param", "lr=log:1e-3:1e-1", "--pruner", "fast"], "--pruner: got 'fast'"),
        (["--n-trials", "2"], "needs at least one --param"),
        ([], "give --grid"),
    ],
)
def test_bad_search_spaces_are_refused_before_any_trial(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    args = ["search", "xor-mlp", "--epochs", "1", "--out", str(tmp_path), *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]  # nothing trained
