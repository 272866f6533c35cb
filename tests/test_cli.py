import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import scratchgrad
from scratchgrad.cli import app

runner = CliRunner()


def _run_dir(output: str) -> Path:
    match = re.search(r"run folder: (\S+)", output)
    assert match, output
    return Path(match.group(1))


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"scratchgrad {scratchgrad.__version__}"


def test_recipes_lists_every_recipe() -> None:
    result = runner.invoke(app, ["recipes"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for name in ("xor-mlp", "digits-mlp", "digits-cnn", "mnist-cnn", "diabetes-regression"):
        assert name in result.stdout
    assert "epochs=15" in result.stdout


def test_recipes_lists_each_recipes_set_keys() -> None:
    result = runner.invoke(app, ["recipes"], env={"COLUMNS": "400"})
    assert result.exit_code == 0
    rows = {ln.split()[1]: ln for ln in result.stdout.splitlines() if ln.startswith("│ ")}
    assert "hidden=16" in rows["xor-mlp"] and "hidden=64" in rows["digits-mlp"]
    assert "needs --data-dir" in rows["mnist-cnn"]
    assert "n_layer=4" in rows["shakespeare-gpt"]
    assert "steps_per_epoch=200" in rows["shakespeare-gpt"]


@pytest.fixture(scope="module")
def xor_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs")
    result = runner.invoke(
        app, ["train", "xor-mlp", "--epochs", "12", "--out", str(out), "--set", "hidden=8"]
    )
    assert result.exit_code == 0, result.output
    assert "test: test_loss" in result.stdout and "epoch 12/12" in result.stdout
    run_dir = _run_dir(result.stdout)
    assert run_dir.parent == out and (run_dir / "recipe.json").is_file()
    return run_dir


def test_train_eval_predict_round_trip(xor_run: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(xor_run)])
    assert result.exit_code == 0, result.output
    accuracy = float(re.search(r"test_accuracy (\S+)", result.stdout).group(1))  # type: ignore[union-attr]
    assert accuracy >= 0.9
    inputs = tmp_path / "x.npy"
    np.save(inputs, np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0]], dtype=np.float32))
    result = runner.invoke(app, ["predict", str(xor_run), str(inputs)])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["0", "1", "1"]


def test_predict_wrong_shape(xor_run: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "bad.npy"
    np.save(inputs, np.zeros((4, 3), dtype=np.float32))
    result = runner.invoke(app, ["predict", str(xor_run), str(inputs)])
    assert result.exit_code == 2
    assert "do not match (N, 2)" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["predict", str(xor_run), str(tmp_path / "none.npy")])
    assert result.exit_code == 2 and "no input file" in result.stderr


def _save_raw(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: np.save(p, np.array([[1.0, 1.0], [1.0, np.nan]])), "row 1, column 1 is nan"),
        (lambda p: np.save(p, np.array([[1.0, np.inf]])), "row 0, column 1 is inf"),
        (lambda p: np.save(p, np.array([[1.0, 1.0], [1j, 0.0]])), "row 1, column 0 is 1j"),
        (lambda p: np.save(p, np.zeros((0, 2))), "empty array, shape (0, 2)"),
        (lambda p: np.save(p, np.array([["a", "b"]])), "got dtype <U1"),
        (lambda p: np.savez(p, x=np.zeros((1, 2))), "zip archive"),
        (lambda p: _save_raw(p, b"1.0 1.0\n-1.0 1.0\n"), "got text starting '1.0 1.0"),
        (lambda p: _save_raw(p, b"\x80\x04K\x01."), "a pickle"),
        (lambda p: _save_raw(p, b"\x93NUMPY\x01\x00"), "damaged .npy file"),
    ],
)
def test_predict_refuses_bad_inputs(xor_run: Path, tmp_path: Path, make, message: str) -> None:
    inputs = tmp_path / "x.npy"
    make(inputs)
    inputs = inputs if inputs.exists() else tmp_path / "x.npy.npz"  # np.savez adds .npz
    result = runner.invoke(app, ["predict", str(xor_run), str(inputs)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and str(inputs) in result.stderr, result.stderr
    assert "expected a .npy array of finite real numbers" in result.stderr
    assert "Traceback" not in result.output and "allow_pickle" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


@pytest.fixture
def run_copy(xor_run: Path, tmp_path: Path) -> Path:
    """A copy of the trained run, free to damage."""
    return Path(shutil.copytree(xor_run, tmp_path / "run"))


def test_eval_refuses_changed_weights(run_copy: Path) -> None:
    weights = next((run_copy / "checkpoints").glob("best-*.safetensors"))
    raw = bytearray(weights.read_bytes())
    raw[-8:] = np.array([7.0]).tobytes()  # still a valid file, other weights
    weights.write_bytes(bytes(raw))
    result = runner.invoke(app, ["eval", str(run_copy)])
    assert result.exit_code == 1, result.output
    assert "checksum mismatch" in result.stderr and weights.name in result.stderr
    assert "Traceback" not in result.output and "nan" not in result.stdout


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garble(path: Path) -> None:
    path.write_text('{"recipe": "xor-mlp", "sett', encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "file", "message"),
    [
        (_truncate, "checkpoints/best.json", "unreadable checkpoint pointer"),
        (_garble, "checkpoints/best.json", "unreadable checkpoint pointer"),
        (_truncate, "recipe.json", "damaged, not JSON"),
        (lambda p: p.write_text("{}"), "recipe.json", "damaged: expected"),
        (lambda p: p.write_bytes(b"\xff\xfe"), "recipe.json", "damaged, not JSON"),
    ],
)
def test_a_damaged_run_file_gives_one_line(run_copy: Path, damage, file: str, message: str) -> None:
    damage(run_copy / file)
    result = runner.invoke(app, ["eval", str(run_copy)])
    assert result.exit_code == 1, result.output
    assert message in result.stderr and Path(file).name in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("suffix", ["safetensors", "json"])
def test_a_damaged_checkpoint_file_gives_one_line(run_copy: Path, suffix: str) -> None:
    """Without a recorded checksum (an old run), damage shows when the file is read."""
    pointer = run_copy / "checkpoints" / "best.json"
    record = json.loads(pointer.read_text())
    del record["weights_sha256"]
    pointer.write_text(json.dumps(record))
    damaged = next((run_copy / "checkpoints").glob(f"best-*.{suffix}"))
    _truncate(damaged)
    result = runner.invoke(app, ["eval", str(run_copy)])
    assert result.exit_code == 1, result.output
    assert "damaged" in result.stderr and damaged.name in result.stderr
    assert "Traceback" not in result.output


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
    recipe = (_run_dir(result.stdout) / "recipe.json").read_text(encoding="utf-8")
    assert '"lr": 0.02' in recipe and '"epochs": 1' in recipe


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


def test_generate_temperature_help_and_check_agree() -> None:
    help_text = runner.invoke(app, ["generate", "--help"], env={"COLUMNS": "200"}).stdout
    line = next(ln for ln in help_text.splitlines() if "--temperature" in ln)
    assert "x>=0" not in line and "> 0" in line
    for value in ("0", "-1"):
        result = runner.invoke(app, ["generate", "no/such/run", "--temperature", value])
        assert result.exit_code == 2, result.output
        assert "must be > 0" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["generate", "no/such/run", "--temperature", "0.5"])
    assert result.exit_code == 2 and "no run folder" in result.stderr


def test_predict_help_says_what_input_it_expects() -> None:
    out = runner.invoke(app, ["predict", "--help"], env={"COLUMNS": "200"}).output
    out = " ".join(out.replace("│", " ").split())  # the help box wraps lines
    for words in ("(N, *input_shape)", "own units", "preprocessing it was trained with"):
        assert words in out
