"""Copying a state dict into a model, reporting every problem at once.

``Module.load_state_dict`` describes the model as a list of :class:`ModuleState`, one per
module in PyTorch's load order (depth first, shared modules once per path), and
:func:`load_into` checks every key against it before copying anything: a failed load
leaves the model as it was. Keys and messages follow PyTorch's ``load_state_dict``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from scratchgrad.autograd import no_grad
from scratchgrad.backend import Array, xp
from scratchgrad.tensor import Tensor


class IncompatibleKeys(NamedTuple):
    """The keys ``load_state_dict`` did not find in the state dict, or did not expect."""

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"IncompatibleKeys(missing_keys={self.missing_keys}, "
            f"unexpected_keys={self.unexpected_keys})"
        )

    def __str__(self) -> str:
        return self.__repr__()


class ModuleState(NamedTuple):
    """One module as ``load_state_dict`` sees it.

    Attributes:
        prefix: the module's path followed by a dot ("" for the root, "features.3.").
        tensors: its own parameters and persistent buffers that are not None, by name.
        children: the names of its submodule slots (including slots holding None).
    """

    prefix: str
    tensors: dict[str, Tensor]
    children: frozenset[str]


class _Report:
    """What a load found: missing and unexpected keys, other errors, pending copies."""

    def __init__(self) -> None:
        self.missing: list[str] = []
        self.unexpected: list[str] = []
        self.errors: list[str] = []
        self.copies: list[tuple[Tensor, Array]] = []


def _source(key: str, own: Tensor, value: Any, report: _Report) -> Array | None:
    """The array to copy into ``own``, or None after recording why it cannot be copied."""
    if not isinstance(value, Tensor | xp.ndarray):
        report.errors.append(
            f'While copying the parameter named "{key}", expected Tensor or array from '
            f"checkpoint but received {type(value)}"
        )
        return None
    src: Array = value.array if isinstance(value, Tensor) else value
    if own.ndim == 0 and src.shape == (1,):  # as PyTorch: a (1,) tensor fills a scalar
        src = src.reshape(())
    if src.shape != own.shape:
        report.errors.append(
            f"size mismatch for {key}: copying a param with shape {src.shape} from "
            f"checkpoint, the shape in current model is {own.shape}."
        )
        return None
    if not xp.can_cast(src.dtype, own.dtype, casting="same_kind"):
        report.errors.append(
            f"dtype mismatch for {key}: copying a param with dtype {src.dtype} from "
            f"checkpoint, the dtype in current model is {own.dtype}."
        )
        return None
    return src


def _check_module(node: ModuleState, given: Mapping[str, Any], report: _Report) -> None:
    """Record this module's missing keys, unexpected keys, mismatches and copies."""
    for name, own in node.tensors.items():
        key = node.prefix + name
        if key not in given:
            report.missing.append(key)
            continue
        src = _source(key, own, given[key], report)
        if src is not None:
            report.copies.append((own, src))
    for key in given:
        if not key.startswith(node.prefix):
            continue
        head, dot, _ = key[len(node.prefix) :].partition(".")
        known = node.children if dot else node.tensors
        if head not in known:
            report.unexpected.append(key)


def _quoted(keys: list[str]) -> str:
    return ", ".join(f'"{k}"' for k in keys)


def load_into(
    layout: list[ModuleState], given: Mapping[str, Any], strict: bool, owner: str
) -> IncompatibleKeys:
    """Copy ``given`` tensors into the model described by ``layout``.

    Args:
        layout: every module in load order, as built by ``Module.load_state_dict``.
        given: key -> Tensor or NumPy array, as from ``state_dict()`` or a weight file.
        strict: raise when keys are missing or unexpected.
        owner: the model's class name, for the error message.

    Returns:
        The missing and unexpected keys (collected whether or not ``strict``).

    Raises:
        TypeError: if ``given`` is not a mapping.
        RuntimeError: listing, all at once, the missing and unexpected keys (when
            strict) and every value of the wrong type, shape or dtype. Nothing is copied
            unless every check passes.
    """
    if not isinstance(given, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(given)}.")
    report = _Report()
    for node in layout:
        _check_module(node, given, report)
    errors = report.errors
    if strict and report.unexpected:
        errors.insert(0, f"Unexpected key(s) in state_dict: {_quoted(report.unexpected)}. ")
    if strict and report.missing:
        errors.insert(0, f"Missing key(s) in state_dict: {_quoted(report.missing)}. ")
    if errors:
        raise RuntimeError(f"Error(s) in loading state_dict for {owner}:\n\t" + "\n\t".join(errors))
    with no_grad():
        for own, src in report.copies:
            xp.copyto(own.array, src, casting="same_kind")
    return IncompatibleKeys(report.missing, report.unexpected)


__all__ = ["IncompatibleKeys", "ModuleState", "load_into"]
