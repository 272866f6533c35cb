"""Size: shapes from ``size()`` behave and print like torch.Size."""

import torch

import scratchgrad as sg
from scratchgrad.size import Size


def test_size_prints_counts_and_slices_like_torch() -> None:
    ours, theirs = sg.zeros(2, 3, 4).size(), torch.zeros(2, 3, 4).size()
    assert isinstance(ours, Size) and isinstance(ours, tuple)
    assert (repr(ours), str(ours)) == (repr(theirs), str(theirs))
    assert ours.numel() == theirs.numel() and ours == theirs == (2, 3, 4)
    assert repr(ours[1:]) == repr(theirs[1:]) and ours[-1] == theirs[-1]
    assert sg.zeros(2, 3).size(1) == 3 and Size(()).numel() == 1
