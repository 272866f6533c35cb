"""Reverse-mode automatic differentiation.

- ``function``: :class:`Function`, one node of the graph (forward and backward side by
  side), :class:`MultiOutputFunction` for ops with several outputs, and PyTorch's way of
  writing one (staticmethods on tensors with a :class:`FunctionCtx`,
  :func:`once_differentiable`);
- ``engine``: :func:`backward` (reverse topological order, gradients summed where they
  meet, :func:`unbroadcast` in one place for every op), :func:`grad` (gradients
  returned, ``.grad`` untouched), :func:`register_hook` and :func:`retain_grad`;
- ``grad_mode``: ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``is_grad_enabled``;
- ``gradcheck``: backward against central finite differences.

This module is the package's one export list.
"""

from scratchgrad.autograd.engine import (
    RemovableHandle,
    backward,
    grad,
    register_hook,
    retain_grad,
    unbroadcast,
)
from scratchgrad.autograd.function import (
    Function,
    FunctionCtx,
    MultiOutputFunction,
    once_differentiable,
)
from scratchgrad.autograd.grad_mode import (
    enable_grad,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from scratchgrad.autograd.gradcheck import gradcheck
from scratchgrad.errors import GradcheckError

__all__ = [
    "Function",
    "FunctionCtx",
    "GradcheckError",
    "MultiOutputFunction",
    "RemovableHandle",
    "backward",
    "enable_grad",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "once_differentiable",
    "register_hook",
    "retain_grad",
    "set_grad_enabled",
    "unbroadcast",
]
