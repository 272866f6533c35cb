"""A neuron and its activation function: the usual shapes and their derivatives (D4).

Curriculum row shown here:
    D4  a neuron computes a weighted sum of its inputs plus a bias, then passes it through
        a non-linear activation: y = f(w . x + b). This example draws the activations in
        common use (sigmoid, tanh, ReLU, LeakyReLU, ELU, GELU exact and its tanh
        approximation, SiLU, Softplus) together with their derivatives, which
        backpropagation multiplies through the network. The derivatives come from
        autograd and are checked against central finite differences.

What to look for: sigmoid and tanh saturate (their slope dies for large |x|); ReLU has
slope exactly 0 or 1; LeakyReLU and ELU keep a slope for x < 0; GELU, SiLU and Softplus
are smooth versions of ReLU.

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    06_activations.png  a 3 x 3 grid: each activation (solid) and its derivative (dashed).

Run it with ``python examples/06_activations.py``.
"""

import math
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

import scratchgrad as sg  # noqa: E402
import scratchgrad.nn.functional as F  # noqa: E402, N812 - PyTorch's F
from scratchgrad import nn  # noqa: E402

sg.manual_seed(0)

# ---------------------------------------------------------------------------------------
# One neuron
# ---------------------------------------------------------------------------------------
section("D4. One neuron: y = f(w . x + b)")

x = sg.tensor([1.0, -2.0, 0.5], dtype=sg.float64)  # three inputs
w = sg.tensor([0.4, 0.3, -0.6], dtype=sg.float64)  # one weight per input
b = sg.tensor(0.2, dtype=sg.float64)  # the bias shifts the threshold
z = w @ x + b  # the weighted sum: 0.4 - 0.6 - 0.3 + 0.2 = -0.3
print(f"inputs x = {x.tolist()}, weights w = {w.tolist()}, bias b = {b.item()}")
print(f"weighted sum z = w . x + b = {z.item():.4f}")
print(f"sigmoid(z) = {sg.sigmoid(z).item():.4f}  (a probability-like output in (0, 1))")
print(f"tanh(z)    = {sg.tanh(z).item():.4f}  (in (-1, 1), centred on 0)")
print(f"relu(z)    = {F.relu(z).item():.4f}  (negative sums are cut to 0)")
assert math.isclose(z.item(), -0.3, abs_tol=1e-12)
assert math.isclose(sg.sigmoid(z).item(), 1 / (1 + math.exp(0.3)), abs_tol=1e-12)

# ---------------------------------------------------------------------------------------
# The activations, as functions and as modules
# ---------------------------------------------------------------------------------------
Activation = Callable[[sg.Tensor], sg.Tensor]
LEAKY_SLOPE = 0.1  # PyTorch's default is 0.01; 0.1 makes the slope visible in the plot

# name -> (function, the same as an nn module)
ACTIVATIONS: dict[str, tuple[Activation, nn.Module]] = {
    "sigmoid": (sg.sigmoid, nn.Sigmoid()),
    "tanh": (sg.tanh, nn.Tanh()),
    "ReLU": (F.relu, nn.ReLU()),
    f"LeakyReLU({LEAKY_SLOPE})": (
        lambda t: F.leaky_relu(t, LEAKY_SLOPE),
        nn.LeakyReLU(LEAKY_SLOPE),
    ),
    "ELU": (F.elu, nn.ELU()),
    "GELU (exact)": (F.gelu, nn.GELU()),
    "GELU (tanh)": (lambda t: F.gelu(t, approximate="tanh"), nn.GELU(approximate="tanh")),
    "SiLU": (F.silu, nn.SiLU()),
    "Softplus": (F.softplus, nn.Softplus()),
}


def value_and_derivative(f: Activation, points: list[float] | np.ndarray) -> tuple:
    """f(x) and f'(x) at each point, the derivative by autograd (float64).

    The activations act elementwise, so the gradient of sum(f(x)) with respect to x is
    f'(x) at every point at once.
    """
    x = sg.tensor(np.asarray(points, dtype=np.float64), requires_grad=True)
    y = f(x)
    y.sum().backward()
    return y.detach().numpy(), x.grad.numpy()


section("Values f(x) and derivatives f'(x) (by autograd)")

POINTS = [-2.0, -1.0, 0.0, 1.0, 2.0]
table = {name: value_and_derivative(f, POINTS) for name, (f, _) in ACTIVATIONS.items()}
for title, column in [("f(x)", 0), ("f'(x)", 1)]:
    print(f"\n{title:16s}" + "".join(f"{'x = ' + f'{p:g}':>10s}" for p in POINTS))
    for name, rows in table.items():
        print(f"{name:16s}" + "".join(f"{v:10.4f}" for v in rows[column]))

# Known values, each worked out by hand.
value, slope = {n: r[0] for n, r in table.items()}, {n: r[1] for n, r in table.items()}
at = {p: i for i, p in enumerate(POINTS)}  # the column of each point
checks = [
    ("sigmoid(0) = 1/2", value["sigmoid"][at[0.0]], 0.5),
    ("sigmoid'(0) = s(1 - s) = 1/4", slope["sigmoid"][at[0.0]], 0.25),
    ("tanh(0) = 0", value["tanh"][at[0.0]], 0.0),
    ("tanh'(0) = 1 - tanh^2 = 1", slope["tanh"][at[0.0]], 1.0),
    ("relu'(x < 0) = 0", slope["ReLU"][at[-1.0]], 0.0),
    ("relu'(x > 0) = 1", slope["ReLU"][at[2.0]], 1.0),
    (f"leaky_relu'(x < 0) = {LEAKY_SLOPE}", slope[f"LeakyReLU({LEAKY_SLOPE})"][at[-2.0]], 0.1),
    ("elu(-1) = e^-1 - 1", value["ELU"][at[-1.0]], math.exp(-1) - 1),
    ("elu'(-1) = e^-1", slope["ELU"][at[-1.0]], math.exp(-1)),
    ("gelu(0) = 0", value["GELU (exact)"][at[0.0]], 0.0),
    ("gelu'(0) = Phi(0) = 1/2", slope["GELU (exact)"][at[0.0]], 0.5),
    ("gelu(1) = Phi(1) = 0.8413", value["GELU (exact)"][at[1.0]], 0.5 * (1 + math.erf(2**-0.5))),
    ("silu'(0) = 1/2", slope["SiLU"][at[0.0]], 0.5),
    ("softplus(0) = ln 2", value["Softplus"][at[0.0]], math.log(2)),
    ("softplus'(1) = sigmoid(1)", slope["Softplus"][at[1.0]], 1 / (1 + math.exp(-1))),
]
print()
for label, got, expected in checks:
    print(f"  {label:32s} {got:9.6f}  (expected {expected:.6f})")
    assert math.isclose(got, expected, abs_tol=1e-9), label

# ---------------------------------------------------------------------------------------
# The derivatives against finite differences, and modules against functions
# ---------------------------------------------------------------------------------------
section("Autograd derivatives vs central differences on [-4, 4]")

GRID = np.linspace(-4, 4, 801)
SMOOTH = np.abs(GRID) > 1e-3  # ReLU and LeakyReLU have a kink at 0: compare elsewhere
H = 1e-6
curves = {}
for name, (f, module) in ACTIVATIONS.items():
    y, dy = value_and_derivative(f, GRID)
    curves[name] = (y, dy)
    y_plus, _ = value_and_derivative(f, GRID + H)
    y_minus, _ = value_and_derivative(f, GRID - H)
    numeric = (y_plus - y_minus) / (2 * H)
    error = np.abs(dy - numeric)[SMOOTH].max()
    with sg.no_grad():
        same = np.abs(module(sg.tensor(GRID)).numpy() - y).max()
    print(f"  {name:16s} max |autograd - numeric| = {error:.1e}   module vs function: {same:.0e}")
    assert error < 1e-6, name
    assert same < 1e-12, name

# The tanh approximation of GELU is close to the exact one: within 5e-4 everywhere.
gap = np.abs(curves["GELU (exact)"][0] - curves["GELU (tanh)"][0]).max()
print(f"\nmax |GELU exact - GELU tanh| on [-4, 4] = {gap:.1e}")
assert gap < 5e-4

# Saturation: the slope of sigmoid and tanh dies away from 0; ReLU keeps slope 1.
print(
    f"slope at x = 4: sigmoid {curves['sigmoid'][1][-1]:.4f}, tanh {curves['tanh'][1][-1]:.4f}, "
    f"ReLU {curves['ReLU'][1][-1]:.0f}"
)
assert curves["sigmoid"][1][-1] < 0.02 and curves["tanh"][1][-1] < 0.002

# ---------------------------------------------------------------------------------------
# The figure
# ---------------------------------------------------------------------------------------
fig, axes = plt.subplots(3, 3, figsize=(11, 9), sharex=True)
for ax, (name, (y, dy)) in zip(axes.flat, curves.items(), strict=True):
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
    ax.plot(GRID, y, color="tab:blue", lw=2, label="f(x)")
    ax.plot(GRID, dy, color="tab:orange", lw=1.5, ls="--", label="f'(x) (autograd)")
    ax.set_title(name)
    ax.set_ylim(-1.5, 4.2)
for ax in axes[-1]:
    ax.set_xlabel("x")
axes[0, 0].legend(loc="upper left", fontsize=8)
fig.suptitle("Activation functions (solid) and their derivatives (dashed)")
fig.tight_layout()
path = out_dir() / "06_activations.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")
