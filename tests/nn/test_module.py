"""Module: registration, traversal, modes, state dicts, repr and errors, compared with torch.

The same small model is built from Parameters and Modules in both libraries (the layers in
scratchgrad.nn are tested elsewhere), and every observable result is compared.
"""

import copy
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
import scratchgrad.nn as snn

LIBS = [(sg, snn), (torch, torch.nn)]


def make_classes(lib: ModuleType, nn: ModuleType) -> dict[str, type]:
    """Affine, Act and Net, written once for both libraries; "seed" restarts the values."""
    rng = [np.random.default_rng(0)]

    def param(*shape: int) -> Any:
        return nn.Parameter(lib.tensor(rng[0].standard_normal(shape).astype(np.float32)))

    def seed() -> None:
        rng[0] = np.random.default_rng(0)

    class Affine(nn.Module):
        def __init__(self, n_in: int, n_out: int, bias: bool = True) -> None:
            super().__init__()
            self.weight = param(n_out, n_in)
            self.register_parameter("bias", param(n_out) if bias else None)
            self.register_buffer("running", lib.zeros(n_out))
            self.register_buffer("scratch", lib.zeros(1), persistent=False)

        def forward(self, x: Any) -> Any:
            y = x @ self.weight.T
            return y if self.bias is None else y + self.bias

        def extra_repr(self) -> str:
            return f"in_features={self.weight.shape[1]}, out_features={self.weight.shape[0]}"

    class Act(nn.Module):
        def forward(self, x: Any) -> Any:
            return x * 2

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.features = nn.Sequential(Affine(3, 4), nn.Sequential(Act(), Affine(4, 4)))
            self.blocks = nn.ModuleList([Affine(4, 4), Affine(4, 4, bias=False)])
            self.blocks[1].weight = self.blocks[0].weight  # a shared parameter
            self.heads = nn.ModuleDict({"cls": Affine(4, 2), "reg": Affine(4, 1)})
            self.register_buffer("steps", lib.zeros((), dtype=lib.int64))
            self.scale = param(1)
            self.tied = self.features[0]  # a shared module, registered twice
            self.add_module("spare", None)

        def forward(self, x: Any) -> Any:
            x = self.features(x)
            for block in self.blocks:
                x = block(x)
            return self.heads["cls"](x) * self.scale

    return {"Affine": Affine, "Act": Act, "Net": Net, "seed": seed}


OURS = make_classes(sg, snn)
THEIRS = make_classes(torch, torch.nn)


def both(name: str, *args: Any) -> tuple[Any, Any]:
    """The same model, with the same values, in scratchgrad and in torch."""
    OURS["seed"]()
    THEIRS["seed"]()
    return OURS[name](*args), THEIRS[name](*args)


def names(pairs: Any) -> list[str]:
    return [n for n, _ in pairs]


# ------------------------------------------------------------------ traversal
def test_named_parameters_names_and_order_match_torch() -> None:
    ours, theirs = both("Net")
    assert names(ours.named_parameters()) == names(theirs.named_parameters())
    assert "blocks.1.weight" not in names(ours.named_parameters())  # shared: counted once
    assert len(list(ours.parameters())) == len(list(theirs.parameters())) == 11


def test_named_parameters_options_match_torch() -> None:
    ours, theirs = both("Net")
    for kwargs in (
        {"prefix": "model"},
        {"recurse": False},
        {"remove_duplicate": False},
        {"prefix": "m", "remove_duplicate": False},
    ):
        got = names(ours.named_parameters(**kwargs))
        assert got == names(theirs.named_parameters(**kwargs)), kwargs
    assert len(list(ours.named_parameters(remove_duplicate=False))) == 14


def test_parameter_values_are_the_same_objects_as_the_attributes() -> None:
    ours, _ = both("Net")
    params = dict(ours.named_parameters())
    assert params["features.0.weight"] is ours.features[0].weight
    assert params["blocks.0.weight"] is ours.blocks[1].weight


def test_named_buffers_and_modules_match_torch() -> None:
    ours, theirs = both("Net")
    assert names(ours.named_buffers()) == names(theirs.named_buffers())
    assert names(ours.named_buffers(recurse=False)) == ["steps"]
    for kwargs in ({}, {"prefix": "top"}, {"remove_duplicate": False}):
        assert names(ours.named_modules(**kwargs)) == names(theirs.named_modules(**kwargs))
    assert len(list(ours.modules())) == len(list(theirs.modules()))
    assert len(list(ours.modules(remove_duplicate=False))) == 13


def test_children_match_torch_and_skip_duplicates_and_empty_slots() -> None:
    ours, theirs = both("Net")
    assert names(ours.named_children()) == names(theirs.named_children())
    assert names(ours.named_children()) == ["features", "blocks", "heads", "tied"]
    assert "spare" not in names(ours.named_children())


def test_get_submodule_and_get_parameter_match_torch() -> None:
    ours, theirs = both("Net")
    assert ours.get_submodule("") is ours
    assert ours.get_submodule("features.1.1") is ours.features[1][1]
    assert ours.get_submodule("heads.cls") is ours.heads["cls"]
    assert ours.get_parameter("heads.reg.bias") is ours.heads["reg"].bias
    for target in ("features.7", "heads.nope.x", "scale.x", "features.0.weight"):
        with pytest.raises(AttributeError) as theirs_err:
            theirs.get_submodule(target)
        with pytest.raises(AttributeError, match=re.escape(str(theirs_err.value))):
            ours.get_submodule(target)
    with pytest.raises(AttributeError, match="`running` is not an nn.Parameter"):
        ours.get_parameter("heads.reg.running")


def test_apply_visits_children_first_like_torch() -> None:
    seen: list[list[str]] = [[], []]
    for i, model in enumerate(both("Net")):
        model.apply(lambda m, i=i: seen[i].append(type(m).__name__))
    assert seen[0] == seen[1]
    assert seen[0][-1] == "Net"


# ------------------------------------------------------------------ modes and grads
def test_train_and_eval_reach_every_submodule_like_torch() -> None:
    flags = []
    for model in both("Net"):
        assert model.eval() is model
        assert not any(m.training for m in model.modules())
        assert model.train() is model
        assert all(m.training for m in model.modules(remove_duplicate=False))
        model.eval().blocks.train()
        flags.append([m.training for m in model.modules()])
    assert flags[0] == flags[1]
    assert flags[0].count(True) == 3  # blocks and its two children
    with pytest.raises(ValueError, match="boolean"):
        both("Act")[0].train(1)


def test_train_calls_overridden_train_of_children() -> None:
    calls: list[bool] = []

    class Spy(snn.Module):
        def train(self, mode: bool = True) -> "Spy":
            calls.append(mode)
            return super().train(mode)

    snn.Sequential(snn.Sequential(Spy())).eval()
    assert calls == [False]


@pytest.mark.parametrize("set_to_none", [True, False])
def test_zero_grad_matches_torch(set_to_none: bool) -> None:
    ours, theirs = both("Net")
    x = np.ones((2, 3), np.float32)
    ours(sg.tensor(x)).sum().backward()
    theirs(torch.tensor(x)).sum().backward()
    grad = ours.features[0].weight.grad
    ours.zero_grad(set_to_none=set_to_none)
    theirs.zero_grad(set_to_none=set_to_none)
    for (n, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
        assert (p.grad is None) == (q.grad is None), n
        if p.grad is not None:
            np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())
    if not set_to_none:
        assert ours.features[0].weight.grad is grad  # zeroed in place


def test_requires_grad_freezes_every_parameter() -> None:
    ours, _ = both("Net")
    assert ours.requires_grad_(False) is ours
    assert not any(p.requires_grad for p in ours.parameters())
    ours.heads.requires_grad_()
    assert [n for n, p in ours.named_parameters() if p.requires_grad] == [
        "heads.cls.weight",
        "heads.cls.bias",
        "heads.reg.weight",
        "heads.reg.bias",
    ]


def test_to_double_casts_parameters_in_place_like_torch() -> None:
    ours, theirs = both("Net")
    w = ours.features[0].weight
    assert ours.double() is ours
    theirs.double()
    assert ours.features[0].weight is w
    assert [str(p.dtype) for p in ours.state_dict().values()] == [
        str(p.dtype).removeprefix("torch.") for p in theirs.state_dict().values()
    ]
    assert ours.to(sg.float32).features[0].weight.dtype == sg.float32
    assert ours.to("cpu") is ours
    with pytest.raises(RuntimeError, match="^to: device 'cuda' is not available; .* CPU$"):
        ours.to("cuda")
    assert ours.to(device=None) is ours
    with pytest.raises(TypeError, match="floating point"):
        ours.to(sg.int64)


# ------------------------------------------------------------------ registration rules
def test_assigning_a_plain_tensor_or_value_to_a_parameter_name_raises_like_torch() -> None:
    for lib, model in zip((sg, torch), both("Affine", 2, 3), strict=True):
        for value in (lib.ones(3), 3):
            with pytest.raises(TypeError, match="as parameter 'bias'"):
                model.bias = value
        assert "bias" in dict(model.named_parameters())


def test_assigning_none_keeps_the_slot_and_its_place_like_torch() -> None:
    ours, theirs = both("Affine", 2, 3)
    for nn, model in ((snn, ours), (torch.nn, theirs)):
        model.weight = None
        assert model.weight is None
        assert "weight" in model._parameters
        assert names(model.named_parameters()) == ["bias"]
        assert list(model.state_dict()) == ["bias", "running"]
        model.weight = nn.Parameter(model.bias.detach().clone())
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight", "bias", "running"]


def test_reassigning_a_parameter_or_module_keeps_its_place_like_torch() -> None:
    ours, theirs = both("Net")
    for lib, nn, model in ((sg, snn, ours), (torch, torch.nn, theirs)):
        model.features = nn.Sequential(nn.Module())
        model.features[0].w = nn.Parameter(lib.ones(1))
        model.scale = nn.Parameter(lib.ones(2))
        model.heads["cls"] = nn.Sequential()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert list(ours.state_dict())[:3] == ["scale", "steps", "features.0.w"]
    assert names(ours.named_children())[:3] == ["features", "blocks", "heads"]
    assert ours.scale.shape == (2,)


def test_assignment_moves_names_between_registries_like_torch() -> None:
    ours, theirs = both("Net")
    for lib, nn, model in ((sg, snn, ours), (torch, torch.nn, theirs)):
        model.blocks = nn.Parameter(lib.ones(2))  # a module becomes a parameter
        model.steps = nn.Sequential()  # a buffer becomes a module
        model.tied = None  # a module slot stays, empty
        model.features[0].running = lib.ones(4)  # a buffer stays a buffer
        model.plain = lib.ones(2)  # a tensor on a new name is a plain attribute
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert names(ours.named_modules()) == names(theirs.named_modules())
    assert names(ours.named_parameters()) == names(theirs.named_parameters())
    assert "blocks" not in ours._modules and "steps" not in ours._buffers
    assert "plain" not in ours._buffers and ours.tied is None
    assert ours.features[0].running.tolist() == [1.0] * 4


def test_wrong_values_for_buffers_and_modules_raise_like_torch() -> None:
    for model in both("Net"):
        with pytest.raises(TypeError, match="as buffer 'steps'"):
            model.steps = 3
        with pytest.raises(TypeError, match="as child module 'features'"):
            model.features = np.zeros(2)


def test_buffer_objects_register_as_buffers_with_their_persistence() -> None:
    ours, theirs = both("Act")
    for lib, nn, model in ((sg, snn, ours), (torch, torch.nn, theirs)):
        model.kept = nn.Buffer(lib.ones(2))
        model.dropped = nn.Buffer(lib.ones(2), persistent=False)
    assert names(ours.named_buffers()) == names(theirs.named_buffers()) == ["kept", "dropped"]
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["kept"]


def test_register_buffer_persistence_can_be_changed() -> None:
    ours, theirs = both("Affine", 2, 3)
    for lib, model in ((sg, ours), (torch, theirs)):
        model.register_buffer("scratch", lib.ones(1))  # now persistent
        model.register_buffer("running", lib.ones(3), persistent=False)
        model.scratch = lib.zeros(1)  # keeps its (persistent) status
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight", "bias", "scratch"]


@pytest.mark.parametrize(
    "call",
    [
        lambda m, lib: m.register_buffer("a.b", None),
        lambda m, lib: m.register_buffer("", None),
        lambda m, lib: m.register_buffer("weight", lib.ones(1)),
        lambda m, lib: m.register_buffer("forward", None),
        lambda m, lib: m.register_buffer("x", 3),
        lambda m, lib: m.register_buffer(1, None),
        lambda m, lib: m.register_parameter("running", None),
        lambda m, lib: m.register_parameter("w", lib.ones(2)),
        lambda m, lib: m.register_parameter("a.b", None),
        lambda m, lib: m.add_module("weight", None),
        lambda m, lib: m.add_module("a.b", None),
        lambda m, lib: m.add_module("", None),
        lambda m, lib: m.add_module("x", lib.ones(1)),
        lambda m, lib: m.add_module(3, None),
    ],
)
def test_registration_errors_have_torch_types(call: Callable[[Any, Any], None]) -> None:
    ours, theirs = both("Affine", 2, 3)
    with pytest.raises(Exception) as expected:
        call(theirs, torch)
    with pytest.raises(type(expected.value)) as got:
        call(ours, sg)
    if isinstance(expected.value, KeyError):
        assert str(got.value) == str(expected.value)
    assert type(got.value) is type(expected.value)


def test_registering_before_init_raises_but_plain_attributes_are_allowed() -> None:
    for nn in (snn, torch.nn):

        class Early(nn.Module):
            def __init__(self, early: Any) -> None:
                self.note = "fine"
                self.p = early
                super().__init__()

        with pytest.raises(AttributeError, match="before Module.__init__"):
            Early(nn.Parameter(sg.ones(1) if nn is snn else torch.ones(1)))
        with pytest.raises(AttributeError, match="before Module.__init__"):
            Early(nn.Module())
        assert Early(3).note == "fine"


def test_delattr_unregisters_like_torch() -> None:
    ours, theirs = both("Net")
    for model in (ours, theirs):
        del model.scale, model.steps, model.tied, model.spare
        del model.features[0].running
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert not hasattr(ours, "scale") and not hasattr(ours, "tied")
    with pytest.raises(AttributeError):
        del ours.scale
    ours.scale = 3  # the name is free again
    assert "scale" not in ours._parameters


def test_dir_lists_registered_names_but_not_numbers() -> None:
    ours, _ = both("Net")
    listed = dir(ours)
    assert {"features", "scale", "steps", "forward"} <= set(listed)
    assert "0" not in dir(ours.features)


def test_deepcopy_keeps_registries_and_sharing_consistent() -> None:
    ours, _ = both("Net")
    twin = copy.deepcopy(ours)
    assert names(twin.named_parameters()) == names(ours.named_parameters())
    assert twin.blocks[0].weight is twin.blocks[1].weight
    assert twin.tied is twin.features[0]
    assert twin.features[0].weight is not ours.features[0].weight
    assert twin._parameters["scale"] is twin.scale


def test_forward_must_be_written() -> None:
    with pytest.raises(NotImplementedError) as theirs:
        torch.nn.Module()(1)
    with pytest.raises(NotImplementedError) as ours:
        snn.Module()(1)
    assert str(ours.value).endswith(str(theirs.value))


# ------------------------------------------------------------------ state dict
def test_state_dict_keys_and_order_match_torch() -> None:
    ours, theirs = both("Net")
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert list(ours.state_dict(prefix="net.")) == list(theirs.state_dict(prefix="net."))
    assert "blocks.1.bias" not in ours.state_dict()  # None
    assert "features.0.scratch" not in ours.state_dict()  # not persistent
    assert "tied.weight" in ours.state_dict()  # a module registered twice is saved twice
    for (k, a), b in zip(ours.state_dict().items(), theirs.state_dict().values(), strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=k)


def test_state_dict_detaches_unless_keep_vars() -> None:
    ours, _ = both("Net")
    sd = ours.state_dict()
    assert not sd["scale"].requires_grad
    assert sd["scale"].array is ours.scale.array  # no copy
    assert ours.state_dict(keep_vars=True)["scale"] is ours.scale
    dest: dict[str, Any] = {"other": None}
    assert ours.state_dict(destination=dest) is dest
    assert list(dest)[0] == "other"


def _torch_text(message: str) -> str:
    """torch's message with torch.Size([2, 3]) written as (2, 3) and torch dtypes as numpy's."""

    def size(m: re.Match[str]) -> str:
        dims = m.group(1)
        return f"({dims},)" if dims and "," not in dims else f"({dims})"

    return re.sub(r"torch\.Size\(\[(.*?)\]\)", size, message)


def _to_torch(sd: dict[str, Any]) -> dict[str, Any]:
    return {k: torch.tensor(v.numpy()) for k, v in sd.items()}


def test_load_state_dict_round_trip_matches_torch() -> None:
    source, _ = both("Net")
    ours, theirs = both("Net")
    for p in source.parameters():
        p.array += 1
    sd = source.state_dict()
    assert repr(ours.load_state_dict(sd)) == repr(theirs.load_state_dict(_to_torch(sd)))
    assert repr(ours.load_state_dict(sd)) == "<All keys matched successfully>"
    for (k, a), b in zip(ours.state_dict().items(), sd.values(), strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=k)
        assert a.array is not b.array, k  # copied, not aliased


def _damaged(sd: dict[str, Any]) -> dict[str, Any]:
    bad = dict(sd)
    del bad["heads.cls.bias"], bad["steps"]
    bad["heads.extra"] = sg.ones(2)
    bad["features.1.9.weight"] = sg.ones(2)
    bad["unknown"] = sg.ones(1)
    bad["features.0.weight"] = sg.ones(3, 4)  # (4, 3) expected
    bad["blocks.0.bias"] = sg.ones(5)
    return bad


def test_non_strict_load_reports_the_same_keys_as_torch() -> None:
    source, _ = both("Net")
    sd = _damaged(source.state_dict())
    del sd["features.0.weight"], sd["blocks.0.bias"]
    ours, theirs = both("Net")
    got = ours.load_state_dict(sd, strict=False)
    expected = theirs.load_state_dict(_to_torch(sd), strict=False)
    assert got.missing_keys == expected.missing_keys
    assert got.unexpected_keys == expected.unexpected_keys
    assert set(got.missing_keys) == {
        "heads.cls.bias",
        "steps",
        "features.0.weight",
        "blocks.0.bias",
    }
    assert set(got.unexpected_keys) == {"heads.extra", "features.1.9.weight", "unknown"}
    np.testing.assert_array_equal(ours.scale.detach().numpy(), sd["scale"].numpy())


def test_strict_load_error_lists_every_problem_like_torch() -> None:
    source, _ = both("Net")
    sd = _damaged(source.state_dict())
    ours, theirs = both("Net")
    with pytest.raises(RuntimeError) as expected:
        theirs.load_state_dict(_to_torch(sd))
    with pytest.raises(RuntimeError) as got:
        ours.load_state_dict(sd)
    assert str(got.value) == _torch_text(str(expected.value))
    text = str(got.value)
    assert text.startswith("Error(s) in loading state_dict for Net:")
    for key in ("heads.cls.bias", "steps", "heads.extra", "features.0.weight", "blocks.0.bias"):
        assert key in text


def test_size_mismatch_raises_even_when_not_strict_like_torch() -> None:
    ours, theirs = both("Affine", 2, 3)
    sd = {"weight": sg.ones(2, 2)}
    with pytest.raises(RuntimeError) as expected:
        theirs.load_state_dict(_to_torch(sd), strict=False)
    with pytest.raises(RuntimeError) as got:
        ours.load_state_dict(sd, strict=False)
    assert str(got.value) == _torch_text(str(expected.value))


def test_failed_load_leaves_the_module_unchanged() -> None:
    source, _ = both("Net")
    for p in source.parameters():
        p.array += 1
    sd = source.state_dict()
    sd["heads.reg.weight"] = sg.ones(9)
    ours, _ = both("Net")
    before = {k: v.numpy().copy() for k, v in ours.state_dict().items()}
    with pytest.raises(RuntimeError, match="heads.reg.weight"):
        ours.load_state_dict(sd)
    for k, v in ours.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), before[k], err_msg=k)


def test_wrong_dtypes_and_types_are_reported_together() -> None:
    ours, _ = both("Net")
    sd = ours.state_dict()
    sd["steps"] = sg.tensor(1.5)  # float into an int64 buffer
    sd["scale"] = [1.0]  # not a tensor
    sd["features.0.bias"] = sg.ones(4, dtype=sg.float64)  # float64 into float32: allowed
    with pytest.raises(RuntimeError) as err:
        ours.load_state_dict(sd)
    lines = str(err.value).split("\n\t")[1:]
    assert lines == [
        'While copying the parameter named "scale", expected Tensor or array from '
        "checkpoint but received <class 'list'>",
        "dtype mismatch for steps: copying a param with dtype float32 from checkpoint, "
        "the dtype in current model is int64.",
    ]


def test_load_accepts_numpy_arrays_and_a_1_element_tensor_for_a_scalar() -> None:
    ours, theirs = both("Net")
    sd = {k: v.numpy() + 1 for k, v in ours.state_dict().items()}
    sd["steps"] = np.array([7])
    ours.load_state_dict(sd)
    theirs.load_state_dict({k: torch.tensor(v) for k, v in sd.items()})
    assert ours.steps.item() == theirs.steps.item() == 7
    assert ours.steps.shape == ()
    np.testing.assert_array_equal(ours.scale.detach().numpy(), sd["scale"])


def test_load_state_dict_rejects_a_non_mapping() -> None:
    ours, _ = both("Act")
    with pytest.raises(TypeError, match="dict-like"):
        ours.load_state_dict([("a", sg.ones(1))])


def test_load_fills_a_tied_module_through_both_names() -> None:
    ours, _ = both("Net")
    sd = ours.state_dict()
    sd["tied.weight"] = sd["features.0.weight"] + 5
    sd["features.0.weight"] = sd["tied.weight"]
    ours.load_state_dict(sd)
    np.testing.assert_array_equal(ours.tied.weight.detach().numpy(), sd["tied.weight"].numpy())


# ------------------------------------------------------------------ repr
def test_repr_of_a_nested_model_is_torch_text() -> None:
    ours, theirs = both("Net")
    assert repr(ours) == repr(theirs)
    assert "(spare): None" in repr(ours)


def _block_class(nn: ModuleType) -> type:
    class Block(nn.Module):
        def __init__(self, lines: str, child: bool) -> None:
            super().__init__()
            self.lines = lines
            if child:
                self.inner = nn.Module()

        def extra_repr(self) -> str:
            return self.lines

    return Block


def test_repr_with_multiline_extra_repr_and_children_is_torch_text() -> None:
    ours, theirs = _block_class(snn), _block_class(torch.nn)
    for text in ("", "a=1", "a=1\nb=2"):
        for child in (False, True):
            assert repr(ours(text, child)) == repr(theirs(text, child))


# ------------------------------------------------------------------ errors in forward
def _error(model: Any, *args: Any, **kwargs: Any) -> Exception:
    with pytest.raises(Exception) as info:
        model(*args, **kwargs)
    return info.value


def _note(err: Exception) -> str:
    """The one note scratchgrad adds: the failing module's path and its inputs."""
    notes = [n for n in getattr(err, "__notes__", []) if n.startswith("in ")]
    assert len(notes) == 1, notes
    return notes[0]


def test_error_names_the_path_in_nested_sequentials_and_keeps_the_type() -> None:
    a = OURS["Affine"]
    model = snn.Sequential(a(3, 4), snn.Sequential(OURS["Act"](), a(5, 2)))
    err = _error(model, sg.ones(8, 3))
    assert isinstance(err, sg.ShapeError)
    original = _error(a(5, 2), sg.ones(8, 4))
    assert err.args == original.args  # the op's own message, untouched, as in torch
    assert _note(err) == "in 1.1 (Affine), called with input shapes [(8, 4)]"


def test_error_path_through_module_list_and_module_dict_attributes() -> None:
    model = OURS["Net"]()
    model.blocks[1].weight = snn.Parameter(sg.ones(4, 5))
    assert _note(_error(model, sg.ones(8, 3))) == (
        "in blocks.1 (Affine), called with input shapes [(8, 4)]"
    )
    model = OURS["Net"]()
    model.heads["cls"].weight = snn.Parameter(sg.ones(2, 3))
    assert _note(_error(model, sg.ones(2, 3))) == (
        "in heads.cls (Affine), called with input shapes [(2, 4)]"
    )


def test_error_in_the_called_module_itself_and_other_inputs() -> None:
    class Picky(snn.Module):
        def forward(self, x: Any, n: int, mask: Any = None) -> Any:
            raise KeyError("no such thing")

    err = _error(Picky(), sg.ones(2, 3), 4, mask=[sg.ones(2), None])
    assert isinstance(err, KeyError)
    assert err.args == ("no such thing",)
    assert _note(err) == "in Picky, called with input shapes [(2, 3), int, mask=[(2,), NoneType]]"


def test_an_exception_without_a_message_keeps_none_and_gets_a_note() -> None:
    class Stops(snn.Module):
        def forward(self, x: Any) -> Any:
            raise IndexError

    err = _error(snn.Sequential(snn.Sequential(Stops())), sg.ones(2))
    assert type(err) is IndexError
    assert err.args == ()
    assert _note(err) == "in 0.0 (Stops), called with input shapes [(2,)]"


def test_an_error_raised_twice_is_not_noted_twice() -> None:
    model = OURS["Net"]()
    model.heads["cls"].weight = snn.Parameter(sg.ones(2, 3))
    first = _note(_error(model, sg.ones(2, 3)))
    assert _note(_error(model, sg.ones(2, 3))) == first  # a second call fails the same way
    kept: list[Exception] = []

    class Replay(snn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, x: Any) -> Any:
            if kept:
                raise kept[0]  # the same exception object through the same modules again
            try:
                return self.inner(x)
            except ValueError as e:
                kept.append(e)
                raise

    replay = Replay()
    first_error = _error(replay, sg.ones(2, 3))
    first = _note(first_error)
    assert first == "in inner.heads.cls (Affine), called with input shapes [(2, 4)]"
    assert str(first_error).startswith("matmul")  # the op's message, untouched
    again = _error(replay, sg.ones(2, 3))
    assert again is kept[0]
    assert _note(again) == first  # still names where it was first raised, noted once


def test_a_module_calling_itself_or_a_grandchild_gets_a_sensible_path() -> None:
    class Recursive(snn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = snn.Sequential(OURS["Affine"](2, 2))

        def forward(self, x: Any, depth: int = 2) -> Any:
            if depth:
                return self(x, depth - 1)
            return self.body[0](x)  # a grandchild, called directly

    assert _note(_error(Recursive(), sg.ones(3, 5))) == (
        "in body.0 (Affine), called with input shapes [(3, 5)]"
    )


def test_exceptions_with_several_args_are_left_intact_with_a_note() -> None:
    class Fails(snn.Module):
        def forward(self, x: Any) -> Any:
            raise OSError(2, "missing")

    model = snn.Sequential(Fails())
    err = _error(model, sg.ones(1))
    assert isinstance(err, OSError) and err.errno == 2
    assert err.__notes__ == ["in 0 (Fails), called with input shapes [(1,)]"]


def test_success_path_is_unaffected_by_earlier_errors() -> None:
    ours, theirs = both("Net")
    ours.heads["reg"].weight = snn.Parameter(sg.ones(1, 7))
    x = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)
    _error(ours.heads["reg"], sg.ones(2, 4))
    np.testing.assert_allclose(
        ours(sg.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5
    )
    err = _error(snn.Sequential(ours.heads["reg"]), sg.ones(2, 4))
    assert _note(err) == "in 0 (Affine), called with input shapes [(2, 4)]"  # no stale stack
