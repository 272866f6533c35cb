"""Parity of torch's top-level aliases and linear-algebra shorthands (ops/extra.py)."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._parity import Case, make_tests


def _ints(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    return [rng.integers(0, 5, (7,)).astype("int64")]


def _nan_pair(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    a = rng.uniform(-2, 2, (3, 4)).astype(dtype)
    return [a, rng.uniform(0.5, 2, (3, 4)).astype(dtype)]


CASES = [
    # aliases
    Case("abs", lambda m, a: m.absolute(a)),
    Case("neg", lambda m, a: m.negative(a)),
    Case("trunc", lambda m, a: m.fix(a), low=-5, high=5),
    Case("gt", lambda m, a, b: m.greater(a, b), ((3, 4), (4,)), grad=False),
    Case("ge", lambda m, a, b: m.greater_equal(a, b), ((3, 4), (4,)), grad=False),
    Case("lt", lambda m, a, b: m.less(a, b), ((3, 4), (4,)), grad=False),
    Case("le", lambda m, a, b: m.less_equal(a, b), ((3, 4), (4,)), grad=False),
    Case("ne", lambda m, a, b: m.not_equal(a, b), ((3, 4), (4,)), grad=False),
    Case("mul", lambda m, a: m.positive(a) * 2, name="positive"),
    Case("clamp", lambda m, a: m.clamp_min(a, -0.5), name="clamp_min"),
    Case("clamp", lambda m, a: m.clamp_max(a, 0.5), name="clamp_max"),
    Case("clamp_tensor", lambda m, a, b: m.clamp_min(a, b), ((3, 4), (4,)), name="min_t"),
    Case("permute", lambda m, a: m.t(a), name="t"),
    Case("mul", lambda m, a: m.t(a) * 2, ((5,),), name="t1d"),
    Case("contiguous", lambda m, a: m.clone(a) * 1, name="clone"),
    Case("reshape", lambda m, a: m.ravel(a), ((2, 3, 4),), name="ravel"),
    Case("sub", lambda m, a, b: m.rsub(a, b), ((3, 4), (4,)), name="rsub"),
    Case("sub", lambda m, a: m.rsub(a, 2.0, alpha=3), name="rsub_alpha"),
    Case("permute", lambda m, a: m.adjoint(a), ((2, 3, 4),), name="adjoint"),
    Case("diag_embed", lambda m, a: m.diagflat(a, 1), ((2, 3),), name="diagflat"),
    # products
    Case("matmul", lambda m, a, b: m.mm(a, b), ((3, 4), (4, 5)), name="mm"),
    Case("matmul", lambda m, a, b: m.bmm(a, b), ((2, 3, 4), (2, 4, 5)), name="bmm"),
    Case("matmul", lambda m, a, b: m.mv(a, b), ((3, 4), (4,)), name="mv"),
    Case("matmul", lambda m, x, a, b: m.addmm(x, a, b), ((3, 5), (3, 4), (4, 5)), name="addmm"),
    Case(
        "matmul",
        lambda m, x, a, b: m.addmm(x, a, b, beta=0.5, alpha=2),
        ((5,), (3, 4), (4, 5)),
        name="addmm_ab",
    ),
    Case(
        "matmul",
        lambda m, x, a, b: m.addmm(x, a, b, beta=0),
        ((3, 5), (3, 4), (4, 5)),
        name="addmm_b0",
    ),
    Case(
        "matmul",
        lambda m, x, a, b: m.addmv(x, a, b, alpha=0.5),
        ((3,), (3, 4), (4,)),
        name="addmv",
    ),
    Case(
        "matmul",
        lambda m, x, a, b: m.baddbmm(x, a, b, beta=2),
        ((2, 3, 5), (2, 3, 4), (2, 4, 5)),
        name="baddbmm",
    ),
    Case(
        "matmul",
        lambda m, x, a, b: m.addbmm(x, a, b, alpha=1.5),
        ((3, 5), (2, 3, 4), (2, 4, 5)),
        name="addbmm",
    ),
    Case("mul", lambda m, x, a, b: m.addr(x, a, b, beta=3), ((3, 4), (3,), (4,)), name="addr"),
    Case("mul", lambda m, a, b: m.ger(a, b), ((3,), (4,)), name="ger"),
    Case(
        "mul",
        lambda m, x, a, b: m.addcmul(x, a, b, value=0.5),
        ((3, 4), (4,), (3, 1)),
        name="addcmul",
    ),
    Case(
        "div",
        lambda m, x, a, b: m.addcdiv(x, a, b, value=2),
        ((3, 4), (3, 4), (4,)),
        low=0.5,
        name="addcdiv",
    ),
    Case("matmul", lambda m, a, b: m.tensordot(a, b), ((2, 3, 4), (3, 4, 5)), name="tdot"),
    Case(
        "matmul",
        lambda m, a, b: m.tensordot(a, b, dims=([0, 2], [2, 0])),
        ((2, 3, 4), (4, 5, 2)),
        name="tdot_lists",
    ),
    Case("matmul", lambda m, a, b: m.inner(a, b), ((2, 3, 4), (5, 4)), name="inner"),
    Case("mul", lambda m, a, b: m.inner(a, b), ((), (3, 4)), name="inner0d"),
    Case("sum", lambda m, a, b: m.vdot(a, b), ((5,), (5,)), name="vdot"),
    # shapes
    Case("reshape", lambda m, a: m.atleast_1d(a), ((),), name="at1"),
    Case("reshape", lambda m, a, b: m.atleast_2d(a, b), ((), (3,)), name="at2"),
    Case("reshape", lambda m, a, b, c: m.atleast_3d([a, b, c]), ((), (3,), (2, 3)), name="at3"),
    Case("broadcast_to", lambda m, a, b: m.broadcast_tensors(a, b), ((3, 1), (4,)), name="bt"),
    Case("cat", lambda m, a, b, c: m.block_diag(a, b, c), ((2, 3), (4,), ()), name="block_diag"),
    Case("stack", lambda m, a, b: m.cartesian_prod(a, b), ((3,), (2,)), name="cartesian"),
    # torch-signature wrappers of nn.functional ops
    Case(
        "batch_norm",
        lambda m, x, w, b: m.batch_norm(x, w, b, None, None, True, 0.1, 1e-5, False),
        ((4, 3, 2), (3,), (3,)),
        name="top",
    ),
    Case(
        "embedding",
        lambda m, w: m.embedding(w, m.tensor([[0, 2], [1, 2]])),
        ((3, 4),),
        name="top",
    ),
    Case(
        "sum",  # kl_div with reduction 2 (sum)
        lambda m, a, b: m.kl_div(a, b, 2, log_target=True),
        ((3, 4), (3, 4)),
        name="top",
    ),
    Case(
        "binary_cross_entropy_with_logits",
        lambda m, a, b: m.binary_cross_entropy_with_logits(a, b, None, None, 0),
        make=_nan_pair,
        name="top",
    ),
    # re-exports
    Case("conv1d", lambda m, x, w: m.conv1d(x, w, padding=1), ((2, 3, 6), (4, 3, 3)), name="top"),
    Case("conv2d", lambda m, x, w: m.conv2d(x, w, stride=2), ((1, 2, 5, 5), (3, 2, 3, 3))),
    Case("softmax", lambda m, a: m.softmax(a, 1), name="top"),
    Case("log_softmax", lambda m, a: m.log_softmax(a, 0), name="top"),
    Case("celu", lambda m, a: m.celu(a, 0.5), name="top"),
    Case("selu", lambda m, a: m.selu(a), name="top"),
    Case("threshold", lambda m, a: m.threshold(a, 0.1, 2.0), name="top"),
    Case("prelu", lambda m, a, w: m.prelu(a, w), ((2, 3, 4), (3,)), name="top"),
    Case("reshape", lambda m, a: m.pixel_shuffle(a, 2), ((1, 8, 2, 3),), name="pixel_shuffle"),
    Case("max_pool2d", lambda m, a: m.max_pool2d(a, 2), ((1, 2, 4, 4),), name="top"),
    Case("layer_norm", lambda m, a: m.layer_norm(a, (4,)), ((3, 4),), name="top"),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_counts_and_equal_match_torch() -> None:
    x = np.array([[0.0, 1.5], [0.0, -2.0]])
    assert sg.argwhere(sg.tensor(x)).tolist() == torch.argwhere(torch.tensor(x)).tolist()
    assert sg.equal(sg.tensor(x), sg.tensor(x)) is torch.equal(torch.tensor(x), torch.tensor(x))
    assert not sg.equal(sg.tensor(x), sg.tensor(x[:1]))
    assert sg.numel(sg.tensor(x)) == torch.numel(torch.tensor(x)) == 4


def test_dropout_top_level_is_identity_in_eval() -> None:
    x = sg.randn(3, 4)
    assert np.array_equal(sg.dropout(x, 0.5, False).numpy(), x.numpy())


def test_errors() -> None:
    with pytest.raises(ValueError, match="mm"):
        sg.mm(sg.ones(3), sg.ones(3, 2))
    with pytest.raises(ValueError, match="t\\(\\)"):
        sg.t(sg.ones(2, 2, 2))
    with pytest.raises(TypeError, match="positive"):
        sg.positive(sg.tensor([True]))
    with pytest.raises(ValueError, match="tensordot"):
        sg.tensordot(sg.ones(2, 3), sg.ones(2, 3), 1)
