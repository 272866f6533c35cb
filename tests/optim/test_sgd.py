"""SGD: 20 steps on an MLP agree with torch for every option; the pure sgd_step."""

import numpy as np
import pytest

from scratchgrad.optim.sgd import sgd_step
from tests.optim import (
    assert_close,
    check_constructor_error,
    check_matches_torch,
    check_no_new_arrays,
    check_state_dict_round_trip,
    check_state_matches_torch,
    run_both,
)

CONFIGS = {
    "plain": {"lr": 0.1},
    "momentum": {"lr": 0.1, "momentum": 0.9},
    "dampening": {"lr": 0.1, "momentum": 0.9, "dampening": 0.3},
    "nesterov": {"lr": 0.1, "momentum": 0.8, "nesterov": True},
    "weight_decay": {"lr": 0.1, "weight_decay": 0.05},
    "all": {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.01, "nesterov": True},
    "maximize": {"lr": 0.02, "momentum": 0.5, "weight_decay": 0.1, "maximize": True},
}


@pytest.mark.parametrize("kwargs", CONFIGS.values(), ids=CONFIGS.keys())
def test_20_steps_match_torch(kwargs: dict) -> None:
    check_matches_torch("SGD", kwargs)


def test_param_groups_with_their_own_hyperparameters_match_torch() -> None:
    groups = [{"lr": 0.2, "momentum": 0.5}, {"nesterov": True, "weight_decay": 0.1}]
    ours, theirs = run_both("SGD", {"lr": 0.05, "momentum": 0.9}, groups=groups)
    assert_close(ours, theirs)


@pytest.mark.parametrize("kwargs", [CONFIGS["plain"], CONFIGS["all"]], ids=["plain", "all"])
def test_state_dict_round_trip(kwargs: dict) -> None:
    check_state_dict_round_trip("SGD", kwargs)


@pytest.mark.parametrize("kwargs", [CONFIGS["plain"], CONFIGS["all"]], ids=["plain", "all"])
def test_state_dict_matches_torch(kwargs: dict) -> None:
    check_state_matches_torch("SGD", kwargs)


def test_step_allocates_no_new_parameter_or_state_arrays() -> None:
    check_no_new_arrays("SGD", CONFIGS["all"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr": -0.1}, "Invalid learning rate: lr=-0.1"),
        ({"lr": 0.1, "momentum": -0.5}, "Invalid momentum value: momentum=-0.5"),
        ({"lr": 0.1, "weight_decay": -1.0}, "Invalid weight_decay value: weight_decay=-1.0"),
        ({"lr": 0.1, "nesterov": True}, "Nesterov momentum requires a momentum.*momentum=0"),
        (
            {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True},
            "zero dampening.*dampening=0.1",
        ),
    ],
)
def test_constructor_errors_like_torch(kwargs: dict, match: str) -> None:
    check_constructor_error("SGD", kwargs, match)


# ------------------------------------------------------------------ the pure function
def test_sgd_step_plain_is_p_minus_lr_g() -> None:
    p = np.array([1.0, 2.0], np.float32)
    g = np.array([0.5, -1.0], np.float32)
    assert sgd_step(p, g, None, lr=0.1) is None
    np.testing.assert_allclose(p, [0.95, 2.1], rtol=1e-7)
    np.testing.assert_array_equal(g, [0.5, -1.0])  # the gradient is left alone


def test_sgd_step_momentum_buffer_follows_the_recurrence() -> None:
    p = np.zeros(3, np.float32)
    g = np.array([1.0, -2.0, 3.0], np.float32)
    buf = sgd_step(p, g, None, lr=0.1, momentum=0.9, dampening=0.5)
    assert buf is not None and not np.shares_memory(buf, g)
    np.testing.assert_array_equal(buf, g)  # first step: the gradient itself, undamped
    same = sgd_step(p, g, buf, lr=0.1, momentum=0.9, dampening=0.5)
    assert same is buf
    np.testing.assert_allclose(buf, 0.9 * g + 0.5 * g, rtol=1e-6)
    np.testing.assert_allclose(p, -0.1 * g - 0.1 * 1.4 * g, rtol=1e-6)


def test_sgd_step_nesterov_weight_decay_and_maximize() -> None:
    p = np.array([1.0, -1.0], np.float32)
    g = np.array([0.2, 0.4], np.float32)
    d = -g + 0.1 * p  # maximize negates the gradient, decay adds 0.1 * p
    sgd_step(p, g, None, lr=0.5, momentum=0.9, nesterov=True, weight_decay=0.1, maximize=True)
    np.testing.assert_allclose(p, [1.0, -1.0] - 0.5 * (d + 0.9 * d), rtol=1e-6)
