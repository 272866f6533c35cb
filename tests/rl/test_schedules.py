import pytest

from scratchgrad.rl.schedules import (
    LinearSchedule,
    as_schedule,
    linear_schedule,
    schedule_from_json,
    schedule_to_json,
)


def test_linear_schedule_runs_from_start_to_end() -> None:
    s = linear_schedule(0.2, 0.1)
    assert s(1.0) == pytest.approx(0.2) and s(0.0) == pytest.approx(0.1)
    assert s(0.5) == pytest.approx(0.15)


def test_as_schedule_keeps_callables_and_makes_constants() -> None:
    assert as_schedule(3.0)(0.3) == 3.0
    s = LinearSchedule(1.0)
    assert as_schedule(s) is s


def test_json_round_trip_and_refusal() -> None:
    s = LinearSchedule(1e-3, 0.0)
    assert schedule_from_json(schedule_to_json(s)) == s
    assert schedule_from_json(schedule_to_json(0.5)) == 0.5
    with pytest.raises(TypeError, match="LinearSchedule"):
        schedule_to_json(lambda p: p)
