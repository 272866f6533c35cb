"""The Optimizer base class: param groups, zero_grad, step, state_dict, errors (vs torch)."""

import json

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.optim.optimizer import Optimizer
from tests.optim import from_files, make_params, mlp_loss, to_files, train


# ------------------------------------------------------------------ construction
def test_optimizer_is_abstract() -> None:
    with pytest.raises(TypeError):
        Optimizer(make_params(sg), {"lr": 0.1})  # type: ignore[abstract]


def test_groups_get_the_defaults_filled_in_like_torch() -> None:
    for lib, module in ((sg, optim), (torch, torch.optim)):
        a, b, c, d = make_params(lib)
        opt = module.Adam([{"params": [a, b]}, {"params": [c, d], "lr": 0.5}], lr=0.1)
        g0, g1 = opt.param_groups
        assert (g0["lr"], g1["lr"], g1["betas"], g1["amsgrad"]) == (0.1, 0.5, (0.9, 0.999), False)
        assert g1["params"][0] is c


def test_a_plain_list_makes_one_group_and_a_generator_works_too() -> None:
    params = make_params(sg)
    assert len(optim.SGD(params, lr=0.1).param_groups) == 1
    assert optim.SGD((p for p in params), lr=0.1).param_groups[0]["params"] == params


def test_named_parameters_record_their_names() -> None:
    params = make_params(sg)
    opt = optim.SGD([("w1", params[0]), ("b1", params[1])], lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["w1", "b1"]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["w1", "b1"]
    with pytest.raises(ValueError, match="with/without names"):
        opt.add_param_group({"params": params[2:]})


def test_nn_parameters_are_optimized_like_any_leaf_tensor() -> None:
    p = sg.nn.Parameter(sg.ones(2))
    opt = optim.SGD([p], lr=0.5)
    (p * p).sum().backward()
    opt.step()
    assert p.tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ([], ValueError, "empty parameter list"),
        (lambda ps: ps[0], TypeError, "iterable of Tensors or dicts, but got Tensor"),
        (lambda ps: [ps[0], np.zeros(3)], TypeError, "can only optimize Tensors.*ndarray"),
        (lambda ps: [ps[0] * 2], ValueError, "non-leaf"),
        (lambda ps: [{"params": set(ps)}], TypeError, "ordered collections"),
        (lambda ps: [("w", ps[0]), ps[1]], ValueError, "Some param names are missing"),
        (
            lambda ps: [{"params": ps[:2]}, {"params": ps[1:]}],
            ValueError,
            "more than one parameter group",
        ),
    ],
    ids=["empty", "tensor", "ndarray", "non_leaf", "set", "names", "overlap"],
)
def test_bad_params_are_refused_like_torch(params, error: type, match: str) -> None:
    for lib, module in ((torch, torch.optim), (sg, optim)):
        spec = params(make_params(lib)) if callable(params) else params
        with pytest.raises(error, match=match if lib is sg else None):
            module.SGD(spec, lr=0.1)


def test_add_param_group_then_both_groups_step() -> None:
    a, b, c, d = make_params(sg)
    opt = optim.SGD([a, b], lr=0.1)
    opt.add_param_group({"params": [c, d], "lr": 0.0})
    assert opt.param_groups[1]["momentum"] == 0.0
    before = c.detach().numpy().copy()
    train(sg, opt, [a, b, c, d], range(1))
    np.testing.assert_array_equal(c.detach().numpy(), before)  # lr 0: unchanged
    assert not np.allclose(a.detach().numpy(), make_params(sg)[0].detach().numpy())


def test_duplicate_parameters_in_a_group_warn() -> None:
    p = make_params(sg)[0]
    with pytest.warns(UserWarning, match="duplicate"):
        optim.SGD([p, p], lr=0.1)


# ------------------------------------------------------------------ zero_grad and step
def test_zero_grad_sets_none_or_zeros_like_torch() -> None:
    for lib, module in ((sg, optim), (torch, torch.optim)):
        params = make_params(lib)
        opt = module.SGD(params, lr=0.1)
        mlp_loss(lib, params, 0).backward()
        grad = params[0].grad
        opt.zero_grad(set_to_none=False)
        assert params[0].grad is grad
        assert not params[0].grad.detach().numpy().any()
        opt.zero_grad()
        assert all(p.grad is None for p in params)


def _train_with_closure(lib, module) -> tuple[list[float], list[np.ndarray]]:
    params = make_params(lib)
    opt = module.SGD(params, lr=0.1, momentum=0.9)
    losses = []
    for k in range(5):

        def closure(k: int = k) -> object:
            opt.zero_grad()
            loss = mlp_loss(lib, params, k)
            loss.backward()
            return loss

        with lib.no_grad():  # step() enables grad for the closure, as torch does
            losses.append(float(opt.step(closure)))
    return losses, [p.detach().numpy().copy() for p in params]


def test_step_with_a_closure_returns_its_loss_and_matches_torch() -> None:
    (ours, ours_params), (theirs, theirs_params) = (
        _train_with_closure(sg, optim),
        _train_with_closure(torch, torch.optim),
    )
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)
    for a, b in zip(ours_params, theirs_params, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert optim.SGD(make_params(sg), lr=0.1).step() is None


def test_parameters_without_a_grad_are_skipped_and_get_no_state() -> None:
    params = make_params(sg)
    opt = optim.Adam(params, lr=0.1)
    params[1].grad = sg.ones(5)
    params[3].grad = sg.ones(2)
    opt.step()
    assert params[0].detach().numpy().tolist() == make_params(sg)[0].detach().numpy().tolist()
    assert sorted(opt.state_dict()["state"]) == [1, 3]


def test_step_records_no_graph() -> None:
    params = make_params(sg)
    opt = optim.SGD(params, lr=0.1)
    mlp_loss(sg, params, 0).backward()
    opt.step()
    assert all(p.is_leaf and p.requires_grad for p in params)


# ------------------------------------------------------------------ state dicts
def test_state_dict_numbers_parameters_across_groups_like_torch() -> None:
    dicts = []
    for lib, module in ((sg, optim), (torch, torch.optim)):
        a, b, c, d = make_params(lib)
        opt = module.SGD([{"params": [a]}, {"params": [b, c, d], "lr": 0.01}], lr=0.1, momentum=0.9)
        train(lib, opt, [a, b, c, d], range(2))
        dicts.append(opt.state_dict())
    ours, theirs = dicts
    assert [g["params"] for g in ours["param_groups"]] == [[0], [1, 2, 3]]
    assert [g["params"] for g in ours["param_groups"]] == [
        g["params"] for g in theirs["param_groups"]
    ]
    assert list(ours["state"]) == list(theirs["state"])
    assert isinstance(ours["state"][0]["momentum_buffer"], sg.Tensor)


def test_state_dict_survives_json_with_string_keys_and_lists() -> None:
    params = make_params(sg)
    opt = optim.Adam(params, lr=0.1, betas=(0.8, 0.9))
    train(sg, opt, params, range(3))
    arrays, text = to_files(opt.state_dict())
    json.loads(text)  # every non-array value is JSON
    loaded = from_files(arrays, text)
    assert "0" in loaded["state"] and loaded["param_groups"][0]["betas"] == [0.8, 0.9]
    fresh = optim.Adam(make_params(sg), lr=0.1)
    fresh.load_state_dict(loaded)
    assert fresh.param_groups[0]["betas"] == [0.8, 0.9]
    assert fresh.state[fresh.param_groups[0]["params"][0]]["step"] == 3.0


def test_load_state_dict_copies_what_it_loads() -> None:
    params = make_params(sg)
    opt = optim.SGD(params, lr=0.1, momentum=0.9)
    train(sg, opt, params, range(2))
    sd = opt.state_dict()
    fresh = optim.SGD(make_params(sg), lr=0.1, momentum=0.9)
    fresh.load_state_dict(sd)
    loaded = fresh.state[fresh.param_groups[0]["params"][0]]["momentum_buffer"]
    assert not np.shares_memory(loaded.numpy(), sd["state"][0]["momentum_buffer"].numpy())
    fresh.param_groups[0]["lr"] = 1.0
    assert opt.param_groups[0]["lr"] == 0.1


def test_load_state_dict_casts_arrays_to_the_parameter_dtype() -> None:
    params = make_params(sg)
    opt = optim.SGD(params, lr=0.1, momentum=0.9)
    train(sg, opt, params, range(1))
    sd = opt.state_dict()
    sd["state"][0]["momentum_buffer"] = sd["state"][0]["momentum_buffer"].numpy().astype("f8")
    opt.load_state_dict(sd)
    assert opt.state[params[0]]["momentum_buffer"].dtype == np.float32


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda sd: sd["param_groups"].append(dict(sd["param_groups"][0])), "number of parameter"),
        (lambda sd: sd["param_groups"][0]["params"].pop(), "doesn't match the size.*group 0 has 3"),
        (
            lambda sd: sd["state"][1].update(exp_avg=sg.zeros(4)),
            r"state\[1\]\['exp_avg'\] has shape \(4,\) but the parameter has shape \(5,\)",
        ),
        (lambda sd: sd["state"].update({7: {}}), "state for parameter 7"),
    ],
    ids=["groups", "group_size", "shape", "unknown_index"],
)
def test_load_state_dict_errors(edit, match: str) -> None:
    params = make_params(sg)
    opt = optim.Adam(params, lr=0.1)
    train(sg, opt, params, range(1))
    sd = opt.state_dict()
    edit(sd)
    with pytest.raises(ValueError, match=match):
        optim.Adam(make_params(sg), lr=0.1).load_state_dict(sd)


def test_load_state_dict_keeps_the_optimizers_own_tensors() -> None:
    params = make_params(sg)
    opt = optim.SGD(params, lr=0.1)
    opt.load_state_dict(optim.SGD(make_params(sg), lr=0.3).state_dict())
    assert opt.param_groups[0]["params"][0] is params[0]
    assert opt.param_groups[0]["lr"] == 0.3


def test_repr_lists_each_group_like_torch() -> None:
    text = repr(optim.SGD(make_params(sg), lr=0.1))
    assert text.startswith("SGD (\nParameter Group 0\n    dampening: 0.0\n")
    assert "    lr: 0.1\n" in text and text.endswith(")")
