"""The graph node: a :class:`Function` is one differentiable operation.

``forward`` computes arrays from arrays and keeps on ``self`` what ``backward`` will
need; ``backward`` turns the gradient of the output into one gradient per input.
``apply`` runs forward on the inputs' data and, when a gradient is needed, records the
node as the output's ``grad_fn``.

An op with several outputs (eigh's values and vectors, a split's pieces) subclasses
:class:`MultiOutputFunction`: forward returns a tuple of arrays, ``apply`` a tuple of
tensors, and backward receives one gradient per output. Each output's ``grad_fn`` is its
own slot of the node (:class:`_OutputSlot`), so the engine can tell which output a
gradient belongs to; backward then receives their gradients as one sequence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from scratchgrad.autograd import grad_mode
from scratchgrad.backend import Array


class Function:
    """One differentiable operation: forward and backward side by side.

    Subclasses implement ``forward(*arrays, **params) -> array`` and
    ``backward(grad) -> tuple`` with one gradient (or None) per positional input.
    Positional inputs may be Tensors or Python scalars; scalars get no gradient.
    ``needs_input_grad[i]`` tells backward which gradients are wanted. (The signatures
    below are loose, ``Any``, only so that :class:`MultiOutputFunction` can take tuples.)
    """

    name: ClassVar[str] = ""
    differentiable: ClassVar[bool] = True
    is_slot: ClassVar[bool] = False
    """True only for the output slots of a multi-output node, which the engine runs apart."""
    frees_saved: ClassVar[bool] = True
    """Backward without retain_graph drops the node's state, so a second backward raises."""
    inputs: tuple[Any, ...]
    parents: tuple[Function | None, ...]
    needs_input_grad: tuple[bool, ...]

    def forward(self, *args: Any, **params: Any) -> Any:
        """Compute the output array from input arrays (and Python scalars)."""
        raise NotImplementedError

    def backward(self, grad: Any) -> tuple[Array | None, ...]:
        """Gradients of the inputs, given ``grad`` = d(loss)/d(output)."""
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any, **params: Any) -> Tensor:
        """Run forward on the inputs' data and, when grad is needed, record the node."""
        fn = cls()
        # Unwrap tensors to arrays. One and two inputs are written out, and an empty
        # **params is not passed: this is the hot path, and on small arrays a generic
        # loop or an empty ** costs as much as the NumPy call itself.
        if len(args) == 1:
            x = args[0]
            out = wrap(fn.forward(x.array, **params) if params else fn.forward(x.array))
            requires = x.requires_grad
        elif len(args) == 2:
            x, y = args
            tx, ty = isinstance(x, Tensor), isinstance(y, Tensor)
            xd, yd = (x.array if tx else x), (y.array if ty else y)
            out = wrap(fn.forward(xd, yd, **params) if params else fn.forward(xd, yd))
            requires = (tx and x.requires_grad) or (ty and y.requires_grad)
        else:
            datas = [a.array if isinstance(a, Tensor) else a for a in args]
            out = wrap(fn.forward(*datas, **params))
            requires = any(isinstance(a, Tensor) and a.requires_grad for a in args)
        if requires and grad_mode._grad_enabled and cls.differentiable:
            fn.record(out, args)
        return out

    def record(self, out: Tensor, args: tuple[Any, ...]) -> None:
        """Make this node ``out``'s grad_fn, remembering the inputs for backward.

        Each input's node is remembered as it is now: an in-place op may later give
        that tensor a new node, which must not reroute this node's gradient.
        """
        self.inputs = args
        self.parents = tuple(a.grad_fn if isinstance(a, Tensor) else None for a in args)
        self.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        out.grad_fn = self
        out.requires_grad = True

    def __repr__(self) -> str:
        return f"<{type(self).__name__}Backward>"


class MultiOutputFunction(Function):
    """A Function with several outputs: forward returns a tuple of arrays.

    ``apply`` returns a tuple of tensors, one per array; each floating output that
    needs a gradient gets its own slot of this node as its ``grad_fn``. Backward runs
    once, after every output's gradient has been summed, and receives a sequence of
    one gradient per output, in order: **None for an output that no gradient reached**
    (it is not materialised as zeros, so a split whose pieces are partly used touches
    only those). At least one of them is an array.

    ``frees_saved = False`` marks a node that saves only shapes: it keeps its state
    after backward, so backward may later run through its other outputs (as PyTorch
    allows for split).

    >>> import scratchgrad as sg
    >>> x = sg.arange(4.0, requires_grad=True)
    >>> a, b = x.split(2)
    >>> (3 * a).sum().backward()
    >>> x.grad
    tensor([3., 3., 0., 0.])
    """

    def forward(self, *args: Any, **params: Any) -> tuple[Array, ...]:
        """Compute the output arrays from input arrays (and Python scalars)."""
        raise NotImplementedError

    def backward(self, grads: Sequence[Array | None]) -> tuple[Array | None, ...]:
        """Gradients of the inputs, given one gradient (or None) per output."""
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any, **params: Any) -> tuple[Tensor, ...]:  # type: ignore[override]
        """Run forward on the inputs' data: a tuple of tensors, recorded when grad is needed."""
        fn = cls()
        datas = [a.array if isinstance(a, Tensor) else a for a in args]
        outs = tuple(wrap(y) for y in fn.forward(*datas, **params))
        requires = any(isinstance(a, Tensor) and a.requires_grad for a in args)
        if outs and requires and grad_mode._grad_enabled and cls.differentiable:
            fn.record_outputs(outs, args)
        return outs

    def record_outputs(self, outs: tuple[Tensor, ...], args: tuple[Any, ...]) -> None:
        """Give each floating output its own slot of this node as its grad_fn."""
        self.record(outs[0], args)  # remembers the inputs; outs[0] gets its slot below
        self.n_outputs = len(outs)
        for i, out in enumerate(outs):
            floating = out.array.dtype.kind in "fc"
            out.grad_fn = _OutputSlot(self, i) if floating else None
            out.requires_grad = floating


class _OutputSlot(Function):
    """The grad_fn of output ``index`` of a multi-output node.

    The engine adds the gradients that reach it into that output's place of the node's
    gradient list. For someone walking the graph it looks like the node: same repr, same
    inputs.
    """

    is_slot: ClassVar[bool] = True

    def __init__(self, node: MultiOutputFunction, index: int) -> None:
        self.node, self.index = node, index
        self.parents = (node,)

    @property
    def inputs(self) -> tuple[Any, ...]:  # type: ignore[override]
        """The node's inputs."""
        return self.node.inputs

    def __repr__(self) -> str:
        return repr(self.node)


__all__ = ["Function", "MultiOutputFunction"]

# Imported last: tensor.py imports this package, and needs Function defined first.
from scratchgrad.tensor import Tensor, wrap  # noqa: E402
