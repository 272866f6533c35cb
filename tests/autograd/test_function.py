"""The graph node: what Function.apply records (the graph of curriculum B3)."""

import torch

import scratchgrad as sg
from tests.autograd._compare import arr, leaves


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
