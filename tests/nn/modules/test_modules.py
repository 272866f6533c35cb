"""torch.nn.modules.<name> import paths resolve to scratchgrad.nn's classes."""

import importlib

import pytest
import torch.nn.modules

import scratchgrad.nn.modules
from scratchgrad import nn

SUBMODULES = scratchgrad.nn.modules.__all__


@pytest.mark.parametrize("name", SUBMODULES)
def test_each_name_is_torchs_name_in_torchs_module(name: str) -> None:
    ours = importlib.import_module(f"scratchgrad.nn.modules.{name}")
    theirs = importlib.import_module(f"torch.nn.modules.{name}")
    assert ours.__all__, name
    for attr in ours.__all__:
        assert hasattr(theirs, attr), f"torch.nn.modules.{name} has no {attr}"
        obj = getattr(ours, attr)
        public = getattr(nn, attr, None)
        assert public is None or public is obj  # one class, two paths


@pytest.mark.parametrize("name", SUBMODULES)
def test_every_class_we_have_is_under_torchs_path(name: str) -> None:
    """A class scratchgrad.nn exports is reachable wherever torch's module lists it."""
    ours = importlib.import_module(f"scratchgrad.nn.modules.{name}")
    theirs = importlib.import_module(f"torch.nn.modules.{name}")
    missing = [n for n in theirs.__all__ if hasattr(nn, n) and n not in ours.__all__]
    assert not missing, f"{name}: {missing}"


def test_the_paths_real_programs_use() -> None:
    from scratchgrad.nn.modules.batchnorm import BatchNorm2d
    from scratchgrad.nn.modules.loss import _Loss, _WeightedLoss
    from scratchgrad.nn.modules.module import Module

    assert Module is nn.Module and BatchNorm2d is nn.BatchNorm2d
    assert nn.modules.conv.Conv2d is nn.Conv2d
    assert issubclass(nn.CrossEntropyLoss, _WeightedLoss)
    assert issubclass(_WeightedLoss, _Loss)
    assert {"module", "loss", "conv", "sparse", "transformer"} <= set(dir(torch.nn.modules))


def test_a_torch_style_custom_loss_subclassing_loss_works() -> None:
    import scratchgrad as sg
    from scratchgrad.nn.modules.loss import _Loss

    class Focal(_Loss):
        def __init__(self, gamma: float = 2.0, reduction: str = "mean") -> None:
            super().__init__(None, None, reduction)
            self.gamma = gamma

        def forward(self, input, target):
            p = input.sigmoid()
            loss = -((1 - p) ** self.gamma) * target * p.log()
            return loss.mean() if self.reduction == "mean" else loss.sum()

    loss = Focal(reduction="sum")(sg.zeros(4), sg.ones(4))
    assert loss.item() == pytest.approx(4 * 0.25 * 0.6931471805599453, rel=1e-6)
    assert repr(Focal()) == "Focal()"
