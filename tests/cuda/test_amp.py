"""torch.cuda.amp's spellings: disabled without a GPU, with torch's warnings."""

import warnings

import pytest
import torch

import scratchgrad as sg
from scratchgrad.cuda import amp


def test_grad_scaler_without_cuda_passes_through_like_torch() -> None:
    if torch.cuda.is_available():
        pytest.skip("the reference torch has CUDA here")
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        scaler = amp.GradScaler(init_scale=8.0)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        ref = torch.amp.GradScaler("cuda", init_scale=8.0)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    assert scaler.is_enabled() == ref.is_enabled() is False
    loss = sg.tensor(3.0)
    assert scaler.scale(loss) is loss


def test_autocast_is_the_cuda_region() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with amp.autocast():
            y = sg.ones(2) * 2
    assert y.dtype == sg.float32
