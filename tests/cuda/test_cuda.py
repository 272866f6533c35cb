"""torch.cuda on a machine without CUDA: the same answers as torch's CPU build."""

import pytest
import torch

import scratchgrad as sg
from scratchgrad import cuda


def test_answers_match_torch_without_cuda() -> None:
    if torch.cuda.is_available():
        pytest.skip("the reference torch has CUDA here")
    assert cuda.is_available() == torch.cuda.is_available()
    assert cuda.device_count() == torch.cuda.device_count()
    assert cuda.is_bf16_supported() is False


def test_seeding_is_accepted_and_leaves_the_cpu_stream_alone() -> None:
    sg.manual_seed(3)
    a = sg.rand(3)
    sg.manual_seed(3)
    cuda.manual_seed(7)
    cuda.manual_seed_all(7)
    cuda.empty_cache()
    assert sg.rand(3).tolist() == a.tolist()


@pytest.mark.parametrize("call", [cuda.current_device, cuda.synchronize, cuda.get_device_name])
def test_calls_that_need_a_device_raise(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError, match="not available"):
        call()
