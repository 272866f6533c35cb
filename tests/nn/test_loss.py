"""Loss modules against torch.nn: outputs, input gradients, repr, buffers and state_dict."""

import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg

Make = Callable[[np.random.Generator], list[np.ndarray]]
W = np.array([0.5, 2.0, 1.0, 0.25])
PW = np.array([3.0, 0.5, 1.0, 2.0])


def _regression(rng: np.random.Generator) -> list[np.ndarray]:
    return [rng.uniform(-3, 3, (5, 4)), rng.uniform(-3, 3, (5, 4))]


def _probabilities(rng: np.random.Generator) -> list[np.ndarray]:
    return [rng.uniform(0.05, 0.95, (5, 4)), rng.uniform(0, 1, (5, 4))]


def _multi_label(rng: np.random.Generator) -> list[np.ndarray]:
    return [rng.uniform(-4, 4, (5, 4)), rng.integers(0, 2, (5, 4)).astype(float)]


def _classes(rng: np.random.Generator) -> list[np.ndarray]:
    return [rng.uniform(-3, 3, (5, 4)), rng.integers(0, 4, 5)]


def _classes_4d(rng: np.random.Generator) -> list[np.ndarray]:
    return [rng.uniform(-3, 3, (2, 4, 3, 3)), rng.integers(0, 4, (2, 3, 3))]


def _soft_classes(rng: np.random.Generator) -> list[np.ndarray]:
    p = rng.uniform(0.1, 1, (5, 4))
    return [rng.uniform(-3, 3, (5, 4)), p / p.sum(1, keepdims=True)]


def _log_probabilities(rng: np.random.Generator) -> list[np.ndarray]:
    return [np.log(rng.uniform(0.05, 1, (5, 4))), np.log(rng.uniform(0.05, 1, (5, 4)))]


CASES: list[tuple[str, dict[str, Any], Make]] = [
    ("MSELoss", {}, _regression),
    ("MSELoss", {"reduction": "sum"}, _regression),
    ("L1Loss", {"reduction": "none"}, _regression),
    ("L1Loss", {}, _regression),
    ("HuberLoss", {"delta": 0.5}, _regression),
    ("HuberLoss", {"reduction": "none"}, _regression),
    ("SmoothL1Loss", {"beta": 0.3}, _regression),
    ("SmoothL1Loss", {"beta": 0.0, "reduction": "sum"}, _regression),
    ("BCELoss", {}, _probabilities),
    ("BCELoss", {"weight": W, "reduction": "none"}, _probabilities),
    ("BCEWithLogitsLoss", {}, _multi_label),
    ("BCEWithLogitsLoss", {"weight": W, "pos_weight": PW}, _multi_label),
    ("BCEWithLogitsLoss", {"pos_weight": PW, "reduction": "sum"}, _probabilities),
    ("CrossEntropyLoss", {}, _classes),
    ("CrossEntropyLoss", {"weight": W, "ignore_index": 1, "label_smoothing": 0.1}, _classes),
    ("CrossEntropyLoss", {"reduction": "none"}, _classes_4d),
    ("CrossEntropyLoss", {"label_smoothing": 0.2, "reduction": "sum"}, _soft_classes),
    ("NLLLoss", {}, _classes),
    ("NLLLoss", {"weight": W, "ignore_index": 0, "reduction": "none"}, _classes_4d),
    ("MultiMarginLoss", {}, _classes),
    ("MultiMarginLoss", {"p": 2, "margin": 0.5, "weight": W, "reduction": "sum"}, _classes),
    ("KLDivLoss", {"reduction": "batchmean"}, _log_probabilities),
    ("KLDivLoss", {"reduction": "sum", "log_target": True}, _log_probabilities),
    ("KLDivLoss", {}, _log_probabilities),
]


def _build(lib: Any, name: str, kwargs: dict[str, Any], dtype: str) -> Any:
    args = {
        k: lib.from_numpy(v.astype(dtype)) if isinstance(v, np.ndarray) else v
        for k, v in kwargs.items()
    }
    return getattr(lib.nn, name)(**args)


def _run(lib: Any, module: Any, arrays: list[np.ndarray], dtype: str) -> tuple[Any, list[Any]]:
    inputs = [
        lib.from_numpy(a.astype(dtype)).requires_grad_(True)
        if a.dtype.kind == "f"
        else lib.from_numpy(a)
        for a in arrays
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # KLDivLoss's reduction="mean" warns in both
        out = module(*inputs)
    out.sum().backward()
    return out, inputs


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    ("name", "kwargs", "make"), CASES, ids=[f"{c[0]}-{'-'.join(c[1]) or 'default'}" for c in CASES]
)
def test_module_matches_torch(name: str, kwargs: dict[str, Any], make: Make, dtype: str) -> None:
    arrays = make(np.random.default_rng(len(name) + len(kwargs)))
    ours, xs = _run(sg, _build(sg, name, kwargs, dtype), arrays, dtype)
    theirs, ts = _run(torch, _build(torch, name, kwargs, dtype), arrays, dtype)
    rtol, atol = (1e-5, 1e-6) if dtype == "float32" else (1e-10, 1e-12)
    assert ours.shape == tuple(theirs.shape)
    assert str(ours.dtype) == dtype
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol, atol)
    for i, (x, t) in enumerate(zip(xs, ts, strict=True)):
        if t.grad is None:
            assert x.grad is None, f"input {i}: a gradient torch does not have"
            continue
        assert x.grad is not None, f"input {i}: no gradient, torch has one"
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol, atol, err_msg=f"grad {i}")


@pytest.mark.parametrize(("name", "kwargs", "make"), CASES, ids=[c[0] for c in CASES])
def test_repr_matches_torch(name: str, kwargs: dict[str, Any], make: Make) -> None:
    assert repr(_build(sg, name, kwargs, "float32")) == repr(_build(torch, name, kwargs, "float32"))


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("CrossEntropyLoss", {"weight": W}),
        ("NLLLoss", {"weight": W}),
        ("BCELoss", {"weight": W}),
        ("MultiMarginLoss", {"weight": W}),
        ("BCEWithLogitsLoss", {"weight": W, "pos_weight": PW}),
        ("BCEWithLogitsLoss", {"pos_weight": PW}),
        ("CrossEntropyLoss", {}),
        ("BCEWithLogitsLoss", {}),
        ("MSELoss", {}),
    ],
)
def test_weights_are_buffers_in_the_state_dict(name: str, kwargs: dict[str, Any]) -> None:
    ours = _build(sg, name, kwargs, "float32")
    theirs = _build(torch, name, kwargs, "float32")
    mine, ref = ours.state_dict(), theirs.state_dict()
    assert list(mine) == list(ref)
    for key in ref:
        np.testing.assert_array_equal(mine[key].numpy(), ref[key].numpy())
    assert list(ours.parameters()) == []
    assert len(list(ours.buffers())) == len(list(theirs.buffers()))


def test_weight_buffer_is_the_given_tensor_and_loads() -> None:
    w = sg.tensor([1.0, 2.0, 3.0])
    loss = sg.nn.CrossEntropyLoss(weight=w)
    assert loss.weight is w
    loss.load_state_dict({"weight": np.array([3.0, 2.0, 1.0], dtype=np.float32)})
    np.testing.assert_array_equal(loss.weight.numpy(), [3.0, 2.0, 1.0])
    x, t = sg.zeros(2, 3), sg.tensor([0, 2])
    assert loss(x, t).item() == pytest.approx(np.log(3))  # equal logits: log C, any weights


@pytest.mark.parametrize(
    ("kwargs", "reduction"),
    [
        ({"size_average": False}, "sum"),
        ({"reduce": False}, "none"),
        ({"size_average": True, "reduce": True}, "mean"),
    ],
)
def test_legacy_size_average_and_reduce_become_reduction(
    kwargs: dict[str, Any], reduction: str
) -> None:
    with pytest.warns(UserWarning, match=f"reduction='{reduction}'"):
        ours = sg.nn.MSELoss(**kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.nn.MSELoss(**kwargs)
    assert ours.reduction == theirs.reduction == reduction


def test_settings_are_attributes_as_torch() -> None:
    ce = sg.nn.CrossEntropyLoss(ignore_index=3, reduction="sum", label_smoothing=0.1)
    assert (ce.ignore_index, ce.reduction, ce.label_smoothing, ce.weight) == (3, "sum", 0.1, None)
    mm = sg.nn.MultiMarginLoss(p=2, margin=0.5)
    assert (mm.p, mm.margin) == (2, 0.5)
    assert sg.nn.HuberLoss(delta=2.0).delta == 2.0
    assert sg.nn.SmoothL1Loss(beta=0.5).beta == 0.5
    assert sg.nn.KLDivLoss(log_target=True).log_target is True


def test_multi_margin_loss_rejects_bad_p_and_weight() -> None:
    with pytest.raises(ValueError, match="only p == 1 and p == 2"):
        sg.nn.MultiMarginLoss(p=3)
    with pytest.raises(ValueError, match="expected weight to be None or 1D tensor, got 2D"):
        sg.nn.MultiMarginLoss(weight=sg.ones(2, 2))


def test_module_errors_name_the_module_and_the_rule() -> None:
    with pytest.raises(sg.ShapeError, match=r"without the class dim") as err:
        sg.nn.CrossEntropyLoss()(sg.zeros(3, 4), sg.tensor([0, 1]))
    assert err.value.__notes__[-1].startswith("in CrossEntropyLoss, called with input shapes")
    with pytest.raises(ValueError, match="reduction must be .* got 'avg'"):
        sg.nn.MSELoss(reduction="avg")(sg.zeros(2), sg.zeros(2))


def test_losses_train_a_tiny_classifier() -> None:
    """The loss's gradient moves the logits toward the labels."""
    sg.manual_seed(0)
    model = sg.nn.Linear(3, 4)
    x, y = sg.randn(16, 3), sg.tensor(np.arange(16) % 4)
    loss_fn = sg.nn.CrossEntropyLoss()
    first = loss_fn(model(x), y)
    for _ in range(50):
        model.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        with sg.no_grad():
            for p in model.parameters():
                assert p.grad is not None
                p -= 0.5 * p.grad
    assert loss.item() < first.item()


@pytest.mark.parametrize("name", sorted({case[0] for case in CASES}))
def test_settings_are_the_functions_parameters_in_order(name: str) -> None:
    """forward passes the settings positionally: they must follow input and target."""
    cls = getattr(sg.nn, name)
    params = list(inspect.signature(cls._function).parameters)
    assert params[:2] == ["input", "target"]
    assert list(cls._settings) == params[2 : 2 + len(cls._settings)]


def test_a_setting_changed_after_construction_takes_effect() -> None:
    loss = sg.nn.MSELoss()
    x, t = sg.tensor([1.0, 3.0]), sg.tensor([0.0, 0.0])
    assert loss(x, t).item() == 5.0
    loss.reduction = "sum"
    assert loss(x, t).item() == 10.0
