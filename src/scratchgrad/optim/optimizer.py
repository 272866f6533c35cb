"""Optimizer: the base class of every optimizer, as ``torch.optim.Optimizer``.

Each optimizer is two things (STYLE P9): a pure update function on NumPy arrays
(``sgd_step``, ``adam_step``, ...) that changes a parameter and its state in place, and a
thin class, a subclass of :class:`Optimizer`, that holds the parameter groups and the
per-parameter state and calls that function for every parameter that has a gradient.

The state dict is PyTorch's layout, kept easy to serialise (safetensors for the arrays,
JSON for the rest)::

    {
        "state": {                      # parameter index -> that parameter's state
            0: {"step": 3.0, "exp_avg": Tensor(...), "exp_avg_sq": Tensor(...)},
            1: {...},                   # parameters never stepped have no entry
        },
        "param_groups": [               # one dict per group, hyperparameters as given
            {"lr": 0.001, "betas": (0.9, 0.999), ..., "params": [0, 1]},
        ],
    }

Parameters are numbered in the order the groups hold them, as PyTorch does. Arrays in
``state`` are :class:`~scratchgrad.Tensor` s that share memory with the live state (copy
or write them out before stepping again); scalars such as ``"step"`` and NAdam's
``"mu_product"`` are Python floats (PyTorch keeps 0-d tensors), every hyperparameter is
a Python bool, int, float, str or a tuple of floats. ``load_state_dict`` accepts
Tensors or NumPy arrays for the arrays, string or int parameter indices (JSON turns
keys into strings), lists for tuples, and copies what it loads.
"""

from __future__ import annotations

import copy
import warnings
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, TypeAlias

from scratchgrad.autograd import enable_grad, no_grad
from scratchgrad.backend import Array, xp
from scratchgrad.tensor import Tensor

ParamsT: TypeAlias = Iterable[Tensor] | Iterable[dict[str, Any]] | Iterable[tuple[str, Tensor]]
"""What an optimizer accepts: tensors, (name, tensor) pairs, or param-group dicts."""

StateDict: TypeAlias = dict[str, Any]


class Optimizer(ABC):
    """Base class of every optimizer: parameter groups, per-parameter state, step.

    Args:
        params: an iterable of tensors, of ``(name, tensor)`` pairs (as from
            ``named_parameters()``), or of dicts each with ``"params"`` and the
            hyperparameters that group overrides.
        defaults: every hyperparameter and its default, filled into each group.

    Subclasses implement :meth:`_update`, the step of one parameter, and may fill a
    parameter's state before its first step in :meth:`_init_state`.

    >>> import scratchgrad as sg
    >>> from scratchgrad.optim import SGD
    >>> w = sg.ones(2, requires_grad=True)
    >>> opt = SGD([{"params": [w], "lr": 0.5}], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w.tolist(), opt.param_groups[0]["lr"]
    ([0.0, 0.0], 0.5)
    """

    _scalar_state: ClassVar[frozenset[str]] = frozenset({"step"})
    """State entries that are Python floats rather than arrays."""

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors "
                f"or dicts, but got {type(params).__name__}"
            )
        self.defaults = defaults
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups: list[Any] = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ------------------------------------------------------------ groups
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters (fine-tuning, unfreezing).

        Args:
            param_group: ``{"params": tensors, **hyperparameters}``; missing
                hyperparameters take the optimizer's defaults. Changed in place and kept.

        Raises:
            TypeError: for a non-dict group, a set of params or a non-tensor param.
            ValueError: for a non-leaf tensor, a parameter already in another group, or
                groups with and without names mixed.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params, names = _params_and_names(param_group["params"])
        param_group["params"] = params
        if names:
            param_group["param_names"] = names
        for name, default in self.defaults.items():
            param_group.setdefault(name, default)
        ids = [id(p) for p in params]
        if len(ids) != len(set(ids)):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters",
                stacklevel=2,
            )
        taken = {id(p) for g in self.param_groups for p in g["params"]}
        if not taken.isdisjoint(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        if any(("param_names" in g) != bool(names) for g in self.param_groups):
            raise ValueError(
                "all optimizer param groups should be with/without names: cannot add a group "
                + ("with names" if names else "without names")
            )
        self.param_groups.append(param_group)

    # ------------------------------------------------------------ stepping
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of every parameter: to None (default, as PyTorch) or to 0."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.detach_()
                    p.grad.array.fill(0)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient, in place.

        Args:
            closure: re-evaluates the model and returns the loss; run with grad enabled.

        Returns:
            The closure's loss, or None without a closure.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if not state:
                        self._init_state(p, state, group)
                    self._update(p, p.grad.array, state, group)
        return loss

    def _init_state(  # noqa: B027 - an optional hook: a lazily made state needs none
        self, p: Tensor, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        """Fill the empty state of ``p`` before its step; a no-op here (state made lazily).

        Called before every step of ``p`` whose state is still empty.

        Args:
            p: the parameter.
            state: its state dict, empty; filled in place.
            group: the hyperparameters of its group.
        """

    @abstractmethod
    def _update(self, p: Tensor, grad: Array, state: dict[str, Any], group: dict[str, Any]) -> None:
        """Step one parameter, its state initialised: call the update function.

        Args:
            p: the parameter; its ``data`` is updated in place (same array afterwards).
            grad: its gradient, same shape; never modified.
            state: its state dict, updated in place.
            group: the hyperparameters of its group.
        """

    # ------------------------------------------------------------ state
    def state_dict(self) -> StateDict:
        """The optimizer's state in PyTorch's layout (see the module docstring).

        Returns:
            ``{"state": {index: {...}}, "param_groups": [{..., "params": [index, ...]}]}``.
        """
        index: dict[int, int] = {}
        groups = []
        start = 0
        for group in self.param_groups:
            params = group["params"]
            for i, p in enumerate(params, start):
                index.setdefault(id(p), i)
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index[id(p)] for p in params]
            groups.append(packed)
            start += len(params)
        state = {index[id(p)]: dict(s) for p, s in self.state.items() if s and id(p) in index}
        return {"state": dict(sorted(state.items())), "param_groups": groups}

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Load a state saved by :meth:`state_dict` (of this optimizer class), copying it.

        Args:
            state_dict: ``{"state": ..., "param_groups": ...}``; arrays as Tensors or
                NumPy arrays, indices as ints or strings.

        Raises:
            ValueError: if the number or sizes of the groups differ from this optimizer's,
                or a state array's shape differs from its parameter's.
        """
        saved_groups: list[dict[str, Any]] = copy.deepcopy(list(state_dict["param_groups"]))
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"loaded state dict has a different number of parameter groups: "
                f"{len(saved_groups)} saved, {len(self.param_groups)} in the optimizer"
            )
        id_map: dict[int, Tensor] = {}
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups, strict=True)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"loaded state dict contains a parameter group that doesn't match the size "
                    f"of optimizer's group: group {i} has {len(saved['params'])} saved "
                    f"parameters, {len(group['params'])} in the optimizer"
                )
            id_map.update(zip((int(k) for k in saved["params"]), group["params"], strict=True))
            saved["params"] = group["params"]
            for name, default in self.defaults.items():  # a state saved by an older version
                saved.setdefault(name, default)
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        for key, values in state_dict["state"].items():
            if int(key) not in id_map:
                raise ValueError(f"loaded state dict has state for parameter {key}, in no group")
            p = id_map[int(key)]
            state[p] = {name: self._load_value(p, key, name, v) for name, v in values.items()}
        self.param_groups = saved_groups
        self.state = state

    def _load_value(self, p: Tensor, key: Any, name: str, value: Any) -> Any:
        """A copy of one saved state entry, as this optimizer keeps it."""
        if value is None:
            return None
        if name in self._scalar_state:
            return float(value.item() if isinstance(value, Tensor | xp.ndarray) else value)
        data = value.array if isinstance(value, Tensor) else xp.asarray(value)
        if data.shape != p.shape:
            raise ValueError(
                f"loaded state dict: state[{key}][{name!r}] has shape {tuple(data.shape)} "
                f"but the parameter has shape {tuple(p.shape)}"
            )
        dtype = p.dtype if p.array.dtype.kind == "f" else data.dtype
        return Tensor(xp.array(data, dtype=dtype, copy=True))

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"


def _params_and_names(params: Any) -> tuple[list[Tensor], list[str]]:
    """The tensors of a group and their names (empty when given without names)."""
    if isinstance(params, Tensor):
        params = [params]
    elif isinstance(params, set):
        raise TypeError(
            "optimizer parameters need to be organized in ordered collections, but the "
            "ordering of tensors in sets will change between runs. Please use a list instead."
        )
    items = list(params)
    named = [item for item in items if isinstance(item, tuple)]
    if named and len(named) != len(items):
        raise ValueError(
            "all optimizer params should be with/without names. Some param names are missing"
        )
    tensors = [item[1] for item in named] if named else items
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(
                f"optimizer can only optimize Tensors, but one of the params is {type(t).__name__}"
            )
        if not t.is_leaf:
            raise ValueError("can't optimize a non-leaf Tensor")
    return tensors, [item[0] for item in named]


def check_hyperparameter(ok: bool, what: str, name: str, value: Any) -> None:
    """Raise ``ValueError("Invalid <what>: <name>=<value>")`` unless ``ok``, as PyTorch."""
    if not ok:
        raise ValueError(f"Invalid {what}: {name}={value!r}")


_WHAT = {"lr": "learning rate", "eps": "epsilon value"}  # PyTorch's words; else "<name> value"


def check_nonnegative(**values: float) -> None:
    """Raise PyTorch's ValueError for the first of ``values`` below 0 (or NaN), in order.

    >>> check_nonnegative(lr=0.1, weight_decay=-1.0)
    Traceback (most recent call last):
    ValueError: Invalid weight_decay value: weight_decay=-1.0
    """
    for name, value in values.items():
        check_hyperparameter(value >= 0.0, _WHAT.get(name, f"{name} value"), name, value)


def zeros_state(p: Tensor) -> Tensor:
    """A state array of zeros, ``p``'s shape and dtype (a running mean, a sum, a buffer)."""
    return Tensor(xp.zeros_like(p.array))


# ---------------------------------------------------------------- shared array kernels
# Each mirrors one in-place PyTorch op, in PyTorch's order of operations, so results
# agree to float32 rounding. ``t`` is a scratch array of the same shape and dtype.


def grad_with_decay(p: Array, g: Array, weight_decay: float, maximize: bool) -> Array:
    """The gradient the update uses: ``-g`` when maximizing, plus ``weight_decay * p``.

    Returns ``g`` itself when neither applies (it is never modified), else a new array.
    """
    if weight_decay != 0:
        d = xp.multiply(p, weight_decay)
        if maximize:
            d -= g
        else:
            d += g
        return d
    return xp.negative(g) if maximize else g


def axpy_(y: Array, a: float, x: Array) -> None:
    """``y += a * x`` in place (``y.add_(x, alpha=a)``)."""
    if a == 1:
        y += x
    else:
        y += a * x


def addcmul_(y: Array, a: Array, b: Array, value: float, t: Array) -> None:
    """``y += value * a * b`` in place (``y.addcmul_(a, b, value=value)``)."""
    xp.multiply(a, value, out=t)
    t *= b
    y += t


def addcdiv_(y: Array, a: Array, b: Array, value: float, t: Array) -> None:
    """``y += value * a / b`` in place (``y.addcdiv_(a, b, value=value)``)."""
    if value == 1:
        xp.divide(a, b, out=t)
    else:
        xp.multiply(a, value, out=t)
        t /= b
    y += t


def lerp_(a: Array, b: Array, weight: float, t: Array) -> None:
    """``a += weight * (b - a)`` in place, with PyTorch's formula (exact at both ends)."""
    w = a.dtype.type(weight)
    xp.subtract(b, a, out=t)
    if abs(w) < 0.5:
        t *= w
        a += t
    else:
        t *= a.dtype.type(1) - w
        xp.subtract(b, t, out=a)


__all__ = ["Optimizer", "ParamsT", "StateDict"]
