"""``gradcheck``: backward against central finite differences, element by element.

Both Jacobians are built in full (float64), and a disagreement names the input, the
worst element, the output element and both values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from scratchgrad.autograd.grad_mode import no_grad
from scratchgrad.backend import Array, xp
from scratchgrad.errors import GradcheckError


def _numeric_jacobian(
    fn: Callable[..., Tensor], inputs: Sequence[Tensor], i: int, eps: float
) -> Array:
    """d(output)/d(inputs[i]) by central differences, shape (in.numel, out.numel)."""
    x = inputs[i].array
    cols = []
    with no_grad():
        for k in range(x.size):
            orig = x.flat[k]
            x.flat[k] = orig + eps
            hi = fn(*inputs).array.astype(xp.float64).ravel()
            x.flat[k] = orig - eps
            lo = fn(*inputs).array.astype(xp.float64).ravel()
            x.flat[k] = orig
            cols.append((hi - lo) / (2 * eps))
    return xp.stack(cols)


def _analytic_jacobian(fn: Callable[..., Tensor], inputs: Sequence[Tensor]) -> list[Array]:
    """d(output)/d(input) by backward with one-hot output gradients, per input."""
    out = fn(*inputs)
    jac = [xp.zeros((t.array.size, out.array.size)) for t in inputs]
    for k in range(out.array.size):
        for t in inputs:
            t.grad = None
        onehot = xp.zeros(out.array.size, dtype=out.array.dtype)
        onehot[k] = 1
        out.backward(Tensor(onehot.reshape(out.shape)), retain_graph=True)
        for j, t in enumerate(inputs):
            if t.requires_grad and t.grad is not None:
                jac[j][:, k] = t.grad.array.ravel()
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
        if t.requires_grad and t.dtype != xp.float64:
            raise GradcheckError(f"gradcheck: input {i} is {t.dtype}; use float64 inputs")
    analytic = _analytic_jacobian(fn, inputs)
    for i, t in enumerate(inputs):
        if not t.requires_grad:
            continue
        numeric = _numeric_jacobian(fn, inputs, i, eps)
        err = xp.abs(analytic[i] - numeric) - (atol + rtol * xp.abs(numeric))
        if err.size and err.max() > 0:
            k, o = xp.unravel_index(int(err.argmax()), err.shape)
            at = tuple(int(v) for v in xp.unravel_index(int(k), t.shape))
            raise GradcheckError(
                f"gradcheck: input {i}, element {at}, output element {int(o)}: analytic "
                f"{analytic[i][k, o]:.8g} vs numeric {numeric[k, o]:.8g}"
            )
    for t in inputs:
        t.grad = None
    return True


__all__ = ["gradcheck"]

# Imported last: tensor.py imports this package, and needs Function defined first.
from scratchgrad.tensor import Tensor  # noqa: E402
