"""Functions written PyTorch's way (staticmethods on tensors, with a ctx): each one is
source text run in both namespaces, scratchgrad and torch, and the two compared."""

import textwrap
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.autograd import Function, gradcheck
from tests.autograd._compare import arr

EXP = """
class Exp(Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y

def run(x):
    return Exp.apply(x)
"""

CLAMP = """
class Clamp(Function):
    @staticmethod
    def forward(ctx, x, lo, hi):
        mask = (x >= lo) & (x <= hi)
        ctx.mark_non_differentiable(mask)
        ctx.save_for_backward(mask)
        return x.clamp(lo, hi), mask

    @staticmethod
    def backward(ctx, grad, grad_mask):
        (mask,) = ctx.saved_tensors
        return grad * mask, None, None

def run(x):
    y, mask = Clamp.apply(x, -0.5, 0.5)
    RECORD.append(mask.requires_grad)
    return y
"""

SCALE = """
class Scale(Function):
    @staticmethod
    def forward(ctx, x, k, shift=0.0):
        ctx.k = k
        return x * k + shift

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.k, None, None

def run(x):
    return Scale.apply(x, 3.0, 1.0)
"""

SINCOS = """
class SinCos(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        ctx.set_materialize_grads(MATERIALIZE)
        return x.sin(), x.cos()

    @staticmethod
    def backward(ctx, g_sin, g_cos):
        (x,) = ctx.saved_tensors
        RECORD.append((g_sin is None, g_cos is None))
        if g_cos is not None:
            RECORD.append(float(g_cos.abs().sum()))
            return g_sin * x.cos() - g_cos * x.sin()
        return g_sin * x.cos()

def run(x):
    s, c = SinCos.apply(x)
    return s * c if BOTH else s * 2
"""

CUBE = """
class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    @once_differentiable
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        RECORD.append(torch.is_grad_enabled())
        return 3 * x ** 2 * grad

def run(x):
    return Cube.apply(x)
"""

MUL = """
class Mul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        RECORD.append(ctx.needs_input_grad)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        RECORD.append(ctx.needs_input_grad)
        ga = grad * b if ctx.needs_input_grad[0] else None
        gb = grad * a if ctx.needs_input_grad[1] else None
        return ga, gb

def run(x, y):
    return Mul.apply(x, y)
"""


def _namespace(lib: Any, **extra: Any) -> dict[str, Any]:
    return {
        "torch": lib,
        "Function": lib.autograd.Function,
        "once_differentiable": lib.autograd.function.once_differentiable,
        "RECORD": [],
        **extra,
    }


def _run_both(
    source: str, arrays: list[np.ndarray], requires: list[bool] | None = None, **extra: Any
) -> tuple[list[Any], list[Any]]:
    """Run ``run(*inputs).sum().backward()`` in both libraries; compare values and grads."""
    requires = requires or [True] * len(arrays)
    records, grads = [], []
    for lib in (sg, torch):
        ns = _namespace(lib, **extra)
        exec(textwrap.dedent(source), ns)  # the same source for both libraries
        xs = [lib.tensor(a.copy(), requires_grad=r) for a, r in zip(arrays, requires, strict=True)]
        out = ns["run"](*xs)
        assert out.requires_grad
        out.sum().backward()
        records.append(ns["RECORD"])
        grads.append([None if x.grad is None else x.grad.numpy() for x in xs] + [out.detach()])
    for ours, theirs in zip(*grads, strict=True):
        if ours is None or theirs is None:
            assert ours is None and theirs is None
        else:
            np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-10)
    return records[0], records[1]


def test_exp_with_its_saved_output_matches_torch() -> None:
    _run_both(EXP, [arr(2, 3)])


def test_clamp_with_a_non_differentiable_mask_matches_torch() -> None:
    ours, theirs = _run_both(CLAMP, [arr(5)])
    assert ours == theirs == [False]


def test_non_tensor_arguments_get_no_gradient_like_torch() -> None:
    _run_both(SCALE, [arr(4)])


def test_two_outputs_both_used_match_torch() -> None:
    ours, theirs = _run_both(SINCOS, [arr(3)], MATERIALIZE=True, BOTH=True)
    assert ours == theirs


@pytest.mark.parametrize("materialize", [True, False])
def test_gradient_to_one_output_only_matches_torch(materialize: bool) -> None:
    """Zeros for the unused output by default; None with set_materialize_grads(False)."""
    ours, theirs = _run_both(SINCOS, [arr(3)], MATERIALIZE=materialize, BOTH=False)
    assert ours == theirs
    assert ours[0] == (False, not materialize)


def test_once_differentiable_backward_runs_without_grad_like_torch() -> None:
    ours, theirs = _run_both(CUBE, [arr(3)])
    assert ours == theirs == [False]


@pytest.mark.parametrize("requires", [[True, False], [False, True], [True, True]])
def test_needs_input_grad_with_some_inputs_matches_torch(requires: list[bool]) -> None:
    ours, theirs = _run_both(MUL, [arr(3), arr(3)], requires)
    assert ours == theirs == [tuple(requires), tuple(requires)]


@pytest.mark.parametrize(
    ("source", "n_inputs", "extra"),
    [
        (EXP, 1, {}),
        (CLAMP, 1, {}),
        (SCALE, 1, {}),
        (SINCOS, 1, {"MATERIALIZE": True, "BOTH": True}),
        (CUBE, 1, {}),
        (MUL, 2, {}),
    ],
)
def test_gradcheck_passes_on_each_function(source: str, n_inputs: int, extra: Any) -> None:
    ns = _namespace(sg, **extra)
    exec(textwrap.dedent(source), ns)
    xs = [sg.tensor(arr(2, 2), requires_grad=True) for _ in range(n_inputs)]
    assert gradcheck(ns["run"], xs)


# ------------------------------------------------------------------ less common uses
def test_setup_context_style_matches_torch() -> None:
    source = """
    class Square(Function):
        @staticmethod
        def forward(x, k=2.0):
            return x * x

        @staticmethod
        def setup_context(ctx, inputs, output):
            RECORD.append(len(inputs))
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * x * grad, None

    def run(x):
        return Square.apply(x)
    """
    ours, theirs = _run_both(source, [arr(3)])
    assert ours == theirs == [2]


def test_mark_dirty_on_a_non_leaf_matches_torch() -> None:
    source = """
    class AddOne(Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad

    def run(x):
        y = x * 2
        z = AddOne.apply(y)
        RECORD.append(z is y)
        return z * z
    """
    ours, theirs = _run_both(source, [arr(3)])
    assert ours == theirs == [True]


def test_an_input_returned_as_is_becomes_a_new_tensor_like_torch() -> None:
    source = """
    class Identity(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, grad):
            return 2 * grad

    def run(x):
        y = Identity.apply(x)
        RECORD.append((y is x, x.grad_fn is None))
        return y
    """
    ours, theirs = _run_both(source, [arr(3)])
    assert ours == theirs == [(False, True)]


def test_keyword_arguments_become_inputs_like_torch() -> None:
    """torch appends them to the inputs: backward returns one gradient more each."""
    _run_both(SCALE.replace("3.0, 1.0", "3.0, shift=1.0"), [arr(4)])
    source = """
    class KeywordOnly(Function):
        @staticmethod
        def forward(ctx, x, *, shift=0.0):
            return x + shift

        @staticmethod
        def backward(ctx, grad):
            return grad
    """
    for lib in (sg, torch):
        ns = _namespace(lib)
        exec(textwrap.dedent(source), ns)
        with pytest.raises(TypeError):
            ns["KeywordOnly"].apply(lib.ones(2, requires_grad=True), shift=1.0)


def test_wrong_number_of_gradients_raises_like_torch() -> None:
    source = """
    class Bad(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, grad):
            return grad
    """
    for lib in (sg, torch):
        ns = _namespace(lib)
        exec(textwrap.dedent(source), ns)
        x, y = (lib.ones(2, requires_grad=True) for _ in range(2))
        with pytest.raises(RuntimeError, match=r"incorrect number of gradients \(expected 2"):
            ns["Bad"].apply(x, y).sum().backward()


def test_no_node_without_grad_like_torch() -> None:
    for lib in (sg, torch):
        ns = _namespace(lib)
        exec(textwrap.dedent(EXP), ns)
        y = ns["Exp"].apply(lib.ones(2))
        assert not y.requires_grad and y.grad_fn is None
        with lib.no_grad():
            y = ns["Exp"].apply(lib.ones(2, requires_grad=True))
        assert not y.requires_grad and y.grad_fn is None


def test_builtin_ops_keep_the_fast_apply() -> None:
    """The style is sorted per class: built-in ops still use Function.apply itself."""
    ns = _namespace(sg)
    exec(textwrap.dedent(EXP), ns)
    node = sg.exp(sg.ones(2, requires_grad=True)).grad_fn
    assert type(node).apply.__func__ is Function.apply.__func__  # type: ignore[attr-defined]
    assert ns["Exp"].apply.__func__ is not Function.apply.__func__
