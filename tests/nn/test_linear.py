"""Identity, Linear, Flatten, Unflatten, Dropout, Embedding against their torch.nn twins."""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn

RTOL, ATOL = 1e-5, 1e-6  # float32 layers


def copy_from_torch(ours: nn.Module, theirs: torch.nn.Module) -> None:
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})


def run_both(ours, theirs, x: np.ndarray, seed: int = 0):
    """Forward both on x, backward the same random upstream gradient; return both inputs."""
    xs = sg.from_numpy(x.copy()).requires_grad_(x.dtype.kind == "f")
    xt = torch.from_numpy(x.copy()).requires_grad_(x.dtype.kind == "f")
    out_s, out_t = ours(xs), theirs(xt)
    np.testing.assert_allclose(out_s.detach().numpy(), out_t.detach().numpy(), RTOL, ATOL)
    g = np.random.default_rng(seed).standard_normal(out_t.shape).astype(np.float32)
    out_s.backward(sg.from_numpy(g))
    out_t.backward(torch.from_numpy(g))
    if x.dtype.kind == "f":
        np.testing.assert_allclose(xs.grad.numpy(), xt.grad.numpy(), RTOL, ATOL)
    return out_s, out_t


def assert_param_grads_equal(ours: nn.Module, theirs: torch.nn.Module) -> None:
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(
            p.grad.numpy(), theirs_params[name].grad.numpy(), RTOL, ATOL, err_msg=name
        )


def assert_same_structure(ours: nn.Module, theirs: torch.nn.Module) -> None:
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for k, v in theirs.state_dict().items():
        assert ours.state_dict()[k].shape == tuple(v.shape), k


def x32(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# ------------------------------------------------------------------ Linear
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(5, 3), (2, 4, 3), (3,)])
def test_linear_matches_torch(bias: bool, shape: tuple[int, ...]) -> None:
    theirs = torch.nn.Linear(3, 4, bias=bias)
    ours = nn.Linear(3, 4, bias=bias)
    assert_same_structure(ours, theirs)
    copy_from_torch(ours, theirs)
    run_both(ours, theirs, x32(*shape))
    assert_param_grads_equal(ours, theirs)


def test_linear_float64() -> None:
    theirs = torch.nn.Linear(3, 2, dtype=torch.float64)
    ours = nn.Linear(3, 2, dtype=sg.float64)
    copy_from_torch(ours, theirs)
    x = np.random.default_rng(1).standard_normal((4, 3))
    out = ours(sg.from_numpy(x))
    assert out.dtype == sg.float64
    np.testing.assert_allclose(out.detach().numpy(), theirs(torch.from_numpy(x)).detach().numpy())


def test_linear_default_init_has_torch_distribution() -> None:
    """weight and bias ~ U(-1/sqrt(in), 1/sqrt(in)): same bounds and std as torch's draws."""
    fan_in = 400
    ours, theirs = nn.Linear(fan_in, 300), torch.nn.Linear(fan_in, 300)
    bound = 1 / math.sqrt(fan_in)
    for name in ("weight", "bias"):
        a = getattr(ours, name).detach().numpy()
        b = getattr(theirs, name).detach().numpy()
        assert a.dtype == np.float32
        assert np.abs(a).max() <= bound and np.abs(b).max() <= bound
        n = a.size
        assert abs(a.mean()) < 5 * bound / math.sqrt(3 * n)
        std = bound / math.sqrt(3)  # of U(-bound, bound)
        tol = 5 * std / math.sqrt(n)  # generous: the std's sampling error is ~std/sqrt(2n)
        assert abs(a.std() - std) < tol and abs(b.std() - std) < tol
        assert abs(np.abs(a).max() - bound) < 0.05 * bound  # the range is used


def test_linear_reset_parameters_redraws_and_seeds_reproduce() -> None:
    sg.manual_seed(0)
    a = nn.Linear(5, 5)
    sg.manual_seed(0)
    b = nn.Linear(5, 5)
    np.testing.assert_array_equal(a.weight.detach().numpy(), b.weight.detach().numpy())
    before = a.weight.detach().numpy().copy()
    a.reset_parameters()
    assert not np.array_equal(before, a.weight.detach().numpy())


def test_linear_and_embedding_reject_another_device() -> None:
    with pytest.raises(RuntimeError, match="^Linear: device 'cuda' is not available; .* CPU$"):
        nn.Linear(2, 2, device="cuda")
    with pytest.raises(RuntimeError, match="^Embedding: device 'mps:0' is not available"):
        nn.Embedding(3, 2, device="mps:0")
    assert nn.Linear(2, 2, device="cpu:0").weight.device == sg.device("cpu")


# ------------------------------------------------------------------ Identity, Flatten, Unflatten
def test_identity_returns_its_input() -> None:
    x = sg.ones(2, 3)
    assert nn.Identity(54, unused="x")(x) is x
    assert repr(nn.Identity()) == repr(torch.nn.Identity())


@pytest.mark.parametrize(("start", "end"), [(1, -1), (0, -1), (1, 2), (-2, -1)])
def test_flatten_matches_torch(start: int, end: int) -> None:
    ours, theirs = nn.Flatten(start, end), torch.nn.Flatten(start, end)
    assert_same_structure(ours, theirs)
    run_both(ours, theirs, x32(2, 3, 4, 5))


@pytest.mark.parametrize(("dim", "size"), [(1, (3, 4)), (-1, (2, -1)), (0, (1, 2))])
def test_unflatten_matches_torch(dim: int, size: tuple[int, ...]) -> None:
    ours, theirs = nn.Unflatten(dim, size), torch.nn.Unflatten(dim, size)
    assert_same_structure(ours, theirs)
    run_both(ours, theirs, x32(2, 12))


def test_flatten_then_unflatten_round_trips() -> None:
    x = sg.randn(2, 3, 4)
    y = nn.Unflatten(1, (3, 4))(nn.Flatten()(x))
    np.testing.assert_array_equal(y.numpy(), x.numpy())


# ------------------------------------------------------------------ Dropout
def test_dropout_train_and_eval() -> None:
    layer = nn.Dropout(0.25)
    assert_same_structure(layer, torch.nn.Dropout(0.25))
    x = sg.ones(100_000)
    out = layer(x).numpy()
    assert abs((out == 0).mean() - 0.25) < 0.01
    np.testing.assert_allclose(out[out != 0], 1 / 0.75, rtol=1e-6)
    layer.eval()
    assert layer(x) is x
    assert repr(nn.Dropout(0.1, inplace=True)) == repr(torch.nn.Dropout(0.1, inplace=True))


def test_dropout_gradient_matches_its_mask() -> None:
    x = sg.randn(30, 30, requires_grad=True)
    out = nn.Dropout(0.5)(x)
    out.sum().backward()
    kept = out.detach().numpy() != 0
    np.testing.assert_allclose(x.grad.numpy(), np.where(kept, 2.0, 0.0))


def test_dropout_p0_matches_torch_in_train_mode() -> None:
    run_both(nn.Dropout(0.0), torch.nn.Dropout(0.0), x32(4, 5))


@pytest.mark.parametrize("p", [-0.1, 1.1])
def test_dropout_rejects_bad_probability(p: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(p)


# ------------------------------------------------------------------ Embedding
@pytest.mark.parametrize("padding_idx", [None, 0, -1])
def test_embedding_matches_torch(padding_idx: int | None) -> None:
    theirs = torch.nn.Embedding(10, 3, padding_idx=padding_idx)
    ours = nn.Embedding(10, 3, padding_idx=padding_idx)
    assert_same_structure(ours, theirs)
    copy_from_torch(ours, theirs)
    idx = np.array([[0, 2, 2, 9], [9, 1, 0, 2]], dtype=np.int64)
    run_both(ours, theirs, idx)
    assert_param_grads_equal(ours, theirs)
    if padding_idx is not None:
        assert not ours.weight.grad.numpy()[padding_idx].any()


def test_embedding_default_init_is_standard_normal_with_a_zero_padding_row() -> None:
    ours = nn.Embedding(500, 200, padding_idx=3)
    w = ours.weight.detach().numpy()
    assert w.dtype == np.float32
    assert not w[3].any()
    rest = np.delete(w, 3, axis=0)
    assert abs(rest.mean()) < 0.01 and abs(rest.std() - 1.0) < 0.01
    theirs = torch.nn.Embedding(500, 200, padding_idx=3).weight.detach().numpy()
    assert abs(np.delete(theirs, 3, axis=0).std() - rest.std()) < 0.01


def test_embedding_rejects_padding_idx_out_of_range() -> None:
    with pytest.raises(ValueError, match="padding_idx must be within num_embeddings"):
        nn.Embedding(5, 2, padding_idx=5)


def test_embedding_from_pretrained() -> None:
    table = sg.randn(4, 3)
    frozen = nn.Embedding.from_pretrained(table)
    assert not frozen.weight.requires_grad
    np.testing.assert_array_equal(frozen(sg.tensor([2])).numpy(), table.numpy()[[2]])
    trainable = nn.Embedding.from_pretrained(table, freeze=False, padding_idx=1)
    assert trainable.weight.requires_grad and trainable.padding_idx == 1
    t = torch.nn.Embedding.from_pretrained(torch.from_numpy(table.numpy()), padding_idx=1)
    assert repr(trainable) == repr(t)


# ------------------------------------------------------------------ Dropout1d/2d/3d
@pytest.mark.parametrize(
    ("name", "shape"),
    [("Dropout1d", (3, 4, 5)), ("Dropout2d", (2, 3, 4, 5)), ("Dropout3d", (3, 2, 2, 2))],
)
def test_channel_dropout_modules_match_torch(name: str, shape: tuple) -> None:
    ours, theirs = getattr(nn, name)(0.3), getattr(torch.nn, name)(0.3)
    assert repr(ours) == repr(theirs)
    assert not isinstance(ours, nn.Dropout)  # as torch: a _DropoutNd, not a Dropout
    sg.manual_seed(0)
    x = sg.ones(*shape, requires_grad=True)
    y = ours(x)
    assert y.shape == shape
    y.sum().backward()
    ratio = y.detach().numpy()
    assert np.all((ratio == 0) | np.isclose(ratio, 1 / 0.7))
    np.testing.assert_array_equal(x.grad.numpy(), ratio)  # gradient = mask / (1 - p)
    ours.eval()
    z = sg.ones(*shape)
    assert ours(z) is z


def test_channel_dropout_refuses_bad_p() -> None:
    with pytest.raises(ValueError, match="between 0 and 1, but got -0.1"):
        nn.Dropout2d(-0.1)
