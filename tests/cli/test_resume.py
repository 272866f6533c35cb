"""Killed, interrupted and resumed runs, through real ``scratchgrad train`` processes.

An uninterrupted run and a run killed with SIGKILL then continued with ``--resume`` must
end with bit-identical weights (and optimizer state) and the same metrics rows.
"""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

from scratchgrad.cli import app
from tests.cli.conftest import run_dir_of, runner

TRAIN = [sys.executable, "-m", "scratchgrad", "train", "xor-mlp", "--epochs", "40"]
TRAIN += ["--checkpoint-every", "4", "--set", "hidden=8"]


def _start(out: Path, epochs: int = 40) -> subprocess.Popen[str]:
    cmd = [*TRAIN, "--out", str(out), "--epochs", str(epochs)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_checkpoint(out: Path, proc: subprocess.Popen[str]) -> Path:
    """The run folder, once its first mid-epoch checkpoint exists (the run still going)."""
    for _ in range(3000):
        found = list(out.glob("*/checkpoints/last.json"))
        if found:
            return found[0].parent.parent
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    raise AssertionError("no checkpoint appeared")


def _weights(run_dir: Path) -> dict[str, np.ndarray]:
    pointer = json.loads((run_dir / "checkpoints" / "last.json").read_text())
    return load_file(run_dir / "checkpoints" / pointer["weights"])


def test_a_killed_run_resumes_bit_identical(tmp_path: Path) -> None:
    whole = subprocess.run([*TRAIN, "--out", str(tmp_path / "a")], capture_output=True, text=True)
    assert whole.returncode == 0, whole.stderr
    reference = run_dir_of(whole.stdout)

    proc = _start(tmp_path / "b")
    killed = _wait_for_checkpoint(tmp_path / "b", proc)
    proc.kill()
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    step = json.loads((killed / "checkpoints" / "last.json").read_text())["step"]
    assert step < 40 * 9  # killed mid-run (9 steps an epoch)

    resumed = subprocess.run(
        [sys.executable, "-m", "scratchgrad", "train", "--resume", str(killed)],
        capture_output=True,
        text=True,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming" in resumed.stdout + resumed.stderr and "epoch 40/40" in resumed.stdout
    ours, theirs = _weights(killed), _weights(reference)
    assert sorted(ours) == sorted(theirs)
    for name in ours:
        np.testing.assert_array_equal(ours[name], theirs[name], err_msg=name)
    assert (killed / "metrics.csv").read_text() == (reference / "metrics.csv").read_text()


def test_ctrl_c_stops_with_one_line_naming_the_checkpoint(tmp_path: Path) -> None:
    proc = _start(tmp_path, epochs=100_000)  # still running whenever the signal comes
    run_dir = _wait_for_checkpoint(tmp_path, proc)
    while not (run_dir / "metrics.csv").exists():  # an epoch done: there are curves to draw
        assert proc.poll() is None
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert f"last checkpoint: {run_dir / 'checkpoints' / 'last.json'}" in err
    assert f"resume with: scratchgrad train --resume {run_dir}" in err
    assert (run_dir / "loss.png").is_file() and (run_dir / "metrics.png").is_file()


def test_resume_extends_epochs_and_refuses_other_flags(xor_run: Path, tmp_path: Path) -> None:
    import shutil

    run = Path(shutil.copytree(xor_run, tmp_path / "run"))
    cases = [
        (["--resume", str(run)], "already trained 12 of 12 epochs"),
        (["--resume", str(run), "--lr", "0.5"], "only --epochs may be given"),
        (["--resume", str(run), "--set", "hidden=4"], "got --set"),
        (["--resume", str(run), "--epochs", "5"], "may only extend the run's 12 epochs"),
        (["digits-cnn", "--resume", str(run)], "is a xor-mlp run, not digits-cnn"),
        (["--resume", str(tmp_path / "none")], "no run folder"),
        ([], "give a recipe name"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["train", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
    result = runner.invoke(app, ["train", "--resume", str(run), "--epochs", "14"])
    assert result.exit_code == 0, result.output
    assert "epoch 13/14" in result.stdout and "epoch 12/14" not in result.stdout
    assert (run / "metrics.csv").read_text().count("\n") == 15  # header + 14 epochs
    assert json.loads((run / "recipe.json").read_text())["settings"]["epochs"] == 14


def test_resume_without_a_checkpoint_says_so(xor_run: Path, tmp_path: Path) -> None:
    import shutil

    run = Path(shutil.copytree(xor_run, tmp_path / "run"))
    shutil.rmtree(run / "checkpoints")
    result = runner.invoke(app, ["train", "--resume", str(run)])
    assert result.exit_code == 2 and "no checkpoint to resume from" in result.stderr
