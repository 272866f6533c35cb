"""Derivatives three ways: finite differences, by hand, and by automatic differentiation.

Curriculum rows shown here:
    B1  the derivative as a limit: finite differences against the exact derivative of
        x^3, sin(x) and exp(-x^2), and how the error changes as the step h shrinks;
    B2  partial derivatives and the chain rule on f(x, y) = x^2 y + sin(x y): derived by
        hand, then computed by autograd;
    B3  automatic differentiation: the graph of operations that autograd records, printed
        as a tree, traced backwards to the gradients, and checked with ``sg.gradcheck``.

Run it with ``python examples/03_autodiff.py``.
"""

import math
from typing import Any

from _common import section

import scratchgrad as sg

sg.manual_seed(0)

# ---------------------------------------------------------------------------------------
# B1. The derivative as a limit
# ---------------------------------------------------------------------------------------
section("B1. Finite differences vs the exact derivative")

# f'(x) = lim_{h -> 0} (f(x + h) - f(x)) / h. With a small but finite h we get the
#   forward difference  (f(x + h) - f(x)) / h           error ~ h    (first order)
#   central difference  (f(x + h) - f(x - h)) / (2 h)   error ~ h^2  (second order)
# until h gets so small that rounding in f(x + h) - f(x) takes over (float64 keeps
# about 16 digits), and the error grows again.
FUNCTIONS = [
    # name, f, the exact derivative f'
    ("x^3", lambda x: x**3, lambda x: 3 * x**2),
    ("sin(x)", sg.sin, sg.cos),
    ("exp(-x^2)", lambda x: sg.exp(-(x**2)), lambda x: -2 * x * sg.exp(-(x**2))),
]
X0 = 0.7
STEPS = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-8, 1e-10, 1e-12]

for name, f, df in FUNCTIONS:
    x = sg.tensor(X0, dtype=sg.float64)  # float64: finite differences need the digits
    exact = df(x).item()
    print(f"\nf(x) = {name} at x = {X0}: exact f'(x) = {exact:.12f}")
    print(f"  {'h':>7s}  {'forward':>15s}  {'error':>8s}  {'central':>15s}  {'error':>8s}")
    errors = {}
    for h in STEPS:
        forward = ((f(x + h) - f(x)) / h).item()
        central = ((f(x + h) - f(x - h)) / (2 * h)).item()
        errors[h] = (abs(forward - exact), abs(central - exact))
        print(
            f"  {h:7.0e}  {forward:15.12f}  {errors[h][0]:8.1e}  "
            f"{central:15.12f}  {errors[h][1]:8.1e}"
        )
    # Autograd gives the exact derivative (up to rounding), with no step to choose.
    xg = sg.tensor(X0, dtype=sg.float64, requires_grad=True)
    f(xg).backward()
    print(f"  autograd: {xg.grad.item():.12f}  (error {abs(xg.grad.item() - exact):.1e})")

    assert errors[1e-3][1] < errors[1e-3][0]  # central beats forward at the same h
    assert errors[1e-4][1] < 1e-7  # central with a moderate h: about 8 good digits
    assert errors[1e-12][1] > errors[1e-5][1]  # too small a step: rounding wins
    assert abs(xg.grad.item() - exact) < 1e-12

# ---------------------------------------------------------------------------------------
# B2. Partial derivatives and the chain rule
# ---------------------------------------------------------------------------------------
section("B2. Partial derivatives and the chain rule")

# f(x, y) = x^2 y + sin(x y). A partial derivative varies one input, holding the other.
# Write u = x y, so f = x^2 y + sin(u). The chain rule: df/dx = d(x^2 y)/dx + cos(u) du/dx.
#   df/dx = 2 x y + cos(x y) * y
#   df/dy = x^2   + cos(x y) * x
X, Y = 2.0, 0.5


def f_xy(x: sg.Tensor, y: sg.Tensor) -> sg.Tensor:
    """f(x, y) = x^2 y + sin(x y)."""
    return x**2 * y + sg.sin(x * y)


by_hand = (2 * X * Y + math.cos(X * Y) * Y, X**2 + math.cos(X * Y) * X)

# Autograd: the same function on tensors that require grad, then backward().
x = sg.tensor(X, dtype=sg.float64, requires_grad=True)
y = sg.tensor(Y, dtype=sg.float64, requires_grad=True)
u = x * y
u.retain_grad()  # keep df/du on this intermediate node, to look at it
f = x**2 * y + sg.sin(u)
f.backward()
by_autograd = (x.grad.item(), y.grad.item())

# Finite differences, one input at a time (central, h = 1e-6).
h = 1e-6
xt, yt = sg.tensor(X, dtype=sg.float64), sg.tensor(Y, dtype=sg.float64)
by_differences = (
    ((f_xy(xt + h, yt) - f_xy(xt - h, yt)) / (2 * h)).item(),
    ((f_xy(xt, yt + h) - f_xy(xt, yt - h)) / (2 * h)).item(),
)

print(f"f(x, y) = x^2 y + sin(x y) at (x, y) = ({X}, {Y}): f = {f.item():.6f}")
print(f"{'':22s}{'df/dx':>12s}{'df/dy':>12s}")
for label, (gx, gy) in [
    ("by hand", by_hand),
    ("autograd", by_autograd),
    ("finite differences", by_differences),
]:
    print(f"{label:22s}{gx:12.8f}{gy:12.8f}")
print(
    f"the chain rule's middle link: df/du = cos(u) = {math.cos(X * Y):.8f}, "
    f"autograd kept u.grad = {u.grad.item():.8f}"
)
assert all(math.isclose(a, b, abs_tol=1e-12) for a, b in zip(by_autograd, by_hand, strict=True))
assert all(math.isclose(a, b, abs_tol=1e-8) for a, b in zip(by_differences, by_hand, strict=True))
assert math.isclose(u.grad.item(), math.cos(X * Y), abs_tol=1e-12)

# ---------------------------------------------------------------------------------------
# B3. The graph that autograd records
# ---------------------------------------------------------------------------------------
section("B3. The computation graph, traced backwards")

# Every operation on a tensor that requires grad records a node (an autograd Function)
# in the result's grad_fn; the node keeps its inputs. Leaves (tensors we made ourselves)
# have grad_fn None. backward() starts at the output and walks these links back to the
# leaves, applying each node's local derivative: the chain rule, node by node.


def describe(t: sg.Tensor) -> str:
    """The value (one element) or the shape of a tensor, for printing."""
    return f"= {t.item():.4f}" if t.numel() == 1 else f"shape {t.shape}"


def print_graph(t: Any, names: dict[int, str], depth: int = 0) -> int:
    """Print the graph that produced ``t`` as an indented tree; returns the node count.

    A tensor used twice (x and y below) shows up under each of its users: the graph is
    a DAG, printed here as a tree.
    """
    pad = "    " * depth
    if not isinstance(t, sg.Tensor):  # a Python number the op used, e.g. the 2 in x**2
        print(f"{pad}{t!r}  (constant)")
        return 0
    node = t.grad_fn
    if node is None:  # a leaf
        name = names.get(id(t), "tensor")
        grad_note = "requires grad" if t.requires_grad else "no grad"
        print(f"{pad}{name} {describe(t)}  (leaf, {grad_note})")
        return 0
    print(f"{pad}{node!r}  output {describe(t)}")
    return 1 + sum(print_graph(inp, names, depth + 1) for inp in node.inputs)


x = sg.tensor(X, dtype=sg.float64, requires_grad=True)
y = sg.tensor(Y, dtype=sg.float64, requires_grad=True)
f = f_xy(x, y)
print("f(x, y) = x^2 y + sin(x y), read from the output (top) back to the inputs:")
n_nodes = print_graph(f, {id(x): "x", id(y): "y"})
print(f"{n_nodes} operation nodes")
assert repr(f.grad_fn) == "<AddBackward>" and n_nodes == 5

f.backward()  # frees the saved arrays of the graph; it cannot be walked again now
print(f"gradients: df/dx = {x.grad.item():.8f}, df/dy = {y.grad.item():.8f}")
assert math.isclose(x.grad.item(), by_hand[0], abs_tol=1e-12)


def layer(w: sg.Tensor, v: sg.Tensor, b: sg.Tensor) -> sg.Tensor:
    """sum(tanh(w @ v + b)): a tiny neural-network layer, summed to a scalar."""
    return sg.tanh(w @ v + b).sum()


# The same walk on a graph of matrices: w (2, 3), v (3, 1), b (2, 1).
w = sg.randn(2, 3, dtype=sg.float64, requires_grad=True)
v = sg.randn(3, 1, dtype=sg.float64, requires_grad=True)
b = sg.randn(2, 1, dtype=sg.float64, requires_grad=True)
print("\nsum(tanh(w @ v + b)):")
print_graph(layer(w, v, b), {id(w): "w", id(v): "v", id(b): "b"})

# ---------------------------------------------------------------------------------------
# gradcheck: autograd against central differences, every element
# ---------------------------------------------------------------------------------------
section("gradcheck")

# sg.gradcheck builds the full Jacobian both ways (backward, and central differences in
# float64) and compares them. It is how every op in scratchgrad is tested.
x = sg.tensor(X, dtype=sg.float64, requires_grad=True)
y = sg.tensor(Y, dtype=sg.float64, requires_grad=True)
ok = sg.gradcheck(f_xy, [x, y])
print("gradcheck(f_xy, [x, y]) ->", ok)
ok_layer = sg.gradcheck(layer, [w, v, b])
print("gradcheck(layer, [w, v, b]) ->", ok_layer)
assert ok and ok_layer


class BadSquare(sg.autograd.Function):
    """x^2 with a deliberately wrong backward: x instead of 2 x."""

    def forward(self, x: Any) -> Any:
        self.x = x
        return x * x

    def backward(self, grad: Any) -> tuple[Any]:
        return (grad * self.x,)  # the bug: should be grad * 2 * self.x


# gradcheck catches the wrong derivative and says where.
try:
    sg.gradcheck(
        lambda t: BadSquare.apply(t).sum(), [sg.randn(3, dtype=sg.float64).requires_grad_()]
    )
except sg.autograd.GradcheckError as err:
    print("a wrong backward is caught:", err)
else:
    raise AssertionError("gradcheck must reject BadSquare")

print("\nAll derivatives check out.")
