"""Tanhshrink, Softshrink and Hardshrink against torch's modules: values, gradients, reprs."""

import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from tests.nn.test_linear import run_both, x32

LAYERS = [
    ("Tanhshrink", ()),
    ("Softshrink", ()),
    ("Softshrink", (1.0,)),
    ("Hardshrink", ()),
    ("Hardshrink", (0.2,)),
]


@pytest.mark.parametrize(("name", "args"), LAYERS)
def test_shrink_layers_match_torch(name, args) -> None:
    ours, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(ours) == repr(theirs)
    run_both(ours, theirs, x32(3, 7) * 2)


def test_shrink_layers_keep_lambd_as_torch() -> None:
    assert nn.Softshrink(0.7).lambd == torch.nn.Softshrink(0.7).lambd
    assert nn.Hardshrink(0.3).lambd == torch.nn.Hardshrink(0.3).lambd
    assert nn.Softshrink(1.0)(sg.tensor([0.9, -1.0, 2.5])).tolist() == [0.0, 0.0, 1.5]
