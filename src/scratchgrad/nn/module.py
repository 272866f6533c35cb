"""Module: the base class of every layer and model, as ``torch.nn.Module``.

Assigning a :class:`Parameter`, a :class:`Buffer` or a Module to an attribute registers
it; subclasses write ``__init__`` and ``forward``; calling the module runs ``forward``.
Registered values are also kept as plain instance attributes, so reading ``self.weight``
in a forward pass costs no more than any attribute: change them only through
``setattr``, ``delattr`` and the ``register_*`` methods, never by editing ``_parameters``
and friends directly. An error raised in a forward pass is re-raised with the path of
the module that raised it (``features.3 (Conv2d)``) and the shapes it got (see
``_forward_errors``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from scratchgrad.backend import Array, xp
from scratchgrad.devices import is_device_like, require_available
from scratchgrad.dtypes import as_dtype
from scratchgrad.nn._forward_errors import call_stack, explain
from scratchgrad.nn.parameter import Buffer, Parameter
from scratchgrad.nn.state_dict import IncompatibleKeys, ModuleState, load_into
from scratchgrad.tensor import Tensor

M = TypeVar("M", bound="Module")


class Module:
    """Base class for layers and models.

    >>> import scratchgrad as sg
    >>> class Affine(Module):
    ...     def __init__(self) -> None:
    ...         super().__init__()
    ...         self.scale = Parameter(sg.ones(3))
    ...     def forward(self, x: sg.Tensor) -> sg.Tensor:
    ...         return x * self.scale
    >>> [name for name, _ in Affine().named_parameters()]
    ['scale']
    """

    training: bool
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]
    _non_persistent_buffers_set: set[str]
    _modules: dict[str, Module | None]

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent_buffers_set", set())
        object.__setattr__(self, "_modules", {})

    # ------------------------------------------------------------ registration
    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, keep=params)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as parameter '{name}' "
                    "(nn.Parameter or None expected)"
                )
            self.register_parameter(name, None)
        else:
            self._set_module_buffer_or_attribute(name, value)

    def _set_module_buffer_or_attribute(self, name: str, value: Any) -> None:
        modules = self.__dict__.get("_modules")
        buffers = self.__dict__.get("_buffers")
        if isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, keep=modules)
            self.add_module(name, value)
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as child module '{name}' "
                    "(nn.Module or None expected)"
                )
            self.add_module(name, None)
        elif isinstance(value, Buffer) or (buffers is not None and name in buffers):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as buffer '{name}' "
                    "(nn.Buffer, Tensor or None expected)"
                )
            persistent = (
                value.persistent
                if isinstance(value, Buffer)
                else name not in self._non_persistent_buffers_set
            )
            self.register_buffer(name, value, persistent)
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str, keep: dict[str, Any]) -> None:
        """Drop ``name`` from every registry but ``keep`` (where it keeps its place)."""
        self.__dict__.pop(name, None)
        for table in (self._parameters, self._buffers, self._modules):
            if table is not keep:
                table.pop(name, None)
        self._non_persistent_buffers_set.discard(name)

    def __delattr__(self, name: str) -> None:
        tables = (self._parameters, self._buffers, self._modules)
        table = next((t for t in tables if name in t), None)
        if table is None:
            object.__delattr__(self, name)
            return
        del table[name]
        self._non_persistent_buffers_set.discard(name)
        self.__dict__.pop(name, None)

    def _check_new_name(self, name: Any, kind: str, table: str) -> None:
        if table not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {_typename(name)}")
        if "." in name:
            got = f", got: {name}" if kind == "module" else ""  # PyTorch's wording
            raise KeyError(f'{kind} name can\'t contain "."{got}')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')
        if hasattr(self, name) and name not in self.__dict__[table]:
            raise KeyError(f"attribute '{name}' already exists")

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a tensor that is saved in the state dict (unless not persistent), not trained.

        Raises:
            KeyError: if the name is taken by another attribute, empty or dotted.
            TypeError: if ``tensor`` is neither a Tensor nor None.
        """
        self._check_new_name(name, "buffer", "_buffers")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                "(Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)
        object.__setattr__(self, name, tensor)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter, or None as a placeholder (a layer built without bias).

        Raises:
            KeyError: if the name is taken by another attribute, empty or dotted.
            TypeError: if ``param`` is neither a Parameter nor None.
            ValueError: if ``param`` is not a leaf of the autograd graph.
        """
        self._check_new_name(name, "parameter", "_parameters")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                "(nn.Parameter or None required)"
            )
        if param is not None and param.grad_fn is not None:
            raise ValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must "
                f"be created explicitly. To express '{name}' as a function of another Tensor, "
                "compute the value in the forward() method."
            )
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a submodule (or None, an empty slot) under ``name``.

        Raises:
            TypeError: if ``module`` is neither a Module nor None.
            KeyError: if the name is taken by another attribute, empty or dotted.
        """
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        self._check_new_name(name, "module", "_modules")
        self._modules[name] = module
        object.__setattr__(self, name, module)

    def register_module(self, name: str, module: Module | None) -> None:
        """Alias for :meth:`add_module`."""
        self.add_module(name, module)

    def _replace_modules(self, items: list[tuple[str, Module | None]]) -> None:
        """Make ``items`` the whole submodule table (containers renumbering their slots)."""
        for name in self._modules:
            self.__dict__.pop(name, None)
        self._modules.clear()
        for name, module in items:
            self.add_module(name, module)

    # ------------------------------------------------------------ calling
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation; subclasses override it."""
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward``; an error it raises is re-raised naming this module's path."""
        stack = call_stack()
        stack.append(self)
        try:
            return self.forward(*args, **kwargs)
        except Exception as e:
            with contextlib.suppress(Exception):  # describing must never hide the error
                explain(e, stack, args, kwargs)
            raise
        finally:
            stack.pop()

    # ------------------------------------------------------------ traversal
    def named_modules(
        self, memo: set[Module] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """(path, module) for this module and every submodule, depth first, each once."""
        memo = set() if memo is None else memo
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                path = f"{prefix}.{name}" if prefix else name
                yield from child.named_modules(memo, path, remove_duplicate)

    def modules(self, remove_duplicate: bool = True) -> Iterator[Module]:
        """This module and every submodule."""
        for _, m in self.named_modules(remove_duplicate=remove_duplicate):
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for the direct submodules, each once."""
        seen: set[Module] = set()
        for name, child in self._modules.items():
            if child is not None and child not in seen:
                seen.add(child)
                yield name, child

    def children(self) -> Iterator[Module]:
        """The direct submodules."""
        for _, m in self.named_children():
            yield m

    def _named_members(
        self, table: str, prefix: str, recurse: bool, remove_duplicate: bool
    ) -> Iterator[tuple[str, Any]]:
        seen: set[int] = set()
        modules = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else iter([(prefix, self)])
        )
        for path, m in modules:
            for name, value in getattr(m, table).items():
                if value is None or id(value) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(value))
                yield (f"{path}.{name}" if path else name), value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) pairs; a parameter shared by two modules comes once."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter, each once."""
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, buffer) pairs, persistent or not."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer."""
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def get_submodule(self, target: str) -> Module:
        """The submodule at a dotted path such as ``"features.3"`` ("" is this module).

        Raises:
            AttributeError: naming the first part of the path that is not a submodule.
        """
        m: Module = self
        for item in target.split(".") if target else []:
            if not hasattr(m, item):
                raise AttributeError(f"{type(m).__name__} has no attribute `{item}`")
            child = getattr(m, item)
            if not isinstance(child, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
            m = child
        return m

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at a dotted path such as ``"features.3.weight"``.

        Raises:
            AttributeError: if the path does not lead to a parameter.
        """
        path, _, name = target.rpartition(".")
        m = self.get_submodule(path)
        if not hasattr(m, name):
            raise AttributeError(f"{type(m).__name__} has no attribute `{name}`")
        p = getattr(m, name)
        if not isinstance(p, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return p

    # ------------------------------------------------------------ modes, grads, dtypes
    def train(self: M, mode: bool = True) -> M:
        """Set training mode on this module and every submodule; returns self.

        Raises:
            ValueError: if ``mode`` is not a bool.
        """
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self: M) -> M:
        """Set evaluation mode; same as ``train(False)``."""
        return self.train(False)

    def requires_grad_(self: M, requires_grad: bool = True) -> M:
        """Freeze (False) or unfreeze every parameter; returns self."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradient of every parameter: to None (default) or to zeros in place."""
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                p.grad.detach_()
                p.grad.array.fill(0)

    def apply(self: M, fn: Callable[[Module], None]) -> M:
        """Call ``fn`` on every submodule (children first) and then on this module."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def _cast_floats(self: M, convert: Callable[[Array], Array]) -> M:
        """Convert the data (and grads) of every floating parameter and buffer in place."""
        tensors = [*self.parameters(), *self.buffers()]
        for t in tensors:
            if t.array.dtype.kind == "f":
                t.array = convert(t.array)
                if t.grad is not None:
                    t.grad.array = convert(t.grad.array)
        return self

    def to(self: M, *args: Any, dtype: Any = None, device: Any = None) -> M:
        """Cast floating parameters and buffers in place: ``to(sg.float64)``, ``to("cpu")``.

        Raises:
            RuntimeError: for a device other than the CPU.
            TypeError: for a dtype that is not floating point.
        """
        for a in args:
            if is_device_like(a) or (isinstance(a, int) and not isinstance(a, bool)):
                device = a
            else:
                dtype = a.dtype if isinstance(a, Tensor) else a
        if device is not None:
            require_available(device, "to")
        if dtype is None:
            return self
        target = as_dtype(dtype)
        if target.kind != "f":
            raise TypeError(
                f"nn.Module.to only accepts floating point dtypes, but got desired dtype={target}"
            )
        return self._cast_floats(lambda a: a.astype(target, copy=False))

    def cuda(self: M, device: Any = None) -> M:
        """Raises: there is no CUDA device (as PyTorch's CPU build)."""
        require_available("cuda" if device is None else device, "cuda")
        return self  # pragma: no cover - never reached

    def float(self: M) -> M:
        """Cast floating parameters and buffers to float32."""
        return self.to(xp.float32)

    def double(self: M) -> M:
        """Cast floating parameters and buffers to float64."""
        return self.to(xp.float64)

    def half(self: M) -> M:
        """Cast floating parameters and buffers to float16."""
        return self.to(xp.float16)

    def cpu(self: M) -> M:
        """This module (the NumPy backend keeps everything on the CPU)."""
        return self

    # ------------------------------------------------------------ state
    def state_dict(
        self,
        *,
        destination: dict[str, Tensor] | None = None,
        prefix: str = "",
        keep_vars: bool = False,
    ) -> dict[str, Tensor]:
        """Parameters and persistent buffers by dotted name, in PyTorch's key order.

        Args:
            destination: a dict to fill and return; a new one when None.
            prefix: prepended to every key.
            keep_vars: keep the tensors themselves rather than detached views of them.
        """
        out: dict[str, Tensor] = {} if destination is None else destination
        self._save_to_state_dict(out, prefix, keep_vars)
        for name, child in self._modules.items():
            if child is not None:
                child.state_dict(destination=out, prefix=f"{prefix}{name}.", keep_vars=keep_vars)
        return out

    def _save_to_state_dict(self, out: dict[str, Tensor], prefix: str, keep_vars: bool) -> None:
        for name, t in self._own_state().items():
            out[prefix + name] = t if keep_vars else t.detach()

    def _own_state(self) -> dict[str, Tensor]:
        """This module's parameters and persistent buffers that are not None."""
        own: dict[str, Tensor] = {n: p for n, p in self._parameters.items() if p is not None}
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers_set:
                own[name] = b
        return own

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True
    ) -> IncompatibleKeys:
        """Copy tensors from ``state_dict`` into this module's parameters and buffers.

        Args:
            state_dict: key -> Tensor or NumPy array, as from ``state_dict()`` or ``load``.
            strict: raise when keys are missing or unexpected.

        Returns:
            The missing and unexpected keys, in PyTorch's order.

        Raises:
            RuntimeError: listing every missing and unexpected key (when strict) and every
                value of the wrong type, shape or dtype, all at once; the module is then
                left unchanged.
        """
        layout = [
            ModuleState(f"{path}." if path else "", m._own_state(), frozenset(m._modules))
            for path, m in self.named_modules(remove_duplicate=False)
        ]
        return load_into(layout, state_dict, strict, type(self).__name__)

    # ------------------------------------------------------------ text
    def extra_repr(self) -> str:
        """The layer's settings, shown in its repr: ``in_features=3, out_features=4``."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [
            f"({name}): " + repr(child).replace("\n", "\n  ")
            for name, child in self._modules.items()
        ]
        lines = extra_lines + child_lines
        body = ""
        if len(extra_lines) == 1 and not child_lines:
            body = extra_lines[0]
        elif lines:
            body = "\n  " + "\n  ".join(lines) + "\n"
        return f"{type(self).__name__}({body})"

    def __dir__(self) -> list[str]:
        return sorted({k for k in super().__dir__() if not k[:1].isdigit()})


def _typename(value: object) -> str:
    return type(value).__name__


__all__ = ["IncompatibleKeys", "Module"]
