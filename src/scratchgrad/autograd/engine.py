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

from typing import Any, cast

from scratchgrad.autograd.function import Function, _OutputSlot
from scratchgrad.backend import Array, xp

Pending = dict[Function, Any]
"""Gradients waiting for their node: an array, or for a multi-output node a list of them."""


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


def _topological_order(root: Function) -> list[Function]:
    """Nodes reachable from ``root``, each before the nodes that feed it."""
    order: list[Function] = []
    seen: set[Function] = set()
    stack: list[tuple[Function, bool]] = [(root, False)]
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


def _initial_grad(root: Tensor, gradient: Tensor | None) -> Array:
    if not root.requires_grad:
        raise RuntimeError(
            "backward: element 0 of tensors does not require grad and does not have a grad_fn"
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
        _accumulate_leaf(root, g0)
        return
    grads: Pending = {root.grad_fn: g0}
    for fn in _topological_order(root.grad_fn):
        g = grads.pop(fn, None)
        if g is None:
            continue
        retained = getattr(fn, "retained", None)
        if retained is not None:
            _accumulate_leaf(retained, g)
        if fn.is_slot:  # an output of a multi-output node: file g for the node
            _file_output_grad(grads, cast(_OutputSlot, fn), g, retain_graph)
            continue
        grads_in = fn.backward(g)  # a multi-output node gets its list of gradients
        for t, parent, needs, gi in zip(
            fn.inputs, fn.parents, fn.needs_input_grad, grads_in, strict=True
        ):
            if needs and gi is not None:
                _send(grads, t, parent, gi)
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


def _send(grads: Pending, t: Tensor, node: Function | None, g: Array) -> None:
    """Pass gradient ``g`` to input ``t``: to its node's pending sum, or into its .grad."""
    if g.shape != t.array.shape:
        g = unbroadcast(g, t.array.shape)  # the one place broadcasting is undone
    if node is None:
        _accumulate_leaf(t, g)
    elif node in grads:
        grads[node] = grads[node] + g
    else:
        grads[node] = g


def retain_grad(t: Tensor) -> None:
    """Make backward fill ``t.grad`` although ``t`` is not a leaf."""
    if t.grad_fn is not None:
        t.grad_fn.retained = t
    elif not t.requires_grad:
        raise RuntimeError(
            "retain_grad: can't retain_grad on a tensor that has requires_grad=False"
        )


__all__ = ["backward", "retain_grad", "unbroadcast"]

# Imported last: tensor.py imports this package, and needs Function defined first.
from scratchgrad.tensor import Tensor, wrap  # noqa: E402
