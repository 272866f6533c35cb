"""Parity of embedding_bag with torch: modes, offsets, padding, per-sample weights, errors."""

import numpy as np
import pytest

import scratchgrad as sg
from tests.ops._parity import Case, make_tests

IDX = np.array([1, 2, 4, 5, 4, 3, 2, 9, 0, 0])
OFFSETS = np.array([0, 3, 3, 7])  # the second bag is empty


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


def _table(rng, dtype):
    return [rng.standard_normal((10, 4)).astype(dtype), IDX, OFFSETS]


def _bag(**kw):
    return lambda m, w, i, o: F(m).embedding_bag(i, w, o, **kw)


OPS = ("embedding", "index_add")

CASES = [
    *(Case(OPS, _bag(mode=mode), make=_table, name=mode) for mode in ("sum", "mean")),
    Case((*OPS, "scatter_reduce"), _bag(mode="max"), make=_table, name="max"),
    Case(OPS, _bag(mode="mean", padding_idx=2), make=_table, name="mean-padding"),
    Case((*OPS, "scatter_reduce"), _bag(mode="max", padding_idx=-1), make=_table, name="max-pad"),
    Case(
        OPS,
        lambda m, w, i, o: F(m).embedding_bag(
            i, w, m.cat([o, m.tensor([10])]), mode="sum", include_last_offset=True
        ),
        make=_table,
        name="include-last-offset",
    ),
    Case(
        OPS,
        lambda m, w, i, o, p: F(m).embedding_bag(i, w, o, mode="sum", per_sample_weights=p),
        make=lambda rng, dtype: [*_table(rng, dtype), rng.uniform(0.5, 2, 10).astype(dtype)],
        name="per-sample-weights",
    ),
    Case(
        OPS,
        lambda m, w, i: F(m).embedding_bag(i, w),
        make=lambda rng, dtype: [rng.standard_normal((10, 3)).astype(dtype), IDX.reshape(2, 5)],
        name="2d-input",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


@pytest.mark.parametrize(
    ("kw", "error", "match"),
    [
        ({"mode": "median"}, ValueError, "mode has to be one of"),
        ({"mode": "mean", "per_sample_weights": sg.ones(3)}, ValueError, "only supported for"),
        ({"mode": "sum", "per_sample_weights": sg.ones(2)}, sg.ShapeError, "input's shape"),
        ({"max_norm": 1.0}, NotImplementedError, "max_norm"),
        ({"offsets": sg.tensor([1])}, ValueError, "start at 0"),
    ],
)
def test_errors(kw: dict, error: type, match: str) -> None:
    kw = {"offsets": sg.tensor([0]), **kw}
    with pytest.raises(error, match=f"embedding_bag: .*{match}"):
        F(sg).embedding_bag(sg.tensor([0, 1, 2]), sg.ones(4, 2), **kw)


def test_2d_input_refuses_offsets() -> None:
    with pytest.raises(ValueError, match="offsets has to be None"):
        F(sg).embedding_bag(sg.tensor([[0, 1]]), sg.ones(4, 2), sg.tensor([0]))
