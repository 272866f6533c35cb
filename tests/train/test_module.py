"""TrainModule defaults and the Supervised adapter."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad import nn, optim
from scratchgrad.train.module import StepOutput, Supervised, TrainModule


def test_supervised_step_returns_loss_predictions_and_targets() -> None:
    model = nn.Linear(3, 2)
    module = Supervised(model, nn.CrossEntropyLoss(), lambda ps: optim.SGD(ps, lr=0.1))
    x, y = sg.randn(4, 3), sg.tensor([0, 1, 1, 0])
    out = module.training_step((x, y), 0)
    assert isinstance(out, StepOutput)
    expected = sg.nn.functional.cross_entropy(model(x), y)
    assert out.loss.item() == pytest.approx(expected.item())
    assert not out.preds.requires_grad and out.target is y
    np.testing.assert_array_equal(module(x).detach().numpy(), model(x).detach().numpy())


def test_supervised_builds_optimizer_and_scheduler() -> None:
    module = Supervised(
        nn.Linear(2, 1),
        nn.MSELoss(),
        lambda ps: optim.Adam(ps, lr=0.01),
        scheduler=lambda o: optim.lr_scheduler.StepLR(o, step_size=1),
    )
    opt, sched = module.configure_optimizers()
    assert isinstance(opt, optim.Adam) and isinstance(sched, optim.lr_scheduler.StepLR)
    assert len(opt.param_groups[0]["params"]) == 2
    assert list(module.state_dict()) == ["model.weight", "model.bias"]


def test_train_module_defaults() -> None:
    m = TrainModule()
    with pytest.raises(NotImplementedError, match="has no training_step"):
        m.training_step(None, 0)
    with pytest.raises(NotImplementedError, match="has no configure_optimizers"):
        m.configure_optimizers()

    class Double(TrainModule):
        def forward(self, x: sg.Tensor) -> sg.Tensor:
            return x * 2

    assert Double().predict_step((sg.ones(2), sg.zeros(2)), 0).tolist() == [2.0, 2.0]
