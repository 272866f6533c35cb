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

A Function may also be written PyTorch's way, on tensors: ``@staticmethod forward(ctx,
*args)`` and ``@staticmethod backward(ctx, *grad_outputs)``. Each subclass is sorted once,
when it is defined (``__init_subclass__``): a class whose ``forward`` is a staticmethod
gets :func:`_apply_with_ctx` as its ``apply``, so the built-in ops' ``apply`` is untouched.
Its node is a :class:`_CtxNode` holding the :class:`FunctionCtx`. Backward runs under
``no_grad``: higher-order gradients (double backward) are not supported.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar, cast

from scratchgrad.autograd import grad_mode
from scratchgrad.backend import Array, xp

F = TypeVar("F", bound=Callable[..., Any])


class Function:
    """One differentiable operation: forward and backward side by side.

    Subclasses implement ``forward(*arrays, **params) -> array`` and
    ``backward(grad) -> tuple`` with one gradient (or None) per positional input.
    Positional inputs may be Tensors or Python scalars; scalars get no gradient.
    ``needs_input_grad[i]`` tells backward which gradients are wanted. (The signatures
    below are loose, ``Any``, only so that :class:`MultiOutputFunction` can take tuples.)

    Written PyTorch's way instead (staticmethods on tensors, with a ``ctx``), a subclass
    is applied by :func:`_apply_with_ctx`:

    >>> import scratchgrad as sg
    >>> class Square(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return 2 * x * grad
    >>> x = sg.tensor([1.0, 3.0], requires_grad=True)
    >>> Square.apply(x).sum().backward()
    >>> x.grad
    tensor([2., 6.])
    """

    name: ClassVar[str] = ""
    differentiable: ClassVar[bool] = True
    is_slot: ClassVar[bool] = False
    """True only for the output slots of a multi-output node, which the engine runs apart."""
    separate_setup: ClassVar[bool] = False
    """PyTorch's style only: forward takes no ctx, ``setup_context`` fills it."""
    frees_saved: ClassVar[bool] = True
    """Backward without retain_graph drops the node's state, so a second backward raises."""
    inputs: tuple[Any, ...]
    parents: tuple[Function | None, ...]
    needs_input_grad: tuple[bool, ...]
    hooks: list[Callable[[Any], Any]] | None = None
    """Set only by ``register_hook``/``retain_grad``: run on the gradient of the output.

    A class-level None, so the engine reads it with one lookup on every node."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Sort the subclass once: a staticmethod ``forward`` means PyTorch's style."""
        super().__init_subclass__(**kwargs)
        if isinstance(inspect.getattr_static(cls, "forward"), staticmethod):
            cls.apply = classmethod(_apply_with_ctx)  # type: ignore[method-assign,assignment]
            setup = inspect.getattr_static(cls, "setup_context", None)
            cls.separate_setup = isinstance(setup, staticmethod)

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


# ---------------------------------------------------------------- PyTorch's style, with ctx
class FunctionCtx:
    """The ``ctx`` of a Function written PyTorch's way: what forward leaves for backward.

    Any attribute may be set on it; besides, as in PyTorch:

    - ``needs_input_grad``: one bool per positional input of ``apply``;
    - ``save_for_backward(*tensors)`` / ``saved_tensors``;
    - ``mark_non_differentiable(*outputs)``: those outputs do not require grad;
    - ``mark_dirty(*inputs)``: forward changed those inputs in place and returns them;
    - ``set_materialize_grads(False)``: backward receives None, not zeros, for an output
      that no gradient reached.
    """

    def __init__(self, needs_input_grad: tuple[bool, ...]) -> None:
        self.needs_input_grad = needs_input_grad
        self.materialize_grads = True
        self.to_save: tuple[Tensor | None, ...] = ()
        self.non_differentiable: tuple[Tensor, ...] = ()
        self.dirty_tensors: tuple[Tensor, ...] = ()

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep tensors (inputs, outputs or None) for backward, as ``saved_tensors``."""
        self.to_save = tensors

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        """The tensors given to ``save_for_backward``, in order."""
        return self.to_save

    def mark_non_differentiable(self, *outputs: Tensor) -> None:
        """Make these outputs not require grad (masks, indices)."""
        self.non_differentiable += outputs

    def mark_dirty(self, *inputs: Tensor) -> None:
        """Say that forward modified these inputs in place (and returns them)."""
        self.dirty_tensors += inputs

    def set_materialize_grads(self, value: bool) -> None:
        """Whether backward gets zeros (True, the default) or None for unreached outputs."""
        self.materialize_grads = value


def once_differentiable(backward: F) -> F:
    """Mark a backward as not differentiable itself: it runs under ``no_grad``.

    Every backward here already does (no double backward), so this only documents it and
    keeps PyTorch code running: ``@staticmethod @once_differentiable def backward(...)``.
    """

    @functools.wraps(backward)
    def wrapper(ctx: FunctionCtx, *grads: Any) -> Any:
        with grad_mode.no_grad():
            return backward(ctx, *grads)

    return wrapper  # type: ignore[return-value]


def _apply_with_ctx(cls: type[Function], *args: Any, **kwargs: Any) -> Any:
    """``apply`` of a Function written PyTorch's way: forward on tensors, with a ctx.

    Args:
        cls: the subclass, whose ``forward(ctx, *args, **kwargs)`` is a staticmethod (or
            ``forward(*args)`` with a ``setup_context(ctx, inputs, output)``).
        *args: tensors and other values; only tensors get gradients.
        **kwargs: appended to ``args`` in order, as PyTorch does (so backward returns a
            gradient, None, for each); with ``setup_context``, bound to forward's
            parameters, defaults included.

    Returns:
        What forward returned: a tensor or a tuple; outputs need grad when an input does.
    """
    user = cast(Any, cls)
    separate_setup = cls.separate_setup
    if separate_setup:  # as PyTorch: keywords and defaults become positional inputs
        bound = inspect.signature(user.forward).bind(*args, **kwargs)
        bound.apply_defaults()
        args = bound.args + tuple(bound.kwargs.values())
    else:  # as PyTorch: keyword arguments are appended to the positional inputs
        args += tuple(kwargs.values())
    ctx = FunctionCtx(tuple(isinstance(a, Tensor) and a.requires_grad for a in args))
    with grad_mode.no_grad():
        if separate_setup:
            raw = user.forward(*args)
            user.setup_context(ctx, args, raw)
        else:
            raw = user.forward(ctx, *args)
    outs = tuple(_own_output(o, args, ctx) for o in (raw if isinstance(raw, tuple) else (raw,)))
    if any(ctx.needs_input_grad) and grad_mode._grad_enabled:
        _CtxNode(cls, ctx, outs).record_ctx_outputs(outs, args)
    return outs if isinstance(raw, tuple) else outs[0]


def _own_output(out: Any, args: tuple[Any, ...], ctx: FunctionCtx) -> Any:
    """An output that is an input becomes a new tensor on the same memory, unless dirty."""
    if not isinstance(out, Tensor) or not any(out is a for a in args):
        return out
    if any(out is d for d in ctx.dirty_tensors):
        if out.requires_grad and out.grad_fn is None:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation."
            )
        return out
    return wrap(out.array)


class _CtxNode(MultiOutputFunction):
    """The graph node of one call of a Function written PyTorch's way.

    Every differentiable output gets a slot (as a multi-output node), so backward always
    receives one gradient per output; it converts them to tensors, calls the user's
    ``backward(ctx, *grads)`` under ``no_grad`` and returns arrays to the engine.
    """

    def __init__(self, fn_cls: type[Function], ctx: FunctionCtx, outs: tuple[Any, ...]) -> None:
        self.fn_cls, self.ctx = fn_cls, ctx
        self.out_meta = [
            (o.array.shape, o.array.dtype) if isinstance(o, Tensor) else None for o in outs
        ]

    def record_ctx_outputs(self, outs: tuple[Any, ...], args: tuple[Any, ...]) -> None:
        """Give each differentiable tensor output its slot of this node."""
        self.inputs = args
        self.parents = tuple(a.grad_fn if isinstance(a, Tensor) else None for a in args)
        self.needs_input_grad = self.ctx.needs_input_grad
        self.n_outputs = len(outs)
        for i, out in enumerate(outs):
            if not isinstance(out, Tensor):
                continue
            frozen = any(out is t for t in self.ctx.non_differentiable)
            differentiable = out.array.dtype.kind in "fc" and not frozen
            out.grad_fn = _OutputSlot(self, i) if differentiable else None
            out.requires_grad = differentiable
        self.ctx.non_differentiable = self.ctx.dirty_tensors = ()

    def backward(self, grads: Sequence[Array | None]) -> tuple[Array | None, ...]:
        """Call the user's backward on tensors; one array (or None) per input."""
        ctx = self.ctx
        gs = [self._grad_output(i, g) for i, g in enumerate(grads)]
        with grad_mode.no_grad():
            result = cast(Any, self.fn_cls).backward(ctx, *gs)
        result = result if isinstance(result, tuple) else (result,)
        n = len(self.inputs)
        if len(result) < n or any(r is not None for r in result[n:]):
            raise RuntimeError(
                f"function {self.fn_cls.__name__}Backward returned an incorrect number of "
                f"gradients (expected {n}, got {len(result)})"
            )
        return tuple(self._grad_input(i, r) for i, r in enumerate(result[:n]))

    def _grad_output(self, i: int, g: Array | None) -> Tensor | None:
        meta = self.out_meta[i]
        if g is not None:
            return wrap(g)
        if meta is None or not self.ctx.materialize_grads:
            return None
        return wrap(xp.zeros(meta[0], dtype=meta[1]))

    def _grad_input(self, i: int, r: Any) -> Array | None:
        if r is None:
            return None
        x = self.inputs[i]
        if not isinstance(x, Tensor):
            raise RuntimeError(
                f"function {self.fn_cls.__name__}Backward returned a gradient different than "
                f"None at position {i + 1}, but the corresponding forward input was not a "
                f"Variable"
            )
        g = r.array if isinstance(r, Tensor) else xp.asarray(r)
        return g.astype(x.array.dtype, copy=False)

    def __repr__(self) -> str:
        return f"<{self.fn_cls.__name__}Backward>"


__all__ = ["Function", "FunctionCtx", "MultiOutputFunction", "once_differentiable"]

# Imported last: tensor.py imports this package, and needs Function defined first.
from scratchgrad.tensor import Tensor, wrap  # noqa: E402
