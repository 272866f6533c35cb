"""``scratchgrad export RUN_DIR --onnx FILE``: the file runs under onnxruntime as `predict`."""

import sys
from pathlib import Path

import numpy as np
import pytest

from scratchgrad.cli import app
from scratchgrad.recipes import load_run
from tests.cli.conftest import runner

ort = pytest.importorskip("onnxruntime")


def test_export_xor_run_matches_the_model_on_raw_inputs(xor_run: Path, tmp_path: Path):
    path = tmp_path / "xor.onnx"
    result = runner.invoke(app, ["export", str(xor_run), "--onnx", str(path)])
    assert result.exit_code == 0, result.output
    assert "opset 17" in result.stdout
    x = np.random.default_rng(0).normal(size=(9, 2)).astype(np.float32) * 3
    (logits,) = ort.InferenceSession(str(path)).run(None, {"input": x})
    recipe, _, module = load_run(xor_run)
    np.testing.assert_array_equal(logits.argmax(1), recipe.predict(module, x))


def test_not_a_run_folder_is_one_line_and_exit_2(tmp_path: Path):
    result = runner.invoke(app, ["export", str(tmp_path), "--onnx", str(tmp_path / "m.onnx")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_without_onnx_the_extra_is_named(xor_run: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    result = runner.invoke(app, ["export", str(xor_run), "--onnx", str(tmp_path / "m.onnx")])
    assert result.exit_code == 2
    assert "scratchgrad[onnx]" in result.stderr
