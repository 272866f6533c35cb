"""The scheduler harness: the same schedule with scratchgrad and torch, step by step.

A family's test file lists its schedulers as ``make(lr_scheduler_module, optimizer)``
functions and checks them with these helpers against torch's, to the bit.
"""

import json
from collections.abc import Callable
from typing import Any

import pytest
import torch

import scratchgrad as sg
from scratchgrad import optim
from tests.optim import make_params

LIBS = ((sg, optim), (torch, torch.optim))
Make = Callable[[Any, Any], Any]
METRICS = [1.0, 0.9, 0.95, 0.9, 0.89, 0.9, 0.91, 0.5, 0.5, 0.49, 0.6, 0.7, 0.8, 0.9] * 2


def make_optimizer(lib: Any, module: Any, kind: str = "SGD") -> Any:
    """Two parameter groups with different learning rates."""
    a, b, c, d = make_params(lib)
    groups = [{"params": [a, b], "lr": 0.1}, {"params": [c, d], "lr": 0.03}]
    if kind == "SGD":
        return module.SGD(groups, lr=0.1, momentum=0.9)
    return getattr(module, kind)(groups, lr=0.1)


def snapshot(opt: Any, sched: Any) -> list[Any]:
    hyper = [(g["lr"], g.get("momentum"), tuple(g.get("betas", ()))) for g in opt.param_groups]
    return [list(sched.get_last_lr()), hyper]


def run(
    lib: Any,
    module: Any,
    make: Make,
    steps: int,
    metrics: list[float] | None = None,
    kind: str = "SGD",
) -> list[list[Any]]:
    """The learning rates after construction and after each of ``steps`` steps."""
    opt = make_optimizer(lib, module, kind)
    sched = make(module.lr_scheduler, opt)
    history = [snapshot(opt, sched)]
    for k in range(steps):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[k])
        history.append(snapshot(opt, sched))
    return history


def assert_same_as_torch(make: Make, steps: int = 25, **kwargs: Any) -> list[list[Any]]:
    ours = run(sg, optim, make, steps, **kwargs)
    theirs = run(torch, torch.optim, make, steps, **kwargs)
    for k, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert a == b, f"after {k} steps: {a} != {b}"  # the same arithmetic: equal to the bit
    return ours


def check_changes_rates_like_torch(make: Make) -> None:
    """29 steps equal to torch's, and the schedule does change the rates."""
    history = assert_same_as_torch(make, steps=29)
    assert len({tuple(h[0]) for h in history}) > 2  # the schedule does change the rates


def check_closed_form_like_torch(make: Make, epoch: int) -> None:
    """The deprecated ``step(epoch)`` warns and sets torch's closed-form rates."""
    lrs = []
    for lib, module in LIBS:
        opt = make_optimizer(lib, module)
        sched = make(module.lr_scheduler, opt)
        opt.step()
        with pytest.warns(UserWarning, match="deprecated"):
            sched.step(epoch)
        lrs.append(sched.get_last_lr())
    assert lrs[0] == lrs[1]


def check_state_dict_round_trip(make: Make, metrics: list[float] | None = None) -> None:
    """8 steps, state dict through JSON into a fresh scheduler, 12 more = 20 straight."""

    def step(sched: Any, k: int) -> None:
        sched.step(metrics[k]) if metrics else sched.step()

    straight = run(sg, optim, make, 20, metrics=metrics)
    opt = make_optimizer(sg, optim)
    sched = make(optim.lr_scheduler, opt)
    for k in range(8):
        step(sched, k)
    saved_sched = json.loads(json.dumps(sched.state_dict()))  # JSON-friendly
    saved_opt = opt.state_dict()

    opt2 = make_optimizer(sg, optim)
    sched2 = make(optim.lr_scheduler, opt2)
    sched2.load_state_dict(saved_sched)
    opt2.load_state_dict(saved_opt)  # after the scheduler, as torch recommends
    resumed = []
    for k in range(8, 20):
        step(sched2, k)
        resumed.append(snapshot(opt2, sched2))
    assert resumed == straight[9:]


def check_error_like_torch(make: Make, error: type, match: str) -> None:
    """Both libraries raise ``error``; ours with the message ``match``."""
    for lib, module in LIBS:
        with pytest.raises(error, match=match if lib is sg else None):
            make(module.lr_scheduler, make_optimizer(lib, module))
