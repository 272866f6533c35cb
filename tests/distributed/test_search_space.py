import math

import optuna
import pytest

from scratchgrad.distributed.search_space import ParamSpec, parse_param
from scratchgrad.errors import SettingsError


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("lr=log:1e-4:1e-1", ParamSpec("lr", "log", 1e-4, 1e-1)),
        ("dropout=float:0:0.5", ParamSpec("dropout", "float", 0.0, 0.5)),
        ("hidden=int:32:256", ParamSpec("hidden", "int", 32.0, 256.0)),
        ("act=choice:relu,gelu", ParamSpec("act", "choice", choices=("relu", "gelu"))),
        ("batch_size=choice:16,32", ParamSpec("batch_size", "choice", choices=(16, 32))),
    ],
)
def test_parse_param_reads_each_form(text: str, spec: ParamSpec) -> None:
    assert parse_param(text) == spec


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lr", "expected name="),
        ("lr=uniform:0:1", "expected name="),
        ("lr=log:0:1", "LOW > 0"),
        ("lr=float:1:0", "LOW < HIGH"),
        ("lr=float:a:1", "two numbers"),
        ("hidden=int:1.5:8", "two integers"),
        ("lr=float:0:inf", "two numbers"),
    ],
)
def test_parse_param_refuses_bad_ranges(text: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        parse_param(text)


def test_suggest_stays_in_range_and_corners_are_the_bounds() -> None:
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    specs = [parse_param(t) for t in ("lr=log:1e-4:1e-1", "h=int:2:5", "a=choice:x,y")]
    for _ in range(20):
        trial = study.ask()
        lr, h, a = (s.suggest(trial) for s in specs)
        assert 1e-4 <= lr <= 1e-1 and isinstance(h, int) and 2 <= h <= 5 and a in ("x", "y")
        study.tell(trial, 0.0)
    assert specs[0].corners() == [1e-4, 1e-1] and specs[1].corners() == [2, 5]
    assert specs[2].corners() == ["x", "y"]
    assert math.isclose(specs[0].low or 0, 1e-4)
