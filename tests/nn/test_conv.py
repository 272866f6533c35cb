"""Conv1d/2d/3d, ConvTranspose1d/2d/3d against their torch.nn twins: values, grads, repr."""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.errors import ShapeError

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")
RTOL, ATOL = 1e-5, 1e-5  # float32 sums of up to ~100 products


def copy_from_torch(ours: nn.Module, theirs: torch.nn.Module) -> None:
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})


def check_against_torch(ours: nn.Module, theirs: torch.nn.Module, x: np.ndarray, **kw) -> None:
    """Same repr, state_dict keys and shapes; same outputs, input and parameter grads."""
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for k, v in theirs.state_dict().items():
        assert ours.state_dict()[k].shape == tuple(v.shape), k
    copy_from_torch(ours, theirs)
    xs, xt = sg.from_numpy(x.copy()).requires_grad_(), torch.from_numpy(x.copy()).requires_grad_()
    out_s, out_t = ours(xs, **kw), theirs(xt, **kw)
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), RTOL, ATOL)
    g = np.random.default_rng(1).standard_normal(out_t.shape).astype(np.float32)
    out_s.backward(sg.from_numpy(g))
    out_t.backward(torch.from_numpy(g))
    np.testing.assert_allclose(xs.grad.numpy(), xt.grad.numpy(), RTOL, ATOL)
    params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), params[name].grad.numpy(), 1e-4, ATOL, name)


def x32(*shape: int) -> np.ndarray:
    return np.random.default_rng(0).standard_normal(shape).astype(np.float32)


CONV2D = [
    {},
    {"padding": 1},
    {"stride": 2, "padding": (1, 0), "bias": False},
    {"padding": "same", "dilation": 2},
    {"padding": "valid"},
    {"groups": 2, "padding": 1},
    {"padding": 1, "padding_mode": "reflect"},
    {"padding": (1, 2), "padding_mode": "replicate"},
    {"padding": "same", "padding_mode": "circular"},
]


@pytest.mark.parametrize("kw", CONV2D, ids=str)
def test_conv2d_matches_torch(kw: dict) -> None:
    check_against_torch(nn.Conv2d(4, 6, 3, **kw), torch.nn.Conv2d(4, 6, 3, **kw), x32(2, 4, 7, 6))


def test_conv2d_depthwise_and_unbatched_match_torch() -> None:
    kw = {"groups": 4, "padding": 1}
    check_against_torch(nn.Conv2d(4, 8, 3, **kw), torch.nn.Conv2d(4, 8, 3, **kw), x32(4, 6, 5))


@pytest.mark.parametrize(
    "kw",
    [{}, {"stride": 2, "padding": 1}, {"padding": "same", "groups": 2, "bias": False}],
    ids=str,
)
def test_conv1d_matches_torch(kw: dict) -> None:
    check_against_torch(nn.Conv1d(4, 6, 3, **kw), torch.nn.Conv1d(4, 6, 3, **kw), x32(2, 4, 9))


CONV3D = [
    {},
    {"stride": (2, 1, 2), "padding": (1, 0, 1), "bias": False},
    {"padding": "same", "dilation": (1, 2, 1)},
    {"groups": 2, "padding": 1},
    {"padding": 1, "padding_mode": "reflect"},
    {"padding": (1, 0, 2), "padding_mode": "replicate"},
    {"padding": "same", "padding_mode": "circular"},
]


@pytest.mark.parametrize("kw", CONV3D, ids=str)
def test_conv3d_matches_torch(kw: dict) -> None:
    ours, theirs = nn.Conv3d(4, 6, 3, **kw), torch.nn.Conv3d(4, 6, 3, **kw)
    check_against_torch(ours, theirs, x32(2, 4, 5, 6, 4))


def test_conv3d_unbatched_and_rect_kernel_match_torch() -> None:
    kw = {"kernel_size": (2, 3, 1), "stride": (1, 2, 1), "groups": 2}
    check_against_torch(nn.Conv3d(4, 2, **kw), torch.nn.Conv3d(4, 2, **kw), x32(4, 3, 5, 4))


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"stride": 2, "output_padding": 1},
        {"stride": 2, "padding": 1, "groups": 2, "bias": False},
        {"dilation": 2, "padding": (1, 0)},
    ],
    ids=str,
)
def test_conv_transpose2d_matches_torch(kw: dict) -> None:
    ours, theirs = nn.ConvTranspose2d(4, 6, 3, **kw), torch.nn.ConvTranspose2d(4, 6, 3, **kw)
    check_against_torch(ours, theirs, x32(2, 4, 5, 4))


def test_conv_transpose2d_output_size_picks_output_padding() -> None:
    ours, theirs = (
        nn.ConvTranspose2d(3, 2, 3, stride=2),
        torch.nn.ConvTranspose2d(3, 2, 3, stride=2),
    )
    check_against_torch(ours, theirs, x32(1, 3, 4, 4), output_size=(10, 9))
    with pytest.raises(ValueError, match="requested an output size"):
        ours(sg.zeros(1, 3, 4, 4), output_size=(12, 9))


TRANSPOSED_ND = [
    ("ConvTranspose1d", (2, 4, 7), {}),
    ("ConvTranspose1d", (2, 4, 7), {"stride": 2, "output_padding": 1, "padding": 1}),
    ("ConvTranspose1d", (2, 4, 7), {"stride": 3, "groups": 2, "dilation": 2, "bias": False}),
    ("ConvTranspose3d", (2, 4, 3, 4, 2), {}),
    ("ConvTranspose3d", (1, 4, 3, 4, 2), {"stride": (2, 1, 2), "output_padding": (1, 0, 0)}),
    ("ConvTranspose3d", (1, 4, 3, 4, 3), {"stride": 2, "padding": 1, "groups": 2}),
    ("ConvTranspose3d", (1, 4, 2, 3, 3), {"dilation": (1, 2, 1), "bias": False}),
]


@pytest.mark.parametrize(("name", "shape", "kw"), TRANSPOSED_ND, ids=str)
def test_conv_transpose_1d_3d_match_torch(name: str, shape: tuple, kw: dict) -> None:
    """Same repr, state_dict (torch's loads), outputs and gradients as torch's layers."""
    ours, theirs = getattr(nn, name)(4, 6, 3, **kw), getattr(torch.nn, name)(4, 6, 3, **kw)
    check_against_torch(ours, theirs, x32(*shape))


@pytest.mark.parametrize("name", ["ConvTranspose1d", "ConvTranspose3d"])
def test_conv_transpose_1d_3d_output_size(name: str) -> None:
    n = 1 if name.endswith("1d") else 3
    ours, theirs = getattr(nn, name)(3, 2, 3, stride=2), getattr(torch.nn, name)(3, 2, 3, stride=2)
    check_against_torch(ours, theirs, x32(1, 3, *(4,) * n), output_size=(10,) * n)
    with pytest.raises(ValueError, match=f"{name}: requested an output size"):
        ours(sg.zeros(1, 3, *(4,) * n), output_size=(12,) * n)


# ------------------------------------------------------------------ init
@pytest.mark.parametrize(
    ("layer", "fan_in"),
    [
        (lambda: nn.Conv2d(8, 16, 3), 8 * 9),
        (lambda: nn.Conv2d(8, 16, (3, 5), groups=4), 2 * 15),
        (lambda: nn.Conv1d(4, 32, 5), 4 * 5),
        (lambda: nn.Conv3d(4, 16, (2, 3, 3), groups=2), 2 * 18),
        (lambda: nn.ConvTranspose2d(8, 12, 3, groups=2), 6 * 9),  # fan_in from weight dim 1
        (lambda: nn.ConvTranspose1d(8, 12, 5, groups=4), 3 * 5),
        (lambda: nn.ConvTranspose3d(4, 16, (2, 3, 3)), 16 * 18),
    ],
)
def test_default_init_follows_torch_bounds(layer, fan_in: int) -> None:
    sg.manual_seed(0)
    m = layer()
    bound = 1 / math.sqrt(fan_in)  # kaiming_uniform_(a=sqrt(5)): gain*sqrt(3/fan_in)
    w, b = m.weight.detach().numpy(), m.bias.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.8 * bound  # spread over the whole range, not squeezed
    np.testing.assert_allclose(w.std(), bound / math.sqrt(3), rtol=0.15)
    assert w.dtype == np.float32


def test_dtype_argument() -> None:
    m = nn.Conv2d(1, 2, 3, dtype=sg.float64)
    assert m.weight.dtype == sg.float64 and m.bias.dtype == sg.float64


# ------------------------------------------------------------------ state and repr
def test_state_dict_keys_without_bias() -> None:
    assert list(nn.Conv2d(2, 3, 3, bias=False).state_dict()) == ["weight"]
    assert list(nn.ConvTranspose2d(2, 3, 3).state_dict()) == ["weight", "bias"]
    assert nn.ConvTranspose2d(2, 6, 3, groups=2).weight.shape == (2, 3, 3, 3)


@pytest.mark.parametrize(
    "args",
    [
        ("Conv2d", (1, 8, 3), {"padding": 1}),
        ("Conv2d", (3, 4, (2, 3)), {"stride": 2, "dilation": 2, "groups": 1, "bias": False}),
        ("Conv2d", (4, 4, 3), {"padding": "same", "padding_mode": "reflect", "groups": 2}),
        ("Conv1d", (2, 4, 3), {}),
        ("Conv3d", (2, 4, 3), {"padding": (1, 0, 1), "dilation": 2, "bias": False}),
        ("Conv3d", (2, 4, (1, 2, 3)), {"padding": "same", "padding_mode": "replicate"}),
        ("ConvTranspose2d", (4, 2, 3), {"stride": 2, "output_padding": 1}),
        ("ConvTranspose1d", (4, 2, 3), {"stride": 2, "output_padding": 1, "dilation": 2}),
        ("ConvTranspose3d", (4, 2, (1, 2, 3)), {"padding": (0, 1, 1), "bias": False}),
    ],
    ids=str,
)
def test_repr_matches_torch(args) -> None:
    name, pos, kw = args
    assert repr(getattr(nn, name)(*pos, **kw)) == repr(getattr(torch.nn, name)(*pos, **kw))


# ------------------------------------------------------------------ errors
def test_constructor_errors() -> None:
    with pytest.raises(ShapeError, match="groups must divide in_channels"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ShapeError, match="groups must divide out_channels"):
        nn.Conv2d(4, 3, 3, groups=2)
    with pytest.raises(ValueError, match="not supported for strided"):
        nn.Conv2d(1, 1, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        nn.Conv2d(1, 1, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="kernel_size must be an int or a tuple of 3 ints"):
        nn.Conv3d(1, 1, (3, 3))
    with pytest.raises(ValueError, match='only "zeros" padding mode'):
        nn.ConvTranspose2d(1, 1, 3, padding_mode="reflect")


def test_forward_error_names_the_layer_and_the_rule() -> None:
    with pytest.raises(ShapeError, match=r"input channels must equal") as err:
        nn.Conv2d(3, 4, 3)(sg.zeros(1, 2, 5, 5))
    assert err.value.__notes__ == ["in Conv2d, called with input shapes [(1, 2, 5, 5)]"]
