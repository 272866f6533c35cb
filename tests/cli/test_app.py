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
