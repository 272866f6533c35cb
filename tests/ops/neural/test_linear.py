"""Parity of the nn ops (linear, bilinear, softmax, log_softmax, dropout, embedding) with torch."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.ops.neural.dropout import dropout
from scratchgrad.ops.neural.linear import embedding, linear
from scratchgrad.ops.neural.softmax import log_softmax, softmax
from tests.ops._parity import Case, make_tests


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


def _with_neg_inf(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Logits where some (never all) entries of each row along every dim are -inf."""
    x = rng.uniform(-3, 3, (3, 4, 5))
    x[0, 1, 2] = x[1, 0, 0] = x[2, 3, 4] = x[1, 2, 1] = -np.inf
    return [x.astype(dtype)]


def _large(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Large logits: exp would overflow without the max shift."""
    return [(rng.uniform(-1, 1, (4, 6)) * 1000 + 500).astype(dtype)]


def _indices(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Indices with repeats and the padding row (0), and a (V, D) table."""
    idx = np.array([[0, 2, 2, 5], [1, 0, 5, 5], [3, 3, 3, 0]], dtype=np.int64)
    return [idx, rng.uniform(-1, 1, (6, 3)).astype(dtype)]


CASES = [
    Case("linear", lambda m, x, w, b: F(m).linear(x, w, b), ((5, 3), (4, 3), (4,))),
    Case("linear", lambda m, x, w: F(m).linear(x, w), ((5, 3), (4, 3)), name="no-bias"),
    Case(
        "linear",
        lambda m, x, w, b: F(m).linear(x, w, b),
        ((2, 5, 3), (4, 3), (4,)),
        name="3d-input",
    ),
    Case("linear", lambda m, x, w, b: F(m).linear(x, w, b), ((3,), (4, 3), (4,)), name="1d-input"),
    Case("softmax", lambda m, x: F(m).softmax(x, dim=0), ((3, 4, 5),), name="dim0"),
    Case("softmax", lambda m, x: F(m).softmax(x, dim=1), ((3, 4, 5),), name="dim1"),
    Case("softmax", lambda m, x: F(m).softmax(x, dim=-1), ((3, 4, 5),), name="dim-1"),
    Case("softmax", lambda m, x: F(m).softmax(x, dim=1), make=_with_neg_inf, name="neg-inf"),
    Case("softmax", lambda m, x: F(m).softmax(x, dim=-1), make=_large, name="large"),
    Case("log_softmax", lambda m, x: F(m).log_softmax(x, dim=0), ((3, 4, 5),), name="dim0"),
    Case("log_softmax", lambda m, x: F(m).log_softmax(x, dim=1), ((3, 4, 5),), name="dim1"),
    Case("log_softmax", lambda m, x: F(m).log_softmax(x, dim=-1), ((3, 4, 5),), name="dim-1"),
    # gradcheck off: central differences at -inf give inf - inf
    Case(
        "log_softmax",
        lambda m, x: F(m).log_softmax(x, dim=2),
        make=_with_neg_inf,
        gradcheck=False,
        name="neg-inf",
    ),
    Case("log_softmax", lambda m, x: F(m).log_softmax(x, dim=1), make=_large, name="large"),
    Case("dropout", lambda m, x: F(m).dropout(x, 0.0), ((3, 4),), name="p0"),
    Case("dropout", lambda m, x: F(m).dropout(x, 0.7, training=False), ((3, 4),), name="eval"),
    Case("embedding", lambda m, i, w: F(m).embedding(i, w), make=_indices),
    # gradcheck off: the padding row gets no gradient by design, though the output uses it
    Case(
        "embedding",
        lambda m, i, w: F(m).embedding(i, w, padding_idx=0),
        make=_indices,
        gradcheck=False,
        name="padding",
    ),
    Case(
        "embedding",
        lambda m, i, w: F(m).embedding(i, w, padding_idx=-1),
        make=_indices,
        gradcheck=False,
        name="padding-negative",
    ),
    Case(
        ("matmul", "mul", "sum"),
        lambda m, a, b, w, c: F(m).bilinear(a, b, w, c),
        ((2, 3, 4), (2, 3, 5), (6, 4, 5), (6,)),
        tol=(1e-5, 1e-5),  # float32 gradients sum 30 products of size ~5: cancellation
        name="bilinear",
    ),
    Case(
        ("matmul", "mul", "sum"),
        lambda m, a, b, w: F(m).bilinear(a, b, w),
        ((4,), (3,), (2, 4, 3)),
        name="bilinear-1d-no-bias",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_bilinear_rejects_mismatched_features() -> None:
    with pytest.raises(sg.ShapeError, match="bilinear: expected input1"):
        F(sg).bilinear(sg.ones(2, 3), sg.ones(2, 4), sg.ones(5, 3, 3))


# ------------------------------------------------------------------ dropout statistics
@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_dropout_zeroes_a_fraction_p_and_scales_the_rest(p: float) -> None:
    n = 200_000
    out = dropout(sg.ones(n), p, generator=sg.Generator(0)).numpy()
    dropped = float((out == 0).mean())
    assert abs(dropped - p) < 5 * np.sqrt(p * (1 - p) / n)  # 5 sigma
    np.testing.assert_allclose(out[out != 0], 1 / (1 - p), rtol=1e-6)
    assert out.dtype == np.float32


def test_dropout_gradient_uses_the_same_mask() -> None:
    x = sg.randn(50, 40, requires_grad=True)
    out = dropout(x, 0.4)
    g = sg.randn(50, 40)
    out.backward(g)
    scale = np.where(out.detach().numpy() != 0, 1 / 0.6, 0.0)  # randn is never exactly 0
    np.testing.assert_allclose(x.grad.numpy(), g.numpy() * scale, rtol=1e-6)


def test_dropout_edge_probabilities_and_generator() -> None:
    x = sg.randn(10, requires_grad=True)
    assert dropout(x, 0.0) is x
    assert dropout(x, 0.5, training=False) is x
    assert not dropout(x, 1.0).detach().numpy().any()
    a = dropout(x, 0.5, generator=sg.Generator(3))
    b = dropout(x, 0.5, generator=sg.Generator(3))
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    with pytest.raises(ValueError, match="between 0 and 1"):
        dropout(x, 1.5)


# ------------------------------------------------------------------ embedding, softmax extras
def test_embedding_errors() -> None:
    w = sg.randn(4, 2)
    with pytest.raises(IndexError, match="index out of range"):
        embedding(sg.tensor([4]), w)
    with pytest.raises(TypeError, match="int64 or int32"):
        embedding(sg.tensor([1.0]), w)


def test_embedding_repeated_indices_add_up_and_padding_gets_none() -> None:
    w = sg.ones(3, 2, requires_grad=True)
    embedding(sg.tensor([1, 1, 1, 0, 2]), w, padding_idx=2).sum().backward()
    assert w.grad.tolist() == [[1.0, 1.0], [3.0, 3.0], [0.0, 0.0]]


def test_softmax_of_a_row_of_neg_inf_is_nan_as_torch() -> None:
    x = np.full((2, 3), -np.inf)
    x[0] = [1.0, 2.0, 3.0]
    ours = softmax(sg.from_numpy(x), dim=1).numpy()
    theirs = torch.softmax(torch.from_numpy(x), dim=1).numpy()
    np.testing.assert_allclose(ours, theirs, equal_nan=True)


def test_softmax_dim_none_uses_torch_legacy_choice() -> None:
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    with pytest.warns(UserWarning):
        theirs = torch.nn.functional.softmax(torch.from_numpy(x), dim=None).numpy()
    np.testing.assert_allclose(softmax(sg.from_numpy(x)).numpy(), theirs, rtol=1e-12)


def test_linear_rejects_mismatched_features() -> None:
    with pytest.raises(sg.ShapeError, match="input features must match weight"):
        linear(sg.ones(2, 3), sg.ones(4, 5))


# ------------------------------------------------------------------ fused vs composed
def _run(fn, arrays, seed=5):
    ts = [sg.from_numpy(a.copy()).requires_grad_(a.dtype.kind == "f") for a in arrays]
    out = fn(*ts)
    g = np.random.default_rng(seed).standard_normal(out.shape)
    out.backward(sg.from_numpy(g))
    return [out.detach().numpy()] + [t.grad.numpy() for t in ts if t.requires_grad]


def _check_same(fused, composed, arrays) -> None:
    for a, b in zip(_run(fused, arrays), _run(composed, arrays), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


RNG = np.random.default_rng(7)
X = RNG.normal(size=(2, 5, 3))


def test_fused_linear_equals_its_composition() -> None:
    _check_same(
        linear, lambda x, w, b: x @ w.T + b, [X, RNG.normal(size=(4, 3)), RNG.normal(size=4)]
    )


def test_fused_softmax_equals_its_composition() -> None:
    def composed(x):
        e = sg.exp(x - x.max(dim=1, keepdim=True).values)
        return e / e.sum(dim=1, keepdim=True)

    _check_same(lambda x: softmax(x, dim=1), composed, [X])


def test_fused_log_softmax_equals_its_composition() -> None:
    _check_same(lambda x: log_softmax(x, dim=-1), lambda x: x - x.logsumexp(-1, keepdim=True), [X])


def test_fused_embedding_equals_its_composition() -> None:
    idx = np.array([[0, 3, 3], [1, 0, 2]])
    w = RNG.normal(size=(4, 3))
    _check_same(embedding, lambda i, w: sg.nn.functional.one_hot(i, 4).double() @ w, [idx, w])


def test_fused_dropout_equals_its_composition() -> None:
    """Same generator, same mask: x * mask / (1 - p) with the mask drawn as dropout does."""
    x = sg.from_numpy(X.copy())
    keep = sg.Generator(11).numpy.random(X.shape, dtype=np.float32) >= 0.3
    out = dropout(x, 0.3, generator=sg.Generator(11))
    composed = x * sg.from_numpy(keep).double() / (1 - 0.3)
    np.testing.assert_allclose(out.numpy(), composed.numpy(), rtol=1e-12)
