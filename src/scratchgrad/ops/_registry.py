"""The op registry: every differentiable operation, by name.

``@register("exp")`` on a :class:`~scratchgrad.autograd.Function` subclass records it in
``OPS``. The parity tests walk this table, so an op without a reference test fails
``test_every_op_has_a_parity_case``; ``docs/ops.md`` is generated from it.
"""

from collections.abc import Callable
from typing import TypeVar

from scratchgrad.autograd import Function

OPS: dict[str, type[Function]] = {}
"""Every registered op class, by name."""

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


__all__ = ["OPS", "register"]
