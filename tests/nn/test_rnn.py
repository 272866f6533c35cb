"""RNN, LSTM, GRU and their cells against their torch.nn twins: values, grads, init, repr."""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.errors import ShapeError

torch.set_num_threads(2)
TOL = {"float32": (1e-5, 1e-5), "float64": (1e-10, 1e-12)}
L, N, H_IN, H = 5, 3, 4, 6


def _pair(kind: str, *args, **kw) -> tuple[nn.Module, torch.nn.Module]:
    ours, theirs = getattr(nn, kind)(*args, **kw), getattr(torch.nn, kind)(*args, **kw)
    return ours, theirs


def _load(ours: nn.Module, theirs: torch.nn.Module, dtype: str) -> None:
    """Same repr, state_dict names, order and shapes; then torch's values into ours."""
    assert repr(ours) == repr(theirs)
    sd = theirs.state_dict()
    assert list(ours.state_dict()) == list(sd)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    for k, v in sd.items():
        assert ours.state_dict()[k].shape == tuple(v.shape), k
    ours.to(dtype=getattr(sg, dtype))
    ours.load_state_dict({k: v.detach().numpy().astype(dtype) for k, v in sd.items()})
    theirs.to(getattr(torch, dtype))


def _flat(out) -> list:
    """(output, h) or (output, (h, c)) or h or (h, c) -> a flat list of tensors."""
    if isinstance(out, tuple | list):
        return [t for o in out for t in _flat(o)]
    return [out]


def _inputs(shapes: list[tuple[int, ...]], dtype: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    ours = [sg.from_numpy(a.copy()).requires_grad_() for a in arrays]
    theirs = [torch.from_numpy(a.copy()).requires_grad_() for a in arrays]
    return ours, theirs


def compare(ours, theirs, args_s, args_t, call, dtype: str) -> None:
    """Outputs equal; then the grads of every input and parameter for random upstream grads."""
    rtol, atol = TOL[dtype]
    outs_s, outs_t = _flat(call(ours, args_s)), _flat(call(theirs, args_t))
    assert len(outs_s) == len(outs_t)
    for k, (o, t) in enumerate(zip(outs_s, outs_t, strict=True)):
        assert o.shape == tuple(t.shape), f"output {k}"
        np.testing.assert_allclose(o.detach().numpy(), t.detach().numpy(), rtol, atol, f"out {k}")
    rng = np.random.default_rng(1)
    seeds = [rng.standard_normal(t.shape).astype(dtype) for t in outs_t]
    sum((o * sg.from_numpy(g)).sum() for o, g in zip(outs_s, seeds, strict=True)).backward()
    sum((t * torch.from_numpy(g)).sum() for t, g in zip(outs_t, seeds, strict=True)).backward()
    for k, (a, b) in enumerate(zip(_flat(args_s), _flat(args_t), strict=True)):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol, atol, f"grad of arg {k}")
    params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), params[name].grad.numpy(), rtol, atol, name)


# ------------------------------------------------------------------ RNN, LSTM, GRU
CONFIGS = [
    ("RNN", {}),
    ("RNN", {"nonlinearity": "relu", "num_layers": 2}),
    ("RNN", {"bias": False, "bidirectional": True}),
    ("LSTM", {}),
    ("LSTM", {"num_layers": 2}),
    ("LSTM", {"bidirectional": True, "batch_first": True}),
    ("LSTM", {"num_layers": 2, "bidirectional": True, "bias": False}),
    ("GRU", {}),
    ("GRU", {"num_layers": 2, "batch_first": True}),
    ("GRU", {"bidirectional": True, "num_layers": 2}),
    ("GRU", {"bias": False}),
]


def _seq_args(kind: str, kw: dict, dtype: str, state: bool, batched: bool):
    d = (2 if kw.get("bidirectional") else 1) * kw.get("num_layers", 1)
    x_shape = ((N, L) if kw.get("batch_first") else (L, N)) if batched else (L,)
    h_shape = (d, N, H) if batched else (d, H)
    shapes = [(*x_shape, H_IN)] + [h_shape] * ((2 if kind == "LSTM" else 1) if state else 0)
    ours, theirs = _inputs(shapes, dtype)

    def pack(ts):
        if not state:
            return (ts[0],)
        return (ts[0], (ts[1], ts[2])) if kind == "LSTM" else (ts[0], ts[1])

    return pack(ours), pack(theirs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("state", "batched"), [(False, True), (True, True), (True, False)])
@pytest.mark.parametrize(("kind", "kw"), CONFIGS, ids=[f"{k}-{kw}" for k, kw in CONFIGS])
def test_layer_matches_torch(kind: str, kw: dict, state: bool, batched: bool, dtype: str) -> None:
    ours, theirs = _pair(kind, H_IN, H, **kw)
    _load(ours, theirs, dtype)
    args_s, args_t = _seq_args(kind, kw, dtype, state, batched)
    compare(ours, theirs, args_s, args_t, lambda m, a: m(*a), dtype)


def test_unbatched_without_state_matches_torch() -> None:
    ours, theirs = _pair("LSTM", H_IN, H, bidirectional=True, batch_first=True)
    _load(ours, theirs, "float64")
    args_s, args_t = _seq_args("LSTM", {}, "float64", False, False)
    compare(ours, theirs, args_s, args_t, lambda m, a: m(*a), "float64")


def test_lstm_language_model_shapes_and_float32() -> None:
    out, (h, c) = nn.LSTM(8, 16, num_layers=2, batch_first=True)(sg.randn(4, 7, 8))
    assert (out.shape, h.shape, c.shape) == ((4, 7, 16), (2, 4, 16), (2, 4, 16))
    assert out.dtype == h.dtype == c.dtype == sg.float32


# ------------------------------------------------------------------ cells
CELLS = [
    ("RNNCell", {}),
    ("RNNCell", {"nonlinearity": "relu"}),
    ("RNNCell", {"bias": False}),
    ("LSTMCell", {}),
    ("LSTMCell", {"bias": False}),
    ("GRUCell", {}),
    ("GRUCell", {"bias": False}),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("state", "batched"), [(False, True), (True, True), (True, False)])
@pytest.mark.parametrize(("kind", "kw"), CELLS, ids=[f"{k}-{kw}" for k, kw in CELLS])
def test_cell_matches_torch(kind: str, kw: dict, state: bool, batched: bool, dtype: str) -> None:
    ours, theirs = _pair(kind, H_IN, H, **kw)
    _load(ours, theirs, dtype)
    lead = (N,) if batched else ()
    n_states = (2 if kind == "LSTMCell" else 1) if state else 0
    (x, *hs), (xt, *hts) = _inputs([(*lead, H_IN)] + [(*lead, H)] * n_states, dtype)
    pack = (lambda a, s: (a, tuple(s))) if kind == "LSTMCell" and state else (lambda a, s: (a, *s))
    compare(ours, theirs, pack(x, hs), pack(xt, hts), lambda m, a: m(*a), dtype)


# ------------------------------------------------------------------ init, repr, dropout
@pytest.mark.parametrize(
    ("kind", "kw"),
    [*CONFIGS, *CELLS, ("LSTM", {"num_layers": 3, "dropout": 0.2})],
    ids=str,
)
def test_default_init_and_repr(kind: str, kw: dict) -> None:
    sg.manual_seed(0)
    ours, theirs = _pair(kind, H_IN, H, **kw)
    assert repr(ours) == repr(theirs)
    names = [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_parameters()] == names
    bound = 1 / math.sqrt(H)
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
        assert p.shape == tuple(q.shape) and p.dtype == sg.float32, name
        v = p.detach().numpy()
        assert np.abs(v).max() <= bound and np.ptp(v) > 0, name
    values = np.concatenate([p.detach().numpy().ravel() for p in ours.parameters()])
    assert abs(values.std() - bound / math.sqrt(3)) < 0.2 * bound  # U(-b, b): std b/sqrt(3)


def test_init_uses_the_global_generator() -> None:
    sg.manual_seed(3)
    a = nn.LSTM(3, 4).weight_hh_l0.detach().numpy().copy()
    sg.manual_seed(3)
    b = nn.LSTM(3, 4).weight_hh_l0.detach().numpy()
    np.testing.assert_array_equal(a, b)


@pytest.mark.filterwarnings("ignore:dropout option adds dropout")
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_reprs(kind: str) -> None:
    kw = {"num_layers": 2, "batch_first": True, "dropout": 0.5, "bidirectional": True}
    for k, v in kw.items():
        assert repr(getattr(nn, kind)(10, 20, **{k: v})) == repr(
            getattr(torch.nn, kind)(10, 20, **{k: v})
        )
    assert (
        repr(nn.LSTM(10, 20, 2, batch_first=True)) == "LSTM(10, 20, num_layers=2, batch_first=True)"
    )


def test_dropout_between_layers_only_in_training() -> None:
    ours, theirs = _pair("LSTM", H_IN, H, num_layers=2, dropout=0.5)
    _load(ours, theirs, "float64")
    x = np.random.default_rng(0).standard_normal((L, N, H_IN))
    ours.eval(), theirs.eval()
    eval_out = ours(sg.from_numpy(x))[0].detach().numpy()
    np.testing.assert_allclose(eval_out, theirs(torch.from_numpy(x))[0].detach().numpy(), 1e-10)
    ours.train()
    sg.manual_seed(0)
    train_a = ours(sg.from_numpy(x))[0].detach().numpy()
    sg.manual_seed(0)
    train_b = ours(sg.from_numpy(x))[0].detach().numpy()
    np.testing.assert_array_equal(train_a, train_b)  # same seed, same mask
    assert not np.allclose(train_a, eval_out)
    # no dropout after the last layer: a one-layer LSTM with dropout trains as without
    with pytest.warns(UserWarning, match="num_layers greater than 1"):
        one = nn.LSTM(H_IN, H, dropout=0.5).double()
    ref = one.eval()(sg.from_numpy(x))[0].detach().numpy()
    np.testing.assert_array_equal(one.train()(sg.from_numpy(x))[0].detach().numpy(), ref)


def test_state_dict_from_torch_loads_into_a_new_layer() -> None:
    theirs = torch.nn.GRU(H_IN, H, num_layers=2, bidirectional=True)
    ours = nn.GRU(H_IN, H, num_layers=2, bidirectional=True)
    result = ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    assert not result.missing_keys and not result.unexpected_keys
    assert len(ours.all_weights) == 4 and len(ours.all_weights[0]) == 4


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: nn.LSTM(4, 6)(sg.zeros(2, 3, 4, 5)), ValueError, "2D or 3D, got 4D"),
        (lambda: nn.GRU(4, 6)(sg.zeros(5, 3, 5)), ShapeError, "Expected 4, got 5"),
        (lambda: nn.RNN(4, 6)(sg.zeros(5, 3, 4), sg.zeros(1, 3, 5)), ShapeError, "hidden size"),
        (lambda: nn.RNN(4, 6)(sg.zeros(5, 3, 4), sg.zeros(3, 6)), ShapeError, "3-D"),
        (lambda: nn.RNN(4, 6)(sg.zeros(5, 4), sg.zeros(1, 3, 6)), ShapeError, "2-D"),
        (
            lambda: nn.LSTM(4, 6)(sg.zeros(5, 3, 4), (sg.zeros(1, 3, 6), sg.zeros(1, 2, 6))),
            ShapeError,
            r"hidden\[1\] size \(1, 3, 6\), got \[1, 2, 6\]",
        ),
        (lambda: nn.LSTM(4, 6)(sg.zeros(5, 3, 4, dtype=sg.float64)), ValueError, "dtype"),
        (lambda: nn.LSTM(4, 6)(sg.zeros(0, 3, 4)), ShapeError, "larger than 0"),
        (lambda: nn.LSTM(4, 6, proj_size=2), NotImplementedError, "proj_size"),
        (lambda: nn.RNN(4, 6, nonlinearity="gelu"), ValueError, "nonlinearity"),
        (lambda: nn.GRU(4, 6, dropout=1.5), ValueError, "dropout"),
        (lambda: nn.GRU(0, 6), ValueError, "input_size"),
        (lambda: nn.LSTMCell(4, 6)(sg.zeros(2, 3, 4)), ValueError, "1D or 2D, got 3D"),
        (lambda: nn.GRUCell(4, 6)(sg.zeros(2, 5)), ShapeError, "got 5, expected 4"),
        (lambda: nn.RNNCell(4, 6)(sg.zeros(2, 4), sg.zeros(3, 6)), ShapeError, "hidden0"),
        (
            lambda: nn.LSTMCell(4, 6)(sg.zeros(2, 4), (sg.zeros(2, 6), sg.zeros(2, 5))),
            ShapeError,
            "hidden1",
        ),
    ],
)
def test_errors_say_what_was_expected(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("cls", ["RNN", "GRU", "LSTM"])
def test_flatten_parameters_is_a_no_op_as_on_torchs_cpu(cls: str) -> None:
    layer = getattr(nn, cls)(3, 4)
    before = {k: v.numpy().copy() for k, v in layer.state_dict().items()}
    assert layer.flatten_parameters() is None
    after = layer.state_dict()
    assert list(after) == list(before)
    for k, v in before.items():
        np.testing.assert_array_equal(after[k].numpy(), v)
