import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from scratchgrad.cli import app
from tests.cli.conftest import save_raw

runner = CliRunner()


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


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: np.save(p, np.array([[1.0, 1.0], [1.0, np.nan]])), "row 1, column 1 is nan"),
        (lambda p: np.save(p, np.array([[1.0, np.inf]])), "row 0, column 1 is inf"),
        (lambda p: np.save(p, np.array([[1.0, 1.0], [1j, 0.0]])), "row 1, column 0 is 1j"),
        (lambda p: np.save(p, np.zeros((0, 2))), "empty array, shape (0, 2)"),
        (lambda p: np.save(p, np.array([["a", "b"]])), "got dtype <U1"),
        (lambda p: np.savez(p, x=np.zeros((1, 2))), "zip archive"),
        (lambda p: save_raw(p, b"1.0 1.0\n-1.0 1.0\n"), "got text starting '1.0 1.0"),
        (lambda p: save_raw(p, b"\x80\x04K\x01."), "a pickle"),
        (lambda p: save_raw(p, b"\x93NUMPY\x01\x00"), "damaged .npy file"),
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


def test_predict_help_says_what_input_it_expects() -> None:
    out = runner.invoke(app, ["predict", "--help"], env={"COLUMNS": "200"}).output
    out = " ".join(out.replace("│", " ").split())  # the help box wraps lines
    for words in ("(N, *input_shape)", "own units", "preprocessing it was trained with"):
        assert words in out
