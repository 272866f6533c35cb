"""Export a trained CNN to ONNX and run it under onnxruntime: the same logits, any batch size.

A small CNN learns scikit-learn's 8x8 digits through ``NeuralNetClassifier`` (scratchgrad's
Trainer underneath); ``scratchgrad.onnx.export`` writes it with torch.onnx.export's
signature (input/output names, a symbolic batch dimension); onnxruntime, which knows
nothing of scratchgrad, runs the file. The tensors also cross to NumPy and torch through
DLPack without a copy. Needs the onnx extra: ``pip install 'scratchgrad[onnx]' onnxruntime``.

One file is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/): 38_digits_cnn.onnx.

Run it with ``python examples/38_export.py``.
"""
# ruff: noqa: N806

import importlib.util
import sys

import numpy as np
from _common import out_dir, section
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.ml import NeuralNetClassifier

if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("onnx") is None:
    print("this example needs onnx and onnxruntime: pip install 'scratchgrad[onnx]' onnxruntime")
    sys.exit(0)

import onnxruntime as ort  # noqa: E402

import onnx  # noqa: E402
from scratchgrad.onnx import IR_VERSION, OPSET, export  # noqa: E402

section("Train a CNN on the digits (images 1x8x8, pixels scaled to [0, 1])")
X, y = load_digits(return_X_y=True)
X = (X / 16.0).reshape(-1, 1, 8, 8).astype(np.float32)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
cnn = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2),
    nn.Flatten(), nn.Linear(16 * 2 * 2, 10),
)  # fmt: skip
clf = NeuralNetClassifier(cnn, max_epochs=15, lr=0.01, random_state=0).fit(X_tr, y_tr)
print(f"test accuracy (scratchgrad): {clf.score(X_te, y_te):.3f}")

section("Export with a symbolic batch size")
path = out_dir() / "38_digits_cnn.onnx"
model = clf.module_
export(
    model, sg.from_numpy(X_te[:1]), path,
    input_names=["image"], output_names=["logits"],
    dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
)  # fmt: skip
proto = onnx.load(str(path))
onnx.checker.check_model(proto, full_check=True)
ops = sorted({n.op_type for n in proto.graph.node})
print(f"{path.name}: opset {OPSET}, IR version {IR_VERSION}, {len(proto.graph.node)} nodes")
print(f"operators: {', '.join(ops)}")

section("Run it under onnxruntime and compare")
session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
(theirs,) = session.run(None, {"image": X_te})
with sg.no_grad():
    ours = model(sg.from_numpy(X_te)).numpy()
diff = float(np.abs(theirs - ours).max())
same = float((theirs.argmax(1) == ours.argmax(1)).mean())
print(f"batch of {len(X_te)}: max |onnxruntime - scratchgrad| = {diff:.2e}")
print(f"same predicted class for {same:.0%} of the images")
print(f"test accuracy (onnxruntime): {(theirs.argmax(1) == y_te).mean():.3f}")
assert diff < 1e-4 and same == 1.0

section("DLPack: the logits as a NumPy array without a copy")
logits = sg.from_numpy(ours)
shared = np.from_dlpack(logits)
print(f"np.from_dlpack shares memory: {np.shares_memory(shared, logits.numpy())}")
