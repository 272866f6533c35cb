"""GraphBuilder: collects the ONNX nodes and weights a model's converters emit.

A converter receives the builder and the name of its input value and returns the name of
its output value; ``op`` appends one node, ``weight`` one initializer (a tensor's values,
copied as raw bytes). The ``onnx`` package is imported only here and in the exporter,
when an export runs, so scratchgrad imports without it.
"""

from __future__ import annotations

import importlib
from typing import Any

from scratchgrad.tensor import Tensor

OPSET = 17  # LayerNormalization arrived in opset 17
IR_VERSION = 8  # the IR version of opset 17; every onnxruntime since 1.13 reads it


def require_onnx() -> Any:
    """The ``onnx`` module.

    Raises:
        ImportError: naming the ``onnx`` extra when the package is missing.
    """
    try:
        return importlib.import_module("onnx")
    except ImportError as e:
        raise ImportError(
            "scratchgrad.onnx needs the onnx package: pip install 'scratchgrad[onnx]'"
        ) from e


class GraphBuilder:
    """The nodes and initializers of one graph, with fresh value names.

    Args:
        float_dtype: the dtype of the model's floating-point weights ("float32"), used
            for the constants converters add (scales, masks).
    """

    def __init__(self, float_dtype: str = "float32") -> None:
        self.onnx = require_onnx()
        self.float_dtype = float_dtype
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0

    def fresh(self, hint: str) -> str:
        """A new, unique value name starting with ``hint``."""
        self._count += 1
        return f"{hint}_{self._count}"

    def weight(self, t: Tensor, hint: str = "w") -> str:
        """Add ``t``'s values (any shape) as an initializer; returns its name."""
        array = t.detach().numpy()
        helper = self.onnx.helper
        name = self.fresh(hint)
        elem = helper.np_dtype_to_tensor_dtype(array.dtype)
        data = array.tobytes() if array.flags.c_contiguous else array.copy().tobytes()
        self.initializers.append(helper.make_tensor(name, elem, list(array.shape), data, raw=True))
        return name

    def const(
        self, values: list[float] | list[int] | float, hint: str = "c", dtype: Any = None
    ) -> str:
        """A small constant: a float scalar or a list (int64 lists for shapes and axes)."""
        from scratchgrad.creation import tensor

        if dtype is None:
            is_int = isinstance(values, list) and all(isinstance(v, int) for v in values)
            dtype = "int64" if is_int else self.float_dtype
        return self.weight(tensor(values, dtype=dtype), hint)

    def op(self, op_type: str, inputs: list[str], hint: str | None = None, **attrs: Any) -> str:
        """Append one node with a single output; returns the output's name."""
        out = self.fresh(hint or op_type.lower())
        self.nodes.append(self.onnx.helper.make_node(op_type, inputs, [out], **attrs))
        return out

    def rename(self, value: str, name: str) -> None:
        """Give a graph output its public name (an Identity node from ``value``)."""
        self.nodes.append(self.onnx.helper.make_node("Identity", [value], [name]))
