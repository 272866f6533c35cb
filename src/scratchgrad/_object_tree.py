"""Nested Python objects as a JSON tree plus named arrays: how ``save`` stores checkpoints.

A checkpoint such as ``{"model": model.state_dict(), "optim": opt.state_dict(),
"epoch": 3}`` is split into a JSON tree (the containers, numbers and strings) and a flat
``name -> array`` dict (the tensors), which a safetensors file holds; the tree goes into
the file's metadata. Loading runs no code from the file: the tree is JSON, the arrays
are bytes.

Tree nodes:
    ``null``, ``true``/``false``, integers, finite floats, strings: themselves;
    ``{"float": "nan" | "inf" | "-inf"}``;
    ``{"list": [node, ...]}``, ``{"tuple": [node, ...]}``;
    ``{"dict": [[key, node], ...]}``, keys str, int, float, bool or None (order kept);
    ``{"tensor": name}``, with ``"requires_grad": true`` and ``"parameter": true`` when so;
    ``{"ndarray": name}``, with ``"scalar": true`` for a NumPy scalar (``np.int64(3)``).

The same Tensor object reached twice (tied weights) is stored once and comes back as
one object. Tensors that merely share memory (views of one another) are stored as
separate copies.

>>> import scratchgrad as sg
>>> tree, arrays = flatten({"step": 3, "w": sg.ones(2)})
>>> tree
{'dict': [['step', 3], ['w', {'tensor': 'w'}]]}
>>> unflatten(tree, {k: t.array for k, t in arrays.items()})["w"].tolist()
[1.0, 1.0]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from scratchgrad.backend import Array, xp
from scratchgrad.nn.module import Module
from scratchgrad.nn.parameter import Parameter
from scratchgrad.tensor import Tensor

_CONTAINERS = ("list", "tuple", "dict")
_SPECIAL_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def path_text(path: tuple[object, ...]) -> str:
    """``("opt", "state", 0)`` as ``obj['opt']['state'][0]``, for error messages."""
    return "obj" + "".join(f"[{k!r}]" for k in path)


def _refusal(obj: object, path: tuple[object, ...]) -> str:
    where, kind = path_text(path), type(obj).__name__
    if isinstance(obj, Module):
        return (
            f"save: {where} is a whole Module ({kind}); scratchgrad saves no code or "
            "classes, only data: save model.state_dict() and restore it into a new model "
            "with model.load_state_dict(...)"
        )
    if callable(getattr(obj, "state_dict", None)):
        return f"save: {where} is an object of type {kind}; save its .state_dict() instead"
    return (
        f"save: cannot save {where} (type {kind}): a checkpoint holds tensors, NumPy arrays, "
        "numbers, strings, None, and lists, tuples and dicts of them"
    )


class _Flattener:
    """One walk over an object: the tree it returns and the tensors it collects."""

    def __init__(self) -> None:
        self.arrays: dict[str, Tensor | Array] = {}
        self.names: dict[int, str] = {}  # id(tensor) -> name: a tensor reached twice
        self.open: set[int] = set()  # containers on the current path: cycles

    def node(self, obj: object, path: tuple[object, ...]) -> Any:
        if obj is None or isinstance(obj, bool | int | str):
            return obj
        if isinstance(obj, float):
            return obj if math.isfinite(obj) else {"float": repr(obj)}
        if isinstance(obj, Tensor):
            node: dict[str, object] = {"tensor": self.name(obj, path)}
            if obj.requires_grad:
                node["requires_grad"] = True
            if isinstance(obj, Parameter):
                node["parameter"] = True
            return node
        if isinstance(obj, xp.ndarray):
            return {"ndarray": self.name(obj, path)}
        if isinstance(obj, xp.generic):
            return {"ndarray": self.name(xp.asarray(obj), path), "scalar": True}
        if isinstance(obj, list | tuple | dict):
            return self.container(obj, path)
        raise TypeError(_refusal(obj, path))

    def name(self, value: Tensor | Array, path: tuple[object, ...]) -> str:
        if id(value) in self.names:
            return self.names[id(value)]
        base = "/".join(map(str, path)) or "obj"
        name, n = base, 1
        while name in self.arrays:
            n += 1
            name = f"{base}#{n}"
        self.arrays[name] = value
        self.names[id(value)] = name
        return name

    def container(
        self, obj: list[Any] | tuple[Any, ...] | dict[Any, Any], path: tuple[object, ...]
    ) -> Any:
        if id(obj) in self.open:
            raise ValueError(f"save: {path_text(path)} contains itself")
        self.open.add(id(obj))
        if isinstance(obj, dict):
            node: Any = {
                "dict": [[self.key(k, path), self.node(v, (*path, k))] for k, v in obj.items()]
            }
        else:
            tag = "list" if isinstance(obj, list) else "tuple"
            node = {tag: [self.node(v, (*path, i)) for i, v in enumerate(obj)]}
        self.open.discard(id(obj))
        return node

    def key(self, key: object, path: tuple[object, ...]) -> Any:
        if key is None or isinstance(key, bool | int | str | float):
            return self.node(key, path)
        raise TypeError(
            f"save: {path_text(path)} has a key of type {type(key).__name__} ({key!r}); "
            "dict keys must be str, int, float, bool or None"
        )


def flatten(obj: object) -> tuple[Any, dict[str, Tensor | Array]]:
    """Split ``obj`` into a JSON-able tree and the tensors and arrays it refers to.

    Args:
        obj: nested dicts, lists and tuples of tensors, NumPy arrays and scalars, Python
            numbers, strings and None.

    Returns:
        ``(tree, arrays)``: the tree (see the module docstring) and name -> tensor/array,
        each name the path of its first occurrence, such as ``optim/state/0/exp_avg``.

    Raises:
        TypeError: for a value of another type (a whole Module, an optimizer, a function),
            naming its path within ``obj``: ``obj['opt']['state'][0]``.
        ValueError: if a container contains itself.
    """
    walk = _Flattener()
    return walk.node(obj, ()), walk.arrays


class _Builder:
    """One walk over a tree: the objects it builds, each tensor built once."""

    def __init__(self, arrays: Mapping[str, Array]) -> None:
        self.arrays = arrays
        self.tensors: dict[str, Tensor] = {}

    def node(self, node: Any) -> Any:
        if node is None or isinstance(node, bool | int | float | str):
            return node
        if not isinstance(node, dict) or len(node) < 1:
            raise ValueError(f"unexpected node {node!r}")
        if "float" in node:
            return _SPECIAL_FLOATS[node["float"]]
        if "tensor" in node:
            return self.tensor(node)
        if "ndarray" in node:
            array = self.array(node["ndarray"])
            return array[()] if node.get("scalar") else array
        tag = next((t for t in _CONTAINERS if t in node), None)
        if tag is None or len(node) != 1 or not isinstance(node[tag], list):
            raise ValueError(f"unexpected node {node!r}")
        if tag == "dict":
            return {self.node(k): self.node(v) for k, v in node[tag]}
        items = [self.node(v) for v in node[tag]]
        return items if tag == "list" else tuple(items)

    def array(self, name: object) -> Array:
        if not isinstance(name, str) or name not in self.arrays:
            raise ValueError(f"refers to a tensor {name!r} that the file does not hold")
        a = self.arrays[name]
        return a if a.flags.writeable else a.copy()

    def tensor(self, node: dict[str, Any]) -> Tensor:
        name = node["tensor"]
        if name not in self.tensors:
            data, grad = self.array(name), bool(node.get("requires_grad"))
            made = (
                Parameter(data, grad) if node.get("parameter") else Tensor(data, requires_grad=grad)
            )
            self.tensors[name] = made
        return self.tensors[name]


def unflatten(tree: Any, arrays: Mapping[str, Array]) -> Any:
    """The object :func:`flatten` split, rebuilt from its tree and arrays.

    Args:
        tree: the JSON tree (already parsed).
        arrays: name -> array, as read from the file.

    Returns:
        The object: dicts, lists, tuples, Tensors (Parameters where saved so), NumPy
        arrays and scalars, numbers, strings and None.

    Raises:
        ValueError: for a malformed tree or one that refers to a missing tensor.
    """
    try:
        return _Builder(arrays).node(tree)
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"malformed structure metadata: {e}") from e


__all__ = ["flatten", "path_text", "unflatten"]
