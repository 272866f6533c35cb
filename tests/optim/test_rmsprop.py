"""RMSprop: 20 steps on an MLP agree with torch for every option; rmsprop_step alone."""

import numpy as np
import pytest

from scratchgrad.optim.rmsprop import rmsprop_step
from tests.optim import (
    check_constructor_error,
    check_matches_torch,
    check_no_new_arrays,
    check_state_dict_round_trip,
    check_state_matches_torch,
)

CONFIGS = {
    "plain": {"lr": 0.01},
    "alpha": {"lr": 0.01, "alpha": 0.4},  # lerp weight 0.6: the other branch of lerp
    "momentum": {"lr": 0.005, "momentum": 0.9},
    "centered": {"lr": 0.005, "centered": True},
    "centered_momentum": {"lr": 0.002, "centered": True, "momentum": 0.5, "weight_decay": 0.1},
    "maximize": {"lr": 0.002, "maximize": True, "eps": 1e-3, "weight_decay": 0.05},
}


@pytest.mark.parametrize("name", CONFIGS)
def test_20_steps_match_torch(name: str) -> None:
    check_matches_torch("RMSprop", CONFIGS[name])


@pytest.mark.parametrize("name", ["plain", "centered_momentum"])
def test_state_dict_round_trip(name: str) -> None:
    check_state_dict_round_trip("RMSprop", CONFIGS[name])


def test_state_dict_matches_torch() -> None:
    check_state_matches_torch("RMSprop", CONFIGS["centered_momentum"])


def test_step_allocates_no_new_parameter_or_state_arrays() -> None:
    check_no_new_arrays("RMSprop", CONFIGS["centered_momentum"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr": -1.0}, r"Invalid learning rate: lr=-1.0"),
        ({"eps": -1.0}, r"Invalid epsilon value: eps=-1.0"),
        ({"momentum": -0.9}, r"Invalid momentum value: momentum=-0.9"),
        ({"weight_decay": -1.0}, r"Invalid weight_decay value: weight_decay=-1.0"),
        ({"alpha": -0.5}, r"Invalid alpha value: alpha=-0.5"),
    ],
)
def test_constructor_errors_like_torch(kwargs: dict, match: str) -> None:
    check_constructor_error("RMSprop", kwargs, match)


# ------------------------------------------------------------------ the pure function
@pytest.mark.parametrize("centered", [False, True])
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_rmsprop_step_follows_the_formula_for_three_steps(centered: bool, momentum: float) -> None:
    rng = np.random.default_rng(2)
    p = rng.standard_normal(5).astype(np.float32)
    sq, ga, buf = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    p64, sq64, ga64, buf64 = p.astype(np.float64), 0.0, 0.0, 0.0
    lr, alpha, eps = 0.01, 0.9, 1e-8
    for _ in range(3):
        g = rng.standard_normal(5).astype(np.float32)
        rmsprop_step(
            p,
            g,
            sq,
            lr=lr,
            alpha=alpha,
            eps=eps,
            momentum=momentum,
            grad_avg=ga if centered else None,
            momentum_buffer=buf if momentum else None,
        )
        sq64 = alpha * sq64 + (1 - alpha) * g * g
        ga64 = alpha * ga64 + (1 - alpha) * g
        avg = np.sqrt(sq64 - ga64 * ga64 if centered else sq64) + eps
        buf64 = momentum * buf64 + g / avg
        p64 = p64 - lr * (buf64 if momentum else g / avg)
        np.testing.assert_allclose(p, p64, rtol=1e-5, atol=1e-6)


def test_rmsprop_step_with_momentum_needs_a_buffer() -> None:
    p = np.zeros(2, np.float32)
    with pytest.raises(ValueError, match="momentum_buffer"):
        rmsprop_step(p, p, p.copy(), lr=0.1, alpha=0.9, eps=1e-8, momentum=0.5)
