"""Random search over weights as a baseline for gradient descent, on the same task (B9).

Curriculum row shown here:
    B9 the simplest way to "train" is to try random weights and keep the best. It needs no
        gradient, but every trial is blind: the chance that a random draw is better than
        the best so far shrinks fast as the number of weights grows. Gradient descent uses
        the slope to move every weight at once and gets far lower loss for the same
        number of loss evaluations.

Task: a small MLP (2-8-1, 33 weights) classifying the two moons; both methods get the
same budget of 300 loss evaluations on the training set (one evaluation = one forward
pass; gradient descent also runs one backward pass per step).

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    40_random_weight_search.png  the best training loss after each evaluation, both methods.

Run it with ``python examples/40_random_weight_search.py``.
"""

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

import scratchgrad as sg  # noqa: E402
from scratchgrad import nn, optim  # noqa: E402
from scratchgrad.data import load_dataset  # noqa: E402
from scratchgrad.nn import functional as F  # noqa: E402, N812

BUDGET = 300

section("Data: two moons")
data = load_dataset("moons", n_samples=300, noise=0.15)
(x, y), (x_val, y_val) = data.train.tensors[:2], data.val.tensors[:2]
y, y_val = y.float().reshape(-1, 1), y_val.float().reshape(-1, 1)
print(f"train {tuple(x.shape)}, validation {tuple(x_val.shape)}")


def make_model() -> nn.Module:
    sg.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))


def loss_of(model: nn.Module, inputs: sg.Tensor, targets: sg.Tensor) -> float:
    with sg.no_grad():
        return F.binary_cross_entropy_with_logits(model(inputs), targets).item()


def accuracy(model: nn.Module, inputs: sg.Tensor, targets: sg.Tensor) -> float:
    with sg.no_grad():
        return float(((model(inputs).numpy() > 0) == (targets.numpy() > 0.5)).mean())


section(f"B9. Random search: {BUDGET} random weight vectors, keep the best")
model = make_model()
n_weights = sum(p.numel() for p in model.parameters())
rng = np.random.default_rng(0)
best, best_state, random_curve = np.inf, None, []
for _ in range(BUDGET):
    for p in model.parameters():  # every weight drawn from N(0, 1)
        p.data = sg.tensor(rng.standard_normal(p.shape).astype(np.float32))
    loss = loss_of(model, x, y)
    if loss < best:
        best, best_state = loss, {k: v.clone() for k, v in model.state_dict().items()}
    random_curve.append(best)
model.load_state_dict(best_state)
random_acc = accuracy(model, x_val, y_val)
print(f"{n_weights} weights; best training loss {best:.4f}, validation accuracy {random_acc:.3f}")

section(f"Gradient descent: {BUDGET} steps of Adam from one random start")
model = make_model()
opt = optim.Adam(model.parameters(), lr=0.05)
gd_curve = []
for _ in range(BUDGET):
    loss = F.binary_cross_entropy_with_logits(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    gd_curve.append(min(loss.item(), gd_curve[-1] if gd_curve else np.inf))
gd_loss, gd_acc = loss_of(model, x, y), accuracy(model, x_val, y_val)
print(f"final training loss {gd_loss:.4f}, validation accuracy {gd_acc:.3f}")

section("Same budget, side by side")
for n in (10, 30, 100, 300):
    print(f"after {n:3d} evaluations: random search {random_curve[n - 1]:.4f}  "
          f"gradient descent {gd_curve[n - 1]:.4f}")  # fmt: skip
assert gd_loss < best and gd_acc >= random_acc, (gd_loss, best, gd_acc, random_acc)

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(range(1, BUDGET + 1), random_curve, label=f"random search (val acc {random_acc:.2f})")
ax.plot(range(1, BUDGET + 1), gd_curve, label=f"gradient descent (val acc {gd_acc:.2f})")
ax.set(xlabel="loss evaluations", ylabel="best training loss (BCE)", xscale="log")
ax.set_title(f"Random weights vs gradient descent, MLP with {n_weights} weights")
ax.legend()
fig.tight_layout()
path = out_dir() / "40_random_weight_search.png"
fig.savefig(path, dpi=100)
print(f"\nwrote {path}")
