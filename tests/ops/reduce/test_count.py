"""Counting ops (count_nonzero, bincount, histc, isin) against torch."""

import numpy as np
import torch

import scratchgrad as sg
from scratchgrad.ops.reduce import count


def test_count_nonzero_matches_torch() -> None:
    a = np.array([[0, 1, 2], [0, 0, 3]])
    for dim in (None, 0, 1):
        ours = count.count_nonzero(sg.tensor(a), dim=dim).numpy()
        theirs = torch.count_nonzero(torch.tensor(a), dim=dim).numpy()
        np.testing.assert_array_equal(ours, theirs)


def test_bincount_with_weights_and_minlength_matches_torch() -> None:
    x, w = np.array([0, 2, 2, 5]), np.array([0.5, 1.0, 2.0, 3.0])
    ours = count.bincount(sg.tensor(x), sg.tensor(w), minlength=8).numpy()
    theirs = torch.bincount(torch.tensor(x), torch.tensor(w), minlength=8).numpy()
    np.testing.assert_allclose(ours, theirs)


def test_histc_matches_torch() -> None:
    x = np.random.default_rng(0).normal(size=200).astype(np.float32)
    ours = count.histc(sg.tensor(x), bins=7, min=-2, max=2).numpy()
    theirs = torch.histc(torch.tensor(x), bins=7, min=-2, max=2).numpy()
    np.testing.assert_array_equal(ours, theirs)


def test_isin_matches_torch() -> None:
    a, b = np.array([1, 2, 3, 4]), np.array([2, 4, 6])
    for invert in (False, True):
        ours = count.isin(sg.tensor(a), sg.tensor(b), invert=invert).numpy()
        theirs = torch.isin(torch.tensor(a), torch.tensor(b), invert=invert).numpy()
        np.testing.assert_array_equal(ours, theirs)
