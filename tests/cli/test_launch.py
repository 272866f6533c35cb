"""``scratchgrad train --nproc 2``: two MPI ranks, one run folder, exact resume after a kill."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

from scratchgrad.cli.launch import find_mpiexec, flag, train_args
from scratchgrad.errors import SettingsError
from tests.cli.conftest import run_dir_of
from tests.distributed._mpi import mpiexec

TRAIN = [sys.executable, "-m", "scratchgrad", "train"]
ARGS = ["digits-mlp", "--nproc", "2", "--epochs", "3", "--checkpoint-every", "7"]


def test_train_args_give_the_same_settings_again(tmp_path: Path) -> None:
    cli = {"epochs": 3, "lr": None, "batch_size": 64, "out_dir": tmp_path, "extra": ["hidden=8"]}
    assert train_args("digits-mlp", cli, None) == [
        "digits-mlp", "--epochs", "3", "--batch-size", "64", "--out", str(tmp_path),
        "--set", "hidden=8",
    ]  # fmt: skip
    assert train_args(None, {"epochs": 5}, tmp_path) == ["--epochs", "5", "--resume", str(tmp_path)]
    assert flag("checkpoint_every") == "--checkpoint-every" and flag("seed") == "--seed"


def test_without_mpi_nproc_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda *a, **k: None)
    with pytest.raises(SettingsError, match=r"pip install 'scratchgrad\[distributed\]'"):
        find_mpiexec()


def _weights(run_dir: Path) -> dict[str, np.ndarray]:
    pointer = json.loads((run_dir / "checkpoints" / "last.json").read_text())
    return load_file(run_dir / "checkpoints" / pointer["weights"])


def test_two_ranks_write_one_run_and_a_killed_run_resumes_exactly(tmp_path: Path) -> None:
    mpiexec()  # skips without MPI
    whole = subprocess.run(
        [*TRAIN, *ARGS, "--out", str(tmp_path / "a")], capture_output=True, text=True
    )
    assert whole.returncode == 0, whole.stderr
    assert whole.stdout.count("test (held out):") == 1  # rank 0 alone reports
    reference = run_dir_of(whole.stdout)
    assert [p.name for p in (tmp_path / "a").iterdir()] == [reference.name]

    cmd = [*TRAIN, *ARGS, "--out", str(tmp_path / "b")]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    while not list((tmp_path / "b").glob("*/checkpoints/last.json")):
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)  # every rank, and mpiexec
    proc.wait()
    killed = next((tmp_path / "b").iterdir())
    resumed = subprocess.run(
        [*TRAIN, "--resume", str(killed), "--nproc", "2"], capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    ours, theirs = _weights(killed), _weights(reference)
    for name in theirs:
        np.testing.assert_array_equal(ours[name], theirs[name], err_msg=name)
    assert (killed / "metrics.csv").read_text() == (reference / "metrics.csv").read_text()
