"""torch's top-level signatures (torch.batch_norm, torch.embedding, ...) against torch."""

import numpy as np
import torch

import scratchgrad as sg
from scratchgrad.ops import aten


def test_top_level_names_are_the_aten_signatures() -> None:
    for name in aten.__all__:
        assert getattr(sg, name) is getattr(aten, name)


def test_embedding_takes_weight_first_like_torch() -> None:
    w = np.arange(12.0).reshape(4, 3)
    idx = np.array([[0, 3], [1, 1]])
    ours = aten.embedding(sg.tensor(w), sg.tensor(idx)).numpy()
    theirs = torch.embedding(torch.tensor(w), torch.tensor(idx)).numpy()
    np.testing.assert_array_equal(ours, theirs)


def test_kl_div_takes_an_integer_reduction_like_torch() -> None:
    rng = np.random.default_rng(0)
    logp = np.log(rng.dirichlet(np.ones(5), size=3))
    q = rng.dirichlet(np.ones(5), size=3)
    for reduction in (0, 1, 2):
        ours = aten.kl_div(sg.tensor(logp), sg.tensor(q), reduction).numpy()
        theirs = torch.kl_div(torch.tensor(logp), torch.tensor(q), reduction).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-10)
