"""ParameterList and ParameterDict against torch's: registration, names, state, reprs."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn

ARRAYS = [np.arange(6.0, dtype=np.float32).reshape(2, 3), np.ones(4, dtype=np.float32)]


def _lists():
    ours = nn.ParameterList([nn.Parameter(sg.tensor(ARRAYS[0])), sg.tensor(ARRAYS[1])])
    theirs = torch.nn.ParameterList(
        [torch.nn.Parameter(torch.tensor(ARRAYS[0])), torch.tensor(ARRAYS[1])]
    )
    return ours, theirs


def test_parameter_list_registers_like_torch() -> None:
    ours, theirs = _lists()
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert all(isinstance(p, nn.Parameter) for p in ours) and len(ours) == len(theirs) == 2
    assert repr(ours) == repr(theirs).replace("torch.", "")
    ours.append(sg.zeros(3))
    theirs.append(torch.zeros(3))
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["0", "1", "2"]
    assert ours[-1].shape == (3,) and len(ours[1:]) == 2
    with pytest.raises(IndexError):
        ours[3]


def test_parameter_dict_registers_like_torch() -> None:
    ours = nn.ParameterDict({"w": sg.tensor(ARRAYS[0]), "b": nn.Parameter(sg.tensor(ARRAYS[1]))})
    theirs = torch.nn.ParameterDict(
        {"w": torch.tensor(ARRAYS[0]), "b": torch.nn.Parameter(torch.tensor(ARRAYS[1]))}
    )
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["b", "w"]  # sorted
    assert ours.keys() == list(theirs.keys()) and "w" in ours and "x" not in ours
    assert isinstance(ours["w"], nn.Parameter)
    ours.update([("c", sg.zeros(1))])
    assert ours.pop("w").shape == (2, 3)
    assert list(ours.state_dict()) == ["b", "c"] and len(ours) == 2
    ordered = nn.ParameterDict([("z", sg.ones(1)), ("a", sg.ones(1))])
    assert ordered.keys() == ["z", "a"]  # pairs keep their order, as torch
    with pytest.raises(KeyError):
        ours["w"]
    ours.clear()
    assert list(ours.parameters()) == [] and repr(ours) == "ParameterDict()"


class _Model:
    """The same model in both libraries: a ParameterList of weights, a ParameterDict bias."""

    def __init__(self, lib):
        class M(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.ws = lib.nn.ParameterList([lib.tensor(np.eye(3, dtype=np.float32) * 0.5)])
                self.ws.append(lib.tensor(np.full((3, 3), 0.1, dtype=np.float32)))
                self.extra = lib.nn.ParameterDict({"bias": lib.tensor(np.ones(3, np.float32))})

            def forward(self, x):
                for w in self.ws:
                    x = x @ w
                return x + self.extra["bias"]

        self.model = M()


def test_a_model_with_parameter_containers_trains_like_torch() -> None:
    ours, theirs = _Model(sg).model, _Model(torch).model
    opt_s = sg.optim.SGD(ours.parameters(), lr=0.1)
    opt_t = torch.optim.SGD(theirs.parameters(), lr=0.1)
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    for _ in range(3):
        for model, opt, lib in ((ours, opt_s, sg), (theirs, opt_t, torch)):
            opt.zero_grad()
            (model(lib.tensor(x)) ** 2).sum().backward()
            opt.step()
    for k, v in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[k].numpy(), v.numpy(), rtol=1e-5)
