"""Devices parse, print and compare as torch's; only the CPU computes."""

import pytest
import torch

from scratchgrad import devices as dev


@pytest.mark.parametrize(
    "args", [("cpu",), ("cuda",), ("cuda:1",), ("cuda", 2), ("mps",), ("cpu", 0), ("meta",)]
)
def test_device_prints_and_compares_like_torch(args: tuple) -> None:
    ours, theirs = dev.device(*args), torch.device(*args)
    assert (repr(ours), str(ours)) == (repr(theirs), str(theirs))
    assert (ours.type, ours.index) == (theirs.type, theirs.index)
    assert ours == dev.device(*args) and hash(ours) == hash(dev.device(*args))
    assert ours != str(ours)  # as torch: a device is not equal to its string
    assert dev.device(ours) == ours


@pytest.mark.parametrize("bad", ["gpu", "cpu:x", "cuda:-1", "cuda:1:2"])
def test_malformed_devices_fail_like_torch(bad: str) -> None:
    with pytest.raises(RuntimeError) as theirs:
        torch.device(bad)
    with pytest.raises(RuntimeError) as ours:
        dev.device(bad)
    assert str(ours.value).split(":")[0] == str(theirs.value).split(":")[0]


def test_only_the_cpu_is_available() -> None:
    assert dev.require_available("cpu:0", "to") == dev.device("cpu", 0)
    assert dev.require_available(None, "zeros") == dev.CPU
    for d in ("cuda", dev.device("cuda", 0), 0, "mps"):
        with pytest.raises(RuntimeError, match="not available"):
            dev.require_available(d, "to")
    with pytest.raises(TypeError):
        dev.as_device(1.5)  # type: ignore[arg-type]


def test_is_device_like_tells_devices_from_dtypes() -> None:
    assert dev.is_device_like("cuda:0") and dev.is_device_like(dev.CPU)
    assert not dev.is_device_like("float32") and not dev.is_device_like(3)
