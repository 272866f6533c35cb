"""Parameter and Buffer: tensors that a Module registers when they are assigned to it.

A :class:`Parameter` is learnable: ``Module.parameters()`` yields it and it is saved in
the state dict. A :class:`Buffer` is state that is saved but not trained (BatchNorm's
running mean); ``persistent=False`` keeps it out of the state dict.
"""

from __future__ import annotations

from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import get_default_dtype
from scratchgrad.tensor import Tensor


def _array(data: Tensor | Array | None) -> Array:
    if data is None:
        return xp.empty(0, get_default_dtype())
    return data.array if isinstance(data, Tensor) else xp.asarray(data)


class Parameter(Tensor):
    """A leaf tensor that requires grad and is registered by ``Module.__setattr__``.

    Args:
        data: a tensor or array, shape any; its memory is shared, not copied. None gives
            an empty float tensor, shape (0,).
        requires_grad: False for a frozen parameter.

    Raises:
        RuntimeError: if ``requires_grad`` and the data is not floating point.

    >>> import scratchgrad as sg
    >>> p = Parameter(sg.zeros(2))
    >>> p.requires_grad, p.is_leaf
    (True, True)
    """

    __slots__ = ()

    def __init__(self, data: Tensor | Array | None = None, requires_grad: bool = True) -> None:
        super().__init__(_array(data), requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Buffer(Tensor):
    """A tensor a Module saves in its state dict but does not train (running statistics).

    Assigning a Buffer to a module attribute registers it, as ``register_buffer`` does.

    Args:
        data: a tensor or array, shape any; memory shared. None gives shape (0,).
        persistent: whether the buffer is part of the module's state dict.

    >>> import scratchgrad as sg
    >>> Buffer(sg.zeros(3), persistent=False).persistent
    False
    """

    __slots__ = ("persistent",)

    def __init__(self, data: Tensor | Array | None = None, *, persistent: bool = True) -> None:
        super().__init__(
            _array(data), requires_grad=isinstance(data, Tensor) and data.requires_grad
        )
        self.persistent = persistent


__all__ = ["Buffer", "Parameter"]
