"""Fitting a line by gradient descent: full batch, mini-batch and online (curriculum B5-B7).

Curriculum rows shown here:
    B5  a loss function: the mean squared error (MSE) of the predictions;
    B6  gradient descent on that loss, done three ways: full batch (one update per pass
        over the data), mini-batch SGD (one update per batch of 10) and online learning
        (one update per example), all three against the exact least-squares line;
    B7  the learning rate: too small crawls, a good one converges, too large diverges.

The data are y = 2.5 x - 1 + noise, generated here with a fixed seed. Gradients come
from autograd; the updates run under ``sg.no_grad()`` as in-place operations, and the
gradients are reset with ``p.grad = None`` after each step. Two figures are written to
the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default examples/out/):
    04_gd_sgd_online.png   the data with the fitted lines, and the three loss curves;
    04_learning_rates.png  loss curves for three learning rates, on a log scale.

Run it with ``python examples/04_linear_regression_sgd.py``.
"""

import math

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

import scratchgrad as sg  # noqa: E402

sg.manual_seed(0)

# ---------------------------------------------------------------------------------------
# The data: y = a x + b + noise
# ---------------------------------------------------------------------------------------
section("Data")

A_TRUE, B_TRUE, NOISE, N = 2.5, -1.0, 0.3, 100
x = sg.rand(N) * 2 - 1  # N inputs, uniform in [-1, 1)
y = A_TRUE * x + B_TRUE + NOISE * sg.randn(N)  # N targets
print(f"{N} points from y = {A_TRUE} x + ({B_TRUE}) + noise (std {NOISE})")
pairs = zip(x[:3].tolist(), y[:3].tolist(), strict=True)
print("the first three (x, y):", [(round(p, 3), round(q, 3)) for p, q in pairs])


# ---------------------------------------------------------------------------------------
# B5. The loss
# ---------------------------------------------------------------------------------------
def mse_loss(pred: sg.Tensor, target: sg.Tensor) -> sg.Tensor:
    """Mean squared error: the average over the examples of (prediction - target)^2."""
    return ((pred - target) ** 2).mean()


section("B5. The loss: mean squared error")

# The line a = 0, b = 0 predicts 0 everywhere; its errors are just -y.
zero = sg.zeros(N)
print(f"MSE of the line a = 0, b = 0:         {mse_loss(zero, y).item():.4f}")
print(
    f"MSE of the true line a = {A_TRUE}, b = {B_TRUE}: "
    f"{mse_loss(A_TRUE * x + B_TRUE, y).item():.4f}  (about the noise variance "
    f"{NOISE**2:.2f})"
)
# Some texts use 0.5 * the sum of squared errors instead: the same minimum, a scaled
# gradient (so a different good learning rate).
half_sse = 0.5 * ((A_TRUE * x + B_TRUE - y) ** 2).sum()
print(f"0.5 * sum of squared errors, true line: {half_sse.item():.4f}")

# ---------------------------------------------------------------------------------------
# The exact answer: least squares in closed form
# ---------------------------------------------------------------------------------------
section("Closed form: least squares")

# Setting the derivatives of the MSE with respect to a and b to zero (the normal
# equations) gives, for one input feature:
#   a = sum((x - mean x) (y - mean y)) / sum((x - mean x)^2),   b = mean y - a mean x
xc, yc = x - x.mean(), y - y.mean()
a_exact = ((xc * yc).sum() / (xc**2).sum()).item()
b_exact = (y.mean() - a_exact * x.mean()).item()
loss_exact = mse_loss(a_exact * x + b_exact, y).item()
print(f"closed form: a = {a_exact:.4f}, b = {b_exact:.4f}, MSE = {loss_exact:.4f}")

# The same solution from NumPy's least-squares solver on the design matrix [x, 1].
design = np.stack([x.numpy(), np.ones(N, dtype=np.float32)], axis=1).astype(np.float64)
(a_np, b_np), *_ = np.linalg.lstsq(design, y.numpy().astype(np.float64), rcond=None)
assert abs(a_exact - a_np) < 1e-4 and abs(b_exact - b_np) < 1e-4


# ---------------------------------------------------------------------------------------
# B6. Gradient descent, three ways
# ---------------------------------------------------------------------------------------
def fit(batch_size: int, lr: float, epochs: int, seed: int = 0) -> tuple[float, float, list[float]]:
    """Fit y = a x + b by gradient descent on the MSE, starting from a = b = 0.

    batch_size = N is full-batch gradient descent (one update per epoch), 1 is online
    learning (one update per example), and sizes in between are mini-batch SGD. The
    examples are shuffled at the start of every epoch.

    Returns:
        The fitted a and b, and the MSE on all the data before training and after each
        epoch (epochs + 1 values; fewer if the loss blew up).
    """
    shuffle = sg.Generator(seed)  # its own generator: the runs don't disturb each other
    a = sg.tensor(0.0, requires_grad=True)
    b = sg.tensor(0.0, requires_grad=True)
    with sg.no_grad():
        losses = [mse_loss(a * x + b, y).item()]
    for _ in range(epochs):
        order = sg.randperm(N, generator=shuffle)
        xs, ys = x[order], y[order]
        for start in range(0, N, batch_size):
            xb, yb = xs[start : start + batch_size], ys[start : start + batch_size]
            loss = mse_loss(a * xb + b, yb)
            loss.backward()  # fills a.grad and b.grad
            with sg.no_grad():  # the update itself is not part of the model
                for p in (a, b):
                    p.sub_(lr * p.grad)  # p <- p - lr * dloss/dp, in place
                    p.grad = None  # grads add up across backward calls: reset them
        with sg.no_grad():
            losses.append(mse_loss(a * x + b, y).item())
        if not math.isfinite(losses[-1]):
            break
    return a.item(), b.item(), losses


section("B6. Full batch, mini-batch and online gradient descent")

EPOCHS = 30
METHODS = [
    # label, batch size, learning rate
    ("full batch (1 update per epoch)", N, 0.5),
    ("mini-batch of 10 (10 updates per epoch)", 10, 0.1),
    ("online (100 updates per epoch)", 1, 0.01),
]
curves = {}
fits = {}
print(f"{'method':42s}{'a':>9s}{'b':>9s}{'final MSE':>11s}")
print(f"{'closed form':42s}{a_exact:9.4f}{b_exact:9.4f}{loss_exact:11.5f}")
for label, batch_size, lr in METHODS:
    a_fit, b_fit, losses = fit(batch_size, lr, EPOCHS)
    curves[label], fits[label] = losses, (a_fit, b_fit)
    print(f"{label:42s}{a_fit:9.4f}{b_fit:9.4f}{losses[-1]:11.5f}")

# Full-batch descent lands on the exact answer; SGD with a constant learning rate keeps
# hopping around it (each step follows a noisy gradient), so it lands close, not on it.
# (A smaller rate, or one that shrinks over time, hops less but needs more steps.)
TOLERANCE = {N: 1e-3, 10: 0.05, 1: 0.05}
for (label, batch_size, _), (a_fit, b_fit) in zip(METHODS, fits.values(), strict=True):
    tol = TOLERANCE[batch_size]
    assert abs(a_fit - a_exact) < tol and abs(b_fit - b_exact) < tol, label
    assert curves[label][-1] < 1.05 * loss_exact, label

# Figure 1: the fitted lines over the data, and the three loss curves.
fig, (ax_data, ax_loss) = plt.subplots(1, 2, figsize=(11, 4.2))
ax_data.scatter(x.numpy(), y.numpy(), s=12, color="0.6", label="data")
grid = np.linspace(-1, 1, 2)
ax_data.plot(grid, a_exact * grid + b_exact, "k--", lw=2, label="closed form")
for label, (a_fit, b_fit) in fits.items():
    ax_data.plot(grid, a_fit * grid + b_fit, lw=1, label=label.split(" (")[0])
ax_data.set(xlabel="x", ylabel="y", title="y = a x + b fitted three ways")
ax_data.legend(fontsize=8)
for label, losses in curves.items():
    ax_loss.plot(range(len(losses)), losses, marker=".", label=label)
ax_loss.axhline(loss_exact, color="k", ls="--", lw=1, label="closed form")
ax_loss.set(xlabel="epoch (one pass over the data)", ylabel="MSE on all data", yscale="log")
ax_loss.set_title("Loss per epoch")
ax_loss.legend(fontsize=8)
fig.tight_layout()
path_methods = out_dir() / "04_gd_sgd_online.png"
fig.savefig(path_methods, dpi=100)
plt.close(fig)
print(f"saved {path_methods}")

# ---------------------------------------------------------------------------------------
# B7. The learning rate
# ---------------------------------------------------------------------------------------
section("B7. Learning rate: too small, good, too large")

# Full-batch descent on this loss is stable for lr below about 1 (2 / the largest
# curvature of the MSE, which is about 2 here). Below that, smaller is slower; above it,
# every step overshoots the minimum by more than the last, and the loss grows.
RATES = [("too small", 0.02), ("good", 0.5), ("too large", 1.1)]
LR_EPOCHS, CLIP = 30, 1e3
rate_curves = {}
for name, lr in RATES:
    a_fit, b_fit, losses = fit(N, lr, LR_EPOCHS)
    rate_curves[name] = losses
    print(
        f"lr = {lr:<5} ({name:9s}): MSE {losses[0]:.3f} -> {losses[-1]:.4g} after "
        f"{len(losses) - 1} epochs, a = {a_fit:.3g}, b = {b_fit:.3g}"
    )
assert rate_curves["good"][-1] < 1.01 * loss_exact  # converged
assert rate_curves["too small"][-1] > 2 * loss_exact  # still far from it
assert rate_curves["too large"][-1] > rate_curves["too large"][0]  # diverged

# Figure 2: the three curves; the diverging one is clipped at CLIP so it stays on the plot.
fig, ax = plt.subplots(figsize=(6.5, 4.2))
for (name, lr), losses in zip(RATES, rate_curves.values(), strict=True):
    ax.plot(np.minimum(losses, CLIP), marker=".", label=f"lr = {lr} ({name})")
ax.axhline(loss_exact, color="k", ls="--", lw=1, label="closed form")
ax.set(xlabel="epoch", ylabel=f"MSE (clipped at {CLIP:g})", yscale="log", ylim=(None, CLIP * 2))
ax.set_title("Full-batch gradient descent, three learning rates")
ax.legend(fontsize=8)
fig.tight_layout()
path_rates = out_dir() / "04_learning_rates.png"
fig.savefig(path_rates, dpi=100)
plt.close(fig)
print(f"saved {path_rates}")
