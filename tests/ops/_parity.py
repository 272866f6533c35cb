"""The parity harness: every op against torch 2.13.0, values and gradients.

A family's test file lists ``CASES`` (one ``Case`` per usage of an op) and gets its
tests with ``test_parity, test_gradcheck = make_tests(CASES)``. Each case runs

- forward and backward against torch, for each dtype, on contiguous inputs and on
  strided (non-contiguous) views of the same values;
- ``scratchgrad.gradcheck`` (central differences in float64) when differentiable.

``fn(lib, *inputs)`` is called once with ``lib=scratchgrad`` and once with ``lib=torch``;
where the two APIs differ, give ``torch_fn`` too. Tolerances, per dtype, are in TOL.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg

torch.set_num_threads(2)

TOL: dict[str, tuple[float, float]] = {  # dtype -> (rtol, atol)
    "float32": (1e-5, 1e-6),
    "float64": (1e-10, 1e-12),
}
FLOATS = ("float32", "float64")


@dataclass(frozen=True)
class Case:
    """One usage of one or more registered ops, checked against torch.

    Attributes:
        op: the registered op name(s) this case exercises.
        fn: ``fn(lib, *inputs)`` -> tensor or tuple/list of tensors.
        shapes: shapes of the random inputs (ignored when ``make`` is given).
        torch_fn: the torch version when it differs from ``fn``.
        make: ``make(rng, dtype)`` -> list of NumPy arrays, for special inputs
            (indices, masks, ...); float arrays become differentiable inputs.
        low, high: range of the random input values.
        dtypes: dtypes to run; float dtypes also check gradients.
        grad: check gradients (backward vs torch and gradcheck).
        gradcheck: also run gradcheck (off for outputs that are not float64).
        tol: (rtol, atol) overriding TOL for float32.
        name: a label for the test id.
    """

    op: str | tuple[str, ...]
    fn: Callable[..., Any]
    shapes: tuple[tuple[int, ...], ...] = ((3, 4),)
    torch_fn: Callable[..., Any] | None = None
    make: Callable[[np.random.Generator, str], list[np.ndarray]] | None = None
    low: float = -2.0
    high: float = 2.0
    dtypes: tuple[str, ...] = FLOATS
    grad: bool = True
    gradcheck: bool = True
    tol: tuple[float, float] | None = None
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ops(self) -> tuple[str, ...]:
        return (self.op,) if isinstance(self.op, str) else self.op

    def __str__(self) -> str:
        shapes = "x".join(",".join(map(str, s)) or "()" for s in self.shapes)
        return f"{'+'.join(self.ops)}-{self.name or shapes}"


def _rng(case: Case, salt: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(f"{case}-{salt}".encode()))


def _inputs(case: Case, dtype: str) -> list[np.ndarray]:
    rng = _rng(case, dtype)
    if case.make is not None:
        return [np.asarray(a) for a in case.make(rng, dtype)]
    if np.dtype(dtype).kind == "f":
        return [rng.uniform(case.low, case.high, s).astype(dtype) for s in case.shapes]
    if np.dtype(dtype).kind == "b":
        return [rng.integers(0, 2, s).astype(bool) for s in case.shapes]
    return [rng.integers(int(case.low), int(case.high) + 1, s).astype(dtype) for s in case.shapes]


def strided(a: np.ndarray) -> np.ndarray:
    """The same values as ``a`` in a non-contiguous view (every other element)."""
    if a.ndim == 0:
        return a
    buf = np.zeros((*a.shape[:-1], 2 * a.shape[-1]), dtype=a.dtype)
    buf[..., ::2] = a
    view = buf[..., ::2]
    assert not view.flags.c_contiguous or a.shape[-1] <= 1 or a.size == 0
    return view


def _as_list(out: Any) -> list[Any]:
    return list(out) if isinstance(out, tuple | list) else [out]


def _wants_grad(a: np.ndarray, case: Case) -> bool:
    return case.grad and a.dtype.kind == "f"


def _run(lib: Any, fn: Callable[..., Any], arrays: list[np.ndarray], case: Case):
    if lib is sg:
        ts = [sg.from_numpy(a).requires_grad_(_wants_grad(a, case)) for a in arrays]
    else:
        ts = [torch.from_numpy(a).requires_grad_(_wants_grad(a, case)) for a in arrays]
    return ts, _as_list(fn(lib, *ts))


def _np(t: Any) -> np.ndarray:
    return t.detach().numpy() if isinstance(t, torch.Tensor) else t.detach().numpy()


def assert_close(ours: Any, theirs: Any, dtype: str, case: Case, what: str) -> None:
    """Compare one scratchgrad tensor with one torch tensor: shape, dtype, values."""
    a, b = _np(ours), _np(theirs)
    assert a.shape == b.shape, f"{what}: shape {a.shape} != torch {b.shape}"
    assert str(a.dtype) == str(b.dtype), f"{what}: dtype {a.dtype} != torch {b.dtype}"
    rtol, atol = TOL.get(str(a.dtype), (0, 0))  # by the output's dtype: int in, float out
    if case.tol is not None and a.dtype == np.float32:
        rtol, atol = case.tol
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=what, equal_nan=True)


def check_parity(case: Case, dtype: str, layout: str) -> None:
    """Forward values and input gradients of ``case`` equal torch's."""
    arrays = _inputs(case, dtype)
    if layout == "strided":
        arrays = [strided(a) for a in arrays]
    xs, ours = _run(sg, case.fn, arrays, case)
    ts, theirs = _run(torch, case.torch_fn or case.fn, arrays, case)
    assert len(ours) == len(theirs), f"{len(ours)} outputs != torch {len(theirs)}"
    for k, (o, t) in enumerate(zip(ours, theirs, strict=True)):
        assert_close(o, t, dtype, case, f"output {k}")
    diff = [(o, t) for o, t in zip(ours, theirs, strict=True) if t.requires_grad]
    if not diff or not case.grad:
        return
    rng = _rng(case, "upstream")
    seeds = [rng.standard_normal(t.shape).astype(dtype) for _, t in diff]
    sum((o * sg.from_numpy(g)).sum() for (o, _), g in zip(diff, seeds, strict=True)).backward()
    sum((t * torch.from_numpy(g)).sum() for (_, t), g in zip(diff, seeds, strict=True)).backward()
    for i, (x, t) in enumerate(zip(xs, ts, strict=True)):
        if t.grad is None:
            assert x.grad is None or not np.any(x.grad.numpy()), f"input {i}: grad not None"
            continue
        assert x.grad is not None, f"input {i}: no gradient, torch has one"
        assert_close(x.grad, t.grad, dtype, case, f"grad of input {i}")


def check_gradcheck(case: Case) -> None:
    """Backward of ``case`` equals central finite differences in float64."""
    arrays = _inputs(case, "float64")
    xs = [sg.from_numpy(a.copy()).requires_grad_(_wants_grad(a, case)) for a in arrays]
    weights: list[np.ndarray] = []

    def f(*inputs: sg.Tensor) -> sg.Tensor:
        outs = [o for o in _as_list(case.fn(sg, *inputs)) if o.is_floating_point()]
        if len(outs) == 1:
            return outs[0]
        if not weights:  # several outputs: check a fixed random projection of them
            rng = _rng(case, "projection")
            weights.extend(rng.standard_normal(o.shape) for o in outs)
        return sum((o * sg.from_numpy(w)).sum() for o, w in zip(outs, weights, strict=True))

    assert sg.gradcheck(f, xs, eps=1e-6, atol=1e-6, rtol=1e-4)


def make_tests(cases: Sequence[Case]) -> tuple[Callable[..., None], Callable[..., None]]:
    """The parametrized ``test_parity`` and ``test_gradcheck`` for a family's cases."""
    runs = [(c, d) for c in cases for d in c.dtypes]

    @pytest.mark.parametrize("layout", ["contiguous", "strided"])
    @pytest.mark.parametrize(("case", "dtype"), runs, ids=[f"{c}-{d}" for c, d in runs])
    def test_parity(case: Case, dtype: str, layout: str) -> None:
        check_parity(case, dtype, layout)

    graded = [c for c in cases if c.grad and c.gradcheck and "float64" in c.dtypes]

    @pytest.mark.parametrize("case", graded, ids=[str(c) for c in graded])
    def test_gradcheck(case: Case) -> None:
        check_gradcheck(case)

    return test_parity, test_gradcheck
