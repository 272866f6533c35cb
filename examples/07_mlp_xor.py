"""A feed-forward network learns XOR, and backpropagation is checked against finite differences.

Curriculum rows shown here:
    D5  a feed-forward network with an input layer (2 features), one hidden layer
        (8 tanh units) and an output layer (1 logit) learns XOR, which no single
        perceptron can (examples/05_perceptron_xor.py). The hidden layer maps the four
        points to a space where they are linearly separable. It is trained twice from the
        same initial weights, with plain SGD and with Adam, on the binary cross-entropy of
        the logits (nn.BCEWithLogitsLoss), and the decision boundary is drawn.
    B4  backpropagation: the gradients of the loss with respect to every weight, written
        out by hand with the chain rule, agree with autograd and with central finite
        differences (sg.gradcheck, in float64).

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    07_mlp_xor.png  the loss curves, and P(y = 1) over the plane for each trained network
                    with its decision boundary P = 0.5.

Run it with ``python examples/07_mlp_xor.py``.
"""

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

import scratchgrad as sg  # noqa: E402
import scratchgrad.nn.functional as F  # noqa: E402, N812 - PyTorch's F
from scratchgrad import nn, optim  # noqa: E402

sg.manual_seed(0)

X = sg.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # (4, 2)
Y = sg.tensor([[0.0], [1.0], [1.0], [0.0]])  # (4, 1): x1 XOR x2


def make_model() -> nn.Sequential:
    """2 inputs -> 8 tanh hidden units -> 1 logit (P(y = 1) = sigmoid(logit))."""
    return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))


def accuracy(model: nn.Module) -> float:
    """The fraction of the four XOR rows classified right (logit > 0 means 1)."""
    with sg.no_grad():
        return ((model(X) > 0).float() == Y).float().mean().item()


# ---------------------------------------------------------------------------------------
# D5. The network and its training
# ---------------------------------------------------------------------------------------
section("D5. A two-layer network")

model = make_model()
print(model)
n_params = sum(p.numel() for p in model.parameters())
print(f"parameters: {n_params} = (2 x 8 weights + 8 biases) + (8 x 1 weights + 1 bias)")
assert n_params == 33
# Both runs start from these weights, so the optimizers are compared fairly.
initial_state = {name: t.clone() for name, t in model.state_dict().items()}

STEPS = 500
OPTIMIZERS = {
    "SGD (lr 0.5)": lambda params: optim.SGD(params, lr=0.5),
    "Adam (lr 0.05)": lambda params: optim.Adam(params, lr=0.05),
}


def train(make_optimizer) -> tuple[nn.Sequential, list[float]]:
    """Full-batch training on the four rows for STEPS steps; returns the model and losses."""
    net = make_model()
    net.load_state_dict(initial_state)
    optimizer = make_optimizer(net.parameters())
    loss_fn = nn.BCEWithLogitsLoss()  # sigmoid + binary cross-entropy in one stable op
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = loss_fn(net(X), Y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return net, losses


section("D5. Training on XOR")

print(f"before training: accuracy {accuracy(model):.0%}")
trained, curves = {}, {}
for name, make_optimizer in OPTIMIZERS.items():
    net, losses = train(make_optimizer)
    trained[name], curves[name] = net, losses
    with sg.no_grad():
        p = sg.sigmoid(net(X)).reshape(-1).tolist()
    print(
        f"{name:15s} loss {losses[0]:.4f} -> {losses[-1]:.4f} after {STEPS} steps, "
        f"accuracy {accuracy(net):.0%}, P(y = 1) = {[round(v, 3) for v in p]}"
    )
    assert accuracy(net) == 1.0, f"{name} must solve XOR"
    assert losses[-1] < 0.05, name

# What the hidden layer does: the 8 hidden activations of each point, printed as 2 numbers
# (the first two units); in the 8-d hidden space a plane separates the two classes.
with sg.no_grad():
    hidden = trained["Adam (lr 0.05)"][:2](X)  # (4, 8): Linear then Tanh
print("hidden units 1-2 of the Adam network, per row:")
for (x1, x2), h, t in zip(X.tolist(), hidden.tolist(), Y.reshape(-1).tolist(), strict=True):
    print(f"  ({x1:.0f}, {x2:.0f}) -> ({h[0]:+.3f}, {h[1]:+.3f}, ...)  target {t:.0f}")

# ---------------------------------------------------------------------------------------
# B4. Backpropagation, three ways
# ---------------------------------------------------------------------------------------
section("B4. Backpropagation: by hand, by autograd, by finite differences")

# The untrained network (where the gradients are large) as a function of its weights, in
# float64 so finite differences are good to about 10 digits. It computes the same thing
# as the nn.Sequential above.
net = make_model()
net.load_state_dict(initial_state)
w1, b1, w2, b2 = (p.detach().double().requires_grad_() for p in net.parameters())
x64, y64 = X.double(), Y.double()


def mlp_loss(w1: sg.Tensor, b1: sg.Tensor, w2: sg.Tensor, b2: sg.Tensor) -> sg.Tensor:
    """BCE-with-logits of linear(tanh(linear(x, w1, b1)), w2, b2) on the XOR rows."""
    h = sg.tanh(F.linear(x64, w1, b1))  # (4, 8)
    return F.binary_cross_entropy_with_logits(F.linear(h, w2, b2), y64)


with sg.no_grad():
    same = abs(mlp_loss(w1, b1, w2, b2).item() - nn.BCEWithLogitsLoss()(net(X), Y).item())
print(f"functional float64 loss vs the module's float32 loss: differ by {same:.1e}")
assert same < 1e-6

# 1. By hand. Forward: z1 = x W1^T + b1, h = tanh(z1), o = h W2^T + b2,
#    L = mean(BCE(sigmoid(o), y)). Backward, one chain-rule step per line:
#    dL/do  = (sigmoid(o) - y) / N        the classic "prediction - target"
#    dL/dW2 = dL/do^T h,   dL/db2 = sum of dL/do over the rows
#    dL/dh  = dL/do W2
#    dL/dz1 = dL/dh * (1 - h^2)           tanh' = 1 - tanh^2
#    dL/dW1 = dL/dz1^T x,  dL/db1 = sum of dL/dz1 over the rows
xs, ys = x64.numpy(), y64.numpy()
W1, B1, W2, B2 = (t.detach().numpy() for t in (w1, b1, w2, b2))
h = np.tanh(xs @ W1.T + B1)
o = h @ W2.T + B2
d_o = (1 / (1 + np.exp(-o)) - ys) / len(xs)
d_z1 = (d_o @ W2) * (1 - h**2)
by_hand = [d_z1.T @ xs, d_z1.sum(0), d_o.T @ h, d_o.sum(0)]

# 2. By autograd.
mlp_loss(w1, b1, w2, b2).backward()
by_autograd = [t.grad.numpy() for t in (w1, b1, w2, b2)]


# 3. By central finite differences, one weight at a time.
def numeric_grad(params: list[sg.Tensor], which: int, index: tuple, h: float = 1e-6) -> float:
    """(L(w + h) - L(w - h)) / 2h for one element of one parameter."""
    values = []
    for step in (h, -h):
        moved = [p.detach().clone() for p in params]
        moved[which].array[index] += step  # nudge one weight
        values.append(mlp_loss(*moved).item())
    return (values[0] - values[1]) / (2 * h)


params = [w1, b1, w2, b2]
names = ["W1", "b1", "W2", "b2"]
print(f"{'weight':10s}{'by hand':>14s}{'autograd':>14s}{'finite diff.':>14s}")
for which, index in [(0, (0, 0)), (0, (3, 1)), (1, (5,)), (2, (0, 2)), (3, (0,))]:
    label = f"{names[which]}{list(index)}"
    numeric = numeric_grad(params, which, index)
    hand, auto = by_hand[which][index], by_autograd[which][index]
    print(f"{label:10s}{hand:14.8f}{auto:14.8f}{numeric:14.8f}")
    assert abs(hand - auto) < 1e-12 and abs(auto - numeric) < 1e-8, label
for name, hand, auto in zip(names, by_hand, by_autograd, strict=True):
    assert np.allclose(hand, auto, atol=1e-12), name

# gradcheck compares every element of the Jacobian both ways, for all 33 weights.
ok = sg.gradcheck(mlp_loss, (w1, b1, w2, b2))
print(f"sg.gradcheck over all {n_params} weights: {ok}")
assert ok

# The float32 module's own gradients (what training used) agree with float64 autograd.
net.zero_grad()
nn.BCEWithLogitsLoss()(net(X), Y).backward()
worst = max(
    np.abs(p.grad.numpy() - g).max() for p, g in zip(net.parameters(), by_autograd, strict=True)
)
print(f"module gradients (float32) vs float64 autograd: max difference {worst:.1e}")
assert worst < 1e-5

# ---------------------------------------------------------------------------------------
# The figure: loss curves and decision boundaries
# ---------------------------------------------------------------------------------------
fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), layout="constrained")
for name, losses in curves.items():
    axes[0].plot(losses, label=name)
axes[0].set(xlabel="step", ylabel="BCE loss", yscale="log", title="Training loss on XOR")
axes[0].legend()

grid = np.linspace(-0.5, 1.5, 201)
g1, g2 = np.meshgrid(grid, grid)
points = sg.tensor(np.stack([g1.ravel(), g2.ravel()], axis=1).astype(np.float32))
for ax, (name, net) in zip(axes[1:], trained.items(), strict=True):
    with sg.no_grad():
        prob = sg.sigmoid(net(points)).numpy().reshape(g1.shape)
    filled = ax.contourf(g1, g2, prob, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.8)
    ax.contour(g1, g2, prob, levels=[0.5], colors="k", linewidths=2)
    for cls, marker in [(0, "o"), (1, "s")]:
        rows = Y.numpy()[:, 0] == cls
        ax.scatter(*X.numpy()[rows].T, c="w", edgecolors="k", marker=marker, s=120)
    ax.set(
        xlabel="x1",
        ylabel="x2",
        aspect="equal",
        title=f"trained with {name}\nP(y = 1), boundary P = 0.5",
    )
fig.suptitle("A 2-8-1 tanh network on XOR (squares: y = 1, circles: y = 0)")
fig.colorbar(filled, ax=axes[1:], shrink=0.9, label="P(y = 1)")
path = out_dir() / "07_mlp_xor.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")
