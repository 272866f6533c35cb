"""Containers of parameters, as ``torch.nn``: ParameterList and ParameterDict.

Each entry is registered as a parameter of the container (named "0", "1", ... or by its
key), so ``parameters()``, ``state_dict()`` and optimizers find it. A plain tensor given
to either becomes a :class:`Parameter`, as in PyTorch.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from scratchgrad.nn.module import Module
from scratchgrad.nn.parameter import Parameter
from scratchgrad.tensor import Tensor


def _as_parameter(value: Any) -> Any:
    """A tensor that is not yet a Parameter becomes one; anything else is kept."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value)
    return value


def _describe(value: Any) -> str:
    """``Parameter containing: [float32 of size 3x4]``, or the repr of a non-tensor."""
    if not isinstance(value, Tensor):
        return repr(value)
    kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
    size = "x".join(str(s) for s in value.shape)
    return f"{kind} containing: [{value.dtype} of size {size}]"


def _entries_repr(name: str, entries: Iterable[tuple[str, Any]]) -> str:
    lines = [f"    ({key}): {_describe(v)}" for key, v in entries]
    return f"{name}(\n" + "\n".join(lines) + "\n)" if lines else f"{name}()"


class ParameterList(Module):
    """A list of parameters, each registered under its position ("0", "1", ...).

    Args:
        values: the initial parameters (tensors become Parameters).

    >>> import scratchgrad as sg
    >>> params = ParameterList([sg.zeros(2), sg.ones(3)])
    >>> [name for name, _ in params.named_parameters()]
    ['0', '1']
    """

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        self._size = 0
        if values is not None:
            self.extend(values)

    def _index(self, idx: int) -> int:
        if not -self._size <= idx < self._size:
            raise IndexError(f"index {idx} is out of range")
        return idx % self._size if self._size else idx

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            return ParameterList([self[i] for i in range(self._size)[idx]])
        return getattr(self, str(self._index(idx)))

    def __setitem__(self, idx: int, value: Any) -> None:
        setattr(self, str(self._index(idx)), _as_parameter(value))

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(self._size))

    def __iadd__(self, values: Iterable[Any]) -> ParameterList:
        return self.extend(values)

    def append(self, value: Any) -> ParameterList:
        """Add a parameter at the end; returns self."""
        self._size += 1
        self[self._size - 1] = value
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        """Add several parameters at the end; returns self.

        Raises:
            TypeError: if ``values`` is not iterable (or is a single tensor).
        """
        if not isinstance(values, Iterable) or isinstance(values, Tensor):
            raise TypeError(
                f"ParameterList.extend should be called with an iterable, but got "
                f"{type(values).__name__}"
            )
        for v in values:
            self.append(v)
        return self

    def __repr__(self) -> str:
        """As PyTorch: one line per parameter, ``(0): Parameter containing: [...]``."""
        return _entries_repr("ParameterList", ((str(i), v) for i, v in enumerate(self)))


class ParameterDict(Module):
    """A dict of parameters, each registered under its key, in order (see ``update``).

    Args:
        parameters: a mapping or an iterable of (key, parameter) pairs.

    >>> import scratchgrad as sg
    >>> params = ParameterDict({"scale": sg.ones(2)})
    >>> list(params.state_dict())
    ['scale']
    """

    def __init__(
        self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None
    ) -> None:
        super().__init__()
        self._keys: dict[str, None] = {}
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys:
            raise KeyError(key)
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        if not isinstance(key, str):
            raise TypeError(f"ParameterDict keys must be strings, got {type(key).__name__}")
        setattr(self, key, _as_parameter(value))
        self._keys[key] = None

    def __delitem__(self, key: str) -> None:
        del self._keys[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._keys))

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def keys(self) -> list[str]:
        """The keys, in insertion order."""
        return list(self._keys)

    def values(self) -> list[Any]:
        """The parameters, in insertion order."""
        return [self[k] for k in self._keys]

    def items(self) -> list[tuple[str, Any]]:
        """(key, parameter) pairs, in insertion order."""
        return [(k, self[k]) for k in self._keys]

    def get(self, key: str, default: Any = None) -> Any:
        """The parameter at ``key``, or ``default``."""
        return self[key] if key in self._keys else default

    def pop(self, key: str) -> Any:
        """Remove the parameter at ``key`` and return it."""
        value = self[key]
        del self[key]
        return value

    def clear(self) -> None:
        """Remove every parameter."""
        for key in list(self._keys):
            del self[key]

    def update(self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
        """Add or replace parameters from a mapping or (key, parameter) pairs.

        A plain mapping's keys are added sorted (PyTorch's rule); an OrderedDict, a
        ParameterDict or pairs keep their order.
        """
        if isinstance(parameters, OrderedDict | ParameterDict):
            pairs: Iterable[tuple[str, Any]] = list(parameters.items())
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items())
        else:
            pairs = parameters
        for key, value in pairs:
            self[key] = value

    def __repr__(self) -> str:
        """As PyTorch: one line per parameter, ``(key): Parameter containing: [...]``."""
        return _entries_repr("ParameterDict", self.items())


__all__ = ["ParameterDict", "ParameterList"]
