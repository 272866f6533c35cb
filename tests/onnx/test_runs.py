"""export_run: a recipe run's model (with its Standardize layer) exported and checked."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.errors import OnnxExportError
from scratchgrad.onnx.runs import _example, export_run
from scratchgrad.recipes.supervised import Standardize
from tests.onnx._common import assert_runs_like_ours

ort = pytest.importorskip("onnxruntime")


def test_standardize_layer(tmp_path):
    m = Standardize(3)
    m.fit(sg.randn(20, 3) * 4 + 2)
    assert_runs_like_ours(m, sg.randn(5, 3), tmp_path / "s.onnx")


def test_a_model_without_converter_is_named():
    class Rnn:
        name = "shakespeare-char-rnn"

    with pytest.raises(OnnxExportError, match="shakespeare-char-rnn"):
        _example(Rnn(), object())


def test_export_run_missing_folder(tmp_path):
    from scratchgrad.errors import RecipeError

    with pytest.raises(RecipeError):
        export_run(tmp_path / "none", tmp_path / "m.onnx")
    assert not np.any([p.suffix == ".onnx" for p in tmp_path.iterdir()])
