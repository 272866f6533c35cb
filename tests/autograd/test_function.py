"""The graph node: what Function.apply records (the graph of curriculum B3), and nodes
with several outputs (MultiOutputFunction) compared with torch."""

from typing import ClassVar

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.autograd import MultiOutputFunction
from tests.autograd._compare import arr, leaves, same_grads


# ------------------------------------------------------------------ the graph itself (B3)
def _our_edges(root: sg.Tensor) -> set[tuple[str, str]]:
    edges, stack, seen = set(), [root.grad_fn], set()
    while stack:
        fn = stack.pop()
        if fn in seen:
            continue
        seen.add(fn)
        for t in fn.inputs:
            if isinstance(t, sg.Tensor) and t.grad_fn is not None:
                edges.add((type(fn).__name__, type(t.grad_fn).__name__))
                stack.append(t.grad_fn)
    return edges


def _torch_edges(root: torch.Tensor) -> set[tuple[str, str]]:
    def name(fn: object) -> str:
        return type(fn).__name__.removesuffix("Backward0")

    edges, stack, seen = set(), [root.grad_fn], set()
    while stack:
        fn = stack.pop()
        if fn in seen:
            continue
        seen.add(fn)
        for nxt, _ in fn.next_functions:
            if nxt is not None and type(nxt).__name__ != "AccumulateGrad":
                edges.add((name(fn), name(nxt)))
                stack.append(nxt)
    return edges


def test_recorded_graph_has_torchs_shape() -> None:
    (x, y), (xt, yt) = leaves(arr(2), arr(2))
    ours = sg.exp(x * y) + sg.sin(x) - y * 2
    theirs = torch.exp(xt * yt) + torch.sin(xt) - yt * 2
    assert _our_edges(ours) == _torch_edges(theirs)
    mul = ours.grad_fn.inputs[0].grad_fn.inputs[0].grad_fn.inputs[0].grad_fn
    assert mul.inputs[0] is x and mul.inputs[1] is y


# ------------------------------------------------------------------ several outputs
class _SinCos(MultiOutputFunction):
    """(sin x, cos x) as one node; remembers which output gradients backward received."""

    received: ClassVar[list[tuple[bool, ...]]] = []

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self.x = x
        return np.sin(x), np.cos(x)

    def backward(self, grads: list[np.ndarray | None]) -> tuple[np.ndarray]:
        gs, gc = grads
        _SinCos.received.append((gs is not None, gc is not None))
        g = np.zeros_like(self.x)
        if gs is not None:
            g = g + gs * np.cos(self.x)
        if gc is not None:
            g = g - gc * np.sin(self.x)
        return (g,)


def _sincos_torch(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.sin(x), torch.cos(x)


def test_apply_returns_one_tensor_per_output_each_with_its_own_slot() -> None:
    (x,), _ = leaves(arr(3))
    s, c = _SinCos.apply(x)
    np.testing.assert_array_equal(s.detach().numpy(), np.sin(x.detach().numpy()))
    assert s.requires_grad and c.requires_grad
    assert s.grad_fn is not c.grad_fn
    assert repr(s.grad_fn) == repr(c.grad_fn) == "<_SinCosBackward>"
    assert s.grad_fn.inputs[0] is x  # a graph walker sees the node's inputs


@pytest.mark.parametrize("used", ["sin", "cos", "both"])
def test_gradients_to_some_outputs_match_torch(used: str) -> None:
    (x,), (xt,) = leaves(arr(4))
    _SinCos.received.clear()
    ours, theirs = _SinCos.apply(x), _sincos_torch(xt)
    pick = {"sin": [0], "cos": [1], "both": [0, 1]}[used]
    sum((ours[i] * (i + 2)).sum() for i in pick).backward()
    sum((theirs[i] * (i + 2)).sum() for i in pick).backward()
    same_grads([x], [xt])
    # one backward call; None (not zeros) for the output that got no gradient
    assert _SinCos.received == [(0 in pick, 1 in pick)]


def test_an_output_used_twice_gets_the_sum_and_backward_runs_once() -> None:
    (x,), (xt,) = leaves(arr(3, 2))
    _SinCos.received.clear()
    s, c = _SinCos.apply(x)
    (s * s + s * c + c.exp()).sum().backward()
    st, ct = _sincos_torch(xt)
    (st * st + st * ct + ct.exp()).sum().backward()
    same_grads([x], [xt])
    assert _SinCos.received == [(True, True)]


def test_outputs_used_through_a_shared_downstream_node_match_torch() -> None:
    (x,), (xt,) = leaves(arr(5))
    s, c = _SinCos.apply(x)
    sg.stack([s, c, s]).pow(2).sum().backward()
    st, ct = _sincos_torch(xt)
    torch.stack([st, ct, st]).pow(2).sum().backward()
    same_grads([x], [xt])


def test_retain_graph_lets_backward_run_again_like_torch() -> None:
    (x,), (xt,) = leaves(arr(3))
    s, c = _SinCos.apply(x)
    st, ct = _sincos_torch(xt)
    (s * c).sum().backward(retain_graph=True)
    (st * ct).sum().backward(retain_graph=True)
    c.sum().backward()  # through the other output only, then the graph is freed
    ct.sum().backward()
    same_grads([x], [xt])
    with pytest.raises(RuntimeError, match="second time"):
        (s * c).sum().backward()


def test_no_grad_records_no_node_like_torch() -> None:
    (x,), (xt,) = leaves(arr(3))
    with sg.no_grad():
        outs = _SinCos.apply(x)
    with torch.no_grad():
        touts = _sincos_torch(xt)
    assert [o.requires_grad for o in outs] == [t.requires_grad for t in touts] == [False, False]
    assert all(o.grad_fn is None for o in outs)


def test_non_float_outputs_get_no_gradient() -> None:
    class _ValuesAndSigns(MultiOutputFunction):
        def forward(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return x * 2, np.sign(x).astype(np.int64)

        def backward(self, grads: list[np.ndarray | None]) -> tuple[np.ndarray]:
            g, gi = grads
            assert gi is None
            return (2 * g,)

    x = sg.tensor(arr(3), requires_grad=True)
    v, signs = _ValuesAndSigns.apply(x)
    assert v.requires_grad and not signs.requires_grad and signs.grad_fn is None
    v.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_split_pieces_backward_separately_like_torch() -> None:
    # split saves only shapes: torch lets backward run through each piece in turn
    (x,), (xt,) = leaves(arr(6, 2))
    a, b, c = x.split(2)
    at, bt, ct = xt.split(2)
    (a * 2).sum().backward()
    (at * 2).sum().backward()
    (b * c).sum().backward()
    (bt * ct).sum().backward()
    same_grads([x], [xt])


def test_eigh_frees_its_node_after_backward_like_torch() -> None:
    a = arr(3, 3)
    ours = sg.tensor(a + a.T, requires_grad=True)
    theirs = torch.tensor(a + a.T, requires_grad=True)
    w, v = sg.linalg.eigh(ours)
    wt, vt = torch.linalg.eigh(theirs)
    w.sum().backward()
    wt.sum().backward()
    with pytest.raises(RuntimeError, match="second time"):
        v.sum().backward()
    with pytest.raises(RuntimeError, match="second time"):
        vt.sum().backward()
