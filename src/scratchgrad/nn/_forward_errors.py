"""Errors raised in a forward pass: a note names the module's path and its inputs.

``Module.__call__`` keeps the modules whose forward is running (:func:`call_stack`) and
lets :func:`explain` add a note (PEP 678) to an exception on its way out, as
``in features.3 (Conv2d), called with input shapes [(8, 3, 28, 28)]``. The exception's
own ``args`` are never changed, so code that catches it by type or reads its message
sees what the failing op raised, as in PyTorch.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, NamedTuple

from scratchgrad.backend import xp
from scratchgrad.tensor import Tensor

if TYPE_CHECKING:
    from scratchgrad.nn.module import Module

_local = threading.local()


def call_stack() -> list[Module]:
    """The modules whose forward is running in this thread, outermost first."""
    try:
        stack: list[Module] = _local.stack
    except AttributeError:
        stack = _local.stack = []
    return stack


class _Origin(NamedTuple):
    """Where an exception was first seen: the call chain and the culprit's inputs."""

    chain: tuple[Module, ...]
    shapes: str


def _describe(value: Any) -> str:
    if isinstance(value, Tensor | xp.ndarray):
        return str(tuple(value.shape))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_describe(v) for v in value) + "]"
    return type(value).__name__


def explain(e: Exception, stack: list[Module], args: tuple[Any, ...], kw: dict[str, Any]) -> None:
    """Note on ``e`` the failing module's path below ``stack[-1]`` and its inputs.

    The innermost module records the call chain and its inputs; each enclosing module the
    exception passes through replaces the note with one relative to itself, so at the top
    it reads ``in features.3 (Conv2d), called with input shapes [(8, 3, 28, 28)]``.
    Raised again outside the call chain it came from, it is described from the module it
    passes through first. ``e.args`` is left as it is.
    """
    origin: _Origin | None = getattr(e, "_sg_origin", None)
    depth = len(stack) - 1
    if origin is None or not _continues(origin.chain, stack):
        inputs = [_describe(a) for a in args] + [f"{k}={_describe(v)}" for k, v in kw.items()]
        origin = _Origin(tuple(stack), "[" + ", ".join(inputs) + "]")
        e._sg_origin = origin  # type: ignore[attr-defined]
    culprit = origin.chain[-1]
    path = _path(origin.chain[depth:])
    where = f"{path} ({type(culprit).__name__})" if path else type(culprit).__name__
    note = f"in {where}, called with input shapes {origin.shapes}"
    notes: list[str] = getattr(e, "__notes__", [])
    previous: str | None = getattr(e, "_sg_note", None)
    if previous in notes:
        notes.remove(previous)
    e.add_note(note)
    e._sg_note = note  # type: ignore[attr-defined]


def _continues(chain: tuple[Module, ...], stack: list[Module]) -> bool:
    """Whether an exception first seen at ``chain`` is propagating up through ``stack``."""
    return len(chain) >= len(stack) and all(a is b for a, b in zip(chain, stack, strict=False))


def _path(chain: tuple[Module, ...]) -> str:
    """Dotted path of chain[-1] inside chain[0], each module called by the one before."""
    parts: list[str] = []
    for parent, child in zip(chain, chain[1:], strict=False):
        if child is not parent:  # a module calling itself adds nothing to the path
            parts.append(_child_name(parent, child))
    return ".".join(parts)


def _child_name(parent: Module, child: Module) -> str:
    for name, m in parent._modules.items():
        if m is child:
            return name
    for name, m in parent.named_modules():  # called a grandchild directly
        if m is child and name:
            return name
    return f"<{type(child).__name__}>"  # a module that is not registered in ``parent``
