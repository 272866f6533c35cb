"""Run an exported file under onnxruntime and compare with our eval-mode forward."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.onnx import export

ort = pytest.importorskip("onnxruntime")


def assert_runs_like_ours(model, x, path, atol=1e-5, others=(), **kwargs):
    """Export with ``x``; ours and onnxruntime agree on ``x`` and on each input in ``others``."""
    export(model, x, path, **kwargs)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    model.eval()
    for inp in (x, *others):
        with sg.no_grad():
            ours = model(inp).numpy()
        (theirs,) = session.run(None, {name: inp.numpy()})
        assert theirs.shape == ours.shape and theirs.dtype == ours.dtype
        np.testing.assert_allclose(theirs, ours, atol=atol, rtol=1e-5)
