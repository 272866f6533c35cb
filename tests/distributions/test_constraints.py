import pytest
import torch

import scratchgrad as sg
from scratchgrad.distributions import constraints

CASES = {
    "real": [1.0, float("nan"), float("inf")],
    "positive": [1.0, 0.0, -1.0],
    "unit_interval": [0.0, 1.0, 1.5, -0.1],
    "boolean": [0.0, 1.0, 0.5],
    "simplex": [[0.5, 0.5], [0.5, 0.6], [1.2, -0.2]],
    "real_vector": [[0.0, 1.0], [float("nan"), 0.0]],
    "lower_cholesky": [
        [[1.0, 0.0], [2.0, 3.0]],
        [[1.0, 1.0], [0.0, 1.0]],
        [[-1.0, 0.0], [0.0, 1.0]],
    ],
    "positive_definite": [
        [[2.0, 1.0], [1.0, 2.0]],
        [[1.0, 2.0], [2.0, 1.0]],
        [[1.0, 2.0], [0.0, 1.0]],
    ],
}


@pytest.mark.parametrize("name", CASES)
def test_check_and_repr_match_torch(name):
    ours, theirs = getattr(constraints, name), getattr(torch.distributions.constraints, name)
    assert repr(ours) == repr(theirs)
    v = CASES[name]
    assert ours.check(sg.tensor(v)).tolist() == theirs.check(torch.tensor(v)).tolist()


def test_parameterised_constraints():
    assert repr(constraints.integer_interval(0, 2)) == repr(
        torch.distributions.constraints.integer_interval(0, 2)
    )
    assert constraints.integer_interval(0, 2).check(sg.tensor([0.0, 2.0, 3.0, 0.5])).tolist() == [
        True,
        True,
        False,
        False,
    ]
    assert constraints.interval(0.0, 1.0).check(sg.tensor([1.0])).tolist() == [True]
    assert constraints.less_than(sg.tensor([1.0, 0.0])).check(sg.tensor([0.5, 0.5])).tolist() == [
        True,
        False,
    ]
    assert constraints.greater_than(1.0).check(sg.tensor([1.0, 2.0])).tolist() == [False, True]
    assert constraints.is_dependent(constraints.dependent)
    with pytest.raises(ValueError, match="dependent"):
        constraints.dependent.check(sg.tensor(1.0))
