"""NAdam: 20 steps on an MLP agree with torch for every option; nadam_step alone."""

import numpy as np
import pytest

from scratchgrad.optim.nadam import nadam_step
from tests.optim import (
    check_constructor_error,
    check_matches_torch,
    check_no_new_arrays,
    check_state_dict_round_trip,
    check_state_matches_torch,
)

CONFIGS = {
    "plain": {"lr": 0.02},
    "l2": {"lr": 0.02, "weight_decay": 0.1},
    "decoupled": {"lr": 0.02, "weight_decay": 0.1, "decoupled_weight_decay": True},
    "momentum_decay": {"lr": 0.02, "momentum_decay": 0.1, "betas": (0.8, 0.95)},
    "maximize": {"lr": 0.01, "maximize": True, "eps": 1e-4},
}


@pytest.mark.parametrize("kwargs", CONFIGS.values(), ids=CONFIGS.keys())
def test_20_steps_match_torch(kwargs: dict) -> None:
    check_matches_torch("NAdam", kwargs)


@pytest.mark.parametrize("kwargs", [CONFIGS["plain"], CONFIGS["decoupled"]], ids=["plain", "dwd"])
def test_state_dict_round_trip(kwargs: dict) -> None:
    check_state_dict_round_trip("NAdam", kwargs)


def test_state_dict_matches_torch_mu_product_included() -> None:
    check_state_matches_torch("NAdam", CONFIGS["momentum_decay"])


def test_step_allocates_no_new_parameter_or_state_arrays() -> None:
    check_no_new_arrays("NAdam", CONFIGS["l2"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr": -1.0}, r"Invalid learning rate: lr=-1.0"),
        ({"eps": -1.0}, r"Invalid epsilon value: eps=-1.0"),
        ({"betas": (0.9, 1.0)}, r"Invalid beta parameter at index 1: betas\[1\]=1.0"),
        ({"weight_decay": -1.0}, r"Invalid weight_decay value: weight_decay=-1.0"),
        ({"momentum_decay": -0.1}, r"Invalid momentum_decay value: momentum_decay=-0.1"),
    ],
)
def test_constructor_errors_like_torch(kwargs: dict, match: str) -> None:
    check_constructor_error("NAdam", kwargs, match)


# ------------------------------------------------------------------ the pure function
def test_nadam_step_follows_dozat_for_three_steps() -> None:
    rng = np.random.default_rng(1)
    p = rng.standard_normal(6).astype(np.float32)
    m, v = np.zeros_like(p), np.zeros_like(p)
    lr, b1, b2, eps, psi = 0.05, 0.9, 0.999, 1e-8, 4e-3
    p64, m64, v64, mu_prod = p.astype(np.float64), 0.0, 0.0, 1.0
    mu_product = 1.0
    for t in (1, 2, 3):
        g = rng.standard_normal(6).astype(np.float32)
        mu_product = nadam_step(
            p, g, m, v, step=t, mu_product=mu_product, lr=lr, beta1=b1, beta2=b2, eps=eps
        )
        mu = b1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        mu_prod *= mu
        m64 = b1 * m64 + (1 - b1) * g
        v64 = b2 * v64 + (1 - b2) * g * g
        m_hat = mu_next * m64 / (1 - mu_prod * mu_next) + (1 - mu) * g / (1 - mu_prod)
        p64 = p64 - lr * m_hat / (np.sqrt(v64 / (1 - b2**t)) + eps)
        assert mu_product == pytest.approx(mu_prod, rel=1e-6)
        np.testing.assert_allclose(p, p64, rtol=1e-5, atol=1e-6)
