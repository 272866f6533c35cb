"""LRScheduler's bookkeeping, shared by every scheduler: as torch's, bit for bit."""

from typing import Any

import pytest

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.optim import lr_scheduler
from tests.optim.lr_scheduler._parity import (
    LIBS,
    assert_same_as_torch,
    check_error_like_torch,
    make_optimizer,
)


def test_the_package_keeps_every_scheduler_name() -> None:
    assert optim.lr_scheduler is lr_scheduler
    assert set(lr_scheduler.__all__) == {
        "CosineAnnealingLR",
        "ExponentialLR",
        "LRScheduler",
        "LinearLR",
        "MultiStepLR",
        "OneCycleLR",
        "ReduceLROnPlateau",
        "SequentialLR",
        "StepLR",
    }
    for name in lr_scheduler.__all__:
        assert issubclass(getattr(lr_scheduler, name), lr_scheduler.LRScheduler)


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


def test_refuses_what_is_not_an_optimizer_like_torch() -> None:
    check_error_like_torch(lambda m, o: m.StepLR(object(), 2), TypeError, "not an Optimizer")
