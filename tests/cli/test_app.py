from pathlib import Path

import pytest
from typer.testing import CliRunner

import scratchgrad
from scratchgrad.cli import app
from tests.cli.conftest import run_dir_of

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"scratchgrad {scratchgrad.__version__}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "nope"], "unknown recipe 'nope'"),
        (["train", "xor-mlp", "--lr", "-1"], "lr: got -1.0; must be > 0"),
        (["train", "xor-mlp", "--set", "novalue"], "expected key=value"),
        (["train", "xor-mlp", "--config", "missing.toml"], "no file missing.toml"),
        (["train", "mnist-cnn"], "needs --data-dir"),
        (["eval", "no/such/run"], "no run folder"),
        (["search", "xor-mlp", "--grid", "lr"], "expected key=v1,v2"),
        (["search", "nope", "--grid", "lr=0.1"], "unknown recipe"),
        (["train", "xor-mlp", "--set", "hiden=128"], "did you mean 'hidden'"),
        (["train", "xor-mlp", "--set", "checkpoint_every_n_steps=10"], "known: hidden"),
        (["train", "xor-mlp", "--set", "lr=0.1"], "use --lr"),
        (["train", "xor-mlp", "--data", "x.txt"], "reads no --data"),
        (["train", "digits-cnn", "--set", "hidden=8"], "known: (none)"),
        (["search", "xor-mlp", "--grid", "lrr=0.1,0.2"], "extra.lrr: got 0.1; unknown"),
    ],
)
def test_bad_arguments_give_a_clear_message(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_toml_extra_typo_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[extra]\nhiden = 8\n", "utf-8")
    result = runner.invoke(app, ["train", "xor-mlp", "--config", str(config)])
    assert result.exit_code == 2, result.output
    assert "extra.hiden: got 8; unknown setting; did you mean 'hidden'? known: hidden" in (
        result.stderr
    )


def test_typer_usage_errors_are_nonzero() -> None:
    assert runner.invoke(app, ["train"]).exit_code != 0
    assert runner.invoke(app, ["train", "xor-mlp", "--epochs", "many"]).exit_code != 0


def test_config_file_and_cli_precedence(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'epochs = 2\nlr = 0.02\nout_dir = "{tmp_path.as_posix()}"\n', "utf-8")
    result = runner.invoke(app, ["train", "xor-mlp", "--config", str(config), "--epochs", "1"])
    assert result.exit_code == 0, result.output
    assert "epoch 1/1" in result.stdout
    recipe = (run_dir_of(result.stdout) / "recipe.json").read_text(encoding="utf-8")
    assert '"lr": 0.02' in recipe and '"epochs": 1' in recipe


def test_an_output_path_that_is_a_file_gives_one_line(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("not a folder")
    result = runner.invoke(app, ["train", "xor-mlp", "--epochs", "1", "--out", str(target)])
    assert result.exit_code == 2, result.output
    assert f"{target}: is a file; expected a folder for run folders" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert target.read_text() == "not a folder"


def test_a_full_disk_gives_one_line_and_leaves_no_partial_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    from scratchgrad import _io

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(_io.os, "fsync", full)
    result = runner.invoke(app, ["train", "xor-mlp", "--epochs", "1", "--out", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "the disk is full" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # nothing half-written


def test_a_diverging_run_prints_the_error_and_exits_1(tmp_path: Path) -> None:
    args = ["train", "xor-mlp", "--epochs", "2", "--lr", "1e30", "--out", str(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "error: training diverged: loss is nan in epoch 1" in result.stderr
    assert "Traceback" not in result.output and "RuntimeWarning" not in result.output


def test_debug_shows_the_traceback_wherever_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    from scratchgrad.cli import main
    from scratchgrad.errors import RecipeError

    monkeypatch.setattr("sys.argv", ["scratchgrad", "train", "nope"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    monkeypatch.setattr("sys.argv", ["scratchgrad", "train", "nope", "--debug"])
    with pytest.raises(RecipeError, match="unknown recipe 'nope'"):
        main()


def test_a_run_folder_works_from_any_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    result = runner.invoke(app, ["train", "xor-mlp", "--epochs", "1", "--out", "runs"])
    assert result.exit_code == 0, result.output
    run_dir = run_dir_of(result.stdout)
    assert run_dir.is_absolute() and run_dir.parent == tmp_path / "here" / "runs"
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["eval", str(run_dir)])
    assert result.exit_code == 0, result.output


def test_a_bad_kernels_setting_stops_before_any_run_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCRATCHGRAD_KERNELS", "fast")
    result = runner.invoke(app, ["train", "xor-mlp", "--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "SCRATCHGRAD_KERNELS: got 'fast'; expected one of numba, numpy" in result.output
    assert not any(tmp_path.iterdir())
