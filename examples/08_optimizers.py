"""Optimizers compared on one model, and how weight initialisation shapes a deep network (B8, E8).

Curriculum rows shown here:
    B8  optimizers: the same network (2 -> 16 -> 16 -> 1, tanh) is trained on the same
        two-moons data from the same initial weights with SGD, SGD with momentum,
        Adagrad, RMSprop, Adam and NAdam, each at a learning rate typical for it, and
        the loss curves are compared. Plain SGD crawls along the flat start of the loss;
        momentum and the adaptive methods (which scale each weight's step by its own
        gradient history) get through it in a fraction of the steps.
    E8  weight initialisation: a batch of unit-variance inputs goes through a 10-layer,
        256-wide network with tanh or ReLU, initialised three ways: too small
        (N(0, 0.01^2)), Xavier/Glorot (variance 2 / (fan_in + fan_out)) and
        Kaiming/He (variance 2 / fan_in). The spread (std) of the activations, layer by
        layer, shows the signal dying out, or being kept, as it goes deeper; so does the
        gradient that reaches the first layer.

Two figures are written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    08_optimizers.png      the data with the learned boundary, and the six loss curves;
    08_initialisation.png  activation std per layer for each init, tanh and ReLU.

Run it with ``python examples/08_optimizers.py``.
"""

import math
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

import scratchgrad as sg  # noqa: E402
from scratchgrad import nn, optim  # noqa: E402

sg.manual_seed(0)


# ---------------------------------------------------------------------------------------
# The data: two interleaved half-moons
# ---------------------------------------------------------------------------------------
def make_moons(n: int, noise: float, seed: int) -> tuple[sg.Tensor, sg.Tensor]:
    """n points on two interleaving half circles, plus Gaussian noise.

    Returns:
        X of shape (n, 2), and y of shape (n, 1): 0 for the upper moon, 1 for the lower.
    """
    rng = np.random.default_rng(seed)
    half = n // 2
    t = rng.uniform(0, math.pi, n)  # the angle along each half circle
    upper = np.stack([np.cos(t[:half]), np.sin(t[:half])], axis=1)
    lower = np.stack([1 - np.cos(t[half:]), 0.5 - np.sin(t[half:])], axis=1)
    x = np.concatenate([upper, lower]) + noise * rng.standard_normal((n, 2))
    y = np.concatenate([np.zeros(half), np.ones(n - half)])[:, None]
    return sg.tensor(x.astype(np.float32)), sg.tensor(y.astype(np.float32))


section("Data: two moons")

X, Y = make_moons(200, noise=0.15, seed=0)
print(f"X: {X.shape}, y: {Y.shape}, {int(Y.sum().item())} of class 1")


# ---------------------------------------------------------------------------------------
# B8. One model, six optimizers
# ---------------------------------------------------------------------------------------
def make_model() -> nn.Sequential:
    """2 -> 16 -> 16 -> 1, tanh between the layers; the output is a logit."""
    return nn.Sequential(
        nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1)
    )


OptimizerFactory = Callable[..., optim.Optimizer]
OPTIMIZERS: dict[str, OptimizerFactory] = {
    "SGD (lr 0.1)": lambda p: optim.SGD(p, lr=0.1),
    "SGD + momentum 0.9 (lr 0.1)": lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
    "Adagrad (lr 0.1)": lambda p: optim.Adagrad(p, lr=0.1),
    "RMSprop (lr 0.01)": lambda p: optim.RMSprop(p, lr=0.01),
    "Adam (lr 0.01)": lambda p: optim.Adam(p, lr=0.01),
    "NAdam (lr 0.01)": lambda p: optim.NAdam(p, lr=0.01),
}
STEPS = 300


def train(make_optimizer: OptimizerFactory, initial_state: dict) -> tuple[nn.Module, list[float]]:
    """Full-batch training from ``initial_state``; returns the model and the loss per step."""
    model = make_model()
    model.load_state_dict(initial_state)
    optimizer = make_optimizer(model.parameters())
    loss_fn = nn.BCEWithLogitsLoss()
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses


def accuracy(model: nn.Module) -> float:
    """The fraction of the training points on the right side of the boundary."""
    with sg.no_grad():
        return ((model(X) > 0).float() == Y).float().mean().item()


section("B8. The same model trained with each optimizer")

initial_state = {name: t.clone() for name, t in make_model().state_dict().items()}
models, curves = {}, {}
print(
    f"{'optimizer':30s}{'first loss':>11s}{'final loss':>11s}{'accuracy':>10s}"
    f"{'steps to loss < 0.1':>21s}"
)
for name, make_optimizer in OPTIMIZERS.items():
    models[name], curves[name] = train(make_optimizer, initial_state)
    losses = curves[name]
    below = next((i + 1 for i, v in enumerate(losses) if v < 0.1), None)
    print(
        f"{name:30s}{losses[0]:11.4f}{losses[-1]:11.4f}{accuracy(models[name]):10.1%}"
        f"{below if below else 'not in ' + str(STEPS):>21}"
    )

# Every run starts from the same weights, hence the same first loss.
assert len({round(c[0], 6) for c in curves.values()}) == 1
sgd_final = curves["SGD (lr 0.1)"][-1]
assert sgd_final < curves["SGD (lr 0.1)"][0]  # plain SGD does learn, slowly
for name, losses in curves.items():
    if name != "SGD (lr 0.1)":  # the others go much further in the same number of steps
        assert losses[-1] < 0.5 * sgd_final, name
        assert accuracy(models[name]) >= 0.95, name
print(
    "\nPlain SGD is still on the plateau where the network is nearly linear; momentum\n"
    "accumulates the small, consistent gradient into larger steps, and the adaptive\n"
    "methods divide each weight's step by the size of its recent gradients."
)

# Figure 1: the data and one learned boundary; the six loss curves.
fig, (ax_data, ax_loss) = plt.subplots(1, 2, figsize=(13, 4.8), layout="constrained")
grid = np.linspace(-1.5, 2.5, 161), np.linspace(-1.5, 1.75, 131)
g1, g2 = np.meshgrid(*grid)
points = sg.tensor(np.stack([g1.ravel(), g2.ravel()], axis=1).astype(np.float32))
with sg.no_grad():
    prob = sg.sigmoid(models["Adam (lr 0.01)"](points)).numpy().reshape(g1.shape)
ax_data.contourf(g1, g2, prob, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.5)
ax_data.contour(g1, g2, prob, levels=[0.5], colors="k")
ax_data.scatter(*X.numpy().T, c=Y.numpy()[:, 0], cmap="RdBu_r", edgecolors="k", s=18)
ax_data.set(xlabel="x1", ylabel="x2", title="Two moons; the boundary learned with Adam")
for name, losses in curves.items():
    ax_loss.plot(losses, label=name, lw=2 if "SGD" in name else 1.5)
ax_loss.set(xlabel="step (full batch)", ylabel="BCE loss", yscale="log")
ax_loss.set_title("Same model, same initial weights, six optimizers")
ax_loss.legend(fontsize=8)
path = out_dir() / "08_optimizers.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")

# ---------------------------------------------------------------------------------------
# E8. Weight initialisation
# ---------------------------------------------------------------------------------------
section("E8. Weight initialisation: the signal through 10 layers")

DEPTH, WIDTH, BATCH = 10, 256, 256
# name -> (what it draws, the nn.init call that draws it into a weight in place)
INITS: dict[str, tuple[str, Callable[[sg.Tensor], sg.Tensor]]] = {
    "too small": ("N(0, 0.01^2)", lambda w: nn.init.normal_(w, 0.0, 0.01)),
    "Xavier": ("N(0, 2 / (fan_in + fan_out))", nn.init.xavier_normal_),
    "Kaiming": (
        "N(0, 2 / fan_in)",
        lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"),
    ),
}
for init_name, (formula, _) in INITS.items():
    print(f"  {init_name:10s} weights drawn from {formula}, biases 0")
ACTIVATION_LAYERS = {"tanh": nn.Tanh, "ReLU": nn.ReLU}
inputs = sg.randn(BATCH, WIDTH)  # unit-variance inputs


def signal_through(init: Callable[[sg.Tensor], sg.Tensor], act: type) -> tuple[list[float], float]:
    """The std of the activations after each of DEPTH layers, and of layer 1's gradient.

    The gradient is of the mean squared output, the simplest loss that uses every output.
    """
    layers = [nn.Linear(WIDTH, WIDTH) for _ in range(DEPTH)]
    for layer in layers:
        init(layer.weight)
        nn.init.zeros_(layer.bias)
    stds = []
    h = inputs
    for layer in layers:
        h = act()(layer(h))
        stds.append(h.std().item())
    (h**2).mean().backward()
    return stds, layers[0].weight.grad.std().item()


stds, first_grad = {}, {}
for act_name, act in ACTIVATION_LAYERS.items():
    print(f"\n{act_name}: std of the activations after layer 1, 2, ..., {DEPTH}")
    print(f"  {'init':10s}" + "".join(f"{i:>8d}" for i in range(1, DEPTH + 1)) + "  grad L1")
    for init_name, (_, init) in INITS.items():
        key = (act_name, init_name)
        stds[key], first_grad[key] = signal_through(init, act)
        cells = "".join(f"{s:8.1e}" if s < 1e-3 else f"{s:8.3f}" for s in stds[key])
        print(f"  {init_name:10s}{cells}  {first_grad[key]:.1e}")

# Too small: every layer multiplies the spread by about 0.01 * sqrt(256) = 0.16, so after
# 10 layers nothing is left, and no gradient reaches the first layer.
for act_name in ACTIVATION_LAYERS:
    assert stds[(act_name, "too small")][-1] < 1e-6
    assert first_grad[(act_name, "too small")] < 1e-12
# ReLU zeroes half of its inputs, halving the variance: Xavier loses a factor sqrt(2) in
# std per layer, Kaiming's extra factor 2 makes up for it and the spread stays put.
relu_xavier, relu_kaiming = stds[("ReLU", "Xavier")], stds[("ReLU", "Kaiming")]
assert relu_xavier[-1] < 0.1 * relu_xavier[0]
assert 0.5 < relu_kaiming[-1] / relu_kaiming[0] < 2
# tanh has slope 1 around 0 and less elsewhere, so with Xavier its signal shrinks, but
# slowly; it is still there after 10 layers. (PyTorch's gain for tanh,
# nn.init.calculate_gain("tanh") = 5/3, makes up for the shrinking.)
assert stds[("tanh", "Xavier")][-1] > 0.1
print(
    "\nToo small: the signal (and the gradient) vanish. Xavier keeps a tanh network alive; for\n"
    "ReLU, which zeroes half its inputs, Kaiming's doubled variance keeps the spread constant."
)

# Figure 2: std per layer, one panel per activation.
fig, axes = plt.subplots(1, 2, figsize=(12, 4.3), layout="constrained", sharey=True)
for ax, act_name in zip(axes, ACTIVATION_LAYERS, strict=True):
    for init_name in INITS:
        label = f"{init_name}: {INITS[init_name][0]}"
        ax.plot(range(1, DEPTH + 1), stds[(act_name, init_name)], marker="o", label=label)
    ax.set(xlabel="layer", yscale="log", title=f"{act_name} network, {WIDTH} units per layer")
    ax.set_xticks(range(1, DEPTH + 1))
axes[0].set_ylabel("std of the activations")
axes[0].legend(fontsize=8)
path = out_dir() / "08_initialisation.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")
