"""Learning-rate schedulers, as ``torch.optim.lr_scheduler``, value for value.

A scheduler changes ``group["lr"]`` of its optimizer's parameter groups each time its
``step()`` is called (after ``optimizer.step()``). The bookkeeping is PyTorch's: the
constructor stores ``group["initial_lr"]`` (the base learning rates) and takes an initial
step, so ``last_epoch`` is 0 afterwards; chainable schedulers multiply the current
``group["lr"]`` each step, with PyTorch's recursive formulas, so values agree with
PyTorch's to the last bit. ``state_dict()`` holds Python numbers, lists and strings only
(JSON-friendly; ReduceLROnPlateau's ``best`` may be ``inf``).

One module per family: ``base`` (LRScheduler), ``step`` (StepLR, MultiStepLR,
ExponentialLR), ``annealing`` (CosineAnnealingLR, LinearLR), ``one_cycle`` (OneCycleLR),
``plateau`` (ReduceLROnPlateau) and ``sequential`` (SequentialLR); every scheduler is
importable from here, as in PyTorch.

>>> import scratchgrad as sg
>>> from scratchgrad.optim import SGD
>>> opt = SGD([sg.zeros(1, requires_grad=True)], lr=0.1)
>>> sched = StepLR(opt, step_size=2, gamma=0.5)
>>> lrs = []
>>> for epoch in range(4):
...     opt.step()
...     sched.step()
...     lrs.append(sched.get_last_lr()[0])
>>> lrs
[0.1, 0.05, 0.05, 0.025]
"""

from scratchgrad.optim.lr_scheduler.annealing import CosineAnnealingLR, LinearLR
from scratchgrad.optim.lr_scheduler.base import LRScheduler
from scratchgrad.optim.lr_scheduler.one_cycle import OneCycleLR
from scratchgrad.optim.lr_scheduler.plateau import ReduceLROnPlateau
from scratchgrad.optim.lr_scheduler.sequential import SequentialLR
from scratchgrad.optim.lr_scheduler.step import ExponentialLR, MultiStepLR, StepLR

__all__ = [
    "CosineAnnealingLR",
    "ExponentialLR",
    "LRScheduler",
    "LinearLR",
    "MultiStepLR",
    "OneCycleLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
]
