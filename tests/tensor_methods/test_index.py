import numpy as np
import torch

import scratchgrad as sg
from scratchgrad.tensor_methods.index import IndexMethods
from tests.tensor_methods._mixins import check_resolution_and_names


def test_tensor_uses_these_methods_and_torch_has_their_names() -> None:
    check_resolution_and_names(IndexMethods)


def test_gather_select_fill_and_scatter_match_torch() -> None:
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    idx = np.array([[0, 3], [1, 1], [2, 0]])
    mask = x > 5
    for lib in (sg, torch):
        t, i = lib.tensor(x), lib.tensor(idx)
        got = [
            t.gather(1, i),
            t.index_select(0, lib.tensor([2, 0])),
            t.masked_fill(lib.tensor(mask), -1.0),
            t.scatter_add(1, i, lib.ones(3, 2)),
            t.take_along_dim(i, 1),
        ]
        if lib is sg:
            ours = [g.numpy() for g in got]
        else:
            theirs = [g.numpy() for g in got]
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, b)
