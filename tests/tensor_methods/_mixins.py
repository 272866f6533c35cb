"""Checks shared by the tests of Tensor's method mixins (``scratchgrad/tensor_methods/``).

For a mixin class: each of its methods is the one ``Tensor`` uses, ``torch.Tensor`` has a
method of that name, and every method callable without arguments gives torch's values
on the same float tensor (in-place ones on a fresh copy; random ones only its shape).
"""

import inspect
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.tensor import Tensor

RANDOM = {"normal_", "uniform_", "exponential_", "random_", "bernoulli_", "bernoulli"}
RANDOM |= {"multinomial", "geometric_"}
UNSUPPORTED = {"bfloat16"}  # NumPy has no bfloat16: refused with a clear TypeError


def methods(mixin: type) -> list[str]:
    """The names the mixin defines (functions and aliases), dunders included."""
    return sorted(n for n, v in vars(mixin).items() if callable(v) and n != "__init__")


def check_resolution_and_names(mixin: type) -> None:
    """Tensor takes each method from this mixin, and torch.Tensor has the name."""
    names = methods(mixin)
    assert names, f"{mixin.__name__} defines no methods"
    shadowed = [n for n in names if getattr(Tensor, n) is not vars(mixin)[n]]
    assert not shadowed, f"{mixin.__name__}: overridden by another base or Tensor: {shadowed}"
    missing = [n for n in names if not hasattr(torch.Tensor, n)]
    assert not missing, f"{mixin.__name__}: not torch.Tensor methods: {missing}"


def _no_argument(mixin: type, name: str) -> bool:
    params = list(inspect.signature(vars(mixin)[name]).parameters.values())[1:]
    required = [
        p
        for p in params
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    return not required and not name.startswith("__")


def _as_numpy(value: Any) -> Any:
    if isinstance(value, Tensor | torch.Tensor):
        return value.detach().numpy()
    if isinstance(value, tuple):
        return tuple(_as_numpy(v) for v in value)
    return value


def check_values_against_torch(mixin: type) -> list[str]:
    """Call every argument-free method on the same tensor in both libraries; compare.

    Returns:
        The names that were compared (the caller asserts there were some).
    """
    data = np.random.default_rng(0).uniform(0.1, 0.9, (2, 3)).astype(np.float32)
    compared = []
    for name in methods(mixin):
        if not _no_argument(mixin, name):
            continue
        if name in UNSUPPORTED:
            with pytest.raises(TypeError, match="not supported"):
                getattr(sg.tensor(data.copy()), name)()
            continue
        try:
            theirs = getattr(torch.tensor(data.copy()), name)()
        except (RuntimeError, TypeError, ValueError, IndexError):
            with pytest.raises(Exception):  # noqa: B017 - torch refuses the call: so must we
                getattr(sg.tensor(data.copy()), name)()
            continue
        ours = getattr(sg.tensor(data.copy()), name)()
        if name in RANDOM:
            assert tuple(ours.shape) == tuple(theirs.shape), name
        elif isinstance(theirs, torch.Tensor | tuple | float | int | bool | list):
            expected, got = _as_numpy(theirs), _as_numpy(ours)
            np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6, err_msg=name)
        compared.append(name)
    return compared
