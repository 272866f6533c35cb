"""The margin and embedding loss modules against torch.nn: outputs, gradients, reprs."""

import inspect
import warnings
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg

N, D = 5, 4
SIGNS = np.array([1.0, -1.0, -1.0, 1.0, -1.0])


def _pair(rng):
    return [rng.standard_normal((N, D)), rng.standard_normal((N, D)), SIGNS]


def _ranking(rng):
    return [rng.standard_normal(N), rng.standard_normal(N), SIGNS]


def _distances(rng):
    return [rng.uniform(0, 2, (N, D)), np.where(rng.random((N, D)) < 0.5, 1.0, -1.0)]


def _scores(rng):
    return [rng.standard_normal((N, D)), np.where(rng.random((N, D)) < 0.5, 1.0, -1.0)]


def _labels(rng):
    return [rng.standard_normal((N, D)), rng.integers(0, 2, (N, D)).astype(float)]


def _triplet(rng):
    return [rng.standard_normal((N, D)) for _ in range(3)]


CASES: list[tuple[str, dict[str, Any], Any, int]] = [  # name, kwargs, make, inputs with grad
    ("MarginRankingLoss", {}, _ranking, 2),
    ("MarginRankingLoss", {"margin": 0.5, "reduction": "none"}, _ranking, 2),
    ("HingeEmbeddingLoss", {}, _distances, 1),
    ("HingeEmbeddingLoss", {"margin": 0.5, "reduction": "sum"}, _distances, 1),
    ("CosineEmbeddingLoss", {}, _pair, 2),
    ("CosineEmbeddingLoss", {"margin": 0.3, "reduction": "none"}, _pair, 2),
    ("SoftMarginLoss", {}, _scores, 1),
    ("SoftMarginLoss", {"reduction": "sum"}, _scores, 1),
    ("MultiLabelSoftMarginLoss", {}, _labels, 2),
    ("MultiLabelSoftMarginLoss", {"weight": np.array([0.5, 2, 1, 0.25])}, _labels, 2),
    ("TripletMarginLoss", {}, _triplet, 3),
    (
        "TripletMarginLoss",
        {"margin": 2.0, "p": 1.0, "swap": True, "reduction": "none"},
        _triplet,
        3,
    ),
]
IDS = [f"{c[0]}-{'-'.join(c[1]) or 'default'}" for c in CASES]


def build(lib: Any, name: str, kwargs: dict[str, Any], dtype: str) -> Any:
    """The loss module ``name`` of ``lib``, array settings made tensors of ``dtype``."""
    args = {
        k: lib.tensor(v.astype(dtype)) if isinstance(v, np.ndarray) else v
        for k, v in kwargs.items()
    }
    return getattr(lib.nn, name)(**args)


def run(lib: Any, module: Any, arrays: list[np.ndarray], n_grad: int, dtype: str):
    """The module on the arrays (the first ``n_grad`` requiring grad), backward of its sum."""
    xs = [lib.tensor(a.astype(dtype), requires_grad=i < n_grad) for i, a in enumerate(arrays)]
    out = module(*xs)
    out.sum().backward()
    return out, xs[:n_grad]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("name", "kwargs", "make", "n_grad"), CASES, ids=IDS)
def test_module_matches_torch(name, kwargs, make, n_grad, dtype) -> None:
    arrays = make(np.random.default_rng(len(name) + len(kwargs)))
    ours, xs = run(sg, build(sg, name, kwargs, dtype), arrays, n_grad, dtype)
    theirs, ts = run(torch, build(torch, name, kwargs, dtype), arrays, n_grad, dtype)
    rtol, atol = (1e-5, 1e-6) if dtype == "float32" else (1e-10, 1e-12)
    assert ours.shape == tuple(theirs.shape) and str(ours.dtype) == dtype
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol, atol)
    for x, t in zip(xs, ts, strict=True):
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol, atol)


@pytest.mark.parametrize(("name", "kwargs", "make", "n_grad"), CASES, ids=IDS)
def test_repr_and_settings_match_torch(name, kwargs, make, n_grad) -> None:
    ours, theirs = build(sg, name, kwargs, "float32"), build(torch, name, kwargs, "float32")
    assert repr(ours) == repr(theirs)
    for key in ("margin", "p", "eps", "swap", "reduction"):
        assert getattr(ours, key, None) == getattr(theirs, key, None), key
    assert list(ours.state_dict()) == list(theirs.state_dict())


@pytest.mark.parametrize("name", sorted({c[0] for c in CASES} - {"TripletMarginLoss"}))
def test_settings_are_the_functions_parameters_in_order(name: str) -> None:
    cls = getattr(sg.nn, name)
    params = list(inspect.signature(cls._function).parameters)
    n_inputs = 3 if "input1" in params else 2
    assert list(cls._settings) == params[n_inputs : n_inputs + len(cls._settings)]


def test_legacy_reduce_and_triplet_margin_check() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert sg.nn.SoftMarginLoss(reduce=False).reduction == "none"
        assert sg.nn.TripletMarginLoss(size_average=False).reduction == "sum"
    with pytest.raises(ValueError, match="margin must be greater than 0"):
        sg.nn.TripletMarginLoss(margin=0.0)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_multilabel_margin_loss_module_matches_torch(reduction: str) -> None:
    x = np.random.default_rng(0).standard_normal((3, 4))
    t = np.array([[3, 0, -1, 1], [0, 1, 2, 3], [1, -1, 0, 0]])
    ours, theirs = (
        sg.nn.MultiLabelMarginLoss(reduction=reduction),
        torch.nn.MultiLabelMarginLoss(reduction=reduction),
    )
    assert repr(ours) == repr(theirs)
    xs, ts = sg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_s, out_t = ours(xs, sg.tensor(t)), theirs(ts, torch.tensor(t))
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), rtol=1e-12)
    out_s.sum().backward()
    out_t.sum().backward()
    np.testing.assert_allclose(xs.grad.numpy(), ts.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("swap", [False, True])
def test_triplet_margin_with_distance_loss_module_matches_torch(swap: bool) -> None:
    a, p, n = _triplet(np.random.default_rng(4))
    theirs = torch.nn.TripletMarginWithDistanceLoss(margin=0.5, swap=swap)
    ours = sg.nn.TripletMarginWithDistanceLoss(margin=0.5, swap=swap)
    assert repr(ours) == repr(theirs)
    out_s = ours(*(sg.tensor(v) for v in (a, p, n)))
    out_t = theirs(*(torch.tensor(v) for v in (a, p, n)))
    assert out_s.item() == pytest.approx(out_t.item(), rel=1e-12)
    cosine = sg.nn.TripletMarginWithDistanceLoss(
        distance_function=lambda x, y: 1 - sg.nn.functional.cosine_similarity(x, y)
    )
    tcosine = torch.nn.TripletMarginWithDistanceLoss(
        distance_function=lambda x, y: 1 - torch.nn.functional.cosine_similarity(x, y)
    )
    got = cosine(*(sg.tensor(v) for v in (a, p, n))).item()
    assert got == pytest.approx(tcosine(*(torch.tensor(v) for v in (a, p, n))).item(), rel=1e-12)
    with pytest.raises(ValueError, match="margin must be greater than 0"):
        sg.nn.TripletMarginWithDistanceLoss(margin=0.0)
