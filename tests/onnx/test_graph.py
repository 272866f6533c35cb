"""GraphBuilder: fresh names, raw-byte initializers, and the error without onnx."""

import sys

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.onnx.graph import GraphBuilder, require_onnx

onnx = pytest.importorskip("onnx")


def test_weight_const_and_op():
    g = GraphBuilder()
    t = sg.arange(6, dtype=sg.float32).reshape(2, 3).T  # not contiguous
    name = g.weight(t, "w")
    np.testing.assert_array_equal(onnx.numpy_helper.to_array(g.initializers[0]), t.numpy())
    shape = g.const([0, -1])
    assert onnx.numpy_helper.to_array(g.initializers[1]).dtype == np.int64
    out = g.op("Reshape", [name, shape])
    assert g.nodes[0].op_type == "Reshape" and out != name


def test_missing_onnx_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match=r"scratchgrad\[onnx\]"):
        require_onnx()
