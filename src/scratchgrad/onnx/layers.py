"""ONNX converters for the layers of ``scratchgrad.nn``, one small function per layer type.

``@converts(nn.Linear)`` registers a function ``(g, module, x) -> y``: it emits the nodes
of the module's eval-mode forward on the value named ``x`` and returns the output's name.
:func:`emit` finds a module's converter along its class's MRO. Shapes follow the layers:
Linear works on (*, in), Conv2d and pooling on (N, C, H, W).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar

from scratchgrad.errors import OnnxExportError
from scratchgrad.nn import activation as act
from scratchgrad.nn.container import Sequential
from scratchgrad.nn.conv import Conv1d, Conv2d
from scratchgrad.nn.linear import Dropout, Embedding, Flatten, Identity, Linear
from scratchgrad.nn.module import Module
from scratchgrad.nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from scratchgrad.nn.pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from scratchgrad.onnx.graph import GraphBuilder

Converter = Callable[[GraphBuilder, Any, str], str]
CONVERTERS: dict[type, Converter] = {}
F = TypeVar("F", bound=Callable[..., str])


def converts(*types: type) -> Callable[[F], F]:
    """Register the decorated function as the converter of ``types``."""

    def register(fn: F) -> F:
        for t in types:
            CONVERTERS[t] = fn
        return fn

    return register


def emit(g: GraphBuilder, module: Module, x: str) -> str:
    """Emit ``module``'s forward on value ``x``; returns the output value's name.

    Raises:
        OnnxExportError: for a module type without a converter, naming it.
    """
    for cls in type(module).__mro__:
        if cls in CONVERTERS:
            return CONVERTERS[cls](g, module, x)
    known = ", ".join(sorted(t.__name__ for t in CONVERTERS))
    raise OnnxExportError(
        f"onnx.export: no converter for {type(module).__name__}; supported modules: {known}"
    )


def _pair(v: Any) -> list[int]:
    return [int(i) for i in v] if isinstance(v, tuple | list) else [int(v), int(v)]


@converts(Sequential)
def _sequential(g: GraphBuilder, m: Sequential, x: str) -> str:
    for child in m:
        x = emit(g, child, x)
    return x


@converts(Linear)
def _linear(g: GraphBuilder, m: Linear, x: str) -> str:
    y = g.op("MatMul", [x, g.weight(m.weight.T, "linear_wT")])
    return y if m.bias is None else g.op("Add", [y, g.weight(m.bias, "linear_b")])


@converts(Conv1d, Conv2d)
def _conv(g: GraphBuilder, m: Any, x: str) -> str:
    if m.padding_mode != "zeros":
        raise OnnxExportError(f"onnx.export: Conv padding_mode {m.padding_mode!r} (only 'zeros')")
    rev = list(m._reversed_padding_repeated_twice)  # (last_lo, last_hi, ..., first_lo, first_hi)
    begins, ends = rev[0::2][::-1], rev[1::2][::-1]
    inputs = [x, g.weight(m.weight, "conv_w")]
    if m.bias is not None:
        inputs.append(g.weight(m.bias, "conv_b"))
    return g.op(
        "Conv",
        inputs,
        kernel_shape=list(m.kernel_size),
        strides=list(m.stride),
        dilations=list(m.dilation),
        pads=[int(p) for p in begins + ends],
        group=int(m.groups),
    )


@converts(MaxPool2d)
def _max_pool(g: GraphBuilder, m: MaxPool2d, x: str) -> str:
    if m.return_indices:
        raise OnnxExportError("onnx.export: MaxPool2d(return_indices=True) is not supported")
    pads = _pair(m.padding)
    return g.op(
        "MaxPool",
        [x],
        kernel_shape=_pair(m.kernel_size),
        strides=_pair(m.stride),
        dilations=_pair(m.dilation),
        pads=pads + pads,
        ceil_mode=int(m.ceil_mode),
    )


@converts(AvgPool2d)
def _avg_pool(g: GraphBuilder, m: AvgPool2d, x: str) -> str:
    if m.divisor_override is not None:
        raise OnnxExportError("onnx.export: AvgPool2d(divisor_override=...) is not supported")
    pads = _pair(m.padding)
    return g.op(
        "AveragePool",
        [x],
        kernel_shape=_pair(m.kernel_size),
        strides=_pair(m.stride),
        pads=pads + pads,
        ceil_mode=int(m.ceil_mode),
        count_include_pad=int(m.count_include_pad),
    )


@converts(AdaptiveAvgPool2d)
def _adaptive_avg_pool(g: GraphBuilder, m: AdaptiveAvgPool2d, x: str) -> str:
    if _pair(m.output_size) != [1, 1]:
        raise OnnxExportError("onnx.export: AdaptiveAvgPool2d only with output_size 1")
    return g.op("GlobalAveragePool", [x])


@converts(BatchNorm1d, BatchNorm2d)
def _batch_norm(g: GraphBuilder, m: Any, x: str) -> str:
    if m.running_mean is None:
        raise OnnxExportError("onnx.export: BatchNorm without running statistics")
    from scratchgrad.creation import ones, zeros

    n = m.num_features
    scale = m.weight if m.affine else ones(n)
    bias = m.bias if m.affine else zeros(n)
    names = [g.weight(t, "bn") for t in (scale, bias, m.running_mean, m.running_var)]
    return g.op("BatchNormalization", [x, *names], epsilon=float(m.eps))


@converts(LayerNorm)
def _layer_norm(g: GraphBuilder, m: LayerNorm, x: str) -> str:
    from scratchgrad.creation import ones

    scale = m.weight if m.weight is not None else ones(*m.normalized_shape)
    inputs = [x, g.weight(scale, "ln_w")]
    if m.bias is not None:
        inputs.append(g.weight(m.bias, "ln_b"))
    axis = -len(m.normalized_shape)
    return g.op("LayerNormalization", inputs, axis=axis, epsilon=float(m.eps))


@converts(Embedding)
def _embedding(g: GraphBuilder, m: Embedding, x: str) -> str:
    return g.op("Gather", [g.weight(m.weight, "emb"), x], axis=0)


@converts(Flatten)
def _flatten(g: GraphBuilder, m: Flatten, x: str) -> str:
    if m.start_dim != 1 or m.end_dim != -1:
        raise OnnxExportError("onnx.export: Flatten only with start_dim=1, end_dim=-1")
    return g.op("Flatten", [x], axis=1)


@converts(Identity, Dropout)
def _identity(g: GraphBuilder, m: Module, x: str) -> str:
    return x  # dropout is the identity in eval mode


_SIMPLE = {act.ReLU: "Relu", act.Tanh: "Tanh", act.Sigmoid: "Sigmoid", act.Softsign: "Softsign"}


@converts(*_SIMPLE)
def _simple(g: GraphBuilder, m: Module, x: str) -> str:
    return g.op(_SIMPLE[type(m)], [x])


@converts(act.LeakyReLU)
def _leaky_relu(g: GraphBuilder, m: act.LeakyReLU, x: str) -> str:
    return g.op("LeakyRelu", [x], alpha=float(m.negative_slope))


@converts(act.ELU)
def _elu(g: GraphBuilder, m: act.ELU, x: str) -> str:
    return g.op("Elu", [x], alpha=float(m.alpha))


@converts(act.SiLU)
def _silu(g: GraphBuilder, m: act.SiLU, x: str) -> str:
    return g.op("Mul", [x, g.op("Sigmoid", [x])])


@converts(act.GELU)
def _gelu(g: GraphBuilder, m: act.GELU, x: str) -> str:
    """0.5 x (1 + erf(x / sqrt 2)), or the tanh form for ``approximate="tanh"``."""
    if m.approximate == "tanh":
        cube = g.op("Mul", [g.op("Mul", [x, x]), x])
        inner = g.op("Add", [x, g.op("Mul", [cube, g.const(0.044715)])])
        core = g.op("Tanh", [g.op("Mul", [inner, g.const(math.sqrt(2 / math.pi))])])
    else:
        core = g.op("Erf", [g.op("Mul", [x, g.const(1 / math.sqrt(2))])])
    half_x = g.op("Mul", [x, g.const(0.5)])
    return g.op("Mul", [half_x, g.op("Add", [core, g.const(1.0)])])


@converts(act.Softmax, act.LogSoftmax)
def _softmax(g: GraphBuilder, m: Any, x: str) -> str:
    if m.dim is None:
        raise OnnxExportError(f"onnx.export: {type(m).__name__} needs an explicit dim")
    op = "Softmax" if isinstance(m, act.Softmax) else "LogSoftmax"
    return g.op(op, [x], axis=int(m.dim))
