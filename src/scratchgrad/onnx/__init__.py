"""ONNX export: ``scratchgrad.onnx.export(model, example_input, path, ...)``, as torch's.

Needs the optional ``onnx`` package (``pip install 'scratchgrad[onnx]'``); scratchgrad
itself imports without it, and the error on export names the extra.
"""

from scratchgrad.onnx.exporter import export
from scratchgrad.onnx.graph import IR_VERSION, OPSET, GraphBuilder

__all__ = ["IR_VERSION", "OPSET", "GraphBuilder", "export"]
