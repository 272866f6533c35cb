"""Random numbers: seeding, generators, state round trips and the distributions drawn.

scratchgrad draws with NumPy's PCG64, so values are compared with themselves under the
same seed (reproducibility) and with the distributions' known moments, not with torch's
Mersenne Twister.
"""

import json

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import random as sgr

DRAWS = {
    "rand": lambda **kw: sg.rand(4, 3, **kw),
    "randn": lambda **kw: sg.randn(4, 3, **kw),
    "randint": lambda **kw: sg.randint(-5, 5, (4, 3), **kw),
    "randperm": lambda **kw: sg.randperm(20, **kw),
    "rand_like": lambda **kw: sg.rand_like(sg.zeros(4, 3), **kw),
    "randn_like": lambda **kw: sg.randn_like(sg.zeros(4, 3), **kw),
}


@pytest.fixture(autouse=True)
def _restore_global_state():
    state = sgr.get_rng_state()
    yield
    sgr.set_rng_state(state)


@pytest.mark.parametrize("draw", DRAWS.values(), ids=DRAWS.keys())
def test_manual_seed_makes_draws_reproducible(draw) -> None:
    sg.manual_seed(1234)
    first = [draw().tolist() for _ in range(3)]
    sg.manual_seed(1234)
    again = [draw().tolist() for _ in range(3)]
    assert first == again
    assert first[0] != first[1]  # successive draws differ
    sg.manual_seed(4321)
    assert draw().tolist() != first[0]


def test_manual_seed_returns_a_generator_like_torch() -> None:
    assert isinstance(torch.manual_seed(0), torch.Generator)
    g = sg.manual_seed(7)
    assert isinstance(g, sg.Generator)
    assert g is sgr.default_generator
    assert sgr.initial_seed() == 7 == g.initial_seed()


@pytest.mark.parametrize("draw", DRAWS.values(), ids=DRAWS.keys())
def test_a_generator_is_independent_of_the_global_one(draw) -> None:
    sg.manual_seed(0)
    a1, a2 = draw().tolist(), draw().tolist()
    sg.manual_seed(0)
    g = sg.Generator(0)
    b1 = draw().tolist()
    from_g = [draw(generator=g).tolist() for _ in range(3)]  # must not advance the global
    b2 = draw().tolist()
    assert (a1, a2) == (b1, b2)
    g2 = sg.Generator(0)
    sg.manual_seed(99)  # reseeding the global one must not touch g2
    assert [draw(generator=g2).tolist() for _ in range(3)] == from_g


def test_generator_manual_seed_restarts_its_stream() -> None:
    g = sg.Generator(5)
    first = sg.randn(6, generator=g).tolist()
    assert g.manual_seed(5) is g
    assert sg.randn(6, generator=g).tolist() == first
    assert g.initial_seed() == 5


def test_generator_without_a_seed_draws_one() -> None:
    a, b = sg.Generator(), sg.Generator()
    assert isinstance(a.initial_seed(), int)
    assert sg.rand(8, generator=a).tolist() != sg.rand(8, generator=b).tolist()


def test_generator_state_round_trips_through_json() -> None:
    g = sg.Generator(11)
    sg.rand(5, generator=g)  # move away from the seed
    state = g.get_state()
    restored = json.loads(json.dumps(state))
    expected = [sg.randn(3, generator=g).tolist(), sg.randint(0, 100, (4,), generator=g).tolist()]
    other = sg.Generator(999).set_state(restored)
    got = [
        sg.randn(3, generator=other).tolist(),
        sg.randint(0, 100, (4,), generator=other).tolist(),
    ]
    assert got == expected
    assert other.initial_seed() == 11


def test_global_state_round_trips_through_json() -> None:
    sg.manual_seed(3)
    sg.rand(10)
    state = json.loads(json.dumps(sgr.get_rng_state()))
    expected = sg.randn(4, 4).tolist()
    sg.manual_seed(12345)
    sg.randn(100)
    sgr.set_rng_state(state)
    assert sg.randn(4, 4).tolist() == expected
    assert sgr.initial_seed() == 3


def test_get_state_is_a_snapshot() -> None:
    g = sg.Generator(2)
    state = g.get_state()
    frozen = json.dumps(state)
    sg.rand(50, generator=g)
    assert json.dumps(state) == frozen


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_randn_has_mean_0_and_std_1(dtype: str) -> None:
    sg.manual_seed(0)
    x = sg.randn(100_000, dtype=dtype).numpy().astype(np.float64)
    assert abs(x.mean()) < 0.02  # standard error 0.003
    assert abs(x.std() - 1) < 0.02
    assert abs((np.abs(x) < 1).mean() - 0.6827) < 0.01  # the normal's 1-sigma mass


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_rand_is_uniform_in_zero_one(dtype: str) -> None:
    sg.manual_seed(0)
    x = sg.rand(100_000, dtype=dtype).numpy()
    assert x.dtype == np.dtype(dtype)
    assert x.min() >= 0
    x = x.astype(np.float64)
    assert abs(x.mean() - 0.5) < 0.01
    assert abs(x.var() - 1 / 12) < 0.005
    assert np.histogram(x, bins=10, range=(0, 1))[0].min() > 9_000


@pytest.mark.parametrize(
    "dtype",
    [
        "float32",
        "float64",
        "float16",
    ],
)
def test_rand_never_reaches_one(dtype: str) -> None:
    assert torch.rand(200_000, dtype=getattr(torch, dtype)).max().item() < 1
    sg.manual_seed(0)
    assert sg.rand(200_000, dtype=dtype).numpy().max() < 1
    assert sg.rand_like(sg.zeros(200_000, dtype=dtype)).numpy().max() < 1


@pytest.mark.parametrize(("low", "high"), [(0, 2), (-3, 4), (10, 11), (0, 1000)])
def test_randint_stays_in_its_half_open_range(low: int, high: int) -> None:
    sg.manual_seed(0)
    x = sg.randint(low, high, (20_000,)).numpy()
    assert x.dtype == np.int64
    assert x.min() == low and x.max() == high - 1
    if high - low <= 10:
        counts = np.bincount(x - low, minlength=high - low)
        assert counts.min() > 0.8 * len(x) / (high - low)


def test_randint_with_only_high_by_keyword() -> None:
    sg.manual_seed(0)
    x = sg.randint(3, size=(5000,)).numpy()
    assert x.min() == 0 and x.max() == 2


def test_randperm_is_a_permutation() -> None:
    sg.manual_seed(0)
    perms = [sg.randperm(50).tolist() for _ in range(5)]
    for p in perms:
        assert sorted(p) == list(range(50))
    assert len({tuple(p) for p in perms}) == 5
    assert sg.randperm(0).tolist() == []
