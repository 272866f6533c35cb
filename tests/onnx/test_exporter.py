"""export(): torch.onnx.export's signature, a checked file, opset/IR onnxruntime accepts."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.onnx import IR_VERSION, OPSET, export
from tests.onnx._common import assert_runs_like_ours

onnx = pytest.importorskip("onnx")


def _cnn():
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(4 * 4 * 4, 10),
    )


def test_cnn_file_is_checked_and_matches_under_onnxruntime(tmp_path):
    sg.manual_seed(0)
    model = _cnn()
    path = tmp_path / "cnn.onnx"
    dyn = {"image": {0: "batch"}, "logits": {0: "batch"}}
    assert_runs_like_ours(
        model,
        sg.randn(3, 1, 8, 8),
        path,
        others=(sg.randn(7, 1, 8, 8),),
        input_names=["image"],
        output_names=["logits"],
        dynamic_axes=dyn,
    )
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    assert proto.ir_version == IR_VERSION and proto.opset_import[0].version == OPSET
    dim = proto.graph.input[0].type.tensor_type.shape.dim[0]
    assert dim.dim_param == "batch"
    model.train()
    export(model, sg.randn(1, 1, 8, 8), tmp_path / "again.onnx")
    assert model.training  # the mode is restored


def test_matches_torch_on_the_same_weights(tmp_path):
    torch = pytest.importorskip("torch")
    ort = pytest.importorskip("onnxruntime")
    sg.manual_seed(0)
    ours = nn.Sequential(nn.Linear(5, 8), nn.GELU(), nn.Linear(8, 2))
    ref = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.GELU(), torch.nn.Linear(8, 2))
    ref.load_state_dict({k: torch.from_dlpack(v.detach()) for k, v in ours.state_dict().items()})
    export(ours, sg.randn(2, 5), tmp_path / "m.onnx")
    x = np.random.default_rng(0).normal(size=(2, 5)).astype(np.float32)
    (got,) = ort.InferenceSession(str(tmp_path / "m.onnx")).run(None, {"input": x})
    np.testing.assert_allclose(got, ref(torch.from_numpy(x)).detach().numpy(), atol=1e-5)


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="opset_version"):
        export(nn.ReLU(), sg.randn(2), tmp_path / "m.onnx", opset_version=11)
    with pytest.raises(ValueError, match="one input"):
        export(nn.ReLU(), (sg.randn(2), sg.randn(2)), tmp_path / "m.onnx")
