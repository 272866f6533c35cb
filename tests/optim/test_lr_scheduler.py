"""LR schedulers: the same learning rates (and momenta) as torch's, step by step."""

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.optim import lr_scheduler
from tests.optim import make_params

LIBS = ((sg, optim), (torch, torch.optim))


def make_optimizer(lib: Any, module: Any, kind: str = "SGD") -> Any:
    """Two parameter groups with different learning rates."""
    a, b, c, d = make_params(lib)
    groups = [{"params": [a, b], "lr": 0.1}, {"params": [c, d], "lr": 0.03}]
    if kind == "SGD":
        return module.SGD(groups, lr=0.1, momentum=0.9)
    return getattr(module, kind)(groups, lr=0.1)


def _snapshot(opt: Any, sched: Any) -> list[Any]:
    hyper = [(g["lr"], g.get("momentum"), tuple(g.get("betas", ()))) for g in opt.param_groups]
    return [list(sched.get_last_lr()), hyper]


def run(
    lib: Any,
    module: Any,
    make: Callable[[Any, Any], Any],
    steps: int,
    metrics: list[float] | None = None,
    kind: str = "SGD",
) -> list[list[Any]]:
    """The learning rates after construction and after each of ``steps`` steps."""
    opt = make_optimizer(lib, module, kind)
    sched = make(module.lr_scheduler, opt)
    history = [_snapshot(opt, sched)]
    for k in range(steps):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[k])
        history.append(_snapshot(opt, sched))
    return history


def assert_same_as_torch(
    make: Callable[[Any, Any], Any], steps: int = 25, **kwargs: Any
) -> list[list[Any]]:
    ours = run(sg, optim, make, steps, **kwargs)
    theirs = run(torch, torch.optim, make, steps, **kwargs)
    for k, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert a == b, f"after {k} steps: {a} != {b}"  # the same arithmetic: equal to the bit
    return ours


SCHEDULERS: dict[str, Callable[[Any, Any], Any]] = {
    "step": lambda m, o: m.StepLR(o, step_size=3, gamma=0.5),
    "multistep": lambda m, o: m.MultiStepLR(o, milestones=[11, 2, 5, 5], gamma=0.3),
    "exponential": lambda m, o: m.ExponentialLR(o, gamma=0.9),
    "cosine": lambda m, o: m.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
    "cosine_short": lambda m, o: m.CosineAnnealingLR(o, T_max=3),
    "linear_warmup": lambda m, o: m.LinearLR(o, start_factor=0.1, total_iters=8),
    "linear_decay": lambda m, o: m.LinearLR(o, start_factor=1.0, end_factor=0.2, total_iters=10),
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
    history = assert_same_as_torch(SCHEDULERS[name], steps=29)
    assert len({tuple(h[0]) for h in history}) > 2  # the schedule does change the rates


@pytest.mark.parametrize("kind", ["Adam", "NAdam"])
def test_onecycle_cycles_beta1_of_adam_like_optimizers(kind: str) -> None:
    history = assert_same_as_torch(SCHEDULERS["onecycle"], steps=29, kind=kind)
    beta1s = {h[1][0][2][0] for h in history}
    assert min(beta1s) == 0.85 and max(beta1s) == 0.95


PLATEAUS: dict[str, dict[str, Any]] = {
    "default_patience": {"patience": 2},
    "max_abs": {"mode": "max", "threshold_mode": "abs", "threshold": 0.05, "patience": 1},
    "cooldown": {"factor": 0.5, "patience": 1, "cooldown": 2, "min_lr": [0.02, 0.01]},
    "min_lr_eps": {"factor": 0.2, "patience": 0, "min_lr": 0.01, "eps": 1e-3},
    "max_rel": {"mode": "max", "threshold": 0.1, "patience": 0},
}
METRICS = [1.0, 0.9, 0.95, 0.9, 0.89, 0.9, 0.91, 0.5, 0.5, 0.49, 0.6, 0.7, 0.8, 0.9] * 2


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


# ------------------------------------------------------------------ bookkeeping
def test_construction_sets_initial_lr_and_base_lrs_like_torch() -> None:
    for lib, module in LIBS:
        opt = make_optimizer(lib, module)
        sched = module.lr_scheduler.StepLR(opt, step_size=2)
        assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 0.03]
        assert sched.base_lrs == [0.1, 0.03]
        assert sched.last_epoch == 0 and sched._step_count == 1


def test_get_last_lr_is_a_copy() -> None:
    opt = make_optimizer(sg, optim)
    sched = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    sched.get_last_lr()[0] = 99.0
    assert sched.get_last_lr() == [0.1, 0.03]


def test_resuming_with_last_epoch_matches_torch() -> None:
    def make(m: Any, o: Any) -> Any:
        for g in o.param_groups:
            g["initial_lr"] = g["lr"] * 2
        return m.CosineAnnealingLR(o, T_max=12, eta_min=0.01, last_epoch=4)

    assert_same_as_torch(make, steps=15)


def test_resuming_without_initial_lr_raises_key_error_like_torch() -> None:
    for lib, module in LIBS:
        with pytest.raises(KeyError, match="initial_lr"):
            module.lr_scheduler.StepLR(make_optimizer(lib, module), step_size=2, last_epoch=3)


@pytest.mark.parametrize("epoch", [0, 5, 7])
@pytest.mark.parametrize("name", ["step", "multistep", "exponential", "cosine", "linear_warmup"])
def test_deprecated_step_with_epoch_uses_the_closed_form_like_torch(name: str, epoch: int) -> None:
    lrs = []
    for lib, module in LIBS:
        opt = make_optimizer(lib, module)
        sched = SCHEDULERS[name](module.lr_scheduler, opt)
        opt.step()
        with pytest.warns(UserWarning, match="deprecated"):
            sched.step(epoch)
        lrs.append(sched.get_last_lr())
    assert lrs[0] == lrs[1]


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


# ------------------------------------------------------------------ state dicts
STATEFUL = {**SCHEDULERS, "plateau": lambda m, o: m.ReduceLROnPlateau(o, patience=1)}


@pytest.mark.parametrize("name", STATEFUL)
def test_state_dict_round_trip_through_json_resumes_the_same_schedule(name: str) -> None:
    make = STATEFUL[name]
    metrics = METRICS if name == "plateau" else None

    def step(sched: Any, k: int) -> None:
        sched.step(metrics[k]) if metrics else sched.step()

    straight = run(sg, optim, make, 20, metrics=metrics)
    opt = make_optimizer(sg, optim)
    sched = make(lr_scheduler, opt)
    for k in range(8):
        step(sched, k)
    saved_sched = json.loads(json.dumps(sched.state_dict()))  # JSON-friendly
    saved_opt = opt.state_dict()

    opt2 = make_optimizer(sg, optim)
    sched2 = make(lr_scheduler, opt2)
    sched2.load_state_dict(saved_sched)
    opt2.load_state_dict(saved_opt)  # after the scheduler, as torch recommends
    resumed = []
    for k in range(8, 20):
        step(sched2, k)
        resumed.append(_snapshot(opt2, sched2))
    assert resumed == straight[9:]


# ------------------------------------------------------------------ errors
ERRORS: list[tuple[str, Callable[[Any, Any], Any], type, str]] = [
    ("linear_start", lambda m, o: m.LinearLR(o, start_factor=0.0), ValueError, "start_factor=0.0"),
    ("linear_end", lambda m, o: m.LinearLR(o, end_factor=1.5), ValueError, "end_factor=1.5"),
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
    ("not_an_optimizer", lambda m, o: m.StepLR(object(), 2), TypeError, "not an Optimizer"),
]


@pytest.mark.parametrize(("name", "make", "error", "match"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_like_torch(name: str, make: Callable, error: type, match: str) -> None:
    for lib, module in LIBS:
        with pytest.raises(error, match=match if lib is sg else None):
            make(module.lr_scheduler, make_optimizer(lib, module))


def test_sequential_refuses_a_scheduler_of_another_optimizer() -> None:
    for lib, module in LIBS:
        o1, o2 = make_optimizer(lib, module), make_optimizer(lib, module)
        with pytest.raises(ValueError, match="same optimizer"):
            m = module.lr_scheduler
            m.SequentialLR(o1, [m.StepLR(o1, 2), m.StepLR(o2, 2)], milestones=[3])


def test_onecycle_momentum_needs_an_optimizer_with_momentum() -> None:
    for lib, module in LIBS:
        opt = make_optimizer(lib, module, "Adagrad")
        with pytest.raises(ValueError, match="momentum or beta1"):
            module.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=5)
    opt = make_optimizer(sg, optim, "Adagrad")  # without cycling, any optimizer will do
    sched = lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=5, cycle_momentum=False)
    np.testing.assert_allclose(sched.get_last_lr(), [0.1 / 25, 0.1 / 25], rtol=1e-12)
