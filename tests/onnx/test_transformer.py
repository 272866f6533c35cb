"""The GPT exported to ONNX: logits equal ours for any batch size and sequence length."""

import scratchgrad as sg
from scratchgrad.models.gpt import GPT, Block, GPTConfig
from tests.onnx._common import assert_runs_like_ours


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
