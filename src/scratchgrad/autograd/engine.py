"""The backward engine: reverse topological order, summed gradients, ``unbroadcast``.

:func:`backward` walks the nodes reachable from a tensor's ``grad_fn`` in reverse
topological order (an iterative depth-first search: deep graphs do not hit Python's
recursion limit), calls each node's backward once with the sum of the gradients that
reached it, and reduces a gradient that was broadcast back to its input's shape
(:func:`unbroadcast`), in this one place for every op.

A multi-output node is run once too: the gradients of its outputs are collected, each
in its output's place, by the outputs' slots (see ``function.MultiOutputFunction``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from scratchgrad.autograd.function import Function, _OutputSlot
from scratchgrad.backend import Array, xp

Pending = dict[Function, Any]
"""Gradients waiting for their node: an array, or for a multi-output node a list of them."""
LeafSink = Callable[["Tensor", Array], None]
"""Where a leaf's gradient goes: into ``.grad`` for backward, a result for :func:`grad`."""


def unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum a gradient over the dims that broadcasting added or stretched.

    Args:
        grad: gradient of a broadcast result, shape (..., *shape-like).
        shape: the input's shape before broadcasting.

    Returns:
        The gradient of the input, shape ``shape``.

    >>> unbroadcast(xp.ones((2, 3, 4)), (3, 1)).tolist()
    [[8.0], [8.0], [8.0]]
    """
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, n in enumerate(shape) if n == 1 and grad.shape[i + lead] != 1
    )
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape) if lead else grad


def _topological_order(roots: Sequence[Function]) -> list[Function]:
    """Nodes reachable from ``roots``, each before the nodes that feed it."""
    order: list[Function] = []
    seen: set[Function] = set()
    stack: list[tuple[Function, bool]] = [(root, False) for root in reversed(roots)]
    while stack:
        fn, expanded = stack.pop()
        if expanded:
            order.append(fn)
            continue
        if fn in seen:
            continue
        seen.add(fn)
        stack.append((fn, True))
        for parent in _parents_of(fn):
            if parent is not None and parent not in seen:
                stack.append((parent, False))
    order.reverse()
    return order


def _parents_of(fn: Function) -> tuple[Function | None, ...]:
    parents: tuple[Function | None, ...] | None = getattr(fn, "parents", None)
    if parents is None:
        raise RuntimeError(
            "backward: trying to backward through the graph a second time (or directly "
            "access saved tensors after they have already been freed); specify "
            "retain_graph=True the first time"
        )
    return parents


def _accumulate_leaf(t: Tensor, g: Array) -> None:
    if t.grad is None:
        t.grad = wrap(xp.array(g, dtype=t.array.dtype, copy=True))  # own memory: g may alias
    else:
        t.grad.array += g


def _initial_grad(root: Tensor, gradient: Tensor | None, index: int = 0) -> Array:
    if not root.requires_grad:
        raise RuntimeError(
            f"backward: element {index} of tensors does not require grad and does not have "
            f"a grad_fn"
        )
    if gradient is None:
        if root.array.size != 1:
            raise RuntimeError(
                f"backward: grad can be implicitly created only for scalar outputs, "
                f"got shape {root.shape}; pass gradient="
            )
        return xp.ones_like(root.array)
    g = gradient.array if isinstance(gradient, Tensor) else xp.asarray(gradient)
    if g.shape != root.shape:
        raise RuntimeError(
            f"backward: gradient has shape {g.shape} but the output has shape {root.shape}"
        )
    return g.astype(root.array.dtype, copy=False)


def backward(root: Tensor, gradient: Tensor | None = None, retain_graph: bool = False) -> None:
    """Accumulate d(root)/d(leaf) into ``leaf.grad`` for every leaf that requires grad.

    Args:
        root: the output to differentiate, usually a scalar loss.
        gradient: d(loss)/d(root), same shape as root; defaults to 1 for a scalar.
        retain_graph: keep the saved arrays so backward can run through the graph again.
    """
    g0 = _initial_grad(root, gradient)
    if root.grad_fn is None:
        _to_leaf(root, g0, _accumulate_leaf)
    else:
        _run({root.grad_fn: g0}, [root.grad_fn], retain_graph, _accumulate_leaf)
    _run_queued_callbacks()


_queued: list[Callable[[], None]] = []


def queue_callback(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current ``backward`` has filled every ``.grad``.

    Torch's ``Variable._execution_engine.queue_callback``: a gradient hook queues work
    that needs all the gradients, as DistributedDataParallel's final allreduce does.
    """
    _queued.append(callback)


def _run_queued_callbacks() -> None:
    while _queued:
        _queued.pop(0)()


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """Gradients of ``outputs`` with respect to ``inputs``, returned, ``.grad`` untouched.

    First-order only, as the whole engine: ``create_graph=True`` raises.

    Args:
        outputs: tensors to differentiate (scalars unless ``grad_outputs`` is given).
        inputs: tensors that require grad, leaves or not.
        grad_outputs: d(loss)/d(output) per output, same shapes; None means 1 (scalars).
        retain_graph: keep the graph for another backward (default: ``create_graph``).
        create_graph: record the gradients' own graph: not supported.
        allow_unused: give None, instead of raising, for an input the outputs do not use.

    Returns:
        One gradient per input, each of the input's shape (None only when unused).

    >>> import scratchgrad as sg
    >>> x = sg.tensor([1.0, 2.0], requires_grad=True)
    >>> grad((x * x).sum(), x)
    (tensor([2., 4.]),)
    """
    if create_graph:
        raise NotImplementedError(
            "autograd.grad: create_graph=True (higher-order gradients) is not supported"
        )
    outs, ins = _as_tuple(outputs), _as_tuple(inputs)
    gos = (None,) * len(outs) if grad_outputs is None else _as_tuple(grad_outputs)
    if any(not x.requires_grad for x in ins):
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    found: dict[int, Array] = {}
    catchers = [_catch(x, found) for x in ins if x.grad_fn is not None]

    def leaf(t: Tensor, g: Array) -> None:
        if any(t is x for x in ins):
            found[id(t)] = found[id(t)] + g if id(t) in found else g.astype(t.array.dtype)

    grads: Pending = {}
    for i, (out, go) in enumerate(zip(outs, gos, strict=True)):
        g0 = _initial_grad(out, go, i)
        if out.grad_fn is None:
            _to_leaf(out, g0, leaf)
        else:
            grads[out.grad_fn] = grads[out.grad_fn] + g0 if out.grad_fn in grads else g0
    try:
        _run(grads, list(grads), bool(retain_graph), leaf)
    finally:
        for hooks, catcher in catchers:
            if catcher in hooks:
                hooks.remove(catcher)
    return tuple(_found(found, x, i, allow_unused) for i, x in enumerate(ins))


def _as_tuple(x: Any) -> tuple[Any, ...]:
    return (x,) if isinstance(x, Tensor) or x is None else tuple(x)


def _catch(x: Tensor, found: dict[int, Array]) -> tuple[list[Hook], Hook]:
    """A hook on the non-leaf ``x``'s node that files its gradient in ``found``."""

    def catcher(g: Tensor) -> None:
        found[id(x)] = g.array

    hooks = _node_hooks(x.grad_fn)
    hooks.append(catcher)
    return hooks, catcher


def _found(found: dict[int, Array], x: Tensor, i: int, allow_unused: bool) -> Tensor | None:
    if id(x) in found:
        return wrap(xp.array(found[id(x)], dtype=x.array.dtype, copy=True))
    if allow_unused:
        return None
    raise RuntimeError(
        f"The differentiated Tensor at index {i} appears to not have been used in the graph. "
        f"Set allow_unused=True if this is the desired behavior."
    )


def _run(grads: Pending, roots: list[Function], retain_graph: bool, leaf: LeafSink) -> None:
    """Run every node reachable from ``roots`` once, with the sum of its gradients.

    ``grads`` holds the roots' gradients; ``leaf(t, g)`` receives a leaf's gradient.
    """
    for fn in _topological_order(roots):
        g = grads.pop(fn, None)
        if g is None:
            continue
        hooks = fn.hooks  # register_hook / retain_grad on its output
        if hooks is not None:
            g = _run_hooks(hooks, g)
        if fn.is_slot:  # an output of a multi-output node: file g for the node
            _file_output_grad(grads, cast(_OutputSlot, fn), g, retain_graph)
            continue
        grads_in = fn.backward(g)  # a multi-output node gets its list of gradients
        for t, parent, needs, gi in zip(
            fn.inputs, fn.parents, fn.needs_input_grad, grads_in, strict=True
        ):
            if needs and gi is not None:
                _send(grads, t, parent, gi, leaf)
        if not retain_graph and fn.frees_saved:
            fn.__dict__.clear()  # frees the saved arrays; a second backward raises


def _file_output_grad(grads: Pending, slot: _OutputSlot, g: Array, retain_graph: bool) -> None:
    """Put the gradient of one output of a multi-output node in its place in the node's list.

    ``g`` is already the sum over every use of that output (the slot's own pending entry).
    """
    node = slot.node
    pending: list[Array | None] = grads.setdefault(node, [None] * node.n_outputs)
    pending[slot.index] = g
    if not retain_graph:
        slot.__dict__.clear()


def _send(grads: Pending, t: Tensor, node: Function | None, g: Array, leaf: LeafSink) -> None:
    """Pass gradient ``g`` to input ``t``: to its node's pending sum, or to ``leaf``."""
    if g.shape != t.array.shape:
        g = unbroadcast(g, t.array.shape)  # the one place broadcasting is undone
    if node is None:  # a leaf (written out: this runs for every leaf on every backward)
        if _leaf_hooks and id(t) in _leaf_hooks:
            g = _run_hooks(_leaf_hooks[id(t)][1], g)
        leaf(t, g)
    elif node in grads:
        grads[node] = grads[node] + g
    else:
        grads[node] = g


# ---------------------------------------------------------------- hooks on gradients
Hook = Callable[["Tensor"], "Tensor | None"]
"""A tensor hook: receives the tensor's gradient, may return a replacement."""

_leaf_hooks: dict[int, tuple[Tensor, list[Hook]]] = {}
"""Hooks of leaves, by id: the entry holds the leaf (so its id stays its own) until removed."""


def _to_leaf(t: Tensor, g: Array, leaf: LeafSink) -> None:
    if _leaf_hooks and id(t) in _leaf_hooks:
        g = _run_hooks(_leaf_hooks[id(t)][1], g)
    leaf(t, g)


def _run_hooks(hooks: list[Hook], g: Array) -> Array:
    grad = wrap(g)
    for hook in list(hooks):
        replaced = hook(grad)
        if replaced is not None:
            grad = replaced
    return grad.array


class _RetainGrad:
    """The hook of ``retain_grad``: fills ``t.grad``; kept after every other hook."""

    def __init__(self, t: Tensor) -> None:
        self.t = t

    def __call__(self, grad: Tensor) -> None:
        _accumulate_leaf(self.t, grad.array)


class RemovableHandle:
    """What ``register_hook`` returns: ``handle.remove()`` takes the hook off."""

    def __init__(self, hooks: list[Hook], hook: Hook, leaf: Tensor | None = None) -> None:
        self.hooks, self.hook, self.leaf = hooks, hook, leaf

    def remove(self) -> None:
        """Take the hook off (a second call does nothing)."""
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)
        if self.leaf is not None and not self.hooks:
            _leaf_hooks.pop(id(self.leaf), None)


def register_hook(t: Tensor, hook: Hook) -> RemovableHandle:
    """Call ``hook(grad)`` whenever the gradient of ``t`` is computed, as PyTorch.

    On a leaf the hook runs before the gradient is accumulated into ``t.grad``, on a
    non-leaf before the gradient flows on; a tensor returned replaces the gradient.
    Unlike PyTorch, a leaf with a hook is kept alive until the handle's ``remove()``.

    Args:
        t: a tensor that requires grad.
        hook: ``hook(grad) -> Tensor | None``, grad of t's shape.

    Returns:
        A handle whose ``remove()`` takes the hook off.

    >>> import scratchgrad as sg
    >>> x = sg.ones(2, requires_grad=True)
    >>> handle = x.register_hook(lambda g: g * 10)
    >>> (x * 2).sum().backward()
    >>> x.grad
    tensor([20., 20.])
    >>> handle.remove()
    """
    if not t.requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if t.grad_fn is None:
        hooks = _leaf_hooks.setdefault(id(t), (t, []))[1]
        hooks.append(hook)
        return RemovableHandle(hooks, hook, t)
    hooks = _node_hooks(t.grad_fn)
    retain = [h for h in hooks if isinstance(h, _RetainGrad)]
    hooks[len(hooks) - len(retain) :] = [hook, *retain]  # retain_grad's hook stays last
    return RemovableHandle(hooks, hook)


def _node_hooks(fn: Function) -> list[Hook]:
    hooks = fn.hooks
    if hooks is None:
        hooks = fn.hooks = []
    return hooks


def retain_grad(t: Tensor) -> None:
    """Make backward fill ``t.grad`` although ``t`` is not a leaf."""
    if t.grad_fn is not None:
        hooks = _node_hooks(t.grad_fn)
        if not any(isinstance(h, _RetainGrad) for h in hooks):
            hooks.append(_RetainGrad(t))
    elif not t.requires_grad:
        raise RuntimeError(
            "retain_grad: can't retain_grad on a tensor that has requires_grad=False"
        )


__all__ = [
    "RemovableHandle",
    "backward",
    "grad",
    "queue_callback",
    "register_hook",
    "retain_grad",
    "unbroadcast",
]

# Imported last: tensor.py imports this package, and needs Function defined first.
from scratchgrad.tensor import Tensor, wrap  # noqa: E402
