"""CosineAnnealingLR and LinearLR: the same learning rates as torch's, step by step."""

import pytest

from tests.optim.lr_scheduler._parity import (
    Make,
    check_changes_rates_like_torch,
    check_closed_form_like_torch,
    check_error_like_torch,
    check_state_dict_round_trip,
)

SCHEDULERS: dict[str, Make] = {
    "cosine": lambda m, o: m.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
    "cosine_short": lambda m, o: m.CosineAnnealingLR(o, T_max=3),
    "linear_warmup": lambda m, o: m.LinearLR(o, start_factor=0.1, total_iters=8),
    "linear_decay": lambda m, o: m.LinearLR(o, start_factor=1.0, end_factor=0.2, total_iters=10),
}


@pytest.mark.parametrize("name", SCHEDULERS)
def test_learning_rates_match_torch_for_29_steps(name: str) -> None:
    check_changes_rates_like_torch(SCHEDULERS[name])


@pytest.mark.parametrize("epoch", [0, 5, 7])
@pytest.mark.parametrize("name", ["cosine", "linear_warmup"])
def test_deprecated_step_with_epoch_uses_the_closed_form_like_torch(name: str, epoch: int) -> None:
    check_closed_form_like_torch(SCHEDULERS[name], epoch)


@pytest.mark.parametrize("name", SCHEDULERS)
def test_state_dict_round_trip_through_json_resumes_the_same_schedule(name: str) -> None:
    check_state_dict_round_trip(SCHEDULERS[name])


ERRORS: list[tuple[str, Make, type, str]] = [
    ("linear_start", lambda m, o: m.LinearLR(o, start_factor=0.0), ValueError, "start_factor=0.0"),
    ("linear_end", lambda m, o: m.LinearLR(o, end_factor=1.5), ValueError, "end_factor=1.5"),
]


@pytest.mark.parametrize(("name", "make", "error", "match"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_like_torch(name: str, make: Make, error: type, match: str) -> None:
    check_error_like_torch(make, error, match)
