import pytest

import scratchgrad as sg
from scratchgrad.distributions import Distribution, Normal
from scratchgrad.distributions.distribution import broadcast_all


def test_broadcast_all_keeps_dtype_and_gradients():
    x = sg.tensor([1.0, 2.0], dtype=sg.float64, requires_grad=True)
    a, b = broadcast_all(x, 3.0)
    assert a.shape == b.shape == (2,) and b.dtype == sg.float64
    (a * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    (c,) = broadcast_all(1.0)
    assert c.dtype == sg.float32 and c.shape == ()


def test_base_class_defaults():
    d = Distribution((2,), (3,), validate_args=False)
    assert d.batch_shape == (2,) and d.event_shape == (3,)
    assert d._extended_shape((4,)) == (4, 2, 3)
    for attr in ("mean", "variance", "support"):
        with pytest.raises(NotImplementedError):
            getattr(d, attr)
    with pytest.raises(NotImplementedError):
        d.sample()
    with pytest.raises(NotImplementedError, match="does not implement mode"):
        _ = d.mode
    assert repr(d) == "Distribution()"


def test_stddev_perplexity_and_repr():
    d = Normal(sg.zeros(3), sg.full((3,), 2.0))
    assert d.stddev.tolist() == [2.0] * 3
    assert repr(d) == "Normal(loc: (3,), scale: (3,))"
    assert repr(Normal(0.0, 1.0)) == "Normal(loc: 0.0, scale: 1.0)"
    assert d.perplexity().shape == (3,)


def test_set_default_validate_args():
    try:
        Distribution.set_default_validate_args(False)
        Normal(0.0, -1.0)  # not checked
    finally:
        Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError, match="GreaterThan"):
        Normal(0.0, -1.0)
    with pytest.raises(ValueError):
        Distribution.set_default_validate_args(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be a Tensor"):
        Normal(0.0, 1.0).log_prob(0.5)  # type: ignore[arg-type]
