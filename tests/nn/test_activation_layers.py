"""The piecewise and smooth activation modules against their torch.nn twins."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from tests.nn.test_linear import (
    assert_param_grads_equal,
    assert_same_structure,
    copy_from_torch,
    run_both,
    x32,
)

PAIRS = [
    (lambda m: m.Hardtanh(), "Hardtanh"),
    (lambda m: m.Hardtanh(-2, 3), "Hardtanh-int-bounds"),
    (lambda m: m.ReLU6(), "ReLU6"),
    (lambda m: m.Hardsigmoid(), "Hardsigmoid"),
    (lambda m: m.Hardswish(), "Hardswish"),
    (lambda m: m.Threshold(0.1, 20), "Threshold"),
    (lambda m: m.Mish(), "Mish"),
    (lambda m: m.SELU(), "SELU"),
    (lambda m: m.CELU(), "CELU"),
    (lambda m: m.CELU(2.0), "CELU-2"),
    (lambda m: m.Softsign(), "Softsign"),
    (lambda m: m.LogSigmoid(), "LogSigmoid"),
    (lambda m: m.Softmin(dim=1), "Softmin"),
    (lambda m: m.Softmin(dim=-1), "Softmin-last"),
    (lambda m: m.GLU(), "GLU"),
    (lambda m: m.GLU(dim=0), "GLU-0"),
]


@pytest.mark.parametrize("make", [p[0] for p in PAIRS], ids=[p[1] for p in PAIRS])
def test_activation_matches_torch(make) -> None:
    ours, theirs = make(nn), make(torch.nn)
    assert_same_structure(ours, theirs)
    assert list(ours.parameters()) == []
    out, _ = run_both(ours, theirs, x32(2, 3, 4) * 3)  # values in about [-9, 9]
    assert out.dtype == sg.float32


@pytest.mark.parametrize("make", [p[0] for p in PAIRS], ids=[p[1] for p in PAIRS])
def test_activation_keeps_float64_and_leaves_its_input(make) -> None:
    x = sg.randn(2, 4, dtype=sg.float64)
    before = x.numpy().copy()
    assert make(nn)(x).dtype == sg.float64
    np.testing.assert_array_equal(x.numpy(), before)


INPLACE = [
    ("Hardtanh", (-0.5, 4.0)),
    ("ReLU6", ()),
    ("Hardsigmoid", ()),
    ("Hardswish", ()),
    ("Threshold", (-1.0, 0.5)),
    ("Mish", ()),
    ("SELU", ()),
    ("CELU", (2.0,)),
]


@pytest.mark.parametrize(("name", "args"), INPLACE, ids=[p[0] for p in INPLACE])
def test_inplace_is_accepted_and_shown_as_torch_but_the_result_is_new(name: str, args) -> None:
    ours = getattr(nn, name)(*args, inplace=True)
    theirs = getattr(torch.nn, name)(*args, inplace=True)
    assert repr(ours) == repr(theirs)  # Hardsigmoid and Hardswish never show it
    x = sg.from_numpy(x32(3, 4) * 3)
    before = x.numpy().copy()
    out = ours(x)
    assert out is not x
    np.testing.assert_array_equal(x.numpy(), before)
    np.testing.assert_allclose(out.numpy(), theirs(torch.from_numpy(before)).numpy(), 1e-5, 1e-6)


def test_softmin_default_dim_repr() -> None:
    assert repr(nn.Softmin()) == repr(torch.nn.Softmin())


@pytest.mark.parametrize(
    ("args", "shape"),
    [((), (2, 3, 4)), ((3,), (2, 3, 4)), ((3, 0.1), (2, 3, 5, 4)), ((4,), (5, 4)), ((), (7,))],
)
def test_prelu_matches_torch_with_copied_weights(args: tuple, shape: tuple) -> None:
    ours, theirs = nn.PReLU(*args), torch.nn.PReLU(*args)
    assert_same_structure(ours, theirs)
    np.testing.assert_array_equal(ours.weight.detach().numpy(), theirs.weight.detach().numpy())
    with torch.no_grad():  # a different slope per channel, then copied into ours
        theirs.weight.uniform_(-0.5, 1.5, generator=torch.Generator().manual_seed(0))
    copy_from_torch(ours, theirs)
    run_both(ours, theirs, x32(*shape) * 3)
    assert_param_grads_equal(ours, theirs)


def test_prelu_dtype_and_init() -> None:
    layer = nn.PReLU(2, init=1, dtype=sg.float64)
    assert layer.weight.dtype == sg.float64
    assert layer.weight.tolist() == [1.0, 1.0]
    assert nn.PReLU().weight.dtype == sg.float32


def test_prelu_rejects_a_channel_mismatch() -> None:
    with pytest.raises(ValueError, match="parameter numbers = 3 and channel size = 4"):
        nn.PReLU(3)(sg.zeros(2, 4))


def test_hardtanh_rejects_max_below_min() -> None:
    with pytest.raises(ValueError, match="less than min_val"):
        nn.Hardtanh(1.0, -1.0)
    with pytest.raises(AssertionError):  # torch asserts
        torch.nn.Hardtanh(1.0, -1.0)
