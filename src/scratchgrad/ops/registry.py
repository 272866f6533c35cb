"""The op registry: every differentiable operation, by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from scratchgrad.autograd import Function

OPS: dict[str, type[Function]] = {}


T = TypeVar("T", bound=type[Function])


def register(name: str) -> Callable[[T], T]:
    """Class decorator: record a Function subclass in ``OPS`` under ``name``.

    Raises:
        ValueError: if the name is taken.
    """

    def deco(cls: T) -> T:
        if name in OPS:
            raise ValueError(f"register: op name {name!r} is already taken by {OPS[name]}")
        cls.name = name
        OPS[name] = cls
        return cls

    return deco


__all__ = ["register"]
