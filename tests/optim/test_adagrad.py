"""Adagrad: 20 steps on an MLP agree with torch for every option; adagrad_step alone."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.optim.adagrad import adagrad_step
from tests.optim import (
    check_constructor_error,
    check_matches_torch,
    check_no_new_arrays,
    check_state_dict_round_trip,
    check_state_matches_torch,
    make_params,
)

CONFIGS = {
    "plain": {"lr": 0.05},
    "lr_decay": {"lr": 0.05, "lr_decay": 0.1},
    "weight_decay": {"lr": 0.05, "weight_decay": 0.1},
    "initial_accumulator": {"lr": 0.05, "initial_accumulator_value": 0.5, "eps": 1e-6},
    "maximize": {"lr": 0.01, "maximize": True, "lr_decay": 0.01},
}


@pytest.mark.parametrize("kwargs", CONFIGS.values(), ids=CONFIGS.keys())
def test_20_steps_match_torch(kwargs: dict) -> None:
    check_matches_torch("Adagrad", kwargs)


@pytest.mark.parametrize("kwargs", [CONFIGS["plain"], CONFIGS["lr_decay"]], ids=["plain", "decay"])
def test_state_dict_round_trip(kwargs: dict) -> None:
    check_state_dict_round_trip("Adagrad", kwargs)


def test_state_dict_matches_torch() -> None:
    check_state_matches_torch("Adagrad", CONFIGS["initial_accumulator"])


def test_state_is_created_at_construction_like_torch() -> None:
    opt = optim.Adagrad(make_params(sg), initial_accumulator_value=0.25)
    state = opt.state_dict()["state"]
    assert sorted(state) == [0, 1, 2, 3]
    assert state[0]["step"] == 0.0
    np.testing.assert_array_equal(state[0]["sum"].numpy(), np.full((5, 3), 0.25, np.float32))


def test_a_group_added_later_gets_its_state_on_its_first_step() -> None:
    w, extra = make_params(sg)[:2]
    opt = optim.Adagrad([w], lr=0.1)
    opt.add_param_group({"params": [extra], "initial_accumulator_value": 1.0})
    extra.grad = sg.ones(5)
    opt.step()
    np.testing.assert_allclose(opt.state[extra]["sum"].numpy(), np.full(5, 2.0))
    assert opt.state[extra]["step"] == 1.0


def test_step_allocates_no_new_parameter_or_state_arrays() -> None:
    check_no_new_arrays("Adagrad", CONFIGS["weight_decay"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr": -1.0}, r"Invalid learning rate: lr=-1.0"),
        ({"lr_decay": -1.0}, r"Invalid lr_decay value: lr_decay=-1.0"),
        ({"weight_decay": -1.0}, r"Invalid weight_decay value: weight_decay=-1.0"),
        (
            {"initial_accumulator_value": -1.0},
            r"Invalid initial_accumulator_value value: initial_accumulator_value=-1.0",
        ),
        ({"eps": -1.0}, r"Invalid epsilon value: eps=-1.0"),
    ],
)
def test_constructor_errors_like_torch(kwargs: dict, match: str) -> None:
    check_constructor_error("Adagrad", kwargs, match)


# ------------------------------------------------------------------ the pure function
def test_adagrad_step_follows_the_formula_for_three_steps() -> None:
    rng = np.random.default_rng(3)
    p = rng.standard_normal(4).astype(np.float32)
    total = np.full_like(p, 0.1)
    p64, total64 = p.astype(np.float64), 0.1
    lr, decay, eps = 0.1, 0.05, 1e-10
    for t in (1, 2, 3):
        g = rng.standard_normal(4).astype(np.float32)
        adagrad_step(p, g, total, step=t, lr=lr, lr_decay=decay, eps=eps)
        total64 = total64 + g.astype(np.float64) ** 2
        p64 = p64 - lr / (1 + (t - 1) * decay) * g / (np.sqrt(total64) + eps)
        np.testing.assert_allclose(p, p64, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(total, total64, rtol=1e-6)
