"""softmax, log_softmax, softmin and cross_entropy on rows holding inf or NaN, as torch."""

import numpy as np
import pytest
import torch

import scratchgrad as sg

INF, NAN = float("inf"), float("nan")
ROWS = [
    [INF, 1.0],
    [-INF, 1.0],
    [INF, INF],
    [-INF, -INF],
    [NAN, 1.0],
    [INF, -INF],
    [-INF, 0.0, INF],
]


@pytest.mark.parametrize("row", ROWS)
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_non_finite_rows_match_torch(name: str, row: list[float]) -> None:
    ours = getattr(sg.nn.functional, name)(sg.tensor(row), dim=0).numpy()
    theirs = getattr(torch.nn.functional, name)(torch.tensor(row), dim=0).numpy()
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("row", ROWS)
@pytest.mark.parametrize("target", [0, 1])
def test_cross_entropy_of_non_finite_logits_matches_torch(row: list[float], target: int) -> None:
    ours = sg.nn.functional.cross_entropy(sg.tensor([row]), sg.tensor([target])).item()
    theirs = torch.nn.functional.cross_entropy(torch.tensor([row]), torch.tensor([target])).item()
    np.testing.assert_array_equal(ours, theirs)
    q = [1.0] + [0.0] * (len(row) - 1)  # probability targets
    ours_q = sg.nn.functional.cross_entropy(sg.tensor([row]), sg.tensor([q])).item()
    theirs_q = torch.nn.functional.cross_entropy(torch.tensor([row]), torch.tensor([q])).item()
    np.testing.assert_array_equal(ours_q, theirs_q)
