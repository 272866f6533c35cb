"""Sampling functions and in-place random fillers: shapes, dtypes and errors as torch's,
moments on large samples, reproducibility under a seed or a generator."""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import random as sgr
from scratchgrad import sampling

N = 200_000


@pytest.fixture(autouse=True)
def _restore_global_state():
    state = sgr.get_rng_state()
    yield
    sgr.set_rng_state(state)


def _error(fn, lib):
    try:
        fn(lib)
    except Exception as e:  # noqa: BLE001 - comparing what each library raises
        return type(e).__name__, str(e)
    return None


ERRORS = {
    "multinomial negative": lambda m: m.multinomial(m.tensor([1.0, -1.0]), 1),
    "multinomial inf": lambda m: m.multinomial(m.tensor([1.0, math.inf]), 1),
    "multinomial nan": lambda m: m.multinomial(m.tensor([1.0, math.nan]), 1),
    "multinomial zeros": lambda m: m.multinomial(m.tensor([0.0, 0.0]), 1),
    "multinomial too many": lambda m: m.multinomial(m.tensor([1.0, 1.0]), 3),
    "multinomial zero samples": lambda m: m.multinomial(m.tensor([1.0, 1.0]), 0),
    "multinomial 0-d": lambda m: m.multinomial(m.tensor(1.0), 1),
    "multinomial 3-d": lambda m: m.multinomial(m.ones(2, 2, 2), 1),
    "multinomial int": lambda m: m.multinomial(m.tensor([1, 2]), 1),
    "bernoulli p>1": lambda m: m.bernoulli(m.tensor([0.5, 2.0])),
    "bernoulli nan": lambda m: m.bernoulli(m.tensor([0.5, math.nan])),
    "bernoulli int": lambda m: m.bernoulli(m.tensor([1, 0])),
    "bernoulli float p": lambda m: m.bernoulli(m.tensor([0.2]), p=1.5),
    "normal std<0 tensor": lambda m: m.normal(m.tensor([0.0, 1.0]), m.tensor([1.0, -1.0])),
    "normal std<0 float": lambda m: m.normal(0.0, -1.0, (2, 3)),
    "normal int mean": lambda m: m.normal(m.tensor([1, 2]), 1.0),
    "poisson negative": lambda m: m.poisson(m.tensor([1.0, -1.0])),
    "poisson int": lambda m: m.poisson(m.tensor([1, 2])),
    "normal_ std<0": lambda m: m.empty(3).normal_(0, -1),
    "normal_ int": lambda m: m.empty(3, dtype=m.int64).normal_(),
    "uniform_ from>to": lambda m: m.empty(3).uniform_(2, 1),
    "uniform_ int": lambda m: m.empty(3, dtype=m.int64).uniform_(),
    "uniform_ inf": lambda m: m.empty(3).uniform_(0, math.inf),
    "exponential_ lambda<0": lambda m: m.empty(3).exponential_(-1),
    "exponential_ lambda=0": lambda m: m.empty(3).exponential_(0),
    "exponential_ int": lambda m: m.empty(3, dtype=m.int64).exponential_(),
    "bernoulli_ p>1": lambda m: m.empty(3).bernoulli_(1.5),
    "random_ from>to": lambda m: m.empty(3).random_(5, 2),
    "random_ from=to": lambda m: m.empty(3).random_(5, 5),
    "random_ uint8 from<0": lambda m: m.empty(3, dtype=m.uint8).random_(-3, 2),
    "random_ int32 to": lambda m: m.empty(3, dtype=m.int32).random_(0, 2**40),
    "geometric_ p=0": lambda m: m.empty(3).geometric_(0),
    "geometric_ p>1": lambda m: m.empty(3).geometric_(1.5),
    "leaf requiring grad": lambda m: m.ones(3, requires_grad=True).normal_(),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name):
    ours, theirs = _error(ERRORS[name], sg), _error(ERRORS[name], torch)
    assert theirs is not None
    assert ours is not None and ours[0] == theirs[0]
    if name == "leaf requiring grad":  # our in-place ops share one message
        assert "leaf Variable that requires grad" in ours[1]
    else:
        assert ours[1] == theirs[1]


SHAPES = {
    "multinomial 1-d": lambda m: m.multinomial(m.ones(5), 3),
    "multinomial 2-d": lambda m: m.multinomial(m.ones(4, 5, dtype=m.float64), 5),
    "multinomial replacement": lambda m: m.multinomial(m.ones(2, 3), 7, True),
    "multinomial empty rows": lambda m: m.multinomial(m.ones(0, 3), 2),
    "bernoulli": lambda m: m.bernoulli(m.full((2, 3), 0.5, dtype=m.float64)),
    "bernoulli p": lambda m: m.bernoulli(m.zeros(4), 0.5),
    "normal tensors": lambda m: m.normal(m.zeros(2, 1), m.ones(3)),
    "normal tensor, float": lambda m: m.normal(m.zeros(3, dtype=m.float64), 2.0),
    "normal float, tensor": lambda m: m.normal(0.0, m.ones(3)),
    "normal size": lambda m: m.normal(0.0, 1.0, (2, 3)),
    "normal size dtype": lambda m: m.normal(0.0, 1.0, (2,), dtype=m.float64),
    "normal mixed dtypes": lambda m: m.normal(m.zeros(2), m.ones(2, dtype=m.float64)),
    "poisson": lambda m: m.poisson(m.ones(3, 2)),
    "normal_": lambda m: m.zeros(3, 2).normal_(),
    "uniform_ float64": lambda m: m.zeros(3, dtype=m.float64).uniform_(),
    "exponential_": lambda m: m.zeros(3).exponential_(),
    "random_ int64": lambda m: m.zeros(3, dtype=m.int64).random_(),
    "random_ bool": lambda m: m.zeros(3, dtype=m.bool).random_(),
    "bernoulli_ int": lambda m: m.zeros(3, dtype=m.int64).bernoulli_(0.5),
    "bernoulli_ tensor p": lambda m: m.zeros(2, 3).bernoulli_(m.full((3,), 0.5)),
    "geometric_ int": lambda m: m.zeros(3, dtype=m.int64).geometric_(0.5),
    "tensor.multinomial": lambda m: m.ones(2, 3).multinomial(2),
    "tensor.bernoulli": lambda m: m.full((3,), 0.5).bernoulli(),
}


@pytest.mark.parametrize("name", SHAPES)
def test_shapes_and_dtypes_match_torch(name):
    ours, theirs = SHAPES[name](sg), SHAPES[name](torch)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert not ours.requires_grad


def _moments(x):
    a = x.numpy().astype(np.float64)
    return a.mean(), a.var()


MOMENTS = {  # name -> (draw, mean, variance)
    "normal_": (lambda: sg.empty(N).normal_(2.0, 3.0), 2.0, 9.0),
    "uniform_": (lambda: sg.empty(N).uniform_(-1.0, 3.0), 1.0, 16 / 12),
    "exponential_": (lambda: sg.empty(N).exponential_(4.0), 0.25, 1 / 16),
    "bernoulli_": (lambda: sg.empty(N).bernoulli_(0.3), 0.3, 0.21),
    "geometric_": (lambda: sg.empty(N).geometric_(0.25), 4.0, 0.75 / 0.0625),
    "random_": (lambda: sg.empty(N, dtype=sg.int64).random_(10), 4.5, 99 / 12),
    "random_ range": (lambda: sg.empty(N, dtype=sg.int64).random_(-3, 3), -0.5, 35 / 12),
    "bernoulli": (lambda: sg.bernoulli(sg.full((N,), 0.7)), 0.7, 0.21),
    "normal tensors": (lambda: sg.normal(sg.full((N,), -1.0), sg.full((N,), 0.5)), -1.0, 0.25),
    "normal size": (lambda: sg.normal(1.0, 2.0, (N,)), 1.0, 4.0),
    "poisson": (lambda: sg.poisson(sg.full((N,), 3.0)), 3.0, 3.0),
}


@pytest.mark.parametrize("name", MOMENTS)
def test_moments(name):
    draw, mean, var = MOMENTS[name]
    sg.manual_seed(0)
    m, v = _moments(draw())
    assert abs(m - mean) < 5 * math.sqrt(var / N) + 1e-12
    assert abs(v - var) < 0.02 * var


def test_random_default_ranges():
    sg.manual_seed(0)
    f = sg.empty(N).random_().numpy()
    assert f.min() >= 0 and f.max() <= 2**24 and (f == np.round(f)).all()
    assert f.mean() > 2**22  # spread over the whole range
    b = sg.empty(N, dtype=sg.bool).random_().numpy()
    assert 0.45 < b.mean() < 0.55


def test_multinomial_frequencies_with_replacement():
    sg.manual_seed(0)
    w = sg.tensor([[1.0, 0.0, 3.0], [0.0, 2.0, 2.0]])
    draws = sg.multinomial(w, N, replacement=True).numpy()
    for row, probs in zip(draws, [[0.25, 0.0, 0.75], [0.0, 0.5, 0.5]], strict=True):
        freq = np.bincount(row, minlength=3) / N
        np.testing.assert_allclose(freq, probs, atol=0.005)


def test_multinomial_without_replacement():
    sg.manual_seed(0)
    draws = sg.multinomial(sg.tensor([1.0, 2.0, 0.0, 7.0]).expand((N // 10, 4)), 2).numpy()
    assert (draws[:, 0] != draws[:, 1]).all()
    assert not (draws == 2).any()  # zero weight is never drawn while others remain
    first = np.bincount(draws[:, 0], minlength=4) / len(draws)
    np.testing.assert_allclose(first, [0.1, 0.2, 0.0, 0.7], atol=0.01)
    # P(second = 0) = P(1 first) * 1/8 + P(3 first) * 1/3
    second = np.mean(draws[:, 1] == 0)
    assert abs(second - (0.2 / 8 + 0.7 / 3)) < 0.01
    # zero weights come last once the others are used up, as in torch
    assert sg.multinomial(sg.tensor([1.0, 0.0, 0.0]), 3).tolist()[0] == 0


DRAWS = {
    "multinomial": lambda **kw: sg.multinomial(sg.ones(3, 5), 4, **kw),
    "bernoulli": lambda **kw: sg.bernoulli(sg.full((10,), 0.5), **kw),
    "normal": lambda **kw: sg.normal(sg.zeros(5), 1.0, **kw),
    "poisson": lambda **kw: sg.poisson(sg.ones(5), **kw),
    "normal_": lambda **kw: sampling.normal_(sg.empty(5), **kw),
    "uniform_": lambda **kw: sampling.uniform_(sg.empty(5), **kw),
    "exponential_": lambda **kw: sampling.exponential_(sg.empty(5), **kw),
    "random_": lambda **kw: sampling.random_(sg.empty(5), 100, **kw),
    "bernoulli_": lambda **kw: sampling.bernoulli_(sg.empty(10), **kw),
    "geometric_": lambda **kw: sampling.geometric_(sg.empty(5), 0.5, **kw),
}


@pytest.mark.parametrize("name", DRAWS)
def test_reproducible_with_seed_and_generator(name):
    draw = DRAWS[name]
    sg.manual_seed(3)
    a = draw().numpy()
    sg.manual_seed(3)
    np.testing.assert_array_equal(draw().numpy(), a)
    g = sg.Generator(7)
    b = draw(generator=g).numpy()
    sg.manual_seed(3)
    before = sgr.get_rng_state()
    np.testing.assert_array_equal(draw(generator=sg.Generator(7)).numpy(), b)
    assert sgr.get_rng_state() == before  # a generator= draw leaves the global one alone


def test_fillers_write_through_views_and_return_the_tensor():
    base = sg.zeros(4, 3)
    col = base[:, 1]
    assert sampling.uniform_(col, 1.0, 2.0) is col
    a = base.numpy()
    assert (a[:, 1] >= 1).all() and (a[:, [0, 2]] == 0).all()


def test_fillers_under_no_grad_and_on_graph_nodes():
    w = sg.zeros(3, requires_grad=True)
    with sg.no_grad():
        w.normal_()
    assert w.requires_grad and w.grad_fn is None
    y = w * 2
    y.uniform_()  # a non-leaf: allowed, and no gradient flows through the new values
    assert not y.requires_grad


def test_no_gradient_through_draws():
    mean = sg.zeros(3, requires_grad=True)
    assert not sg.normal(mean, 1.0).requires_grad
    assert not sg.bernoulli(sg.full((3,), 0.5, requires_grad=True)).requires_grad


def test_normal_needs_a_size_only_for_two_numbers():
    with pytest.raises(TypeError, match="invalid combination"):
        sg.normal(0.0, 1.0)
    with pytest.raises(TypeError, match="invalid combination"):
        sg.normal(sg.zeros(2), 1.0, (3,))
