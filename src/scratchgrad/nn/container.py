"""Containers: Sequential, ModuleList, ModuleDict, as in ``torch.nn``.

Their submodules are registered, so ``parameters()``, ``state_dict()``, ``train()`` and
the other Module methods see them; keys are "0", "1", ... for the sequences.
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import Any, TypeVar, overload

from scratchgrad.nn.module import Module

Q = TypeVar("Q", bound="_ModuleSequence")
S = TypeVar("S", bound="Sequential")
L = TypeVar("L", bound="ModuleList")


def _abs_index(idx: int, n: int) -> int:
    """``idx`` (negative counts from the end) as an index into ``n`` items.

    Raises:
        IndexError: if ``idx`` is outside [-n, n).
    """
    idx = operator.index(idx)
    if not -n <= idx < n:
        raise IndexError(f"index {idx} is out of range")
    return idx % n


class _ModuleSequence(Module):
    """Shared by Sequential and ModuleList: modules in order, numbered "0", "1", ..."""

    def __delitem__(self, idx: int | slice) -> None:
        keys = list(self._modules)
        for key in keys[idx] if isinstance(idx, slice) else [keys[_abs_index(idx, len(keys))]]:
            delattr(self, key)
        self._renumber(self)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())  # type: ignore[arg-type]

    def append(self: Q, module: Module) -> Q:
        """Add a module at the end; returns self."""
        self.add_module(str(len(self)), module)
        return self

    def _renumber(self, modules: Iterable[Module | None]) -> None:
        """Hold ``modules``, in order, under the keys "0", "1", ..."""
        self._replace_modules([(str(i), m) for i, m in enumerate(modules)])


class Sequential(_ModuleSequence):
    """Modules applied one after another: ``Sequential(a, b)(x) == b(a(x))``.

    Args:
        *modules: the modules, named "0", "1", ...; or one OrderedDict of name -> module.

    >>> from scratchgrad.nn import Module
    >>> len(Sequential(Module(), Module())[1:])
    1
    """

    def __init__(self, *modules: Module | OrderedDict[str, Module]) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self.add_module(name, module)
        else:
            for i, m in enumerate(modules):
                self.add_module(str(i), m)  # type: ignore[arg-type]

    def forward(self, x: Any) -> Any:
        """Apply each module in turn: input -> module 0 -> module 1 -> ... -> output."""
        for m in self:
            x = m(x)
        return x

    @overload
    def __getitem__(self, idx: int) -> Module: ...

    @overload
    def __getitem__(self: S, idx: slice) -> S: ...

    def __getitem__(self, idx: int | slice) -> Module:
        items = list(self._modules.items())
        if isinstance(idx, slice):
            return type(self)(OrderedDict(items[idx]))  # type: ignore[arg-type]
        return items[_abs_index(idx, len(items))][1]  # type: ignore[return-value]

    def __setitem__(self, idx: int, module: Module) -> None:
        key = list(self._modules)[_abs_index(idx, len(self))]
        setattr(self, key, module)

    def __add__(self, other: Sequential) -> Sequential:
        if not isinstance(other, Sequential):
            raise ValueError(
                f"add operator supports only objects of Sequential class, but {type(other)} "
                "is given."
            )
        return Sequential(*self, *other)

    def __mul__(self, times: int) -> Sequential:
        if not isinstance(times, int):
            raise TypeError(f"unsupported operand type(s) for *: {type(self)} and {type(times)}")
        if times <= 0:
            raise ValueError(f"Non-positive multiplication factor {times} for {type(self)}")
        return Sequential(*(list(self) * times))

    __rmul__ = __mul__

    def __iadd__(self: S, other: Sequential) -> S:
        if not isinstance(other, Sequential):
            raise ValueError(
                f"add operator supports only objects of Sequential class, but {type(other)} "
                "is given."
            )
        return self.extend(list(other))

    def insert(self: S, index: int, module: Module) -> S:
        """Insert a module before position ``index`` (negative counts from the end).

        Raises:
            TypeError: if ``module`` is not a Module.
            IndexError: if ``index`` is outside [-len, len].
        """
        if not isinstance(module, Module):
            raise TypeError(f"module should be of type: {Module}")
        n = len(self)
        if not -n <= index <= n:
            raise IndexError(f"Index out of range: {index}")
        modules = list(self._modules.values())
        modules.insert(index + n if index < 0 else index, module)
        self._renumber(modules)
        return self

    def extend(self: S, modules: Iterable[Module]) -> S:
        """Add several modules at the end; returns self."""
        for m in modules:
            self.append(m)
        return self

    def pop(self, idx: int) -> Module:
        """Remove and return the module at ``idx``; the rest are renumbered."""
        m = self[idx]
        del self[idx]
        return m


class ModuleList(_ModuleSequence):
    """A list of modules, registered so their parameters are found.

    Args:
        modules: the initial modules.

    >>> from scratchgrad.nn import Module
    >>> layers = ModuleList([Module(), Module()])
    >>> layers.append(Module())[-1] is layers[2]
    True
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    @overload
    def __getitem__(self, idx: int) -> Module: ...

    @overload
    def __getitem__(self: L, idx: slice) -> L: ...

    def __getitem__(self, idx: int | slice) -> Module:
        values = list(self._modules.values())
        if isinstance(idx, slice):
            return type(self)(values[idx])  # type: ignore[arg-type]
        return values[_abs_index(idx, len(values))]  # type: ignore[return-value]

    def __setitem__(self, idx: int, module: Module) -> None:
        setattr(self, str(_abs_index(idx, len(self))), module)

    def __iadd__(self: L, modules: Iterable[Module]) -> L:
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        return ModuleList([*self, *other])

    def extend(self: L, modules: Iterable[Module]) -> L:
        """Add several modules at the end; returns self.

        Raises:
            TypeError: if ``modules`` is not iterable.
        """
        if not isinstance(modules, Iterable):
            raise TypeError(
                f"ModuleList.extend should be called with an iterable, but got "
                f"{type(modules).__name__}"
            )
        for m in modules:
            self.append(m)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Insert a module before position ``index``, as ``list.insert``."""
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._renumber(modules)

    def pop(self, idx: int = -1) -> Module:
        """Remove and return the module at ``idx``; the rest are renumbered."""
        m = self[idx]
        del self[idx]
        return m

    def __repr__(self) -> str:
        """As PyTorch: runs of identical modules are shown once, ``(0-2): 3 x Linear(...)``."""
        reprs = [repr(m) for m in self]
        if not reprs:
            return f"{type(self).__name__}()"
        lines = []
        start = 0
        for i in range(1, len(reprs) + 1):
            if i < len(reprs) and reprs[i] == reprs[start]:
                continue
            label = f"({start}): " if i - 1 == start else f"({start}-{i - 1}): {i - start} x "
            lines.append((label + reprs[start]).replace("\n", "\n  "))
            start = i
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"


class ModuleDict(Module):
    """A dict of modules, registered under their keys, in insertion order.

    Args:
        modules: a mapping of name -> module, or an iterable of (name, module) pairs.

    >>> from scratchgrad.nn import Module
    >>> heads = ModuleDict({"cls": Module()})
    >>> heads["box"] = Module()
    >>> list(heads)
    ['cls', 'box']
    """

    def __init__(
        self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None
    ) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]  # type: ignore[return-value]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        if key not in self._modules:
            raise KeyError(key)
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def keys(self) -> KeysView[str]:
        """The names."""
        return self._modules.keys()

    def items(self) -> ItemsView[str, Module]:
        """(name, module) pairs."""
        return self._modules.items()  # type: ignore[return-value]

    def values(self) -> ValuesView[Module]:
        """The modules."""
        return self._modules.values()  # type: ignore[return-value]

    def clear(self) -> None:
        """Remove every module."""
        self._replace_modules([])

    def pop(self, key: str) -> Module:
        """Remove and return the module under ``key``."""
        m = self[key]
        del self[key]
        return m

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add or replace modules from a mapping or an iterable of (name, module) pairs.

        Raises:
            TypeError: if ``modules`` or one of its elements is not iterable.
            ValueError: if an element is not a pair.
        """
        if not isinstance(modules, Iterable):
            raise TypeError(
                "ModuleDict.update should be called with an iterable of key/value pairs, "
                f"but got {type(modules).__name__}"
            )
        if isinstance(modules, Mapping | ModuleDict):
            for key, module in modules.items():
                self[key] = module
            return
        for j, pair in enumerate(modules):
            if not isinstance(pair, Iterable):
                raise TypeError(
                    f"ModuleDict update sequence element #{j} should be Iterable; is "
                    f"{type(pair).__name__}"
                )
            kv: tuple[Any, ...] = tuple(pair)
            if len(kv) != 2:
                raise ValueError(
                    f"ModuleDict update sequence element #{j} has length {len(kv)}; 2 is required"
                )
            self[kv[0]] = kv[1]


__all__ = ["ModuleDict", "ModuleList", "Sequential"]
