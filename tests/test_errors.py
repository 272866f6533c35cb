"""Error classes: shape errors are ValueErrors, so `except ValueError` catches them."""

import pytest

import scratchgrad as sg
from scratchgrad.errors import BroadcastError, ShapeError


def test_hierarchy() -> None:
    assert issubclass(BroadcastError, ShapeError)
    assert issubclass(ShapeError, ValueError)
    assert sg.BroadcastError is BroadcastError


def test_broadcast_failure_is_catchable_as_value_error() -> None:
    with pytest.raises(ValueError, match="at dim -1 the sizes 3 and 4"):
        sg.ones(3) + sg.ones(4)
