"""Parity of group_norm, instance_norm and local_response_norm with torch."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from tests.ops._parity import Case, make_tests


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


RM = np.array([0.3, -0.2, 0.5])
RV = np.array([0.8, 1.5, 0.4])


def _instance_eval(m, x, w, b):
    rm, rv = m.tensor(RM, dtype=x.dtype), m.tensor(RV, dtype=x.dtype)
    return F(m).instance_norm(x, rm, rv, w, b, use_input_stats=False, eps=1e-3)


def _instance_running(m, x):
    """The output and the updated running statistics, compared as outputs."""
    rm, rv = m.tensor(RM, dtype=x.dtype), m.tensor(RV, dtype=x.dtype)
    out = F(m).instance_norm(x, rm, rv, momentum=0.3)
    return out, rm, rv


GROUP = "group_norm"
INSTANCE = ("group_norm", "batch_norm")
LRN = ("pad", "avg_pool2d", "avg_pool3d", "pow", "div")

CASES = [
    Case(GROUP, lambda m, x, w, b: F(m).group_norm(x, 3, w, b), ((2, 6, 5), (6,), (6,))),
    Case(
        GROUP,
        lambda m, x, w, b: F(m).group_norm(x, 2, w, b, eps=1e-3),
        ((2, 4, 3, 3), (4,), (4,)),
        name="2d",
    ),
    Case(GROUP, lambda m, x: F(m).group_norm(x, 4), ((3, 4, 5),), name="per-channel-no-affine"),
    Case(GROUP, lambda m, x: F(m).group_norm(x, 1), ((3, 4),), name="one-group-NC"),
    Case(
        INSTANCE,
        lambda m, x, w, b: F(m).instance_norm(x, weight=w, bias=b),
        ((2, 3, 5), (3,), (3,)),
        name="1d",
    ),
    Case(INSTANCE, lambda m, x: F(m).instance_norm(x, eps=1e-3), ((2, 3, 4, 3),), name="2d"),
    Case(INSTANCE, _instance_eval, ((2, 3, 4, 3), (3,), (3,)), name="eval-running"),
    # the running statistics change with x but carry no gradient: no finite differences
    Case(INSTANCE, _instance_running, ((4, 3, 5),), gradcheck=False, name="running-update"),
    Case(LRN, lambda m, x: F(m).local_response_norm(x, 3, alpha=0.5), ((2, 5, 4),), name="3d"),
    Case(
        LRN,
        lambda m, x: F(m).local_response_norm(x, 2, alpha=0.3, beta=0.6, k=2.0),
        ((2, 4, 3, 3),),
        name="4d",
    ),
    Case(LRN, lambda m, x: F(m).local_response_norm(x, 4, 1.0), ((1, 5, 2, 2, 2),), name="5d"),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_instance_norm_running_stats_match_torch_over_steps() -> None:
    rng = np.random.default_rng(1)
    ours = [sg.zeros(3, dtype=sg.float64), sg.ones(3, dtype=sg.float64)]
    theirs = [torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)]
    for _ in range(3):
        x = rng.standard_normal((2, 3, 6)) * 3 + 1
        F(sg).instance_norm(sg.tensor(x), *ours, momentum=0.2)
        torch.nn.functional.instance_norm(torch.tensor(x), *theirs, momentum=0.2)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("affine", [True, False])
def test_fused_group_norm_equals_composed(dtype: str, affine: bool) -> None:
    rng = np.random.default_rng(2)
    x0 = rng.standard_normal((3, 6, 4, 5)).astype(dtype) * 2 + 1
    w0, b0 = rng.standard_normal(6).astype(dtype), rng.standard_normal(6).astype(dtype)
    g = sg.tensor(rng.standard_normal(x0.shape).astype(dtype))
    results = []
    for fused in (True, False):
        x, w, b = (sg.tensor(a, requires_grad=True) for a in (x0, w0, b0))
        wb = (w, b) if affine else (None, None)
        if fused:
            out = F(sg).group_norm(x, 3, *wb, eps=1e-4)
        else:
            h = F(sg).layer_norm(x.reshape(3, 3, -1), (40,), eps=1e-4).reshape(x0.shape)
            out = h * w.reshape(6, 1, 1) + b.reshape(6, 1, 1) if affine else h
        (out * g).sum().backward()
        grads = [t.grad.numpy() for t in (x, w, b) if t.grad is not None]
        results.append([out.detach().numpy(), *grads])
    tol = 1e-5 if dtype == "float32" else 1e-12
    for a, c in zip(*results, strict=True):
        np.testing.assert_allclose(a, c, rtol=tol, atol=tol)


def test_empty_local_response_norm_is_returned() -> None:
    x = sg.zeros(0, 3, 4)
    assert F(sg).local_response_norm(x, 2).shape == (0, 3, 4)


@pytest.mark.parametrize(
    ("name", "args", "kw", "error", "match"),
    [
        ("group_norm", (sg.zeros(2, 6, 3), 4), {}, ShapeError, "divisible by num_groups"),
        ("group_norm", (sg.zeros(6),), {"num_groups": 2}, ShapeError, "at least 2 dims"),
        ("group_norm", (sg.zeros(1, 2), 2), {}, ValueError, "more than 1 value per channel"),
        (
            "group_norm",
            (sg.zeros(2, 6, 3), 3),
            {"weight": sg.ones(3)},
            ShapeError,
            r"weight must have shape \(6,\)",
        ),
        ("instance_norm", (sg.zeros(2, 3),), {}, ValueError, "more than 1 spatial element"),
        (
            "instance_norm",
            (sg.zeros(2, 3, 4),),
            {"use_input_stats": False},
            ValueError,
            "running_mean and running_var to be defined",
        ),
        (
            "instance_norm",
            (sg.zeros(2, 3, 4), sg.zeros(2), sg.ones(2)),
            {},
            ShapeError,
            r"running_mean must have shape \(3,\)",
        ),
        ("local_response_norm", (sg.zeros(2, 3), 2), {}, ValueError, "3D or higher"),
    ],
)
def test_errors(name: str, args: tuple, kw: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match) as info:
        getattr(F(sg), name)(*args, **kw)
    assert str(info.value).startswith(f"{name}: ")
