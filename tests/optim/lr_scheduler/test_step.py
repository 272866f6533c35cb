"""StepLR, MultiStepLR, ExponentialLR: the same learning rates as torch's, step by step."""

import pytest

from tests.optim.lr_scheduler._parity import (
    Make,
    check_changes_rates_like_torch,
    check_closed_form_like_torch,
    check_state_dict_round_trip,
)

SCHEDULERS: dict[str, Make] = {
    "step": lambda m, o: m.StepLR(o, step_size=3, gamma=0.5),
    "multistep": lambda m, o: m.MultiStepLR(o, milestones=[11, 2, 5, 5], gamma=0.3),
    "exponential": lambda m, o: m.ExponentialLR(o, gamma=0.9),
}


@pytest.mark.parametrize("name", SCHEDULERS)
def test_learning_rates_match_torch_for_29_steps(name: str) -> None:
    check_changes_rates_like_torch(SCHEDULERS[name])


@pytest.mark.parametrize("epoch", [0, 5, 7])
@pytest.mark.parametrize("name", SCHEDULERS)
def test_deprecated_step_with_epoch_uses_the_closed_form_like_torch(name: str, epoch: int) -> None:
    check_closed_form_like_torch(SCHEDULERS[name], epoch)


@pytest.mark.parametrize("name", SCHEDULERS)
def test_state_dict_round_trip_through_json_resumes_the_same_schedule(name: str) -> None:
    check_state_dict_round_trip(SCHEDULERS[name])
