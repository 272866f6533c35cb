"""Each converted layer runs under onnxruntime as it runs in scratchgrad (float32, 1e-5)."""

import pytest

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.errors import OnnxExportError
from scratchgrad.onnx.layers import CONVERTERS, emit
from tests.onnx._common import assert_runs_like_ours

IMAGE = [
    nn.Conv2d(3, 4, 3),
    nn.Conv2d(3, 6, 3, stride=2, padding=1, dilation=1, groups=3, bias=False),
    nn.Conv2d(3, 4, 3, padding="same", dilation=2),
    nn.MaxPool2d(2),
    nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
    nn.AvgPool2d(2),
    nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False),
    nn.AdaptiveAvgPool2d(1),
    nn.BatchNorm2d(3),
    nn.Flatten(),
]
VECTOR = [
    nn.Linear(6, 5),
    nn.Linear(6, 5, bias=False),
    nn.BatchNorm1d(6),
    nn.LayerNorm(6),
    nn.LayerNorm(6, elementwise_affine=False),
    nn.ReLU(),
    nn.Tanh(),
    nn.Sigmoid(),
    nn.Softsign(),
    nn.LeakyReLU(0.2),
    nn.ELU(0.5),
    nn.SiLU(),
    nn.GELU(),
    nn.GELU(approximate="tanh"),
    nn.Softmax(dim=1),
    nn.LogSoftmax(dim=-1),
    nn.Dropout(0.5),
    nn.Identity(),
]


def _randomize_stats(m):
    if isinstance(m, nn.BatchNorm1d | nn.BatchNorm2d):
        m.running_mean.array[:] = sg.randn(m.num_features).array
        m.running_var.array[:] = sg.rand(m.num_features).array + 0.5
    return m


@pytest.mark.parametrize("layer", IMAGE, ids=repr)
def test_image_layers(layer, tmp_path):
    sg.manual_seed(0)
    x = sg.randn(2, 3, 9, 9)
    dyn = {"input": {0: "N"}, "output": {0: "N"}}
    others = (sg.randn(5, 3, 9, 9),)
    assert_runs_like_ours(
        _randomize_stats(layer), x, tmp_path / "m.onnx", dynamic_axes=dyn, others=others
    )


@pytest.mark.parametrize("layer", VECTOR, ids=repr)
def test_vector_layers(layer, tmp_path):
    sg.manual_seed(0)
    x = sg.randn(4, 6) * 3
    assert_runs_like_ours(
        _randomize_stats(layer),
        x,
        tmp_path / "m.onnx",
        dynamic_axes={"input": [0], "output": [0]},
        others=(sg.randn(1, 6),),
    )


def test_linear_on_3d_input_and_embedding(tmp_path):
    sg.manual_seed(0)
    assert_runs_like_ours(nn.Linear(4, 3), sg.randn(2, 5, 4), tmp_path / "a.onnx")
    idx = sg.randint(0, 10, (3, 4))
    assert_runs_like_ours(nn.Embedding(10, 6), idx, tmp_path / "b.onnx")


def test_unsupported_module_is_named():
    class Odd(nn.Module):
        def forward(self, x):
            return x

    with pytest.raises(OnnxExportError, match="no converter for Odd"):
        emit(None, Odd(), "x")  # type: ignore[arg-type]
    assert nn.Linear in CONVERTERS and nn.Sequential in CONVERTERS


def test_unsupported_settings_are_refused(tmp_path):
    from scratchgrad.onnx import export

    with pytest.raises(OnnxExportError, match="return_indices"):
        export(nn.MaxPool2d(2, return_indices=True), sg.randn(1, 1, 4, 4), tmp_path / "m.onnx")
    with pytest.raises(OnnxExportError, match="padding_mode"):
        export(
            nn.Conv2d(1, 1, 3, padding=1, padding_mode="reflect"),
            sg.randn(1, 1, 4, 4),
            tmp_path / "m.onnx",
        )


def test_conv1d_and_asymmetric_same_padding(tmp_path):
    sg.manual_seed(0)
    assert_runs_like_ours(
        nn.Conv1d(2, 3, 4, padding="same"), sg.randn(2, 2, 9), tmp_path / "a.onnx"
    )
    assert_runs_like_ours(
        nn.Conv2d(2, 3, (2, 4), padding="same"), sg.randn(1, 2, 5, 7), tmp_path / "b.onnx"
    )
