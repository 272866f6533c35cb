"""Parity of layer_norm and batch_norm with torch; running statistics; fused vs composed."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.ops.neural.norm import batch_norm, layer_norm
from tests.ops._parity import Case, make_tests


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


def _const(m, values: np.ndarray, like):
    """A constant tensor of ``like``'s dtype, in library ``m``."""
    return m.tensor(values, dtype=like.dtype)


RM = np.array([0.3, -0.2, 0.5])
RV = np.array([0.8, 1.5, 0.4])


def _bn_eval(m, x, w, b):
    rm, rv = _const(m, RM, x), _const(m, RV, x)
    return F(m).batch_norm(x, rm, rv, w, b, training=False, eps=1e-3)


CASES = [
    Case("layer_norm", lambda m, x, w, b: F(m).layer_norm(x, (4,), w, b), ((3, 5, 4), (4,), (4,))),
    Case(
        "layer_norm",
        lambda m, x, w, b: F(m).layer_norm(x, (3, 4), w, b, eps=1e-3),
        ((2, 3, 4), (3, 4), (3, 4)),
        name="2d-eps",
    ),
    Case("layer_norm", lambda m, x: F(m).layer_norm(x, (6,)), ((4, 6),), name="no-affine"),
    # values in [50, 51]: mean / std ~ 170, so float32 results (ours and torch's alike)
    # carry ~1e-4 relative error; a one-pass E[x^2] - E[x]^2 variance would lose every digit
    Case(
        "layer_norm",
        lambda m, x, w: F(m).layer_norm(x, [5], w),
        ((2, 3, 5), (5,)),
        low=50,
        high=51,
        tol=(1e-3, 1e-3),
        name="weight-only-offset",
    ),
    Case(
        "layer_norm",
        lambda m, x, b: F(m).layer_norm(x, (5,), None, b),
        ((3, 5), (5,)),
        name="bias-only",
    ),
    Case(
        "batch_norm",
        lambda m, x, w, b: F(m).batch_norm(x, None, None, w, b, training=True),
        ((5, 3), (3,), (3,)),
        name="1d-NC",
    ),
    Case(
        "batch_norm",
        lambda m, x, w, b: F(m).batch_norm(x, None, None, w, b, training=True, eps=1e-3),
        ((4, 3, 5), (3,), (3,)),
        name="1d-NCL",
    ),
    Case(
        "batch_norm",
        lambda m, x, w, b: F(m).batch_norm(x, None, None, w, b, training=True),
        ((2, 3, 4, 5), (3,), (3,)),
        name="2d",
    ),
    Case(
        "batch_norm",
        lambda m, x: F(m).batch_norm(x, None, None, training=True),
        ((4, 3, 2, 2),),
        name="2d-no-affine",
    ),
    Case("batch_norm", _bn_eval, ((2, 3, 4, 5), (3,), (3,)), name="eval-2d"),
    Case("batch_norm", _bn_eval, ((5, 3), (3,), (3,)), name="eval-NC"),
]

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ running statistics
@pytest.mark.parametrize("shape", [(8, 3), (6, 3, 7), (4, 3, 5, 5)])
@pytest.mark.parametrize("momentum", [0.1, 0.5])
def test_batch_norm_updates_running_stats_like_torch(shape, momentum) -> None:
    rng = np.random.default_rng(0)
    ours_m, ours_v = sg.zeros(3), sg.ones(3)
    theirs_m, theirs_v = torch.zeros(3), torch.ones(3)
    for _ in range(4):
        x = rng.normal(2.0, 3.0, shape).astype(np.float32)
        batch_norm(sg.from_numpy(x), ours_m, ours_v, training=True, momentum=momentum)
        F(torch).batch_norm(
            torch.from_numpy(x), theirs_m, theirs_v, training=True, momentum=momentum
        )
    np.testing.assert_allclose(ours_m.numpy(), theirs_m.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours_v.numpy(), theirs_v.numpy(), rtol=1e-5, atol=1e-6)
    assert ours_m.dtype == sg.float32 and ours_v.dtype == sg.float32


def test_batch_norm_in_eval_leaves_running_stats_alone() -> None:
    m, v = sg.tensor([1.0, 2.0]), sg.tensor([3.0, 4.0])
    batch_norm(sg.randn(4, 2), m, v, training=False)
    assert m.tolist() == [1.0, 2.0] and v.tolist() == [3.0, 4.0]


def test_batch_norm_errors() -> None:
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        batch_norm(sg.randn(1, 3), None, None, training=True)
    with pytest.raises(ValueError, match="must be defined in eval"):
        batch_norm(sg.randn(4, 3), None, None, training=False)
    with pytest.raises(sg.ShapeError, match="one value per channel"):
        batch_norm(sg.randn(4, 3), None, None, sg.ones(4), training=True)
    with pytest.raises(sg.ShapeError, match="at least 2 dims"):
        batch_norm(sg.randn(4), None, None, training=True)


def test_layer_norm_errors() -> None:
    with pytest.raises(sg.ShapeError, match="trailing dims must equal normalized_shape"):
        layer_norm(sg.randn(3, 4), (5,))
    with pytest.raises(sg.ShapeError, match="trailing dims"):
        layer_norm(sg.randn(4), (3, 4))
    with pytest.raises(sg.ShapeError, match="weight shape must equal"):
        layer_norm(sg.randn(3, 4), 4, sg.ones(3))


def test_norms_keep_float32() -> None:
    x = sg.randn(4, 3, 2, requires_grad=True)
    w = sg.ones(3, requires_grad=True)
    for out in (
        layer_norm(x, 2),
        batch_norm(x, sg.zeros(3), sg.ones(3), w, training=True),
        batch_norm(x, sg.zeros(3), sg.ones(3), w, training=False),
    ):
        out.sum().backward()
        assert out.dtype == sg.float32 and x.grad.dtype == sg.float32
        assert w.grad is None or w.grad.dtype == sg.float32


def test_layer_norm_only_weight_grad_wanted() -> None:
    x = sg.randn(3, 4)
    w = sg.ones(4, requires_grad=True)
    layer_norm(x, 4, w).sum().backward()
    assert w.grad is not None and x.grad is None


# ------------------------------------------------------------------ fused vs composed
def _run(fn, arrays):
    ts = [sg.from_numpy(a.copy()).requires_grad_() for a in arrays]
    out = fn(*ts)
    g = np.random.default_rng(3).standard_normal(out.shape)
    out.backward(sg.from_numpy(g))
    return [out.detach().numpy()] + [t.grad.numpy() for t in ts]


def _check_same(fused, composed, arrays) -> None:
    for a, b in zip(_run(fused, arrays), _run(composed, arrays), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_fused_layer_norm_equals_its_composition() -> None:
    rng = np.random.default_rng(0)
    arrays = [rng.normal(1, 2, (3, 4, 5)), rng.normal(size=(4, 5)), rng.normal(size=(4, 5))]

    def composed(x, w, b):
        mean = x.mean(dim=(-2, -1), keepdim=True)
        var = x.var(dim=(-2, -1), correction=0, keepdim=True)
        return (x - mean) / sg.sqrt(var + 1e-5) * w + b

    _check_same(lambda x, w, b: layer_norm(x, (4, 5), w, b), composed, arrays)


@pytest.mark.parametrize("training", [True, False])
def test_fused_batch_norm_equals_its_composition(training: bool) -> None:
    rng = np.random.default_rng(1)
    arrays = [rng.normal(1, 2, (4, 3, 2, 5)), rng.normal(size=3), rng.normal(size=3)]
    rm, rv = rng.normal(size=3), rng.uniform(0.5, 2, 3)

    def fused(x, w, b):
        return batch_norm(x, sg.from_numpy(rm), sg.from_numpy(rv), w, b, training=training)

    def composed(x, w, b):
        if training:
            mean = x.mean(dim=(0, 2, 3), keepdim=True)
            var = x.var(dim=(0, 2, 3), correction=0, keepdim=True)
        else:
            mean, var = sg.from_numpy(rm).reshape(1, 3, 1, 1), sg.from_numpy(rv).reshape(1, 3, 1, 1)
        return (x - mean) / sg.sqrt(var + 1e-5) * w.reshape(1, 3, 1, 1) + b.reshape(1, 3, 1, 1)

    _check_same(fused, composed, arrays)


# ------------------------------------------------------------------ partial gradients
@pytest.mark.parametrize(
    "wanted", [(True, False, False), (False, True, False), (False, False, True)]
)
@pytest.mark.parametrize("op", ["layer_norm", "batch_norm"])
def test_only_the_wanted_gradients_are_computed(op: str, wanted: tuple[bool, ...]) -> None:
    rng = np.random.default_rng(4)
    arrays = [rng.normal(size=(4, 3, 5)), rng.normal(size=3), rng.normal(size=3)]
    if op == "layer_norm":
        arrays[1:] = [rng.normal(size=5), rng.normal(size=5)]

    def call(m, x, w, b):
        if op == "layer_norm":
            return F(m).layer_norm(x, (5,), w, b)
        return F(m).batch_norm(x, None, None, w, b, training=True)

    ours = [sg.from_numpy(a.copy()).requires_grad_(r) for a, r in zip(arrays, wanted, strict=True)]
    theirs = [
        torch.from_numpy(a.copy()).requires_grad_(r) for a, r in zip(arrays, wanted, strict=True)
    ]
    g = rng.normal(size=(4, 3, 5))
    call(sg, *ours).backward(sg.from_numpy(g))
    call(torch, *theirs).backward(torch.from_numpy(g))
    for o, t in zip(ours, theirs, strict=True):
        assert (o.grad is None) == (t.grad is None)
        if t.grad is not None:
            np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-12)
