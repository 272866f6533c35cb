"""Parity of casts and in-place updates with torch."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._parity import Case, make_tests

CASES = [
    Case("cast", lambda m, a: a.double() * 2, ((3, 4),), dtypes=("float32",)),
    Case(
        "cast",
        lambda m, a: a.float() * 2,
        ((3, 4),),
        dtypes=("float64",),
        gradcheck=False,
        name="down",
    ),
    Case("cast", lambda m, a: a.clone() * 1, ((3, 4),), name="clone"),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_inplace_on_leaf_that_requires_grad_raises() -> None:
    w = sg.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w += 1
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w.mul_(2)
    with sg.no_grad():
        w -= 0.5  # parameter updates happen under no_grad
    np.testing.assert_array_equal(w.detach().numpy(), [0.5, 0.5, 0.5])


def test_inplace_outside_graph_writes_into_shared_memory() -> None:
    base = sg.zeros(2, 3)
    row = base[0]
    row += 5
    row.mul_(2)
    assert base.tolist() == [[10.0, 10.0, 10.0], [0.0, 0.0, 0.0]]


def test_inplace_in_graph_matches_torch() -> None:
    a = np.array([0.5, -1.0, 2.0], dtype=np.float32)
    results = []
    for lib in (sg, torch):
        x = lib.tensor(a, requires_grad=True)
        y = x * 2
        y += x
        y.mul_(3)
        y.sub_(x * x)
        y.sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-6)


def test_inplace_refuses_a_cast_that_loses_the_category() -> None:
    x = sg.ones(3, dtype=sg.int64)
    with pytest.raises(RuntimeError, match="can't be cast"):
        x += 1.5


def test_fill_zero_copy() -> None:
    x = sg.ones(2, 2)
    x.zero_()
    assert x.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    x.fill_(3)
    x.copy_(sg.tensor([1.0, 2.0]))
    assert x.tolist() == [[1.0, 2.0], [1.0, 2.0]]


def test_fill_under_no_grad_keeps_a_parameter_trainable_like_torch() -> None:
    ours, theirs = sg.nn.Linear(3, 1), torch.nn.Linear(3, 1)
    with sg.no_grad():
        ours.bias.zero_()
        ours.weight.fill_(0.5)
    with torch.no_grad():
        theirs.bias.zero_()
        theirs.weight.fill_(0.5)
    assert ours.bias.requires_grad == theirs.bias.requires_grad is True
    assert ours.weight.requires_grad == theirs.weight.requires_grad is True
    ours(sg.ones(2, 3)).sum().backward()
    theirs(torch.ones(2, 3)).sum().backward()
    assert ours.bias.grad.tolist() == theirs.bias.grad.tolist()
