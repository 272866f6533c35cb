"""nn.functional gathers ops under torch.nn.functional's names."""

import torch

import scratchgrad as sg
import scratchgrad.nn.functional as F  # noqa: N812


def test_every_name_exists_in_torch_functional() -> None:
    missing = [name for name in F.__all__ if not hasattr(torch.nn.functional, name)]
    assert missing == ["heaviside"]  # torch has it as torch.heaviside, not in functional
    assert hasattr(torch, "heaviside")


def test_every_name_is_exported_and_callable() -> None:
    for name in F.__all__:
        assert callable(getattr(F, name)), name


def test_functional_and_top_level_share_one_implementation() -> None:
    assert F.relu is sg.relu and F.sigmoid is sg.sigmoid and F.tanh is sg.tanh
    assert F.one_hot is sg.one_hot


def test_a_small_forward_matches_torch() -> None:
    x = sg.randn(4, 3, generator=sg.Generator(0))
    w, b = sg.randn(5, 3), sg.randn(5)
    y = sg.tensor([0, 4, 2, 1])
    ours = F.cross_entropy(F.gelu(F.linear(x, w, b)), y)
    xt, wt, bt, yt = (torch.from_numpy(t.numpy()) for t in (x, w, b, y))
    theirs = torch.nn.functional.cross_entropy(
        torch.nn.functional.gelu(torch.nn.functional.linear(xt, wt, bt)), yt
    )
    assert abs(ours.item() - theirs.item()) < 1e-5
