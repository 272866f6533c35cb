"""Optimizers, learning-rate schedulers: ``torch.optim`` with NumPy in-place updates.

Every optimizer pairs a pure update function on NumPy arrays (``sgd_step``,
``adam_step``, ``nadam_step``, ``rmsprop_step``, ``adagrad_step``, ``adadelta_step``, each
in its module) with a thin class that keeps PyTorch's param groups, state and state dict.

>>> import scratchgrad as sg
>>> from scratchgrad import optim
>>> w = sg.tensor([1.0, -2.0], requires_grad=True)
>>> opt = optim.Adam([w], lr=0.1)
>>> (w * w).sum().backward()
>>> opt.step()
>>> w.tolist()
[0.9000000357627869, -1.899999976158142]
"""

from scratchgrad.optim import lr_scheduler
from scratchgrad.optim.adadelta import Adadelta
from scratchgrad.optim.adagrad import Adagrad
from scratchgrad.optim.adam import Adam, AdamW
from scratchgrad.optim.lbfgs import LBFGS
from scratchgrad.optim.nadam import NAdam
from scratchgrad.optim.optimizer import Optimizer
from scratchgrad.optim.rmsprop import RMSprop
from scratchgrad.optim.sgd import SGD

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "LBFGS",
    "NAdam",
    "Optimizer",
    "RMSprop",
    "lr_scheduler",
]
