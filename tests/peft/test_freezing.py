"""Freezing by pattern and by module, counts, and parameter groups that an optimizer takes."""

import numpy as np

import scratchgrad as sg
from scratchgrad import nn, optim
from scratchgrad.peft.freezing import (
    count_parameters,
    freeze,
    param_groups,
    trainable_parameters,
    unfreeze,
)


def model() -> nn.Sequential:
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def test_freeze_by_pattern_and_module() -> None:
    m = model()
    assert count_parameters(m) == (26, 26)
    assert freeze(m, ["*.bias"]) == ["0.bias", "2.bias"]
    assert count_parameters(m) == (20, 26)
    freeze(m[0])  # by module
    assert [n for n, p in m.named_parameters() if p.requires_grad] == ["2.weight"]
    assert unfreeze(m) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert len(trainable_parameters(m)) == 4


def test_a_tied_weight_counts_once() -> None:
    a, b = nn.Linear(3, 3), nn.Linear(3, 3)
    b.weight = a.weight
    assert count_parameters(nn.Sequential(a, b)).total == 9 + 3 + 3


def test_param_groups_train_at_their_own_rates() -> None:
    sg.manual_seed(0)
    m = model()
    freeze(m, ["0.bias"])
    groups = param_groups(m, {"2.*": 0.1}, default_lr=0.0)
    assert [len(g["params"]) for g in groups] == [2, 1] and groups[0]["lr"] == 0.1
    before = {n: p.detach().numpy().copy() for n, p in m.named_parameters()}
    opt = optim.SGD(groups, lr=1.0)
    m(sg.randn(5, 3)).sum().backward()
    opt.step()
    after = dict(m.named_parameters())
    np.testing.assert_array_equal(after["0.weight"].detach().numpy(), before["0.weight"])  # lr 0
    np.testing.assert_array_equal(after["0.bias"].detach().numpy(), before["0.bias"])  # frozen
    step = before["2.bias"] - after["2.bias"].detach().numpy()
    np.testing.assert_allclose(step, 0.1 * after["2.bias"].grad.numpy(), rtol=1e-6)
    assert len(param_groups(m, {"2.*": 0.1})) == 1  # no default: the rest does not train
