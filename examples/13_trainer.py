"""E7: a training loop with validation every epoch and a final test, as in PyTorch Lightning.

A small CNN learns scikit-learn's 8x8 digits. The Trainer runs the epochs, validates
after each one, keeps the best and last checkpoints, and writes a run folder with the
config, a metrics.csv row per epoch, loss and metric curves, and a confusion matrix.
Then the best checkpoint is loaded back and judged once on the test set.
"""

import numpy as np
from _common import out_dir, section
from sklearn.datasets import load_digits

import scratchgrad as sg
from scratchgrad import nn, optim
from scratchgrad.data import DataLoader, TensorDataset
from scratchgrad.train.checkpoint import load_checkpoint
from scratchgrad.train.module import Supervised
from scratchgrad.train.trainer import Trainer

section("data: 1797 digits, pixels scaled to [0, 1], split 70/15/15")
digits = load_digits()
x = (digits.images / 16.0).astype(np.float32)[:, None]  # (N, 1, 8, 8)
y = digits.target.astype(np.int64)
order = np.random.default_rng(0).permutation(len(x))
train_idx, val_idx, test_idx = np.split(order, [int(0.7 * len(x)), int(0.85 * len(x))])
train = DataLoader(TensorDataset(x[train_idx], y[train_idx]), batch_size=32, shuffle=True)
val = DataLoader(TensorDataset(x[val_idx], y[val_idx]), batch_size=256)
test = DataLoader(TensorDataset(x[test_idx], y[test_idx]), batch_size=256)
print(f"train {len(train_idx)}, val {len(val_idx)}, test {len(test_idx)} images")

section("model: conv - relu - pool - linear, cross-entropy, Adam")
sg.manual_seed(0)
cnn = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),  # (N, 16, 4, 4)
    nn.Flatten(),
    nn.Linear(16 * 4 * 4, 10),
)
module = Supervised(
    cnn,
    nn.CrossEntropyLoss(),
    lambda params: optim.Adam(params, lr=3e-3),
    task="classification",
    num_classes=10,
)
print(cnn)

section("fit: validation after every epoch")
trainer = Trainer(
    max_epochs=6, out_dir=out_dir() / "runs", run_name="13-digits-cnn", progress=False
)
last = trainer.fit(module, train, val)
assert last["val_accuracy"] > 0.9, last

section("test: the best checkpoint, judged once")
best = load_checkpoint(trainer.run.checkpoints / "best.json")
module.load_state_dict(best["module"])
result = trainer.test(module, test)
print({k: round(v, 4) for k, v in result.items()})
assert result["test_accuracy"] > 0.9, result

section("the run folder")
for path in sorted(trainer.run.path.rglob("*")):
    if path.is_file():
        print(f"  {path.relative_to(trainer.run.path)}  ({path.stat().st_size} bytes)")
for name in ("config.json", "metrics.csv", "loss.png", "metrics.png", "confusion_matrix.png"):
    assert (trainer.run.path / name).exists(), name
