"""nn.functional gathers ops under torch.nn.functional's names."""

import inspect

import numpy as np
import torch

import scratchgrad as sg
import scratchgrad.nn.functional as F  # noqa: N812


def test_every_name_exists_in_torch_functional() -> None:
    missing = [name for name in F.__all__ if not hasattr(torch.nn.functional, name)]
    assert missing == ["heaviside"]  # torch has it as torch.heaviside, not in functional
    assert hasattr(torch, "heaviside")


# parameters of torch's function ours lacks, on purpose
NOT_TAKEN = {"embedding": {"max_norm", "norm_type", "scale_grad_by_freq", "sparse"}}


def test_every_function_takes_torchs_parameters() -> None:
    """F.relu(x, inplace=True), F.softmax(x, -1, dtype=...) and the like run unchanged."""
    lacking = {}
    for name in F.__all__:
        theirs = getattr(torch.nn.functional, name, None)
        try:
            params = inspect.signature(theirs).parameters if theirs else {}
        except (TypeError, ValueError):  # a builtin without a signature
            continue
        ours = inspect.signature(getattr(F, name)).parameters
        skip = {"input", "args", "kwargs", "size_average", "reduce"} | NOT_TAKEN.get(name, set())
        missing = [p for p in params if p not in skip and p not in ours]
        if missing:
            lacking[name] = missing
    assert lacking == {}


def test_inplace_and_dtype_arguments_are_accepted() -> None:
    x = sg.randn(2, 3)
    assert F.softmax(x, -1, dtype=sg.float64).dtype == sg.float64
    assert F.log_softmax(x, dim=1, dtype=sg.float64).dtype == sg.float64
    assert x.softmax(-1).shape == x.log_softmax(-1).shape == (2, 3)
    for f in (F.relu, F.silu, F.elu, F.leaky_relu):
        np.testing.assert_array_equal(f(x, inplace=True).numpy(), f(x).numpy())
    assert F.dropout(x, 0.5, False, True) is x
    out = sg.zeros(2, 3)
    assert F.normalize(x, out=out) is out and np.allclose(out.numpy(), F.normalize(x).numpy())


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
