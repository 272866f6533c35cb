"""The GPT exported to ONNX: logits equal ours for any batch size and sequence length."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.errors import OnnxExportError
from scratchgrad.models.gpt import GPT, Block, GPTConfig
from scratchgrad.onnx import export
from tests.onnx._common import assert_runs_like_ours, ort


def test_gpt_with_symbolic_batch_and_length(tmp_path):
    sg.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=13, block_size=8, n_layer=2, n_head=2, n_embd=16))
    dyn = {"idx": {0: "B", 1: "T"}, "logits": {0: "B", 1: "T"}}
    others = (sg.randint(0, 13, (1, 8)), sg.randint(0, 13, (4, 1)))
    assert_runs_like_ours(
        model,
        sg.randint(0, 13, (2, 5)),
        tmp_path / "gpt.onnx",
        others=others,
        input_names=["idx"],
        output_names=["logits"],
        dynamic_axes=dyn,
    )


def test_gpt_without_biases_and_a_block_alone(tmp_path):
    sg.manual_seed(1)
    cfg = GPTConfig(vocab_size=7, block_size=6, n_layer=1, n_head=4, n_embd=8, bias=False)
    assert_runs_like_ours(GPT(cfg), sg.randint(0, 7, (2, 6)), tmp_path / "a.onnx")
    assert_runs_like_ours(Block(cfg), sg.randn(2, 6, 8), tmp_path / "b.onnx")


@pytest.mark.parametrize("batch_first", [True, False])
def test_multihead_self_attention(batch_first, tmp_path):
    sg.manual_seed(0)
    mha = nn.MultiheadAttention(8, 2, batch_first=batch_first)
    mha.in_proj_bias.data = sg.randn(24) * 0.1

    class SelfAttention(nn.Module):  # what the converter computes: mha(x, x, x)[0]
        def __init__(self):
            super().__init__()
            self.mha = mha

        def forward(self, x):
            return self.mha(x, x, x, need_weights=False)[0]

    x = sg.randn(3, 5, 8)
    export(mha, x, tmp_path / "m.onnx")
    session = ort.InferenceSession(str(tmp_path / "m.onnx"))
    (got,) = session.run(None, {"input": x.numpy()})
    with sg.no_grad():
        np.testing.assert_allclose(got, SelfAttention().eval()(x).numpy(), atol=1e-5)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
def test_transformer_encoder(norm_first, activation, tmp_path):
    sg.manual_seed(0)
    layer = nn.TransformerEncoderLayer(
        8, 2, 16, activation=activation, batch_first=True, norm_first=norm_first
    )
    enc = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8))
    dyn = {"input": {0: "N", 1: "S"}, "output": {0: "N", 1: "S"}}
    assert_runs_like_ours(
        enc, sg.randn(2, 5, 8), tmp_path / "e.onnx", dynamic_axes=dyn, others=(sg.randn(1, 3, 8),)
    )


def test_encoder_layer_with_a_custom_activation_is_refused(tmp_path):
    layer = nn.TransformerEncoderLayer(8, 2, 16, activation=lambda t: t * 2, batch_first=True)
    with pytest.raises(OnnxExportError, match="activation"):
        export(layer, sg.randn(1, 3, 8), tmp_path / "m.onnx")
