"""Adadelta: 20 steps on an MLP agree with torch for every option; adadelta_step alone."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.optim.adadelta import adadelta_step
from tests.optim import (
    check_constructor_error,
    check_matches_torch,
    check_no_new_arrays,
    check_state_dict_round_trip,
    check_state_matches_torch,
    make_params,
    run_both,
    train,
)

CONFIGS = {
    "defaults": {},
    "lr_rho": {"lr": 0.5, "rho": 0.8, "eps": 1e-5},
    "weight_decay": {"lr": 1.0, "weight_decay": 0.1},
    "maximize": {"lr": 0.5, "maximize": True},
    "maximize_decay": {"lr": 2.0, "maximize": True, "weight_decay": 0.05, "rho": 0.95},
    "foreach": {"foreach": True, "lr": 1.5},
}


@pytest.mark.parametrize("kwargs", CONFIGS.values(), ids=CONFIGS.keys())
def test_20_steps_match_torch(kwargs: dict) -> None:
    check_matches_torch("Adadelta", kwargs)


def test_param_groups_match_torch() -> None:
    ours, theirs = run_both("Adadelta", {"lr": 1.0}, groups=[{"rho": 0.5}, {"lr": 0.3}])
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs", [CONFIGS["defaults"], CONFIGS["weight_decay"]])
def test_state_dict_round_trip(kwargs: dict) -> None:
    check_state_dict_round_trip("Adadelta", kwargs)


def test_state_dict_matches_torch() -> None:
    check_state_matches_torch("Adadelta", CONFIGS["maximize_decay"])


def test_a_torch_state_dict_loads_and_continues_like_torch() -> None:
    tparams = make_params(torch)
    topt = torch.optim.Adadelta(tparams, lr=0.7)
    train(torch, topt, tparams, range(5))
    ours = make_params(sg, [p.detach().numpy().copy() for p in tparams])
    opt = optim.Adadelta(ours, lr=0.7)
    opt.load_state_dict(topt.state_dict())
    assert opt.state[ours[0]]["step"] == 5.0
    train(torch, topt, tparams, range(5, 10))
    train(sg, opt, ours, range(5, 10))
    for a, b in zip(ours, tparams, strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_step_allocates_no_new_parameter_or_state_arrays() -> None:
    check_no_new_arrays("Adadelta", CONFIGS["weight_decay"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr": -1.0}, r"Invalid learning rate: lr=-1.0"),
        ({"rho": 1.5}, r"Invalid rho value: rho=1.5"),
        ({"rho": -0.1}, r"Invalid rho value: rho=-0.1"),
        ({"eps": -1.0}, r"Invalid epsilon value: eps=-1.0"),
        ({"weight_decay": -1.0}, r"Invalid weight_decay value: weight_decay=-1.0"),
    ],
)
def test_constructor_errors_like_torch(kwargs: dict, match: str) -> None:
    check_constructor_error("Adadelta", kwargs, match)


@pytest.mark.parametrize("flag", ["capturable", "differentiable"])
def test_gpu_and_differentiable_modes_are_refused_by_name(flag: str) -> None:
    with pytest.raises(NotImplementedError, match=f"{flag}=True"):
        optim.Adadelta(make_params(sg), **{flag: True})


# ------------------------------------------------------------------ the pure function
def test_adadelta_step_follows_the_formula_for_three_steps() -> None:
    rng = np.random.default_rng(5)
    p = rng.standard_normal(4).astype(np.float32)
    s, a = np.zeros_like(p), np.zeros_like(p)
    p64, s64, a64 = p.astype(np.float64), 0.0, 0.0
    lr, rho, eps = 1.0, 0.9, 1e-6
    for _ in range(3):
        g = rng.standard_normal(4).astype(np.float32)
        adadelta_step(p, g, s, a, lr=lr, rho=rho, eps=eps)
        s64 = rho * s64 + (1 - rho) * g.astype(np.float64) ** 2
        delta = np.sqrt(a64 + eps) / np.sqrt(s64 + eps) * g
        a64 = rho * a64 + (1 - rho) * delta**2
        p64 = p64 - lr * delta
        np.testing.assert_allclose(p, p64, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(a, a64, rtol=1e-4, atol=1e-9)
