"""DataParallel on the CPU: a pass-through with torch's ``module.`` state dict keys."""

import numpy as np
import torch

import scratchgrad as sg
from scratchgrad import nn


def _net(lib):
    return lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2))


def test_state_dict_keys_and_repr_match_torch() -> None:
    ours, theirs = nn.DataParallel(_net(sg)), torch.nn.DataParallel(_net(torch))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert list(ours.state_dict())[0] == "module.0.weight"
    assert repr(ours) == repr(theirs)
    assert ours.device_ids == theirs.device_ids == []


def test_forward_is_the_modules_and_a_torch_checkpoint_loads() -> None:
    theirs = torch.nn.DataParallel(_net(torch))
    ours = nn.parallel.DataParallel(_net(sg), device_ids=[0, 1], output_device=0)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(
        ours(sg.tensor(x)).detach().numpy(),
        theirs(torch.tensor(x)).detach().numpy(),
        rtol=1e-5,
        atol=1e-6,
    )
    assert ours.module(sg.tensor(x)).shape == (5, 2)


def test_kwargs_pass_through_and_gradients_reach_the_module() -> None:
    class Scaled(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.w = nn.Parameter(sg.ones(2))

        def forward(self, x, *, scale=1.0):
            return x * self.w * scale

    model = nn.DataParallel(Scaled())
    model(sg.ones(2), scale=3.0).sum().backward()
    np.testing.assert_array_equal(model.module.w.grad.numpy(), [3.0, 3.0])
    assert list(dict(model.named_parameters())) == ["module.w"]


def test_module_path_is_importable_as_in_torch() -> None:
    from scratchgrad.nn.parallel import DataParallel
    from scratchgrad.nn.parallel.data_parallel import DataParallel as Same

    assert DataParallel is Same is nn.DataParallel
