"""Sequential, ModuleList and ModuleDict, operation by operation against torch.nn."""

from collections import OrderedDict
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
import torch

import scratchgrad as sg
import scratchgrad.nn as snn

LIBS = [(sg, snn), (torch, torch.nn)]


def leaf_class(lib: ModuleType, nn: ModuleType) -> type:
    class Leaf(nn.Module):
        """Adds its tag to the input; its parameter's size tells instances apart."""

        def __init__(self, tag: int) -> None:
            super().__init__()
            self.tag = tag
            self.w = nn.Parameter(lib.zeros(tag + 1))

        def forward(self, x: Any) -> Any:
            return x * 10 + self.tag

        def extra_repr(self) -> str:
            return f"tag={self.tag}"

    return Leaf


LEAVES = {sg: leaf_class(sg, snn), torch: leaf_class(torch, torch.nn)}


def leaves(lib: ModuleType, *tags: int) -> list[Any]:
    return [LEAVES[lib](t) for t in tags]


def tags(container: Any) -> list[int]:
    return [m.tag for m in container]


def check_same(ours: Any, theirs: Any) -> None:
    """Same keys, same modules in the same places, same repr, attributes in sync."""
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert repr(ours) == repr(theirs)
    for name, module in ours._modules.items():
        assert getattr(ours, name) is module, name
    registered = set(ours._modules)
    stale = [k for k in vars(ours) if k.isdigit() and k not in registered]
    assert not stale, f"attributes left behind: {stale}"


def run_both(build: Callable[[ModuleType, ModuleType], Any]) -> tuple[Any, Any]:
    ours, theirs = build(sg, snn), build(torch, torch.nn)
    check_same(ours, theirs)
    return ours, theirs


# ------------------------------------------------------------------ Sequential
def test_sequential_from_modules_and_from_an_ordered_dict() -> None:
    run_both(lambda lib, nn: nn.Sequential(*leaves(lib, 1, 2, 3)))
    ours, _ = run_both(
        lambda lib, nn: nn.Sequential(
            OrderedDict(zip(["conv", "act"], leaves(lib, 1, 2), strict=True))
        )
    )
    assert ours.conv.tag == 1 and ours[1] is ours.act
    assert list(ours.state_dict()) == ["conv.w", "act.w"]


def test_sequential_forward_chains_the_modules() -> None:
    seq = snn.Sequential(*leaves(sg, 1, 2, 3))
    assert (
        seq(sg.tensor(0.0)).item()
        == torch.nn.Sequential(*leaves(torch, 1, 2, 3))(torch.tensor(0.0)).item()
    )
    assert seq(sg.tensor(0.0)).item() == 123.0
    assert snn.Sequential()(5) == 5


def test_sequential_indexing_slicing_len_and_iteration() -> None:
    seq = snn.Sequential(*leaves(sg, 0, 1, 2, 3))
    assert len(seq) == 4 and tags(seq) == [0, 1, 2, 3]
    assert seq[-1].tag == 3 and seq[0].tag == 0
    part = seq[1:3]
    assert type(part) is snn.Sequential and tags(part) == [1, 2]
    assert list(part._modules) == list(
        torch.nn.Sequential(*leaves(torch, 0, 1, 2, 3))[1:3]._modules
    )
    assert part[0] is seq[1]  # the same modules, not copies
    assert tags(seq[::-2]) == [3, 1]
    for bad in (4, -5):
        with pytest.raises(IndexError, match="out of range"):
            seq[bad]


@pytest.mark.parametrize(
    "edit",
    [
        lambda s, lib: s.append(LEAVES[lib](7)),
        lambda s, lib: s.extend(leaves(lib, 7, 8)),
        lambda s, lib: s.insert(1, LEAVES[lib](7)),
        lambda s, lib: s.insert(-1, LEAVES[lib](7)),
        lambda s, lib: s.insert(3, LEAVES[lib](7)),
        lambda s, lib: s.__setitem__(-2, LEAVES[lib](7)),
        lambda s, lib: s.__delitem__(0),
        lambda s, lib: s.__delitem__(slice(0, 2)),
        lambda s, lib: s.pop(1),
        lambda s, lib: s.__iadd__(type(s)(*leaves(lib, 8))),
    ],
)
def test_sequential_edits_match_torch(edit: Callable[[Any, ModuleType], Any]) -> None:
    ours, theirs = run_both(lambda lib, nn: nn.Sequential(*leaves(lib, 0, 1, 2)))
    edit(ours, sg)
    edit(theirs, torch)
    check_same(ours, theirs)
    assert tags(ours) == tags(theirs)


def test_sequential_add_and_multiply_match_torch() -> None:
    for op in (lambda s: s + s, lambda s: s * 2, lambda s: 2 * s):
        ours, theirs = run_both(lambda lib, nn, op=op: op(nn.Sequential(*leaves(lib, 0, 1))))
        assert tags(ours) == [0, 1, 0, 1]
        assert ours[0] is ours[2]
    with pytest.raises(ValueError, match="Sequential class"):
        snn.Sequential() + snn.ModuleList()  # type: ignore[operator]
    with pytest.raises(ValueError, match="Non-positive"):
        snn.Sequential() * 0


def test_sequential_renumbers_after_deleting_named_entries_like_torch() -> None:
    ours, theirs = run_both(
        lambda lib, nn: nn.Sequential(OrderedDict(zip("abc", leaves(lib, 0, 1, 2), strict=True)))
    )
    for s in (ours, theirs):
        del s[1]
    check_same(ours, theirs)
    assert list(ours._modules) == ["0", "1"] and not hasattr(ours, "a")


def test_sequential_insert_checks_its_arguments() -> None:
    seq = snn.Sequential(*leaves(sg, 0))
    with pytest.raises(IndexError):
        seq.insert(3, LEAVES[sg](1))
    with pytest.raises(TypeError):
        seq.insert(0, 5)  # type: ignore[arg-type]


# ------------------------------------------------------------------ ModuleList
def test_module_list_basics_match_torch() -> None:
    ours, _ = run_both(lambda lib, nn: nn.ModuleList(leaves(lib, 0, 1, 2)))
    assert len(ours) == 3 and tags(ours) == [0, 1, 2]
    assert ours[-1].tag == 2 and ours[-3].tag == 0
    for bad in (3, -4):
        with pytest.raises(IndexError, match="out of range"):
            ours[bad]
    part = ours[1:]
    assert type(part) is snn.ModuleList and tags(part) == [1, 2]
    assert list(part.state_dict()) == ["0.w", "1.w"]
    assert part[0] is ours[1]
    run_both(lambda lib, nn: nn.ModuleList())
    assert [n for n, _ in ours.named_parameters()] == ["0.w", "1.w", "2.w"]


@pytest.mark.parametrize(
    "edit",
    [
        lambda m, lib: m.append(LEAVES[lib](7)),
        lambda m, lib: m.extend(leaves(lib, 7, 8)),
        lambda m, lib: m.insert(0, LEAVES[lib](7)),
        lambda m, lib: m.insert(2, LEAVES[lib](7)),
        lambda m, lib: m.insert(3, LEAVES[lib](7)),
        lambda m, lib: m.__setitem__(-1, LEAVES[lib](7)),
        lambda m, lib: m.__delitem__(1),
        lambda m, lib: m.__delitem__(slice(None, None, 2)),
        lambda m, lib: m.pop(0),
        lambda m, lib: m.__iadd__(leaves(lib, 8)),
    ],
)
def test_module_list_edits_match_torch(edit: Callable[[Any, ModuleType], Any]) -> None:
    ours, theirs = run_both(lambda lib, nn: nn.ModuleList(leaves(lib, 0, 1, 2)))
    edit(ours, sg)
    edit(theirs, torch)
    check_same(ours, theirs)
    assert tags(ours) == tags(theirs)


def test_module_list_insert_with_negative_index_works_like_list_insert() -> None:
    ml = snn.ModuleList(leaves(sg, 0, 1, 2))
    ml.insert(-1, LEAVES[sg](7))
    assert tags(ml) == [0, 1, 7, 2]
    assert list(ml.state_dict()) == ["0.w", "1.w", "2.w", "3.w"]
    assert ml[2].tag == 7 and getattr(ml, "2") is ml[2]


def test_module_list_add_returns_a_new_list_and_extend_needs_an_iterable() -> None:
    a = snn.ModuleList(leaves(sg, 0))
    b = a + leaves(sg, 1)
    assert tags(a) == [0] and tags(b) == [0, 1] and b[0] is a[0]
    with pytest.raises(TypeError, match="iterable"):
        a.extend(5)  # type: ignore[arg-type]


def test_module_list_repr_compresses_repeats_like_torch() -> None:
    run_both(lambda lib, nn: nn.ModuleList(leaves(lib, 1, 1, 1, 2, 1, 1, 3)))
    ours, _ = run_both(
        lambda lib, nn: nn.ModuleList([nn.Sequential(*leaves(lib, 1)) for _ in range(3)])
    )
    assert "(0-2): 3 x Sequential(" in repr(ours)


# ------------------------------------------------------------------ ModuleDict
def test_module_dict_basics_match_torch() -> None:
    ours, _ = run_both(lambda lib, nn: nn.ModuleDict({"b": LEAVES[lib](1), "a": LEAVES[lib](2)}))
    assert list(ours) == list(ours.keys()) == ["b", "a"]
    assert [m.tag for m in ours.values()] == [1, 2]
    assert [(k, m.tag) for k, m in ours.items()] == [("b", 1), ("a", 2)]
    assert "a" in ours and "z" not in ours and len(ours) == 2
    assert ours["a"] is ours.a
    with pytest.raises(KeyError):
        ours["z"]


@pytest.mark.parametrize(
    "edit",
    [
        lambda d, lib: d.__setitem__("c", LEAVES[lib](7)),
        lambda d, lib: d.__setitem__("b", LEAVES[lib](7)),
        lambda d, lib: d.__delitem__("b"),
        lambda d, lib: d.pop("a"),
        lambda d, lib: d.clear(),
        lambda d, lib: d.update({"c": LEAVES[lib](7), "b": LEAVES[lib](8)}),
        lambda d, lib: d.update([("d", LEAVES[lib](7)), ["e", LEAVES[lib](8)]]),
        lambda d, lib: d.update(type(d)({"z": LEAVES[lib](9)})),
    ],
)
def test_module_dict_edits_match_torch(edit: Callable[[Any, ModuleType], Any]) -> None:
    ours, theirs = run_both(
        lambda lib, nn: nn.ModuleDict([("b", LEAVES[lib](1)), ("a", LEAVES[lib](2))])
    )
    edit(ours, sg)
    edit(theirs, torch)
    check_same(ours, theirs)
    assert list(ours) == list(theirs)
    assert all(not hasattr(ours, k) for k in "abcdez" if k not in ours)


@pytest.mark.parametrize(
    ("bad", "error"),
    [(5, TypeError), ([5], TypeError), ([("a", None, None)], ValueError)],
)
def test_module_dict_update_rejects_what_torch_rejects(bad: Any, error: type) -> None:
    with pytest.raises(error):
        torch.nn.ModuleDict().update(bad)
    with pytest.raises(error):
        snn.ModuleDict().update(bad)


def test_module_dict_key_rules_match_torch() -> None:
    for nn in (snn, torch.nn):
        d = nn.ModuleDict()
        with pytest.raises(KeyError):
            d["a.b"] = nn.Module()
        with pytest.raises(KeyError):
            d["training"] = nn.Module()  # an existing attribute
        with pytest.raises(KeyError):
            del d["missing"]


def test_containers_are_not_callable_without_forward() -> None:
    for container in (snn.ModuleList(), snn.ModuleDict()):
        with pytest.raises(NotImplementedError, match="forward"):
            container(1)
