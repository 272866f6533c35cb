"""Parity of the margin and embedding losses with torch, every reduction."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from tests.ops._loss_cases import REDUCTIONS, X2, C, Error, F, N, X, _const, make_error_test
from tests.ops._parity import Case, make_tests

SIGNS_N = np.array([1.0, -1.0, -1.0, 1.0, -1.0])  # a +-1 label per sample
SIGNS_NC = np.where(np.arange(N * C).reshape(N, C) % 3 == 0, 1.0, -1.0)  # per element


def _with_labels(name: str, labels: np.ndarray, n_inputs: int, **kw):
    """fn(m, *inputs) calling loss ``name`` with the inputs, then constant +-1 labels."""

    def fn(m, *xs):
        return getattr(F(m), name)(*xs[:n_inputs], _const(m, labels, xs[0]), **kw)

    return fn


def _probs01(rng, dtype):
    """Logits and soft 0/1 multi-label targets."""
    return [rng.uniform(-3, 3, X2).astype(dtype), rng.uniform(0, 1, X2).astype(dtype)]


def _multilabel_weighted(reduction: str):
    def fn(m, x, t):
        w = _const(m, np.array([0.5, 2.0, 1.0, 0.25]), x)
        return F(m).multilabel_soft_margin_loss(x, t, weight=w, reduction=reduction)

    return fn


HINGE, COS, TRIPLET = ("clamp", "where"), ("mul", "sum", "sqrt", "where"), ("norm", "clamp")

CASES = [
    *(
        Case(
            ("sub", "clamp"),
            _with_labels("margin_ranking_loss", SIGNS_N, 2, margin=0.3, reduction=r),
            ((N,), (N,)),
            name=f"margin_ranking-{r}",
        )
        for r in REDUCTIONS
    ),
    Case(
        ("sub", "clamp"),
        lambda m, a, b, y: F(m).margin_ranking_loss(a, b, y),
        ((N,), (N,), (N,)),
        name="margin_ranking-float-target-grad",
    ),
    *(
        Case(
            HINGE,
            _with_labels("hinge_embedding_loss", SIGNS_NC, 1, margin=0.5, reduction=r),
            (X2,),
            low=0.0,
            name=f"hinge_embedding-{r}",
        )
        for r in REDUCTIONS
    ),
    *(
        Case(
            "logsigmoid",
            _with_labels("soft_margin_loss", SIGNS_NC, 1, reduction=r),
            (X2,),
            name=f"soft_margin-{r}",
        )
        for r in REDUCTIONS
    ),
    *(
        Case(
            "logsigmoid",
            lambda m, x, t, r=r: F(m).multilabel_soft_margin_loss(x, t, reduction=r),
            make=_probs01,
            name=f"multilabel_soft_margin-{r}",
        )
        for r in REDUCTIONS
    ),
    Case("logsigmoid", _multilabel_weighted("sum"), make=_probs01, name="multilabel-weight"),
    *(
        Case(
            COS,
            _with_labels("cosine_embedding_loss", SIGNS_N, 2, margin=0.2, reduction=r),
            (X2, X2),
            name=f"cosine_embedding-{r}",
        )
        for r in REDUCTIONS
    ),
    Case(
        COS,
        lambda m, a, b: F(m).cosine_embedding_loss(a, b, m.tensor(-1.0, dtype=a.dtype), -0.5),
        ((C,), (C,)),
        name="cosine_embedding-unbatched",
    ),
    *(
        Case(
            TRIPLET,
            lambda m, a, p, n, r=r: F(m).triplet_margin_loss(a, p, n, margin=2.0, reduction=r),
            (X2, X2, X2),
            name=f"triplet-{r}",
        )
        for r in REDUCTIONS
    ),
    Case(
        (*TRIPLET, "minimum"),
        lambda m, a, p, n: F(m).triplet_margin_loss(a, p, n, p=1.0, swap=True, margin=1.5),
        (X2, X2, X2),
        name="triplet-p1-swap",
    ),
    Case(
        TRIPLET,
        lambda m, a, p, n: F(m).triplet_margin_loss(a, p, n, margin=3.0, eps=0.1),
        ((C,), (C,), (C,)),
        name="triplet-unbatched",
    ),
]


def _scores_lists(rng, dtype):
    """Scores (N, C) and class lists ended by -1 (one row full, one empty, one repeating)."""
    t = np.array([[3, 0, -1, 1], [0, 1, 2, 3], [-1, 0, 0, 0], [2, 2, -1, 0], [1, -1, 3, 3]])
    return [rng.uniform(-1, 1, (N, C)).astype(dtype), t]


def _cosine_distance(m, x1, x2):
    return 1 - F(m).cosine_similarity(x1, x2)


CASES += [
    *(
        Case(
            ("mul", "clamp", "sum"),
            lambda m, x, t, r=r: F(m).multilabel_margin_loss(x, t, reduction=r),
            make=_scores_lists,
            name=f"multilabel_margin-{r}",
        )
        for r in REDUCTIONS
    ),
    Case(
        ("mul", "clamp", "sum"),
        lambda m, x, t: F(m).multilabel_margin_loss(x, t),
        make=lambda rng, dtype: [rng.uniform(-1, 1, C).astype(dtype), np.array([2, 0, -1, 3])],
        name="multilabel_margin-1d",
    ),
    Case(
        (*TRIPLET, "minimum"),
        lambda m, a, p, n: F(m).triplet_margin_with_distance_loss(
            a, p, n, distance_function=lambda x, y: _cosine_distance(m, x, y), swap=True
        ),
        (X2, X2, X2),
        name="triplet-distance-cosine-swap",
    ),
    Case(
        TRIPLET,
        lambda m, a, p, n: F(m).triplet_margin_with_distance_loss(a, p, n, margin=2.0),
        (X2, X2, X2),
        name="triplet-distance-default",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_hand_worked_values() -> None:
    f = F(sg)
    y = sg.tensor([1.0, -1.0])
    ones, zeros = sg.tensor([1.0, 1.0]), sg.tensor([0.0, 0.0])
    assert f.margin_ranking_loss(ones, zeros, y, reduction="none").tolist() == [0.0, 1.0]
    assert f.hinge_embedding_loss(sg.tensor([0.3, 0.3]), y, reduction="sum").item() == 1.0
    same = sg.tensor([[1.0, 2.0], [1.0, 2.0]])
    assert f.cosine_embedding_loss(same, same, y, reduction="none").tolist() == [0.0, 1.0]


ERRORS: list[Error] = [
    ("margin_ranking_loss", (sg.zeros(3), sg.zeros(3), sg.zeros(3, 1)), {}, ShapeError, "dims"),
    ("margin_ranking_loss", (X, X, X), {"reduction": "avg"}, ValueError, "reduction must be"),
    ("hinge_embedding_loss", (X, X), {"reduction": "x"}, ValueError, "reduction must be"),
    ("soft_margin_loss", (X, sg.zeros(4)), {}, ShapeError, "target shape must equal"),
    ("multilabel_soft_margin_loss", (X, sg.zeros(3)), {}, ShapeError, "target shape"),
    ("cosine_embedding_loss", (X, X, X), {}, ShapeError, "0D or 1D target tensor expected"),
    ("cosine_embedding_loss", (X, X, sg.zeros(())), {}, ShapeError, "expects 1D input"),
    ("triplet_margin_loss", (X, X, X), {"margin": 0.0}, ValueError, "greater than 0, got 0.0"),
    ("triplet_margin_loss", (X, X, sg.zeros(4)), {}, ShapeError, "same number of dims"),
    ("triplet_margin_with_distance_loss", (X, X, X), {"margin": -1.0}, ValueError, "than 0"),
    ("multilabel_margin_loss", (X, sg.zeros(3, 4)), {}, TypeError, "integer target"),
    ("multilabel_margin_loss", (X, sg.zeros(4, dtype=sg.int64)), {}, ShapeError, "of its shape"),
    ("multilabel_margin_loss", (X, sg.full((3, 4), 4)), {}, IndexError, r"in \[-1, 4\)"),
]

test_error_messages = make_error_test(ERRORS)


@pytest.mark.parametrize("name", ["margin_ranking_loss", "cosine_embedding_loss"])
def test_top_level_int_reduction(name: str) -> None:
    a, b, y = sg.randn(4, 3), sg.randn(4, 3), sg.tensor([1.0, -1.0, 1.0, -1.0])
    if name == "margin_ranking_loss":
        a, b = a[:, 0], b[:, 0]
    f = getattr(F(sg), name)
    assert getattr(sg, name)(a, b, y, 0.1, 2).item() == f(a, b, y, 0.1, reduction="sum").item()
