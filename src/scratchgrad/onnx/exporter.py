"""``export``: write a model as an ONNX file, with ``torch.onnx.export``'s signature.

The model runs once on the example input (for the output's shape and dtype); its modules
are then converted one by one (``scratchgrad.onnx.layers``, ``.transformer``) in eval mode.
The file declares opset :data:`OPSET` and IR version :data:`IR_VERSION`, passes
``onnx.checker.check_model(full_check=True)``, and dims named in ``dynamic_axes`` stay
symbolic (any batch size, any sequence length).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scratchgrad.autograd import no_grad
from scratchgrad.nn.attention import MultiheadAttention
from scratchgrad.nn.module import Module
from scratchgrad.onnx import layers, transformer  # noqa: F401 - registers the converters
from scratchgrad.onnx.graph import IR_VERSION, OPSET, GraphBuilder
from scratchgrad.tensor import Tensor

DynamicAxes = Mapping[str, Mapping[int, str] | Sequence[int]]


def _value_info(onnx: Any, name: str, t: Tensor, dynamic: DynamicAxes) -> Any:
    """A graph input/output declaration; dims in ``dynamic[name]`` get symbolic names."""
    axes = dynamic.get(name, {})
    named = dict(axes) if isinstance(axes, Mapping) else {a: f"{name}_dim{a}" for a in axes}
    dims: list[Any] = [named.get(i, d) for i, d in enumerate(t.shape)]
    elem = onnx.helper.np_dtype_to_tensor_dtype(t.array.dtype)
    return onnx.helper.make_tensor_value_info(name, elem, dims)


def _forward(model: Module, x: Tensor) -> Tensor:
    """The model's output; a MultiheadAttention alone is exported as self-attention."""
    if isinstance(model, MultiheadAttention):
        attended: Tensor = model(x, x, x, need_weights=False)[0]
        return attended
    out: Tensor = model(x)
    return out


def _float_dtype(model: Module) -> str:
    for p in model.parameters():
        if p.dtype.kind == "f":
            return str(p.dtype)
    return "float32"


def export(
    model: Module,
    args: Tensor | tuple[Tensor],
    f: str | Path,
    *,
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
    opset_version: int | None = None,
    dynamic_axes: DynamicAxes | None = None,
) -> Any:
    """Write ``model`` to the ONNX file ``f``; returns the ``onnx.ModelProto``.

    Args:
        model: a Module built from supported layers (Linear, Conv1d/2d, pooling,
            BatchNorm, LayerNorm, activations, Embedding, Sequential) or a ``GPT``.
        args: the example input, e.g. (N, C, H, W) float32 or (B, T) int64 token ids
            (or a one-element tuple of it).
        f: the file to write.
        input_names: the graph input's name (default ["input"]).
        output_names: the graph output's name (default ["output"]).
        opset_version: must be None or :data:`OPSET`, the opset the converters emit.
        dynamic_axes: {name: {axis: dim_name}} or {name: [axis, ...]}: dims left symbolic.

    Raises:
        ImportError: without the onnx package (``pip install 'scratchgrad[onnx]'``).
        OnnxExportError: for a module without a converter.
        ValueError: for another opset or several inputs.
    """
    x = args[0] if isinstance(args, tuple) else args
    if isinstance(args, tuple) and len(args) != 1:
        raise ValueError(f"onnx.export: one input tensor is supported, got {len(args)}")
    if opset_version not in (None, OPSET):
        raise ValueError(f"onnx.export: opset_version must be {OPSET}, got {opset_version}")
    in_name = (input_names or ["input"])[0]
    out_name = (output_names or ["output"])[0]
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            y = _forward(model, x)
        g = GraphBuilder(_float_dtype(model))
        g.rename(layers.emit(g, model, in_name), out_name)
    finally:
        model.train(was_training)
    proto = _model_proto(g, x, y, in_name, out_name, dynamic_axes or {})
    g.onnx.save(proto, str(f))
    return proto


def _model_proto(
    g: GraphBuilder, x: Tensor, y: Tensor, in_name: str, out_name: str, dynamic: DynamicAxes
) -> Any:
    """The checked ModelProto of the graph ``g`` built from input x to output y."""
    onnx = g.onnx
    graph = onnx.helper.make_graph(
        g.nodes,
        "scratchgrad",
        [_value_info(onnx, in_name, x, dynamic)],
        [_value_info(onnx, out_name, y, dynamic)],
        initializer=g.initializers,
    )
    proto = onnx.helper.make_model(
        graph,
        opset_imports=[onnx.helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
        producer_name="scratchgrad",
    )
    onnx.checker.check_model(proto, full_check=True)
    return proto
