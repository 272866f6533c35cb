"""Adam and AdamW: 20 steps on an MLP agree with torch for every option; adam_step alone."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.optim.adam import adam_step
from tests.optim import (
    assert_close,
    check_constructor_error,
    check_matches_torch,
    check_no_new_arrays,
    check_state_dict_round_trip,
    check_state_matches_torch,
    make_params,
    run_both,
)

ADAM = {
    "plain": {"lr": 0.02},
    "amsgrad": {"lr": 0.02, "amsgrad": True},
    "l2": {"lr": 0.02, "weight_decay": 0.1},
    "decoupled": {"lr": 0.02, "weight_decay": 0.1, "decoupled_weight_decay": True},
    "betas": {"lr": 0.01, "betas": (0.5, 0.9), "eps": 1e-3},  # lerp weight 0.5: other branch
    "maximize": {"lr": 0.01, "maximize": True, "weight_decay": 0.05, "amsgrad": True},
}
ADAMW = {
    "plain": {"lr": 0.02},
    "amsgrad": {"lr": 0.02, "weight_decay": 0.5, "amsgrad": True},
    "maximize": {"lr": 0.01, "maximize": True},
}


@pytest.mark.parametrize("kwargs", ADAM.values(), ids=ADAM.keys())
def test_adam_20_steps_match_torch(kwargs: dict) -> None:
    check_matches_torch("Adam", kwargs)


@pytest.mark.parametrize("kwargs", ADAMW.values(), ids=ADAMW.keys())
def test_adamw_20_steps_match_torch(kwargs: dict) -> None:
    check_matches_torch("AdamW", kwargs)


def test_adamw_is_adam_with_decoupled_weight_decay() -> None:
    opt_w = optim.AdamW(make_params(sg), lr=0.1, weight_decay=0.3)
    opt_a = optim.Adam(make_params(sg), lr=0.1, weight_decay=0.3, decoupled_weight_decay=True)
    assert isinstance(opt_w, optim.Adam)
    assert opt_w.defaults == opt_a.defaults
    assert optim.AdamW(make_params(sg)).defaults["weight_decay"] == 0.01


def test_param_groups_with_their_own_hyperparameters_match_torch() -> None:
    groups = [{"lr": 0.05, "amsgrad": True}, {"betas": (0.8, 0.99), "weight_decay": 0.1}]
    ours, theirs = run_both("Adam", {"lr": 0.01}, groups=groups)
    assert_close(ours, theirs)


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@pytest.mark.parametrize("amsgrad", [False, True])
def test_state_dict_round_trip(name: str, amsgrad: bool) -> None:
    check_state_dict_round_trip(name, {"lr": 0.02, "amsgrad": amsgrad, "weight_decay": 0.1})


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_state_dict_matches_torch(name: str) -> None:
    check_state_matches_torch(name, {"lr": 0.02, "amsgrad": True})


def test_step_allocates_no_new_parameter_or_state_arrays() -> None:
    check_no_new_arrays("Adam", ADAM["maximize"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr": -1.0}, r"Invalid learning rate: lr=-1.0"),
        ({"eps": -1e-8}, r"Invalid epsilon value: eps=-1e-08"),
        ({"betas": (1.0, 0.999)}, r"Invalid beta parameter at index 0: betas\[0\]=1.0"),
        ({"betas": (0.9, -0.1)}, r"Invalid beta parameter at index 1: betas\[1\]=-0.1"),
        ({"weight_decay": -0.1}, r"Invalid weight_decay value: weight_decay=-0.1"),
        ({"lr": float("nan")}, r"Invalid learning rate: lr=nan"),
    ],
)
@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_constructor_errors_like_torch(name: str, kwargs: dict, match: str) -> None:
    check_constructor_error(name, kwargs, match)


# ------------------------------------------------------------------ the pure function
def _reference(p, m, v, vmax, g, t, amsgrad, lr=0.1, b1=0.9, b2=0.99, eps=1e-6, wd=0.01):
    """Adam as the paper writes it (plus L2 decay), in float64."""
    g = g + wd * p
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    vmax = np.maximum(vmax, v) if amsgrad else v
    p = p - lr * (m / (1 - b1**t)) / (np.sqrt(vmax / (1 - b2**t)) + eps)
    return p, m, v, vmax


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_step_follows_the_paper_for_three_steps(amsgrad: bool) -> None:
    rng = np.random.default_rng(0)
    p = rng.standard_normal(7).astype(np.float32)
    m, v, vmax = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    ref = (p.astype(np.float64), 0.0, 0.0, 0.0)
    hyper = {"lr": 0.1, "beta1": 0.9, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.01}
    for t in (1, 2, 3):
        g = rng.standard_normal(7).astype(np.float32)
        g_before = g.copy()
        assert adam_step(p, g, m, v, step=t, v_max=vmax if amsgrad else None, **hyper) is None
        np.testing.assert_array_equal(g, g_before)  # the gradient is left alone
        ref = _reference(*ref, g.astype(np.float64), t, amsgrad)
        for got, want in zip((p, m, v), ref[:3], strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_adam_step_decoupled_decay_shrinks_weights_before_the_update() -> None:
    p = np.array([2.0], np.float32)
    m, v = np.zeros(1, np.float32), np.zeros(1, np.float32)
    adam_step(
        p,
        np.zeros(1, np.float32),
        m,
        v,
        step=1,
        lr=0.1,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        weight_decay=0.5,
        decoupled_weight_decay=True,
    )
    np.testing.assert_allclose(p, [2.0 * (1 - 0.1 * 0.5)], rtol=1e-7)  # zero gradient: decay only
    assert m[0] == 0 and v[0] == 0  # decoupled decay stays out of the moments
