"""Transformer layers and stacks against torch.nn: outputs and every gradient, init, repr."""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from tests.nn.test_attention import check_module, padding, rand

pytestmark = pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")

D, H, FF, N, S, T = 8, 2, 16, 3, 5, 4


def causal(n: int) -> np.ndarray:
    return np.triu(np.full((n, n), -np.inf), 1)


def _seq(n_seq: int, batch_first: bool, seed: int = 0) -> np.ndarray:
    return rand(N, n_seq, D, seed=seed) if batch_first else rand(n_seq, N, D, seed=seed)


def _layers(cls: str, **kw):
    torch.manual_seed(0)
    kw = {"dropout": 0.0, **kw}
    return getattr(nn, cls)(D, H, FF, **kw), getattr(torch.nn, cls)(D, H, FF, **kw)


ENC_KW = [
    {},
    {"src_mask": causal(S), "is_causal": True},
    {"src_mask": np.triu(np.ones((S, S), bool), 1)},
    {"src_key_padding_mask": padding(N, S)},
    {"src_mask": rand(S, S, seed=3), "src_key_padding_mask": np.where(padding(N, S), -np.inf, 0)},
]


def _ids(kw: dict) -> str:
    return ",".join(f"{k}={v.dtype if isinstance(v, np.ndarray) else v}" for k, v in kw.items())


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("fkw", ENC_KW, ids=[_ids(k) for k in ENC_KW])
def test_encoder_layer_matches_torch(fkw, batch_first, norm_first, activation, dtype) -> None:
    kw = {"batch_first": batch_first, "norm_first": norm_first, "activation": activation}
    ours, theirs = _layers("TransformerEncoderLayer", **kw)
    check_module(ours, theirs, [_seq(S, batch_first)], fkw, dtype)


DEC_KW = [
    {},
    {"tgt_mask": causal(T), "tgt_is_causal": True},
    {"tgt_mask": causal(T), "memory_key_padding_mask": padding(N, S)},
    {"tgt_key_padding_mask": padding(N, T), "memory_mask": rand(T, S, seed=4)},
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("fkw", DEC_KW, ids=[_ids(k) for k in DEC_KW])
def test_decoder_layer_matches_torch(fkw, batch_first, norm_first, activation, dtype) -> None:
    kw = {"batch_first": batch_first, "norm_first": norm_first, "activation": activation}
    ours, theirs = _layers("TransformerDecoderLayer", **kw)
    args = [_seq(T, batch_first), _seq(S, batch_first, seed=1)]
    check_module(ours, theirs, args, fkw, dtype)


def test_layers_take_activation_callables_and_no_bias() -> None:
    ours, theirs = _layers("TransformerEncoderLayer", bias=False)
    ours.activation, theirs.activation = nn.GELU(), torch.nn.GELU()
    check_module(ours, theirs, [_seq(S, False)])
    ours, theirs = _layers("TransformerEncoderLayer", activation=sg.nn.functional.gelu)
    theirs.activation = torch.nn.functional.gelu
    check_module(ours, theirs, [_seq(S, False)])


def test_unbatched_layers_match_torch() -> None:
    ours, theirs = _layers("TransformerEncoderLayer", batch_first=True)
    check_module(ours, theirs, [rand(S, D)], {"src_mask": causal(S), "is_causal": True})
    ours, theirs = _layers("TransformerDecoderLayer")
    check_module(ours, theirs, [rand(T, D), rand(S, D, seed=1)], {"tgt_mask": causal(T)})


def _stack(kind: str, layers: int = 2, norm: bool = True, **kw):
    ours_layer, theirs_layer = _layers(f"Transformer{kind}Layer", **kw)
    norms = (nn.LayerNorm(D), torch.nn.LayerNorm(D)) if norm else (None, None)
    return (
        getattr(nn, f"Transformer{kind}")(ours_layer, layers, norms[0]),
        getattr(torch.nn, f"Transformer{kind}")(theirs_layer, layers, norms[1]),
    )


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize(
    "fkw",
    [{}, {"mask": causal(S)}, {"mask": causal(S), "src_key_padding_mask": padding(N, S)}],
    ids=["plain", "causal-detected", "causal+kpm"],
)
def test_encoder_stack_matches_torch(fkw, norm_first, dtype) -> None:
    ours, theirs = _stack("Encoder", norm_first=norm_first, batch_first=True)
    for i in range(2):  # deep copies: the same start values, separate parameters
        assert ours.layers[i].linear1.weight is not ours.layers[1 - i].linear1.weight
    check_module(ours, theirs, [_seq(S, True)], fkw, dtype)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(
    "fkw",
    [{}, {"tgt_mask": causal(T), "memory_key_padding_mask": padding(N, S)}],
    ids=["plain", "masks"],
)
def test_decoder_stack_matches_torch(fkw, dtype) -> None:
    ours, theirs = _stack("Decoder", layers=3)
    check_module(ours, theirs, [_seq(T, False), _seq(S, False, seed=1)], fkw, dtype)


def _transformers(**kw):
    torch.manual_seed(0)
    args = {"d_model": D, "nhead": H, "num_encoder_layers": 2, "num_decoder_layers": 1,
            "dim_feedforward": FF, "dropout": 0.0, **kw}  # fmt: skip
    return nn.Transformer(**args), torch.nn.Transformer(**args)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(
    ("kw", "fkw"),
    [
        ({}, {}),
        ({"batch_first": True, "norm_first": True}, {"tgt_mask": causal(T)}),
        (
            {"activation": "gelu"},
            {
                "tgt_mask": causal(T),
                "tgt_is_causal": True,
                "src_key_padding_mask": padding(N, S),
                "memory_key_padding_mask": padding(N, S),
            },
        ),
    ],
    ids=["default", "batch_first-norm_first", "gelu-masks"],
)
def test_transformer_matches_torch(kw, fkw, dtype) -> None:
    ours, theirs = _transformers(**kw)
    bf = kw.get("batch_first", False)
    check_module(ours, theirs, [_seq(S, bf), _seq(T, bf, seed=1)], fkw, dtype)


def test_transformer_init_is_xavier_for_matrices() -> None:
    model = nn.Transformer(16, 4, 1, 1, 32)
    state = model.state_dict()
    assert list(state) == list(torch.nn.Transformer(16, 4, 1, 1, 32).state_dict())
    for name, p in model.named_parameters():
        w = p.detach().numpy()
        if w.ndim > 1:
            bound = math.sqrt(6 / sum(w.shape))
            assert np.abs(w).max() <= bound and np.abs(w).max() > 0.8 * bound, name
        elif "norm" in name and name.endswith("weight"):
            assert (w == 1).all(), name
        elif name.endswith("in_proj_bias") or name.endswith("out_proj.bias"):
            assert not w.any(), name
    assert model.d_model == 16 and model.nhead == 4 and not model.batch_first


def test_generate_square_subsequent_mask_matches_torch() -> None:
    ours = nn.Transformer.generate_square_subsequent_mask(5)
    theirs = torch.nn.Transformer.generate_square_subsequent_mask(5)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours.dtype == sg.float32
    assert nn.Transformer.generate_square_subsequent_mask(3, dtype=sg.float64).dtype == sg.float64


def test_reprs_match_torch() -> None:
    for cls in ("TransformerEncoderLayer", "TransformerDecoderLayer"):
        ours, theirs = _layers(cls)
        assert repr(ours) == repr(theirs).replace("NonDynamicallyQuantizableLinear", "Linear")
    ours, theirs = _stack("Encoder")
    assert repr(ours) == repr(theirs).replace("NonDynamicallyQuantizableLinear", "Linear")


def test_dropout_only_in_training() -> None:
    layer = nn.TransformerEncoderLayer(D, H, FF, dropout=0.5)
    x = sg.from_numpy(_seq(S, False).astype(np.float32))
    layer.eval()
    a, b = layer(x), layer(x)
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    layer.train()
    c = layer(x)
    assert not np.allclose(a.detach().numpy(), c.detach().numpy())


def test_errors() -> None:
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        nn.TransformerEncoderLayer(D, H, activation="tanh")
    model = nn.Transformer(D, H, 1, 1, FF)
    with pytest.raises(sg.ShapeError, match="batch number"):
        model(sg.randn(S, 2, D), sg.randn(T, 3, D))
    with pytest.raises(sg.ShapeError, match="d_model"):
        model(sg.randn(S, 2, 6), sg.randn(T, 2, 6))


def test_causal_mask_detection_like_torch() -> None:
    from scratchgrad.nn.transformer import _is_causal

    bool_causal = sg.from_numpy(np.triu(np.ones((4, 4), bool), 1))
    assert _is_causal(bool_causal, None, 4)
    assert _is_causal(nn.Transformer.generate_square_subsequent_mask(4), None, 4)
    assert not _is_causal(sg.zeros(4, 4), None, 4)
    assert not _is_causal(bool_causal, False, 4)
    assert not _is_causal(None, None, 4)
