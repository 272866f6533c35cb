"""OneCycleLR: the same learning rates and momenta as torch's, step by step."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.optim import lr_scheduler
from tests.optim.lr_scheduler._parity import (
    LIBS,
    Make,
    assert_same_as_torch,
    check_changes_rates_like_torch,
    check_error_like_torch,
    check_state_dict_round_trip,
    make_optimizer,
)

SCHEDULERS: dict[str, Make] = {
    "onecycle": lambda m, o: m.OneCycleLR(o, max_lr=[0.5, 0.2], total_steps=30),
    "onecycle_linear": lambda m, o: m.OneCycleLR(
        o,
        max_lr=0.4,
        epochs=3,
        steps_per_epoch=10,
        pct_start=0.25,
        anneal_strategy="linear",
        div_factor=10.0,
        final_div_factor=100.0,
        base_momentum=[0.8, 0.7],
    ),
    "onecycle_three_phase": lambda m, o: m.OneCycleLR(
        o, max_lr=0.3, total_steps=30, three_phase=True, max_momentum=0.98
    ),
    "onecycle_no_momentum": lambda m, o: m.OneCycleLR(
        o, max_lr=0.3, total_steps=30, cycle_momentum=False
    ),
}


@pytest.mark.parametrize("name", SCHEDULERS)
def test_learning_rates_match_torch_for_29_steps(name: str) -> None:
    check_changes_rates_like_torch(SCHEDULERS[name])


@pytest.mark.parametrize("kind", ["Adam", "NAdam"])
def test_onecycle_cycles_beta1_of_adam_like_optimizers(kind: str) -> None:
    history = assert_same_as_torch(SCHEDULERS["onecycle"], steps=29, kind=kind)
    beta1s = {h[1][0][2][0] for h in history}
    assert min(beta1s) == 0.85 and max(beta1s) == 0.95


def test_onecycle_refuses_steps_past_the_end_like_torch() -> None:
    for lib, module in LIBS:
        opt = make_optimizer(lib, module)
        sched = module.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=3)
        for _ in range(3):
            opt.step()
            sched.step()
        opt.step()
        with pytest.raises(ValueError, match="Tried to step 4 times"):
            sched.step()


@pytest.mark.parametrize("name", SCHEDULERS)
def test_state_dict_round_trip_through_json_resumes_the_same_schedule(name: str) -> None:
    check_state_dict_round_trip(SCHEDULERS[name])


ERRORS: list[tuple[str, Make, type, str]] = [
    ("onecycle_steps", lambda m, o: m.OneCycleLR(o, max_lr=0.1), ValueError, "total_steps OR"),
    (
        "onecycle_total",
        lambda m, o: m.OneCycleLR(o, max_lr=0.1, total_steps=0),
        ValueError,
        "positive integer total_steps, but got 0",
    ),
    (
        "onecycle_epochs",
        lambda m, o: m.OneCycleLR(o, max_lr=0.1, epochs=-1, steps_per_epoch=3),
        ValueError,
        "positive integer epochs, but got -1",
    ),
    (
        "onecycle_pct",
        lambda m, o: m.OneCycleLR(o, max_lr=0.1, total_steps=9, pct_start=1.5),
        ValueError,
        "pct_start, but got 1.5",
    ),
    (
        "onecycle_anneal",
        lambda m, o: m.OneCycleLR(o, max_lr=0.1, total_steps=9, anneal_strategy="exp"),
        ValueError,
        "instead got exp",
    ),
    (
        "onecycle_list",
        lambda m, o: m.OneCycleLR(o, max_lr=[0.1], total_steps=9),
        ValueError,
        "max_lr has 1 values, param_groups has 2",
    ),
]


@pytest.mark.parametrize(("name", "make", "error", "match"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_like_torch(name: str, make: Make, error: type, match: str) -> None:
    check_error_like_torch(make, error, match)


def test_onecycle_momentum_needs_an_optimizer_with_momentum() -> None:
    for lib, module in LIBS:
        opt = make_optimizer(lib, module, "Adagrad")
        with pytest.raises(ValueError, match="momentum or beta1"):
            module.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=5)
    opt = make_optimizer(sg, optim, "Adagrad")  # without cycling, any optimizer will do
    sched = lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=5, cycle_momentum=False)
    np.testing.assert_allclose(sched.get_last_lr(), [0.1 / 25, 0.1 / 25], rtol=1e-12)
