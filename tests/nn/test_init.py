"""nn.init: gains and fans equal torch's; samples follow torch's distributions.

Each initialiser fills a large tensor in both libraries; the samples are compared with the
distribution's exact mean, std and bounds and with torch's own samples, quantile by
quantile (the tolerances are several standard errors wide).
"""

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
import scratchgrad.nn as snn
from scratchgrad.nn import init

SHAPES = [(3, 4), (7, 2), (5, 3, 2), (8, 4, 3, 3), (2, 6, 1, 5, 2), (1, 1), (16, 1, 1), (4, 0)]
QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]


# ------------------------------------------------------------------ gains and fans
@pytest.mark.parametrize(
    ("nonlinearity", "param"),
    [
        ("linear", None),
        ("conv1d", None),
        ("conv2d", None),
        ("conv3d", None),
        ("conv_transpose1d", None),
        ("conv_transpose2d", None),
        ("conv_transpose3d", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("relu", 3.0),
        ("selu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0),
        ("leaky_relu", 0.2),
        ("leaky_relu", 3),
        ("leaky_relu", math.sqrt(5)),
    ],
)
def test_calculate_gain_equals_torch(nonlinearity: str, param: float | None) -> None:
    expected = torch.nn.init.calculate_gain(nonlinearity, param)  # type: ignore[arg-type]
    assert init.calculate_gain(nonlinearity, param) == expected


@pytest.mark.parametrize(("nonlinearity", "param"), [("softmax", None), ("identity", None)])
def test_calculate_gain_rejects_unknown_names_like_torch(nonlinearity: str, param: Any) -> None:
    with pytest.raises(ValueError) as theirs:
        torch.nn.init.calculate_gain(nonlinearity, param)  # type: ignore[arg-type]
    with pytest.raises(ValueError) as ours:
        init.calculate_gain(nonlinearity, param)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("param", [True, "0.1", [0.1]])
def test_calculate_gain_rejects_bad_slopes_like_torch(param: Any) -> None:
    with pytest.raises(ValueError) as theirs:
        torch.nn.init.calculate_gain("leaky_relu", param)
    with pytest.raises(ValueError) as ours:
        init.calculate_gain("leaky_relu", param)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("shape", SHAPES)
def test_fans_equal_torch(shape: tuple[int, ...]) -> None:
    expected = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    assert init.calculate_fan_in_and_fan_out(sg.empty(*shape)) == expected


@pytest.mark.parametrize("shape", [(), (5,)])
def test_fans_need_two_dims_like_torch(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError) as theirs:
        torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    with pytest.raises(ValueError) as ours:
        init.calculate_fan_in_and_fan_out(sg.empty(*shape))
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError):
        init.xavier_uniform_(sg.empty(*shape))


def test_kaiming_rejects_unknown_modes_like_torch() -> None:
    with pytest.raises(ValueError) as theirs:
        torch.nn.init.kaiming_uniform_(torch.empty(3, 3), mode="fan_avg")  # type: ignore[arg-type]
    with pytest.raises(ValueError) as ours:
        init.kaiming_uniform_(sg.empty(3, 3), mode="fan_avg")  # type: ignore[arg-type]
    assert str(ours.value) == str(theirs.value)


# ------------------------------------------------------------------ distributions
def _norm_pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _norm_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _truncated(mean: float, std: float, a: float, b: float) -> tuple[float, float]:
    """Mean and std of N(mean, std^2) truncated to [a, b]."""
    al, be = (a - mean) / std, (b - mean) / std
    z = _norm_cdf(be) - _norm_cdf(al)
    d = (_norm_pdf(al) - _norm_pdf(be)) / z
    var = 1 + (al * _norm_pdf(al) - be * _norm_pdf(be)) / z - d * d
    return mean + std * d, std * math.sqrt(var)


def _uniform(lo: float, hi: float) -> tuple[float, float, float, float]:
    return (lo + hi) / 2, (hi - lo) / math.sqrt(12), lo, hi


def _xavier_std(fan_in: int, fan_out: int, gain: float = 1.0) -> float:
    return gain * math.sqrt(2.0 / (fan_in + fan_out))


def _kaiming_std(fan: int, gain: float) -> float:
    return gain / math.sqrt(fan)


_TANH = 5.0 / 3
_LINEAR_A = math.sqrt(2.0 / 6.0)  # leaky_relu gain with a = sqrt(5), torch.nn.Linear's choice
_XU = math.sqrt(3) * _xavier_std(600, 900, _TANH)
_KU = math.sqrt(3) * _kaiming_std(576, math.sqrt(2))
_KL = math.sqrt(3) * _kaiming_std(64 * 9, _LINEAR_A)

# name, shape, kwargs, (mean, std, lower bound, upper bound)
CASES: list[tuple[str, tuple[int, ...], dict[str, Any], tuple[float, float, float, float]]] = [
    ("uniform_", (400, 500), {"a": -2.0, "b": 3.0}, _uniform(-2.0, 3.0)),
    ("uniform_", (400, 500), {}, _uniform(0.0, 1.0)),
    ("normal_", (400, 500), {"mean": 1.0, "std": 2.0}, (1.0, 2.0, -math.inf, math.inf)),
    ("xavier_uniform_", (300, 200, 3), {"gain": _TANH}, _uniform(-_XU, _XU)),
    ("xavier_normal_", (300, 200, 3), {}, (0.0, _xavier_std(600, 900), -math.inf, math.inf)),
    ("kaiming_uniform_", (256, 64, 3, 3), {}, _uniform(-_KU, _KU)),
    (
        "kaiming_uniform_",
        (128, 64, 3, 3),
        {"a": math.sqrt(5), "mode": "fan_in"},
        _uniform(-_KL, _KL),
    ),
    (
        "kaiming_normal_",
        (256, 64, 3, 3),
        {"mode": "fan_out", "nonlinearity": "relu"},
        (0.0, _kaiming_std(256 * 9, math.sqrt(2)), -math.inf, math.inf),
    ),
    (
        "kaiming_normal_",
        (500, 400),
        {"a": 0.2, "mode": "FAN_IN"},
        (0.0, _kaiming_std(400, math.sqrt(2 / 1.04)), -math.inf, math.inf),
    ),
    ("trunc_normal_", (400, 500), {}, (*_truncated(0, 1, -2, 2), -2.0, 2.0)),
    (
        "trunc_normal_",
        (400, 500),
        {"mean": 0.5, "std": 0.02},
        (*_truncated(0.5, 0.02, -2, 2), -2.0, 2.0),
    ),
    (
        "trunc_normal_",  # [a, b] holds ~6% of the mass: torch's uniform-proposal branch
        (400, 500),
        {"mean": 0.0, "std": 1.0, "a": 1.5, "b": 3.0},
        (*_truncated(0, 1, 1.5, 3), 1.5, 3.0),
    ),
    (
        "trunc_normal_",
        (400, 500),
        {"mean": 1.0, "std": 2.0, "a": -1.0, "b": 0.5},
        (*_truncated(1, 2, -1, 0.5), -1.0, 0.5),
    ),
]


@pytest.mark.parametrize(("name", "shape", "kwargs", "expected"), CASES)
def test_samples_follow_torchs_distribution(
    name: str,
    shape: tuple[int, ...],
    kwargs: dict[str, Any],
    expected: tuple[float, float, float, float],
) -> None:
    mean, std, lo, hi = expected
    sg.manual_seed(0)
    ours = getattr(init, name)(sg.empty(*shape), **kwargs).numpy().astype(np.float64).ravel()
    torch.manual_seed(0)
    slow = name == "trunc_normal_" and kwargs.get("a") == 1.5  # torch takes seconds for this
    torch_shape = (shape[0] // 4, *shape[1:]) if slow else shape
    theirs = getattr(torch.nn.init, name)(torch.empty(torch_shape), **kwargs)
    theirs = theirs.double().numpy().ravel()
    for values in (ours, theirs):
        assert abs(values.mean() - mean) < 5 * std / math.sqrt(values.size)
        assert abs(values.std() - std) < 0.015 * std
    assert ours.min() >= np.float32(lo) and ours.max() <= np.float32(hi)
    if std > (hi - lo) / 10:  # bounds with probability mass near them: the samples reach them
        assert ours.min() - lo < 0.01 * (hi - lo) and hi - ours.max() < 0.01 * (hi - lo)
    gap = np.abs(np.quantile(ours, QUANTILES) - np.quantile(theirs, QUANTILES))
    tolerance = 0.05 * std * math.sqrt((1 / ours.size + 1 / theirs.size) * 1e5)  # ~4 s.e.
    assert gap.max() < tolerance, dict(zip(QUANTILES, gap, strict=True))


def test_trunc_normal_warns_like_torch_when_the_mean_is_far_outside() -> None:
    with pytest.warns(UserWarning, match="more than 2 std"):
        torch.nn.init.trunc_normal_(torch.empty(100), mean=5.0, a=-1.0, b=1.0)
    with pytest.warns(UserWarning, match="more than 2 std"):
        values = init.trunc_normal_(sg.empty(100), mean=5.0, a=-1.0, b=1.0).numpy()
    assert values.min() >= -1.0 and values.max() <= 1.0
    assert values.mean() > 0.5  # piled up near b, the bound closest to the mean


def test_constant_fills_match_torch() -> None:
    for fill, expected in ((init.zeros_, 0.0), (init.ones_, 1.0)):
        assert (fill(sg.empty(3, 2)).numpy() == expected).all()
    assert (
        init.constant_(sg.empty(4), 0.25).tolist()
        == torch.nn.init.constant_(torch.empty(4), 0.25).tolist()
    )
    assert init.eye_(sg.empty(2, 3)).tolist() == torch.nn.init.eye_(torch.empty(2, 3)).tolist()
    with pytest.raises(ValueError, match="2 dimensions"):
        init.eye_(sg.empty(2, 2, 2))


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (8, 2, 3)])
def test_orthogonal_gives_orthonormal_rows_or_columns(shape: tuple[int, ...]) -> None:
    w = init.orthogonal_(sg.empty(*shape), gain=2.0).numpy().reshape(shape[0], -1) / 2
    small = w @ w.T if w.shape[0] <= w.shape[1] else w.T @ w
    np.testing.assert_allclose(small, np.eye(min(w.shape)), atol=1e-5)


# ------------------------------------------------------------------ tensors, dtypes, grads
ALL: list[Callable[[Any], Any]] = [
    init.uniform_,
    init.normal_,
    init.trunc_normal_,
    init.xavier_uniform_,
    init.xavier_normal_,
    init.kaiming_uniform_,
    init.kaiming_normal_,
    init.orthogonal_,
    init.zeros_,
    init.ones_,
    lambda t: init.constant_(t, 0.5),
]


@pytest.mark.parametrize("fill", ALL)
def test_init_works_on_parameters_that_require_grad(fill: Callable[[Any], Any]) -> None:
    p = snn.Parameter(sg.full((20, 30), 7.0))
    p.grad = sg.ones(20, 30)
    data = p.array
    assert fill(p) is p
    assert p.array is data  # in place
    assert p.requires_grad and p.is_leaf and p.grad_fn is None
    assert not (p.detach().numpy() == 7.0).all()
    assert p.grad.tolist() == sg.ones(20, 30).tolist()
    (p * 2).sum().backward()  # still an ordinary leaf afterwards
    assert p.grad.tolist()[0][0] == 3.0


@pytest.mark.parametrize("fill", ALL)
@pytest.mark.parametrize("dtype", [sg.float16, sg.float32, sg.float64])
def test_init_keeps_the_dtype(fill: Callable[[Any], Any], dtype: Any) -> None:
    t = sg.zeros(16, 8, dtype=dtype)
    assert fill(t).dtype == dtype


def test_generators_make_draws_reproducible() -> None:
    for name in ("uniform_", "normal_", "trunc_normal_", "kaiming_uniform_", "xavier_normal_"):
        fill = getattr(init, name)
        a = fill(sg.empty(5, 4), generator=sg.Generator(3)).tolist()
        b = fill(sg.empty(5, 4), generator=sg.Generator(3)).tolist()
        c = fill(sg.empty(5, 4), generator=sg.Generator(4)).tolist()
        assert a == b != c, name
    sg.manual_seed(11)
    first = init.normal_(sg.empty(3)).tolist()
    sg.manual_seed(11)
    assert init.normal_(sg.empty(3)).tolist() == first


def test_kaiming_on_an_empty_tensor_warns_and_does_nothing_like_torch() -> None:
    for fill in (init.kaiming_uniform_, init.kaiming_normal_):
        with pytest.warns(UserWarning, match="zero-element"):
            torch.nn.init.kaiming_uniform_(torch.empty(0, 3))
        with pytest.warns(UserWarning, match="zero-element"):
            assert fill(sg.empty(0, 3)).shape == (0, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        init.orthogonal_(sg.empty(0, 3))
