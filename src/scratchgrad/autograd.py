"""Reverse-mode automatic differentiation.

A :class:`Function` is one node of the graph: ``forward`` computes arrays from arrays and
keeps what ``backward`` will need on ``self``; ``backward`` turns the gradient of the
output into one gradient per input. :func:`backward` walks the nodes in reverse
topological order, sums gradients that meet, and reduces a gradient that was broadcast
back to its input's shape (:func:`unbroadcast`), in this one place for every op.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import numpy as np

from scratchgrad.backend import Array

if TYPE_CHECKING:
    from scratchgrad.tensor import Tensor

F = TypeVar("F", bound=Callable[..., Any])

_grad_enabled = True


class Function:
    """One differentiable operation: forward and backward side by side.

    Subclasses implement ``forward(*arrays, **params) -> array`` and
    ``backward(grad) -> tuple`` with one gradient (or None) per positional input.
    Positional inputs may be Tensors or Python scalars; scalars get no gradient.
    ``needs_input_grad[i]`` tells backward which gradients are wanted.
    """

    name: ClassVar[str] = ""
    differentiable: ClassVar[bool] = True
    inputs: tuple[Any, ...]
    needs_input_grad: tuple[bool, ...]

    def forward(self, *args: Any, **params: Any) -> Array:
        """Compute the output array from input arrays (and Python scalars)."""
        raise NotImplementedError

    def backward(self, grad: Array) -> tuple[Array | None, ...]:
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
            out = wrap(fn.forward(x.data, **params) if params else fn.forward(x.data))
            requires = x.requires_grad
        elif len(args) == 2:
            x, y = args
            tx, ty = isinstance(x, Tensor), isinstance(y, Tensor)
            xd, yd = (x.data if tx else x), (y.data if ty else y)
            out = wrap(fn.forward(xd, yd, **params) if params else fn.forward(xd, yd))
            requires = (tx and x.requires_grad) or (ty and y.requires_grad)
        else:
            datas = [a.data if isinstance(a, Tensor) else a for a in args]
            out = wrap(fn.forward(*datas, **params))
            requires = any(isinstance(a, Tensor) and a.requires_grad for a in args)
        if requires and _grad_enabled and cls.differentiable:
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


# ------------------------------------------------------------------- grad mode
class _GradMode:
    """Context manager and decorator that sets whether operations are recorded."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.prev: list[bool] = []

    def __enter__(self) -> None:
        global _grad_enabled
        self.prev.append(_grad_enabled)
        _grad_enabled = self.enabled

    def __exit__(
        self, tp: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        global _grad_enabled
        _grad_enabled = self.prev.pop()

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with _GradMode(self.enabled):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_GradMode):  # noqa: N801 - PyTorch's name
    """Do not record operations (inference, parameter updates).

    >>> import scratchgrad as sg
    >>> x = sg.ones(2, requires_grad=True)
    >>> with sg.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    """

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(_GradMode):  # noqa: N801 - PyTorch's name
    """Record operations again inside a ``no_grad`` block."""

    def __init__(self) -> None:
        super().__init__(True)


class set_grad_enabled(_GradMode):  # noqa: N801 - PyTorch's name
    """Turn recording on or off: as a function call, a context manager or a decorator."""

    def __init__(self, mode: bool) -> None:
        super().__init__(mode)
        global _grad_enabled
        self.prev.append(_grad_enabled)
        _grad_enabled = mode

    def __enter__(self) -> None:
        pass  # already applied in __init__, as torch.set_grad_enabled

    def __call__(self, func: F) -> F:
        """Used as a decorator: undo the mode set by the call, apply it inside ``func``."""
        global _grad_enabled
        _grad_enabled = self.prev.pop()
        return super().__call__(func)


def is_grad_enabled() -> bool:
    """True when operations are being recorded for autograd."""
    return _grad_enabled


# ------------------------------------------------------------------- the engine
def unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum a gradient over the dims that broadcasting added or stretched.

    Args:
        grad: gradient of a broadcast result, shape (..., *shape-like).
        shape: the input's shape before broadcasting.

    Returns:
        The gradient of the input, shape ``shape``.

    >>> unbroadcast(np.ones((2, 3, 4)), (3, 1)).tolist()
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
        t.grad = wrap(np.array(g, dtype=t.data.dtype, copy=True))  # own memory: g may alias
    else:
        t.grad.data += g


def _initial_grad(root: Tensor, gradient: Tensor | None) -> Array:
    if not root.requires_grad:
        raise RuntimeError(
            "backward: element 0 of tensors does not require grad and does not have a grad_fn"
        )
    if gradient is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"backward: grad can be implicitly created only for scalar outputs, "
                f"got shape {root.shape}; pass gradient="
            )
        return np.ones_like(root.data)
    g = gradient.data if isinstance(gradient, Tensor) else np.asarray(gradient)
    if g.shape != root.shape:
        raise RuntimeError(
            f"backward: gradient has shape {g.shape} but the output has shape {root.shape}"
        )
    return g.astype(root.data.dtype, copy=False)


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
    grads: dict[Function, Array] = {root.grad_fn: g0}
    for fn in _topological_order(root.grad_fn):
        g = grads.pop(fn, None)
        if g is None:
            continue
        retained = getattr(fn, "retained", None)
        if retained is not None:
            _accumulate_leaf(retained, g)
        grads_in = fn.backward(g)
        for t, parent, needs, gi in zip(
            fn.inputs, fn.parents, fn.needs_input_grad, grads_in, strict=True
        ):
            if needs and gi is not None:
                _send(grads, t, parent, gi)
        if not retain_graph:
            fn.__dict__.clear()  # frees the saved arrays; a second backward raises


def _send(grads: dict[Function, Array], t: Tensor, node: Function | None, g: Array) -> None:
    """Pass gradient ``g`` to input ``t``: to its node's pending sum, or into its .grad."""
    if g.shape != t.data.shape:
        g = unbroadcast(g, t.data.shape)  # the one place broadcasting is undone
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


# ------------------------------------------------------------------- gradcheck
class GradcheckError(RuntimeError):
    """Analytic and numeric gradients disagree."""


def _numeric_jacobian(
    fn: Callable[..., Tensor], inputs: Sequence[Tensor], i: int, eps: float
) -> Array:
    """d(output)/d(inputs[i]) by central differences, shape (in.numel, out.numel)."""
    x = inputs[i].data
    cols = []
    with no_grad():
        for k in range(x.size):
            orig = x.flat[k]
            x.flat[k] = orig + eps
            hi = fn(*inputs).data.astype(np.float64).ravel()
            x.flat[k] = orig - eps
            lo = fn(*inputs).data.astype(np.float64).ravel()
            x.flat[k] = orig
            cols.append((hi - lo) / (2 * eps))
    return np.stack(cols)


def _analytic_jacobian(fn: Callable[..., Tensor], inputs: Sequence[Tensor]) -> list[Array]:
    """d(output)/d(input) by backward with one-hot output gradients, per input."""
    out = fn(*inputs)
    jac = [np.zeros((t.data.size, out.data.size)) for t in inputs]
    for k in range(out.data.size):
        for t in inputs:
            t.grad = None
        onehot = np.zeros(out.data.size, dtype=out.data.dtype)
        onehot[k] = 1
        out.backward(Tensor(onehot.reshape(out.shape)), retain_graph=True)
        for j, t in enumerate(inputs):
            if t.requires_grad and t.grad is not None:
                jac[j][:, k] = t.grad.data.ravel()
    return jac


def gradcheck(
    fn: Callable[..., Tensor],
    inputs: Sequence[Tensor],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check backward against central finite differences, in float64.

    Args:
        fn: a function of ``inputs`` returning one tensor (any shape).
        inputs: float64 tensors; those with ``requires_grad`` are checked.
        eps: the finite-difference step.
        atol: allowed absolute error: ``|analytic - numeric| <= atol + rtol * |numeric|``.
        rtol: allowed error relative to the numeric gradient.

    Returns:
        True when every gradient agrees.

    Raises:
        GradcheckError: naming the input, the worst element and both values.

    >>> import scratchgrad as sg
    >>> x = sg.randn(3, dtype=sg.float64, requires_grad=True)
    >>> gradcheck(lambda t: (t * t).sum(), [x])
    True
    """
    for i, t in enumerate(inputs):
        if t.requires_grad and t.dtype != np.float64:
            raise GradcheckError(f"gradcheck: input {i} is {t.dtype}; use float64 inputs")
    analytic = _analytic_jacobian(fn, inputs)
    for i, t in enumerate(inputs):
        if not t.requires_grad:
            continue
        numeric = _numeric_jacobian(fn, inputs, i, eps)
        err = np.abs(analytic[i] - numeric) - (atol + rtol * np.abs(numeric))
        if err.size and err.max() > 0:
            k, o = np.unravel_index(int(err.argmax()), err.shape)
            at = tuple(int(v) for v in np.unravel_index(int(k), t.shape))
            raise GradcheckError(
                f"gradcheck: input {i}, element {at}, output element {int(o)}: analytic "
                f"{analytic[i][k, o]:.8g} vs numeric {numeric[k, o]:.8g}"
            )
    for t in inputs:
        t.grad = None
    return True


__all__ = [
    "Function",
    "GradcheckError",
    "backward",
    "enable_grad",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "retain_grad",
    "set_grad_enabled",
    "unbroadcast",
]

# Imported last: tensor.py imports this module, and needs Function defined first.
from scratchgrad.tensor import Tensor, wrap  # noqa: E402
