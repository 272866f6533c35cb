"""LBFGS: the same iterates and closure calls as torch, with and without line search."""

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.optim.lbfgs import lbfgs_direction

_RNG = np.random.default_rng(7)
X = _RNG.standard_normal((20, 3))
Y = (X @ np.array([1.5, -2.0, 0.5]) + 0.3 * _RNG.standard_normal(20) > 0).astype(np.float64)


def rosenbrock(lib: Any, params: list[Any]) -> Any:
    x, y = params
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def logistic(lib: Any, params: list[Any]) -> Any:
    """Mean logistic loss of a linear model, labels in {0, 1}, plus a small L2 term."""
    w, b = params
    dtype = w.detach().numpy().dtype
    z = lib.tensor(X.astype(dtype)) @ w + b
    s = 2 * lib.tensor(Y.astype(dtype)) - 1
    return lib.log(1 + lib.exp(-s * z)).mean() + 0.01 * (w * w).sum()


PROBLEMS: dict[str, tuple[Callable[..., Any], list[np.ndarray]]] = {
    "rosenbrock": (rosenbrock, [np.array([-1.5]), np.array([2.0])]),
    "logistic": (logistic, [np.array([0.1, 0.2, -0.3]), np.array([0.0])]),
}


def run(
    lib: Any,
    module: Any,
    problem: str,
    kwargs: dict[str, Any],
    steps: int,
    dtype: Any = np.float64,
) -> tuple[list[list[np.ndarray]], list[float], Any]:
    """Iterates after each step, the losses step returned, and the optimizer."""
    loss_fn, init = PROBLEMS[problem]
    params = [lib.tensor(a.astype(dtype), requires_grad=True) for a in init]
    opt = module.LBFGS(params, **kwargs)
    calls = [0]

    def closure() -> Any:
        calls[0] += 1
        opt.zero_grad()
        loss = loss_fn(lib, params)
        loss.backward()
        return loss

    iterates, losses = [], []
    for _ in range(steps):
        losses.append(float(opt.step(closure).detach()))
        iterates.append([p.detach().numpy().copy() for p in params])
    opt.calls = calls[0]
    return iterates, losses, opt


CASES = {
    "rosenbrock-fixed": ("rosenbrock", {"lr": 0.001, "max_iter": 10}),
    "rosenbrock-wolfe": ("rosenbrock", {"line_search_fn": "strong_wolfe", "max_iter": 8}),
    "rosenbrock-wolfe-history3": (
        "rosenbrock",
        {"line_search_fn": "strong_wolfe", "history_size": 3, "max_iter": 6},
    ),
    "logistic-fixed": ("logistic", {"lr": 0.5, "max_iter": 7}),
    "logistic-wolfe": ("logistic", {"line_search_fn": "strong_wolfe", "max_iter": 5}),
    "logistic-max-eval": (
        "logistic",
        {"line_search_fn": "strong_wolfe", "max_iter": 10, "max_eval": 6},
    ),
}


@pytest.mark.parametrize(("problem", "kwargs"), CASES.values(), ids=CASES.keys())
def test_iterates_and_closure_calls_match_torch(problem: str, kwargs: dict) -> None:
    ours, our_losses, opt = run(sg, optim, problem, kwargs, steps=4)
    theirs, their_losses, topt = run(torch, torch.optim, problem, kwargs, steps=4)
    for k, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        for i, (pa, pb) in enumerate(zip(a, b, strict=True)):
            np.testing.assert_allclose(pa, pb, rtol=1e-8, atol=1e-8, err_msg=f"step {k} p{i}")
    np.testing.assert_allclose(our_losses, their_losses, rtol=1e-8)
    assert opt.calls == topt.calls
    ours_state, theirs_state = opt.state_dict()["state"][0], topt.state_dict()["state"][0]
    assert ours_state["func_evals"] == theirs_state["func_evals"]
    assert ours_state["n_iter"] == theirs_state["n_iter"]
    assert set(ours_state) == set(theirs_state)
    assert not np.allclose(np.concatenate(ours[-1]), np.concatenate(PROBLEMS[problem][1]))


def test_float32_iterates_follow_torch() -> None:
    """Far from the optimum float32 runs agree to rounding; near it, the two libraries'
    float32 losses differ in the last bits and a tolerance test may stop one run earlier."""
    kwargs = {"line_search_fn": "strong_wolfe", "max_iter": 3}
    ours, _, opt = run(sg, optim, "logistic", kwargs, 2, np.float32)
    theirs, _, topt = run(torch, torch.optim, "logistic", kwargs, 2, np.float32)
    assert opt.calls == topt.calls
    for pa, pb in zip(ours[-1], theirs[-1], strict=True):
        assert pa.dtype == np.float32
        np.testing.assert_allclose(pa, pb, rtol=1e-5, atol=1e-6)


def test_converges_on_rosenbrock() -> None:
    iterates, _, _ = run(sg, optim, "rosenbrock", {"line_search_fn": "strong_wolfe"}, 10)
    np.testing.assert_allclose(np.concatenate(iterates[-1]), [1.0, 1.0], atol=1e-5)


def test_stops_at_once_when_the_gradient_is_tiny() -> None:
    x = sg.tensor([1.0, 1.0], requires_grad=True)
    opt = optim.LBFGS([x])

    def closure() -> Any:
        opt.zero_grad()
        loss = ((x - 1.0) ** 2).sum()
        loss.backward()
        return loss

    assert float(opt.step(closure)) == 0.0
    assert opt.state[x]["func_evals"] == 1
    assert opt.state[x]["n_iter"] == 0


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_state_dict_round_trip(line_search_fn: str | None) -> None:
    kwargs = {"line_search_fn": line_search_fn, "max_iter": 3, "lr": 0.5}
    straight, _, _ = run(sg, optim, "logistic", kwargs, steps=4)
    first, _, opt = run(sg, optim, "logistic", kwargs, steps=2)
    saved = copy.deepcopy(opt.state_dict())
    loss_fn = PROBLEMS["logistic"][0]
    params = [sg.tensor(a, requires_grad=True) for a in first[-1]]
    fresh = optim.LBFGS(params, **kwargs)
    fresh.load_state_dict(saved)

    def closure() -> Any:
        fresh.zero_grad()
        loss = loss_fn(sg, params)
        loss.backward()
        return loss

    for _ in range(2):
        fresh.step(closure)
    for a, b in zip(params, straight[-1], strict=True):
        np.testing.assert_array_equal(a.detach().numpy(), b)


def test_a_torch_state_dict_loads_and_continues_like_torch() -> None:
    kwargs = {"line_search_fn": "strong_wolfe", "max_iter": 3}
    theirs, _, _ = run(torch, torch.optim, "logistic", kwargs, steps=4)
    half, _, topt = run(torch, torch.optim, "logistic", kwargs, steps=2)
    params = [sg.tensor(a, requires_grad=True) for a in half[-1]]
    opt = optim.LBFGS(params, **kwargs)
    opt.load_state_dict(topt.state_dict())

    def closure() -> Any:
        opt.zero_grad()
        loss = logistic(sg, params)
        loss.backward()
        return loss

    for _ in range(2):
        opt.step(closure)
    for a, b in zip(params, theirs[-1], strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b, rtol=1e-8, atol=1e-10)


def test_state_dict_is_plain_python_and_tensors() -> None:
    _, _, opt = run(sg, optim, "logistic", {"line_search_fn": "strong_wolfe"}, steps=1)
    state = opt.state_dict()["state"][0]
    assert isinstance(state["t"], int | float) and isinstance(state["H_diag"], float)
    assert all(isinstance(v, float) for v in state["ro"])
    assert all(isinstance(v, sg.Tensor) and v.shape == (4,) for v in state["old_dirs"])
    assert isinstance(state["d"], sg.Tensor) and state["d"].shape == (4,)


# ------------------------------------------------------------------ errors
def test_refuses_param_groups_like_torch() -> None:
    a, b = sg.zeros(2, requires_grad=True), sg.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="doesn't support per-parameter options"):
        optim.LBFGS([{"params": [a]}, {"params": [b]}])
    opt = optim.LBFGS([a])
    with pytest.raises(ValueError, match="doesn't support per-parameter options"):
        opt.add_param_group({"params": [b]})


def test_refuses_negative_lr() -> None:
    with pytest.raises(ValueError, match="Invalid learning rate: lr=-1"):
        optim.LBFGS([sg.zeros(2, requires_grad=True)], lr=-1)


def test_step_needs_a_closure() -> None:
    opt = optim.LBFGS([sg.zeros(2, requires_grad=True)])
    with pytest.raises(TypeError, match="needs a closure"):
        opt.step()


def test_unknown_line_search_is_refused_like_torch() -> None:
    x = sg.tensor([2.0], requires_grad=True)
    opt = optim.LBFGS([x], line_search_fn="backtracking")

    def closure() -> Any:
        opt.zero_grad()
        loss = (x * x).sum()
        loss.backward()
        return loss

    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        opt.step(closure)


def test_max_eval_defaults_to_five_quarters_of_max_iter() -> None:
    opt = optim.LBFGS([sg.zeros(1, requires_grad=True)], max_iter=8)
    assert opt.param_groups[0]["max_eval"] == 10


# ------------------------------------------------------------------ the pure function
def test_lbfgs_direction_is_the_memory_one_inverse_hessian() -> None:
    rng = np.random.default_rng(0)
    g, y, s = rng.standard_normal((3, 4))
    s = s + y  # y @ s > 0
    rho = 1 / (y @ s)
    h0 = (y @ s) / (y @ y)
    eye = np.eye(4)
    h = (eye - rho * np.outer(s, y)) @ (h0 * eye) @ (eye - rho * np.outer(y, s))
    h += rho * np.outer(s, s)
    d = lbfgs_direction(g, [y], [s], [rho], h0, [None])
    np.testing.assert_allclose(d, -h @ g, rtol=1e-12)
