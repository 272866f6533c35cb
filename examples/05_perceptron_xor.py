"""The perceptron: a weighted sum, a bias and a threshold; it learns AND and OR, not XOR (D3).

Curriculum row shown here:
    D3  the perceptron of Rosenblatt (1958). For an input x = (x1, x2) it computes the
        weighted sum z = w1 x1 + w2 x2 + b and fires (outputs 1) when z > 0:
            y_hat = step(w . x + b),   step = the Heaviside function.
        It learns with the perceptron rule, one example at a time:
            w <- w + lr * (y - y_hat) * x,   b <- b + lr * (y - y_hat)
        which changes nothing when the prediction is right, and moves the line towards
        the example when it is wrong. No gradients are involved: the step has none.

The perceptron convergence theorem says the rule finds a separating line in a finite
number of steps whenever one exists. For AND and OR one does; for XOR none does (the
proof is printed below), so the rule keeps moving the line forever and never gets all
four rows right. That is the limit Minsky and Papert pointed out in 1969, and what a
hidden layer fixes (examples/07_mlp_xor.py).

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    05_perceptron.png  the three truth tables, the learned lines, and the region where
                       the perceptron outputs 1.

Run it with ``python examples/05_perceptron_xor.py``.
"""

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

import scratchgrad as sg  # noqa: E402
import scratchgrad.nn.functional as F  # noqa: E402, N812 - PyTorch's F

sg.manual_seed(0)

# ---------------------------------------------------------------------------------------
# The data: three truth tables over the same four inputs
# ---------------------------------------------------------------------------------------
section("Data: the truth tables")

X = sg.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # (4, 2): every input pair
GATES = {
    "AND": sg.tensor([0.0, 0.0, 0.0, 1.0]),
    "OR": sg.tensor([0.0, 1.0, 1.0, 1.0]),
    "XOR": sg.tensor([0.0, 1.0, 1.0, 0.0]),
}
print(f"{'x1':>4s}{'x2':>4s}" + "".join(f"{name:>6s}" for name in GATES))
for i, (x1, x2) in enumerate(X.tolist()):
    print(f"{x1:4.0f}{x2:4.0f}" + "".join(f"{y[i].item():6.0f}" for y in GATES.values()))


# ---------------------------------------------------------------------------------------
# The perceptron and its learning rule
# ---------------------------------------------------------------------------------------
class Perceptron:
    """y_hat = step(x @ w + b): one neuron with a hard threshold.

    Args:
        n_inputs: the number of input features.
        generator: the source of the small random initial weights.
    """

    def __init__(self, n_inputs: int, generator: sg.Generator) -> None:
        self.w = sg.rand(n_inputs, generator=generator) - 0.5  # (n_inputs,) in [-0.5, 0.5)
        self.b = sg.rand((), generator=generator) - 0.5  # a scalar

    def weighted_sum(self, x: sg.Tensor) -> sg.Tensor:
        """z = x @ w + b. x: (N, n_inputs) -> (N,), or (n_inputs,) -> ()."""
        return x @ self.w + self.b

    def predict(self, x: sg.Tensor) -> sg.Tensor:
        """1.0 where z > 0, else 0.0 (the Heaviside step, with step(0) = 0)."""
        return F.heaviside(self.weighted_sum(x), sg.tensor(0.0))

    def accuracy(self, x: sg.Tensor, y: sg.Tensor) -> float:
        """The fraction of rows predicted right."""
        return (self.predict(x) == y).float().mean().item()

    def train_epoch(self, x: sg.Tensor, y: sg.Tensor, lr: float) -> int:
        """One pass of the perceptron rule over the rows, in order; returns the mistakes."""
        mistakes = 0
        for xi, yi in zip(x, y, strict=True):
            error = (yi - self.predict(xi)).item()  # +1, 0 or -1
            if error != 0:
                mistakes += 1
                self.w.add_(lr * error * xi)  # move the line towards the missed example
                self.b.add_(lr * error)
        return mistakes


def train(
    y: sg.Tensor, epochs: int = 50, lr: float = 0.1, seed: int = 0
) -> tuple[Perceptron, list[float]]:
    """Train a fresh perceptron on X -> y; stop after an epoch with no mistakes.

    Returns:
        The perceptron and its accuracy on all four rows after each epoch.
    """
    p = Perceptron(2, sg.Generator(seed))
    history = []
    for _ in range(epochs):
        mistakes = p.train_epoch(X, y, lr)
        history.append(p.accuracy(X, y))
        if mistakes == 0:  # converged: the rule will never change the weights again
            break
    return p, history


section("D3. Training with the perceptron rule")

EPOCHS, LR = 50, 0.1
models, histories = {}, {}
print(f"{'gate':5s}{'epochs':>8s}{'accuracy':>10s}{'best':>7s}{'w1':>9s}{'w2':>9s}{'b':>9s}")
for name, y in GATES.items():
    p, history = train(y, EPOCHS, LR)
    models[name], histories[name] = p, history
    w1, w2 = p.w.tolist()
    print(
        f"{name:5s}{len(history):8d}{history[-1]:10.0%}{max(history):7.0%}"
        f"{w1:9.3f}{w2:9.3f}{p.b.item():9.3f}"
    )
for name, y in GATES.items():
    print(f"{name:3s} predictions {models[name].predict(X).tolist()}, targets {y.tolist()}")
for name in ("AND", "OR"):
    assert histories[name][-1] == 1.0, f"the perceptron must learn {name}"
    assert len(histories[name]) < EPOCHS, f"{name} must converge (no mistakes in an epoch)"
print(f"XOR accuracy per epoch: {sorted(set(histories['XOR']))} (the distinct values seen)")
assert len(histories["XOR"]) == EPOCHS  # never an epoch without a mistake ...
assert max(histories["XOR"]) < 1.0  # ... and never all four right after one

# ---------------------------------------------------------------------------------------
# Why XOR cannot be learned
# ---------------------------------------------------------------------------------------
section("Why: XOR is not linearly separable")

print("""A perceptron outputs 1 on one side of the line w1 x1 + w2 x2 + b = 0. For XOR it needs
    (0, 0) -> 0:   b <= 0
    (0, 1) -> 1:   w2 + b > 0
    (1, 0) -> 1:   w1 + b > 0
    (1, 1) -> 0:   w1 + w2 + b <= 0
Adding the middle two gives w1 + w2 + 2b > 0, so w1 + w2 + b > -b >= 0, which contradicts
the last line. No weights exist: XOR is not linearly separable, and at most 3 of the 4
rows can be right. The rule keeps correcting one mistake by making another.""")

# The same, by brute force: 100,000 random lines, none gets XOR right.
rng = np.random.default_rng(0)
lines = sg.tensor(rng.uniform(-3, 3, size=(100_000, 3)).astype(np.float32))  # (w1, w2, b)
z = X @ lines[:, :2].T + lines[:, 2]  # (4, 100000): each column is one line
correct = ((z > 0).float() == GATES["XOR"][:, None]).float().mean(0)  # (100000,)
print(f"best of 100,000 random lines on XOR: {correct.max().item():.0%} of the rows")
assert correct.max().item() == 0.75

# ---------------------------------------------------------------------------------------
# The figure: data, learned lines, and the region where the perceptron fires
# ---------------------------------------------------------------------------------------
fig, axes = plt.subplots(1, 3, figsize=(12, 4.2))
grid = np.linspace(-0.5, 1.5, 201)
g1, g2 = np.meshgrid(grid, grid)
points = sg.tensor(np.stack([g1.ravel(), g2.ravel()], axis=1).astype(np.float32))
for ax, (name, p) in zip(axes, models.items(), strict=True):
    fired = p.predict(points).numpy().reshape(g1.shape)
    ax.contourf(g1, g2, fired, levels=[-0.5, 0.5, 1.5], colors=["#dde6f5", "#f7dccc"])
    ax.contour(g1, g2, p.weighted_sum(points).numpy().reshape(g1.shape), levels=[0], colors="k")
    for cls, color, marker in [(0, "tab:blue", "o"), (1, "tab:red", "s")]:
        rows = GATES[name].numpy() == cls
        ax.scatter(*X.numpy()[rows].T, c=color, marker=marker, s=120, label=f"y = {cls}")
    w1, w2 = p.w.tolist()
    verdict = "learned" if histories[name][-1] == 1.0 else f"fails: {histories[name][-1]:.0%}"
    equation = f"{w1:.2f} x1 {'-' if w2 < 0 else '+'} {abs(w2):.2f} x2 "
    equation += f"{'-' if p.b.item() < 0 else '+'} {abs(p.b.item()):.2f} = 0"
    ax.set_title(f"{name} ({verdict})\n{equation}")
    ax.set(xlabel="x1", ylabel="x2", xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), aspect="equal")
axes[0].legend(loc="upper left", fontsize=8)
fig.suptitle("Perceptron: the line it learned (black); it outputs 1 in the orange region")
fig.tight_layout()
path = out_dir() / "05_perceptron.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")
