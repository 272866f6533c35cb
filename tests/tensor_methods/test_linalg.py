import numpy as np
import torch

import scratchgrad as sg
from scratchgrad.tensor_methods.linalg import LinalgMethods
from tests.tensor_methods._mixins import check_resolution_and_names


def test_tensor_uses_these_methods_and_torch_has_their_names() -> None:
    check_resolution_and_names(LinalgMethods)


def test_products_match_torch() -> None:
    rng = np.random.default_rng(0)
    a, b, c = (rng.normal(size=s).astype(np.float32) for s in [(2, 3), (3, 4), (2, 4)])
    v, w = rng.normal(size=3).astype(np.float32), rng.normal(size=5).astype(np.float32)
    ours = {
        "mm": sg.tensor(a).mm(sg.tensor(b)),
        "matmul": sg.tensor(a).matmul(sg.tensor(b)),
        "addmm": sg.tensor(c).addmm(sg.tensor(a), sg.tensor(b), beta=0.5, alpha=2.0),
        "dot": sg.tensor(v).dot(sg.tensor(v)),
        "outer": sg.tensor(v).outer(sg.tensor(w)),
    }
    theirs = {
        "mm": torch.tensor(a).mm(torch.tensor(b)),
        "matmul": torch.tensor(a).matmul(torch.tensor(b)),
        "addmm": torch.tensor(c).addmm(torch.tensor(a), torch.tensor(b), beta=0.5, alpha=2.0),
        "dot": torch.tensor(v).dot(torch.tensor(v)),
        "outer": torch.tensor(v).outer(torch.tensor(w)),
    }
    assert set(ours) == {n for n in vars(LinalgMethods) if not n.startswith("_")}
    for name, value in ours.items():
        np.testing.assert_allclose(value.numpy(), theirs[name].numpy(), rtol=1e-5, err_msg=name)
