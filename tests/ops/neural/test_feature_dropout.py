"""Channel-wise dropout: whole channels zeroed, 1/(1-p) scaling, gradient, torch's rank rules."""

import warnings

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.nn import functional as F  # noqa: N812 - the usual name
from scratchgrad.ops.neural.feature_dropout import feature_dropout

SHAPES = {  # function -> (input shape, the axes one channel spans)
    "dropout1d": [((4, 6, 5), (2,)), ((6, 5), (1,))],
    "dropout2d": [((4, 6, 3, 5), (2, 3))],
    "dropout3d": [((2, 6, 3, 2, 4), (2, 3, 4)), ((6, 3, 2, 4), (1, 2, 3))],
}
CASES = [(name, shape, axes) for name, cases in SHAPES.items() for shape, axes in cases]


@pytest.mark.parametrize(("name", "shape", "axes"), CASES)
def test_whole_channels_are_zeroed_and_the_rest_scaled(
    name: str, shape: tuple, axes: tuple
) -> None:
    sg.manual_seed(0)
    x = sg.tensor(np.random.default_rng(0).uniform(1, 2, shape).astype(np.float32))
    y = getattr(F, name)(x, p=0.4).numpy()
    assert y.shape == shape and y.dtype == np.float32
    kept = (y != 0).reshape(*shape[: len(shape) - len(axes)], -1)
    assert np.all(kept.all(-1) | ~kept.any(-1))  # every channel all kept or all zero
    assert kept.any() and not kept.all()
    np.testing.assert_allclose(y[y != 0], x.numpy()[y != 0] / 0.6, rtol=1e-6)


@pytest.mark.parametrize(("name", "shape", "axes"), CASES)
def test_shape_and_eval_identity_like_torch(name: str, shape: tuple, axes: tuple) -> None:
    x = sg.ones(*shape)
    assert getattr(F, name)(x, 0.5, training=False) is x
    t = getattr(torch.nn.functional, name)(torch.ones(shape), 0.5)
    assert tuple(t.shape) == getattr(F, name)(x, 0.5).shape


def test_drop_rate_is_p() -> None:
    sg.manual_seed(1)
    y = F.dropout2d(sg.ones(200, 100, 1, 1), p=0.3).numpy()
    assert abs((y == 0).mean() - 0.3) < 0.01


def test_gradient_is_the_mask_over_one_minus_p() -> None:
    sg.manual_seed(2)
    x = sg.ones(3, 4, 5, requires_grad=True)
    y = F.dropout1d(x, p=0.25)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), y.detach().numpy())  # x = 1: y is the mask/(1-p)
    assert set(np.unique(x.grad.numpy()).tolist()) == {0.0, np.float32(1 / 0.75)}


def test_p_zero_and_one() -> None:
    x = sg.ones(2, 3, 4, requires_grad=True)
    assert F.dropout1d(x, 0.0) is x
    y = F.dropout1d(x, 1.0)
    assert not y.detach().numpy().any()
    y.sum().backward()
    assert not x.grad.numpy().any()


def test_generator_makes_it_repeatable() -> None:
    x = sg.ones(4, 8, 3)
    a = feature_dropout(x, 0.5, generator=sg.Generator().manual_seed(3)).numpy()
    b = feature_dropout(x, 0.5, generator=sg.Generator().manual_seed(3)).numpy()
    np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------ torch's rank rules
def test_dropout1d_refuses_other_ranks_like_torch() -> None:
    with pytest.raises(RuntimeError, match="Expected 2D or 3D input, but received a 4D input"):
        torch.nn.functional.dropout1d(torch.ones(2, 3, 4, 5))
    with pytest.raises(RuntimeError, match="Expected 2D or 3D input, but received a 4D input"):
        F.dropout1d(sg.ones(2, 3, 4, 5))


@pytest.mark.parametrize(
    ("name", "shape", "match"),
    [
        ("dropout2d", (3, 4), "Received a 2-D input to dropout2d, which is deprecated"),
        ("dropout2d", (2, 3, 4), "Received a 3D input to dropout2d and assuming"),
        ("dropout3d", (3, 4, 5), "Received a 3-D input to dropout3d, which is deprecated"),
    ],
)
def test_wrong_rank_warns_like_torch(name: str, shape: tuple, match: str) -> None:
    with pytest.warns(UserWarning, match=match):
        getattr(torch.nn.functional, name)(torch.ones(shape))
    with pytest.warns(UserWarning, match=match):
        getattr(F, name)(sg.ones(*shape))


def test_one_dimensional_input_to_dropout2d_is_refused_like_torch() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError, match="at least 2 dimensions"):
            torch.nn.functional.dropout2d(torch.ones(5))
        with pytest.raises(RuntimeError, match="at least 2 dimensions"):
            F.dropout2d(sg.ones(5))


@pytest.mark.parametrize("name", ["dropout1d", "dropout2d", "dropout3d"])
def test_p_out_of_range(name: str) -> None:
    with pytest.raises(ValueError, match="between 0 and 1, but got 1.5"):
        getattr(F, name)(sg.ones(2, 3, 4, 5, 6), 1.5)
