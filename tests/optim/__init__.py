"""Tests of scratchgrad.optim, and their shared harness.

The harness trains the same small MLP (built from raw leaf tensors, so it depends on no
layer) with scratchgrad and with torch: same initial weights, same batches, each library
computing the loss and gradients with its own autograd, then compares the parameters.
"""

import json
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import optim

SHAPES = ((5, 3), (5,), (2, 5), (2,))  # w1, b1, w2, b2
_RNG = np.random.default_rng(1234)
INIT = [_RNG.uniform(-0.8, 0.8, s).astype(np.float32) for s in SHAPES]
BATCHES = [
    (
        _RNG.standard_normal((6, 3)).astype(np.float32),
        _RNG.standard_normal((6, 2)).astype(np.float32),
    )
    for _ in range(4)
]
RTOL, ATOL = 1e-5, 1e-6


def make_params(lib: Any, arrays: list[np.ndarray] | None = None) -> list[Any]:
    """Leaf tensors of ``lib`` (sg or torch) holding copies of ``arrays`` (default INIT)."""
    return [lib.tensor(a.copy(), requires_grad=True) for a in (arrays or INIT)]


def mlp_loss(lib: Any, params: list[Any], step: int) -> Any:
    """Mean squared error of a tanh MLP on batch ``step % 4``."""
    w1, b1, w2, b2 = params
    x, y = (lib.tensor(a) for a in BATCHES[step % len(BATCHES)])
    h = lib.tanh(x @ w1.T + b1)
    return ((h @ w2.T + b2 - y) ** 2).mean()


def train(lib: Any, opt: Any, params: list[Any], steps: range) -> None:
    """One optimizer step per batch index in ``steps``."""
    for k in steps:
        opt.zero_grad()
        mlp_loss(lib, params, k).backward()
        opt.step()


def arrays_of(params: list[Any]) -> list[np.ndarray]:
    return [p.detach().numpy().copy() for p in params]


def run_both(
    name: str, kwargs: dict[str, Any], steps: int = 20, groups: list[dict[str, Any]] | None = None
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Train with ``sg.optim.<name>`` and ``torch.optim.<name>``; the final parameters.

    ``groups``: per-group overrides, splitting the parameters evenly over the groups.
    """
    results = []
    for lib, module in ((sg, optim), (torch, torch.optim)):
        params = make_params(lib)
        spec: Any = params
        if groups:
            n = len(params) // len(groups)
            spec = [{"params": params[i * n : (i + 1) * n], **g} for i, g in enumerate(groups)]
        train(lib, getattr(module, name)(spec, **kwargs), params, range(steps))
        results.append(arrays_of(params))
    return results[0], results[1]


def assert_close(
    ours: list[np.ndarray], theirs: list[np.ndarray], rtol: float = RTOL, atol: float = ATOL
) -> None:
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=f"parameter {i}")


def assert_moved(final: list[np.ndarray], by: float = 1e-3) -> None:
    """The run changed the parameters (a comparison of untouched weights proves nothing)."""
    moved = max(float(np.abs(a - b).max()) for a, b in zip(final, INIT, strict=True))
    assert moved > by, f"parameters moved by only {moved}"


def check_matches_torch(name: str, kwargs: dict[str, Any], steps: int = 20) -> None:
    ours, theirs = run_both(name, kwargs, steps)
    assert_moved(theirs)
    assert_close(ours, theirs)


# ------------------------------------------------------------------ state dicts
def to_files(state_dict: dict[str, Any]) -> tuple[dict[str, np.ndarray], str]:
    """Split a state dict as a checkpoint would: arrays by path, the rest as JSON."""
    arrays: dict[str, np.ndarray] = {}
    state: dict[str, dict[str, Any]] = {}
    for index, entries in state_dict["state"].items():
        state[str(index)] = {}
        for key, value in entries.items():
            if isinstance(value, sg.Tensor):
                arrays[f"state.{index}.{key}"] = value.numpy().copy()
                state[str(index)][key] = None
            else:
                state[str(index)][key] = value
    text = json.dumps({"state": state, "param_groups": state_dict["param_groups"]})
    return arrays, text


def from_files(arrays: dict[str, np.ndarray], text: str) -> dict[str, Any]:
    loaded = json.loads(text)
    for index, entries in loaded["state"].items():
        for key in entries:
            if f"state.{index}.{key}" in arrays:
                entries[key] = arrays[f"state.{index}.{key}"]
    return loaded


def check_state_dict_round_trip(name: str, kwargs: dict[str, Any]) -> None:
    """5 steps, save (arrays + JSON), load into a fresh optimizer, 5 more = 10 straight."""
    cls = getattr(optim, name)
    straight = make_params(sg)
    train(sg, cls(straight, **kwargs), straight, range(10))

    first = make_params(sg)
    opt = cls(first, **kwargs)
    train(sg, opt, first, range(5))
    arrays, text = to_files(opt.state_dict())
    resumed = make_params(sg, arrays_of(first))
    fresh = cls(resumed, **kwargs)
    fresh.load_state_dict(from_files(arrays, text))
    train(sg, fresh, resumed, range(5, 10))
    for a, b in zip(arrays_of(resumed), arrays_of(straight), strict=True):
        np.testing.assert_array_equal(a, b)


def check_state_matches_torch(name: str, kwargs: dict[str, Any], steps: int = 5) -> None:
    """Same state keys and values, same group hyperparameters as torch's state dict."""
    sds = []
    for lib, module in ((sg, optim), (torch, torch.optim)):
        params = make_params(lib)
        opt = getattr(module, name)(params, **kwargs)
        train(lib, opt, params, range(steps))
        sds.append(opt.state_dict())
    ours, theirs = sds
    assert list(ours["state"]) == list(theirs["state"])
    for index, entries in theirs["state"].items():
        assert set(ours["state"][index]) == set(entries), f"state {index}"
        for key, value in entries.items():
            got = ours["state"][index][key]
            if isinstance(got, sg.Tensor):
                np.testing.assert_allclose(got.numpy(), value.numpy(), rtol=1e-4, atol=1e-6)
            else:
                assert got == float(value), f"state {index} {key}"
    for mine, torchs in zip(ours["param_groups"], theirs["param_groups"], strict=True):
        assert mine["params"] == torchs["params"]
        for key, value in mine.items():
            assert key in torchs, f"group key {key} unknown to torch"
            assert value == torchs[key], key


def check_no_new_arrays(name: str, kwargs: dict[str, Any]) -> None:
    """step() updates the parameter and state arrays in place: no new arrays."""
    params = make_params(sg)
    before = [p.array for p in params]
    opt = getattr(optim, name)(params, **kwargs)
    train(sg, opt, params, range(1))
    state_before = {
        (i, k): v.array
        for i, p in enumerate(params)
        for k, v in opt.state[p].items()
        if isinstance(v, sg.Tensor)
    }
    train(sg, opt, params, range(1, 6))
    for p, a in zip(params, before, strict=True):
        assert p.array is a
        assert np.shares_memory(p.array, a)
    for (i, k), a in state_before.items():
        assert opt.state[params[i]][k].array is a, f"state {k} of parameter {i} was replaced"
    assert_moved(arrays_of(params), by=1e-5)


def check_constructor_error(name: str, kwargs: dict[str, Any], match: str) -> None:
    """Both libraries refuse the arguments with ValueError; ours names argument and value."""
    with pytest.raises(ValueError):
        getattr(torch.optim, name)(make_params(torch), **kwargs)
    with pytest.raises(ValueError, match=match):
        getattr(optim, name)(make_params(sg), **kwargs)
