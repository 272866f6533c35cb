"""ReduceLROnPlateau: the same learning rates as torch's on the same metrics."""

from typing import Any

import pytest

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.optim import lr_scheduler
from tests.optim.lr_scheduler._parity import (
    METRICS,
    Make,
    assert_same_as_torch,
    check_error_like_torch,
    check_state_dict_round_trip,
    make_optimizer,
)

PLATEAUS: dict[str, dict[str, Any]] = {
    "default_patience": {"patience": 2},
    "max_abs": {"mode": "max", "threshold_mode": "abs", "threshold": 0.05, "patience": 1},
    "cooldown": {"factor": 0.5, "patience": 1, "cooldown": 2, "min_lr": [0.02, 0.01]},
    "min_lr_eps": {"factor": 0.2, "patience": 0, "min_lr": 0.01, "eps": 1e-3},
    "max_rel": {"mode": "max", "threshold": 0.1, "patience": 0},
}


@pytest.mark.parametrize("name", PLATEAUS)
def test_reduce_on_plateau_matches_torch_on_the_same_metrics(name: str) -> None:
    def make(m: Any, o: Any) -> Any:
        return m.ReduceLROnPlateau(o, **PLATEAUS[name])

    history = assert_same_as_torch(make, steps=len(METRICS), metrics=METRICS)
    assert history[-1][0] != history[0][0]


def test_reduce_on_plateau_takes_a_tensor_metric() -> None:
    opt = make_optimizer(sg, optim)
    sched = lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    sched.step(sg.tensor(1.0))
    sched.step(sg.tensor(2.0))
    assert sched.get_last_lr() == pytest.approx([0.01, 0.003])
    assert sched.in_cooldown is False


def test_state_dict_round_trip_through_json_resumes_the_same_schedule() -> None:
    check_state_dict_round_trip(lambda m, o: m.ReduceLROnPlateau(o, patience=1), METRICS)


ERRORS: list[tuple[str, Make, type, str]] = [
    ("plateau_factor", lambda m, o: m.ReduceLROnPlateau(o, factor=1.0), ValueError, "< 1.0"),
    ("plateau_mode", lambda m, o: m.ReduceLROnPlateau(o, mode="up"), ValueError, "mode up"),
    (
        "plateau_threshold_mode",
        lambda m, o: m.ReduceLROnPlateau(o, threshold_mode="x"),
        ValueError,
        "threshold mode x",
    ),
    (
        "plateau_min_lrs",
        lambda m, o: m.ReduceLROnPlateau(o, min_lr=[0.1, 0.2, 0.3]),
        ValueError,
        "min_lr",
    ),
]


@pytest.mark.parametrize(("name", "make", "error", "match"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_like_torch(name: str, make: Make, error: type, match: str) -> None:
    check_error_like_torch(make, error, match)
