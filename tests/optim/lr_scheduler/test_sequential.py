"""SequentialLR: schedulers in turn, the same learning rates as torch's, step by step."""

import pytest

from tests.optim.lr_scheduler._parity import (
    LIBS,
    Make,
    check_changes_rates_like_torch,
    check_error_like_torch,
    check_state_dict_round_trip,
    make_optimizer,
)

SCHEDULERS: dict[str, Make] = {
    "sequential": lambda m, o: m.SequentialLR(
        o,
        [m.LinearLR(o, start_factor=0.1, total_iters=5), m.CosineAnnealingLR(o, T_max=10)],
        milestones=[5],
    ),
    "sequential_three": lambda m, o: m.SequentialLR(
        o,
        [
            m.ExponentialLR(o, gamma=0.8),
            m.StepLR(o, step_size=2, gamma=0.5),
            m.MultiStepLR(o, milestones=[3, 12], gamma=0.1),
        ],
        milestones=[4, 9],
    ),
}


@pytest.mark.parametrize("name", SCHEDULERS)
def test_learning_rates_match_torch_for_29_steps(name: str) -> None:
    check_changes_rates_like_torch(SCHEDULERS[name])


@pytest.mark.parametrize("name", SCHEDULERS)
def test_state_dict_round_trip_through_json_resumes_the_same_schedule(name: str) -> None:
    check_state_dict_round_trip(SCHEDULERS[name])


ERRORS: list[tuple[str, Make, type, str]] = [
    (
        "sequential_milestones",
        lambda m, o: m.SequentialLR(o, [m.StepLR(o, 2), m.StepLR(o, 3)], milestones=[2, 4]),
        ValueError,
        "number of milestones to be equal to 2",
    ),
    (
        "sequential_plateau",
        lambda m, o: m.SequentialLR(o, [m.StepLR(o, 2), m.ReduceLROnPlateau(o)], milestones=[2]),
        ValueError,
        "ReduceLROnPlateau",
    ),
    ("sequential_empty", lambda m, o: m.SequentialLR(o, [], milestones=[]), ValueError, "at least"),
]


@pytest.mark.parametrize(("name", "make", "error", "match"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_like_torch(name: str, make: Make, error: type, match: str) -> None:
    check_error_like_torch(make, error, match)


def test_sequential_refuses_a_scheduler_of_another_optimizer() -> None:
    for lib, module in LIBS:
        o1, o2 = make_optimizer(lib, module), make_optimizer(lib, module)
        with pytest.raises(ValueError, match="same optimizer"):
            m = module.lr_scheduler
            m.SequentialLR(o1, [m.StepLR(o1, 2), m.StepLR(o2, 2)], milestones=[3])
