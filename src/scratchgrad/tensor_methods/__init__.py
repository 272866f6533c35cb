"""Tensor's methods, one mixin class per op family, each method a call to its op.

:class:`~scratchgrad.tensor.Tensor` inherits them all, so ``x.sum(1)`` is
:class:`~scratchgrad.tensor_methods.reduce.ReduceMethods`'s ``sum``, which calls
:func:`scratchgrad.ops.reduce.sum`. The ops import ``Tensor``, so they load after it:
:func:`bind_ops`, called once at the end of ``scratchgrad/tensor.py``, hands each method
module the op families it calls.
"""

from __future__ import annotations

from scratchgrad.tensor_methods import (
    arithmetic,
    compare,
    convert,
    index,
    linalg,
    math,
    operators,
    reduce,
    sampling,
    shape,
)
from scratchgrad.tensor_methods.arithmetic import ArithmeticMethods
from scratchgrad.tensor_methods.compare import CompareMethods
from scratchgrad.tensor_methods.convert import ConvertMethods
from scratchgrad.tensor_methods.index import IndexMethods
from scratchgrad.tensor_methods.linalg import LinalgMethods
from scratchgrad.tensor_methods.math import MathMethods
from scratchgrad.tensor_methods.operators import OperatorMethods
from scratchgrad.tensor_methods.reduce import ReduceMethods
from scratchgrad.tensor_methods.sampling import SamplingMethods
from scratchgrad.tensor_methods.shape import ShapeMethods

_MODULES = (arithmetic, compare, convert, index, linalg, math, operators, reduce, sampling, shape)


def bind_ops() -> None:
    """Give every method module the ops it calls, and Tensor (imported here, after Tensor)."""
    from scratchgrad import sampling as ops_sampling
    from scratchgrad.ops import elementwise as ops_elementwise
    from scratchgrad.ops import index as ops_index
    from scratchgrad.ops import linalg as ops_linalg
    from scratchgrad.ops import neural as ops_neural
    from scratchgrad.ops import reduce as ops_reduce
    from scratchgrad.ops import shape as ops_shape
    from scratchgrad.ops.elementwise._dispatch import _binary
    from scratchgrad.ops.elementwise.arithmetic import Add, Mul, Sub
    from scratchgrad.tensor import Tensor

    ops: dict[str, object] = {
        "_elementwise": ops_elementwise,
        "_index": ops_index,
        "_linalg": ops_linalg,
    }
    ops |= {"_neural": ops_neural, "_reduce": ops_reduce, "_shape": ops_shape}
    ops |= {"_sampling": ops_sampling, "_binary": _binary, "Add": Add, "Mul": Mul, "Sub": Sub}
    ops["Tensor"] = Tensor
    for module in _MODULES:
        vars(module).update(ops)


__all__ = [
    "ArithmeticMethods",
    "CompareMethods",
    "ConvertMethods",
    "IndexMethods",
    "LinalgMethods",
    "MathMethods",
    "OperatorMethods",
    "ReduceMethods",
    "SamplingMethods",
    "ShapeMethods",
    "bind_ops",
]
