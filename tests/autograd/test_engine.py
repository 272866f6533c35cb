"""The backward engine: backward, accumulation, graph shapes, unbroadcast, retain_grad.

Gradients are compared with torch on the same graphs, and with central finite differences
(curriculum B1, B2, B4: numeric vs exact derivatives, partial derivatives, a network).
"""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.autograd import unbroadcast
from tests.autograd._compare import RNG, arr, leaves, same_grads


# ------------------------------------------------------------------ backward basics
def test_scalar_backward_matches_torch() -> None:
    (x, y), (xt, yt) = leaves(arr(3, 4), arr(3, 4))
    for lib, a, b in ((sg, x, y), (torch, xt, yt)):
        (lib.exp(a) * b - lib.tanh(a * b) + a / (b * b + 1)).sum().backward()
    same_grads([x, y], [xt, yt])


def test_accumulation_over_two_backward_calls_matches_torch() -> None:
    (x,), (xt,) = leaves(arr(5))
    for lib, a in ((sg, x), (torch, xt)):
        out = (lib.sin(a) * a).sum()
        out.backward(retain_graph=True)
        out.backward()
        (a * 3).sum().backward()  # a second graph adds on top
    same_grads([x], [xt])


def test_leaf_grad_keeps_its_identity_across_accumulation_like_torch() -> None:
    for lib in (sg, torch):
        x = lib.ones(3, requires_grad=True)
        (x * x).sum().backward()
        g = x.grad
        (x * 2).sum().backward()
        assert x.grad is g
        assert g.tolist() == [4.0, 4.0, 4.0]


def test_grad_can_be_reset_to_none_like_torch() -> None:
    x = sg.ones(2, requires_grad=True)
    (x * 5).sum().backward()
    x.grad = None
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_grad_is_not_aliased_to_upstream_arrays() -> None:
    # Add passes the same gradient array to both inputs; each leaf must own its grad.
    x, y = sg.ones(3, requires_grad=True), sg.ones(3, requires_grad=True)
    (x + y).sum().backward()
    x.grad.array += 1
    assert y.grad.tolist() == [1.0, 1.0, 1.0]


def test_backward_twice_without_retain_graph_raises_like_torch() -> None:
    for lib in (sg, torch):
        x = lib.ones(3, requires_grad=True)
        out = (lib.exp(x) * x).sum()
        out.backward()
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            out.backward()


def test_retain_graph_then_a_final_backward_then_raises() -> None:
    x = sg.ones(2, requires_grad=True)
    out = (x * x).sum()
    out.backward(retain_graph=True)
    out.backward(retain_graph=True)
    out.backward()
    assert x.grad.tolist() == [6.0, 6.0]
    with pytest.raises(RuntimeError, match="second time"):
        out.backward()


def test_backward_of_a_non_scalar_without_gradient_raises_like_torch() -> None:
    for lib in (sg, torch):
        x = lib.ones(2, 3, requires_grad=True)
        with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
            (x * 2).backward()


def test_backward_of_a_tensor_without_grad_raises_like_torch() -> None:
    for lib in (sg, torch):
        with pytest.raises(RuntimeError, match="does not require grad"):
            (lib.ones(2) * 2).sum().backward()


def test_backward_with_a_wrong_gradient_shape_raises() -> None:
    for lib in (sg, torch):
        x = lib.ones(2, 3, requires_grad=True)
        with pytest.raises(RuntimeError, match="shape"):
            (x * 2).backward(lib.ones(3))


def test_backward_with_an_explicit_gradient_matches_torch() -> None:
    g = arr(2, 3)
    (x,), (xt,) = leaves(arr(2, 3))
    (x * x * 3).backward(sg.tensor(g))
    (xt * xt * 3).backward(torch.tensor(g))
    same_grads([x], [xt])


def test_backward_on_a_leaf_with_a_gradient_matches_torch() -> None:
    g = arr(4)
    (x,), (xt,) = leaves(arr(4))
    x.backward(sg.tensor(g))
    xt.backward(torch.tensor(g))
    same_grads([x], [xt])


def test_one_element_non_scalar_backward_matches_torch() -> None:
    (x,), (xt,) = leaves(arr(1, 1))
    (x * x).backward()
    (xt * xt).backward()
    same_grads([x], [xt])


# ------------------------------------------------------------------ graph shapes
def test_diamond_graph_matches_torch() -> None:
    (x,), (xt,) = leaves(arr(4))
    for lib, a in ((sg, x), (torch, xt)):
        left = lib.exp(a) * 2
        right = lib.sin(a) * a
        joined = left * right + left - right
        (joined * joined).sum().backward()
    same_grads([x], [xt])


def test_non_leaf_reused_in_several_branches_matches_torch() -> None:
    (x, w), (xt, wt) = leaves(arr(3), arr(3))
    for lib, a, b in ((sg, x, w), (torch, xt, wt)):
        h = lib.tanh(a * b)
        (h * h * h + h * 2 + lib.exp(h)).sum().backward()
    same_grads([x, w], [xt, wt])


def test_deep_chain_matches_torch() -> None:
    (x,), (xt,) = leaves(arr(3))
    for lib, a in ((sg, x), (torch, xt)):
        y = a
        for k in range(200):
            y = lib.sin(y) * 0.5 + y if k % 2 else y * 1.01 - 0.001
        y.sum().backward()
    same_grads([x], [xt], rtol=1e-9)


def test_very_deep_chain_has_no_recursion_limit() -> None:
    x = sg.tensor(1.0, dtype=sg.float64, requires_grad=True)
    y = x
    n = 5000  # several times Python's default recursion limit
    for _ in range(n):
        y = y * 1.0001
    y.backward()
    np.testing.assert_allclose(x.grad.item(), 1.0001**n, rtol=1e-9)


def test_shared_leaf_used_many_times_matches_torch() -> None:
    (x,), (xt,) = leaves(arr(3))
    for lib, a in ((sg, x), (torch, xt)):
        total = a * 0
        for k in range(50):
            total = total + a * (k % 7) + lib.exp(a) * 0.01
        total.sum().backward()
    same_grads([x], [xt])


def test_same_tensor_as_both_operands_matches_torch() -> None:
    (x,), (xt,) = leaves(arr(2, 2))
    (x * x / (x + 3)).sum().backward()
    (xt * xt / (xt + 3)).sum().backward()
    same_grads([x], [xt])


def test_leaf_without_requires_grad_gets_no_grad_like_torch() -> None:
    a, b = arr(3), arr(3)
    x, c = sg.tensor(a, requires_grad=True), sg.tensor(b)
    xt, ct = torch.tensor(a, requires_grad=True), torch.tensor(b)
    (x * c).sum().backward()
    (xt * ct).sum().backward()
    assert c.grad is None and ct.grad is None
    same_grads([x], [xt])


# ------------------------------------------------------------------ broadcasting
@pytest.mark.parametrize(
    ("sa", "sb"),
    [((3, 1), (4,)), ((2, 3, 4), (3, 1)), ((), (2, 3)), ((1,), (5,)), ((5, 1, 3), (5, 2, 1))],
    ids=str,
)
def test_gradient_of_a_broadcast_input_has_its_shape_like_torch(
    sa: tuple[int, ...], sb: tuple[int, ...]
) -> None:
    (a, b), (at, bt) = leaves(arr(*sa), arr(*sb))
    (a * b + a).sum().backward()
    (at * bt + at).sum().backward()
    same_grads([a, b], [at, bt])
    assert a.grad.shape == sa and b.grad.shape == sb


def _torch_unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Reference: torch's gradient of ``expand`` from ``shape`` to ``g.shape``."""
    t = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
    t.expand(g.shape).backward(torch.tensor(g))
    return t.grad.numpy()


@pytest.mark.parametrize(
    ("grad_shape", "shape"),
    [
        ((4,), (1,)),
        ((2, 3), ()),
        ((), ()),
        ((1,), ()),
        ((2, 3, 4, 5), (3, 1, 1)),
        ((2, 3, 4), (3, 1)),
        ((2, 1, 3), (1, 1, 3)),
        ((2, 3), (2, 3)),
        ((6, 1), (1, 1)),
        ((2, 3, 4), (4,)),
    ],
    ids=str,
)
def test_unbroadcast_matches_torch_expand_backward(
    grad_shape: tuple[int, ...], shape: tuple[int, ...]
) -> None:
    g = RNG.standard_normal(grad_shape)
    before = g.copy()
    out = unbroadcast(g, shape)
    assert out.shape == shape
    np.testing.assert_allclose(out, _torch_unbroadcast(g, shape), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(g, before)  # the input is not modified


# ------------------------------------------------------------------ retain_grad
def test_retain_grad_on_a_non_leaf_matches_torch() -> None:
    (x,), (xt,) = leaves(arr(2, 3))
    hs = []
    for lib, a in ((sg, x), (torch, xt)):
        h = lib.tanh(a) * 3
        h.retain_grad()
        out = lib.sin(h) * h
        out.retain_grad()
        out.sum().backward()
        hs.append((h, out))
    (h, out), (ht, outt) = hs
    np.testing.assert_allclose(h.grad.numpy(), ht.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(out.grad.numpy(), outt.grad.numpy(), rtol=1e-10)
    assert h.grad.shape == h.shape
    same_grads([x], [xt])


def test_non_leaf_grad_is_none_without_retain_grad_like_torch() -> None:
    x = sg.ones(2, requires_grad=True)
    h = x * 2
    h.sum().backward()
    assert h.grad is None


def test_retain_grad_accumulates_over_retained_graphs_like_torch() -> None:
    (x,), (xt,) = leaves(arr(3))
    hs = []
    for a in (x, xt):
        h = a * a
        h.retain_grad()
        out = (h * 3).sum()
        out.backward(retain_graph=True)
        out.backward()
        hs.append(h)
    np.testing.assert_allclose(hs[0].grad.numpy(), hs[1].grad.numpy())


def test_retain_grad_on_a_tensor_without_grad_raises_like_torch() -> None:
    for lib in (sg, torch):
        with pytest.raises(RuntimeError, match="retain_grad on .* requires_grad=False"):
            lib.ones(2).retain_grad()


def test_retain_grad_on_a_leaf_is_harmless() -> None:
    x = sg.ones(2, requires_grad=True)
    x.retain_grad()
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


# ------------------------------------------------------------------ B1, B2: finite differences
def _central(f, x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


SCALAR_FUNCTIONS = [
    ("cube", lambda m, x: x * x * x, lambda x: x**3),
    ("sin_exp", lambda m, x: m.sin(x) * m.exp(x), lambda x: math.sin(x) * math.exp(x)),
    ("rational", lambda m, x: 1 / (x * x + 1), lambda x: 1 / (x * x + 1)),
    (
        "log_tanh",
        lambda m, x: m.log(x * x + 1) + m.tanh(x),
        lambda x: math.log(x * x + 1) + math.tanh(x),
    ),
    ("sqrt_pow", lambda m, x: m.sqrt(x * x + 2) ** 3, lambda x: (x * x + 2) ** 1.5),
    ("sigmoid", lambda m, x: m.sigmoid(x), lambda x: 1 / (1 + math.exp(-x))),
]


@pytest.mark.parametrize(
    ("f", "ref"), [(f, r) for _, f, r in SCALAR_FUNCTIONS], ids=[n for n, _, _ in SCALAR_FUNCTIONS]
)
@pytest.mark.parametrize("at", [-1.3, 0.2, 2.0])
def test_derivative_equals_finite_differences(f, ref, at: float) -> None:
    x = sg.tensor(at, dtype=sg.float64, requires_grad=True)
    f(sg, x).backward()
    np.testing.assert_allclose(x.grad.item(), _central(ref, at), rtol=1e-6, atol=1e-8)


def _two_variable(a: float, b: float) -> float:
    return a * a * b + math.sin(a * b)


@pytest.mark.parametrize(("xv", "yv"), [(0.5, -1.2), (1.3, 0.7), (-2.0, 0.1)])
def test_partial_derivatives_and_chain_rule(xv: float, yv: float) -> None:
    # f(x, y) = x^2 y + sin(x y): df/dx = 2xy + y cos(xy), df/dy = x^2 + x cos(xy)
    x = sg.tensor(xv, dtype=sg.float64, requires_grad=True)
    y = sg.tensor(yv, dtype=sg.float64, requires_grad=True)
    (x * x * y + sg.sin(x * y)).backward()
    exact_x = 2 * xv * yv + yv * math.cos(xv * yv)
    exact_y = xv * xv + xv * math.cos(xv * yv)
    np.testing.assert_allclose(x.grad.item(), exact_x, rtol=1e-12)
    np.testing.assert_allclose(y.grad.item(), exact_y, rtol=1e-12)
    numeric_x = _central(lambda a: _two_variable(a, yv), xv)
    numeric_y = _central(lambda b: _two_variable(xv, b), yv)
    np.testing.assert_allclose(x.grad.item(), numeric_x, rtol=1e-6)
    np.testing.assert_allclose(y.grad.item(), numeric_y, rtol=1e-6)


# ------------------------------------------------------------------ B4: a network
def _mlp(lib, x, w1, b1, w2, b2):
    h = lib.tanh(x @ w1 + b1)
    out = lib.sigmoid(h @ w2 + b2)
    return (out * out).sum()


def test_mlp_gradients_equal_finite_differences_and_torch() -> None:
    arrays = [arr(5, 3), arr(3, 4), arr(4), arr(4, 2), arr(2)]
    ours, theirs = leaves(*arrays[1:])
    x, xt = sg.tensor(arrays[0]), torch.tensor(arrays[0])
    _mlp(sg, x, *ours).backward()
    _mlp(torch, xt, *theirs).backward()
    same_grads(ours, theirs)
    for p in ours:
        p.grad = None
    assert sg.gradcheck(lambda *ps: _mlp(sg, x, *ps), ours)


# ------------------------------------------------------------------ autograd.grad
def _graph(lib, xs):
    x, y = xs
    h = x * y
    return (h.exp() + x).sum() * 2, h


def test_grad_returns_gradients_and_leaves_dot_grad_alone_like_torch() -> None:
    (x, y), (xt, yt) = leaves(arr(3), arr(3))
    ours = sg.autograd.grad(_graph(sg, [x, y])[0], [x, y])
    theirs = torch.autograd.grad(_graph(torch, [xt, yt])[0], [xt, yt])
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)
    assert x.grad is None and y.grad is None and xt.grad is None


def test_grad_of_a_non_leaf_and_several_outputs_matches_torch() -> None:
    (x, y), (xt, yt) = leaves(arr(2, 3), arr(3))
    results = []
    for lib, xs in ((sg, [x, y]), (torch, [xt, yt])):
        loss, h = _graph(lib, xs)
        other = (h * h).mean()
        gos = [None, lib.tensor(0.5, dtype=lib.float64)]
        results.append(lib.autograd.grad([loss, other], [h, xs[0]], grad_outputs=gos))
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)


def test_grad_errors_and_allow_unused_match_torch() -> None:
    for lib in (sg, torch):
        x, z = lib.ones(2, requires_grad=True), lib.ones(2, requires_grad=True)
        loss = (x * 2).sum()
        with pytest.raises(RuntimeError, match="at index 1 appears to not have been used"):
            lib.autograd.grad(loss, [x, z], retain_graph=True)
        gx, gz = lib.autograd.grad(loss, [x, z], allow_unused=True, retain_graph=True)
        assert gz is None and gx.tolist() == [2.0, 2.0]
        with pytest.raises(RuntimeError, match="does not require grad"):
            lib.autograd.grad(loss, [lib.ones(2)])
    with pytest.raises(NotImplementedError, match="create_graph"):
        sg.autograd.grad(loss, [x], create_graph=True)


def test_grad_frees_the_graph_unless_retained_like_torch() -> None:
    for lib in (sg, torch):
        x = lib.ones(2, requires_grad=True)
        loss = (x.exp() * 2).sum()
        lib.autograd.grad(loss, x)
        with pytest.raises(RuntimeError, match="second time"):
            lib.autograd.grad(loss, x)


# ------------------------------------------------------------------ tensor hooks
def test_hooks_on_a_leaf_and_a_non_leaf_match_torch() -> None:
    (x, y), (xt, yt) = leaves(arr(3), arr(3))
    seen = []
    for a, b in ((x, y), (xt, yt)):
        log: list = []
        a.register_hook(lambda g: g * 10)
        h = a * b
        h.retain_grad()
        h.register_hook(lambda g, log=log: log.append(g.clone()))
        h.register_hook(lambda g: g + 1)
        (h.exp()).sum().backward()
        seen.append([v.numpy() for v in log] + [h.grad.numpy()])
    same_grads([x, y], [xt, yt])
    for a, b in zip(*seen, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_removed_hook_does_not_run_and_grad_sees_hooks_like_torch() -> None:
    for lib in (sg, torch):
        x = lib.ones(2, requires_grad=True)
        handle = x.register_hook(lambda g: g * 10)
        (gx,) = lib.autograd.grad((x * 2).sum(), x)
        assert gx.tolist() == [20.0, 20.0]
        handle.remove()
        (x * 2).sum().backward()
        assert x.grad.tolist() == [2.0, 2.0]
        with pytest.raises(RuntimeError, match="doesn't require gradient"):
            lib.ones(2).register_hook(lambda g: g)
