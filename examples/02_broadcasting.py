"""Broadcasting: elementwise ops between tensors of different shapes (curriculum A8).

The rule, as in NumPy and PyTorch: line the two shapes up on the right and compare the
sizes pair by pair, right to left. Each pair must be equal, or one of the two must be 1
(a missing size counts as 1). A size of 1 is stretched to match the other; the result
takes the larger size at every position. If a pair differs and neither is 1, the shapes
do not broadcast and scratchgrad raises ``sg.BroadcastError`` naming that dimension.

This script:
    1. shows a small broadcast worked out (a column plus a row gives a table);
    2. applies the rule step by step to the six cases of the course, and checks that
       scratchgrad agrees (result shape, or the error and the failing dim);
    3. shows that the gradient of a broadcast input is summed back to its own shape.

Run it with ``python examples/02_broadcasting.py``.
"""

import numpy as np
from _common import section

import scratchgrad as sg

sg.manual_seed(0)

# ---------------------------------------------------------------------------------------
# 1. A broadcast worked out
# ---------------------------------------------------------------------------------------
section("1. A column plus a row")

col = sg.tensor([[0], [10], [20]])  # (3, 1)
row = sg.tensor([1, 2, 3, 4])  # (4,)
# Right to left: 1 vs 4 -> 4 (the 1 is stretched); 3 vs missing -> 3. Result (3, 4).
# It is as if both were first copied out to (3, 4):
print("col stretched to (3, 4):", sg.broadcast_to(col, (3, 4)).tolist())
print("row stretched to (3, 4):", sg.broadcast_to(row, (3, 4)).tolist())
table = col + row
print(f"col {col.shape} + row {row.shape} -> {table.shape}")
print(table)
assert table.tolist() == [[1, 2, 3, 4], [11, 12, 13, 14], [21, 22, 23, 24]]

# The most common case in practice: one bias vector added to every row of a batch.
batch = sg.zeros(2, 3)
bias = sg.tensor([0.1, 0.2, 0.3])
print(f"batch {batch.shape} + bias {bias.shape} ->")
print(batch + bias)

# A scalar has shape (): it broadcasts with anything.
assert (2 * table).shape == (3, 4)


# ---------------------------------------------------------------------------------------
# 2. The rule, step by step, on the six cases
# ---------------------------------------------------------------------------------------
def explain(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
    """Apply the broadcasting rule right to left, printing each step.

    Returns the broadcast shape, or None if the shapes do not broadcast.
    """
    out: list[int] = []
    for k in range(1, max(len(a), len(b)) + 1):
        # dim -k of each shape; a shape that is too short counts as size 1 there
        sa = a[-k] if k <= len(a) else None
        sb = b[-k] if k <= len(b) else None
        na = 1 if sa is None else sa
        nb = 1 if sb is None else sb
        shown = f"{'-' if sa is None else sa} vs {'-' if sb is None else sb}"
        if na == nb:
            verdict = f"-> {na} (equal)"
        elif sa is None or sb is None:
            verdict = f"-> {max(na, nb)} (a missing size counts as 1, stretched)"
        elif na == 1 or nb == 1:
            verdict = f"-> {max(na, nb)} (the 1 is stretched)"
        else:
            print(f"    dim -{k}: {shown:8s} -> neither is 1: NO")
            return None
        print(f"    dim -{k}: {shown:8s} {verdict}")
        out.insert(0, max(na, nb))
    return tuple(out)


section("2. The six cases, right to left")

# (shape a, shape b, the expected result shape or None for "does not broadcast")
CASES = [
    ((5, 1, 3), (5, 1, 3), (5, 1, 3)),
    ((5, 2, 3, 1), (5, 1, 3, 1), (5, 2, 3, 1)),
    ((5, 2, 3, 1), (5, 1, 3, 5), (5, 2, 3, 5)),
    ((5, 3, 3), (5, 2, 3), None),
    ((5, 3, 3), (5, 3), None),
    ((5, 3, 3), (3, 3), (5, 3, 3)),
]

for a, b, expected in CASES:
    print(f"\n{a} & {b}")
    by_hand = explain(a, b)
    assert by_hand == expected
    # Now the library: add two tensors of these shapes.
    try:
        result = sg.zeros(a) + sg.zeros(b)
    except sg.BroadcastError as err:
        print(f"  scratchgrad: no -> BroadcastError: {err}")
        assert expected is None
        assert "at dim -2" in str(err)  # both failing cases fail at the second from the right
        continue
    print(f"  scratchgrad: yes -> result shape {result.shape}")
    assert result.shape == expected == sg.broadcast_shapes(a, b)

# The error message of the fourth case, in full:
try:
    sg.broadcast_shapes((5, 3, 3), (5, 2, 3))
except sg.BroadcastError as err:
    message = str(err)
else:
    raise AssertionError("(5, 3, 3) and (5, 2, 3) must not broadcast")
print("\nthe message names the shapes and the failing dim:\n ", message)
assert message == (
    "cannot broadcast shapes (5, 3, 3) and (5, 2, 3): "
    "at dim -2 the sizes 3 and 2 differ and neither is 1"
)

# ---------------------------------------------------------------------------------------
# 3. Gradients of broadcast inputs are summed back to the input's shape
# ---------------------------------------------------------------------------------------
section("3. The gradient of a broadcast input")

# In col * row, each col[i] is used 4 times (once per column of the result), and each
# row[j] 3 times. The chain rule adds the contributions of all the copies, so a gradient
# always has the shape of its input, never the broadcast shape.
col = sg.tensor([[1.0], [2.0], [3.0]], requires_grad=True)  # (3, 1)
row = sg.tensor([10.0, 20.0, 30.0, 40.0], requires_grad=True)  # (4,)
out = col * row  # (3, 4)
out.sum().backward()
# d(sum)/d col[i] = sum_j row[j] = 100;  d(sum)/d row[j] = sum_i col[i] = 6
print(f"out = col * row has shape {out.shape}")
print(f"col.grad: shape {col.grad.shape}, values {col.grad.tolist()}  (10+20+30+40 = 100)")
print(f"row.grad: shape {row.grad.shape}, values {row.grad.tolist()}  (1+2+3 = 6)")
assert col.grad.tolist() == [[100.0], [100.0], [100.0]]
assert row.grad.tolist() == [6.0, 6.0, 6.0, 6.0]

# The bias of a layer: one (3,) vector added to each of the 5 rows of a batch.
# Its gradient is the upstream gradient summed over the batch dimension.
x = sg.randn(5, 3)
b = sg.zeros(3, requires_grad=True)
y = x + b  # (5, 3)
(y**2).sum().backward()  # upstream gradient d/dy = 2 y, shape (5, 3)
expected_grad = (2 * y.detach()).sum(dim=0)  # summed over the 5 rows -> (3,)
print("bias.grad                 =", b.grad)
print("2 y summed over the batch =", expected_grad)
assert b.grad.shape == (3,)
assert np.allclose(b.grad.numpy(), expected_grad.numpy(), atol=1e-6)

# The engine does this in one place for every op: autograd.unbroadcast sums over the
# dims that broadcasting added (leading) or stretched (size 1).
summed = sg.autograd.unbroadcast(np.ones((3, 4)), (3, 1))
print("unbroadcast(ones((3, 4)), (3, 1)) =", summed.tolist())
assert summed.tolist() == [[4.0], [4.0], [4.0]]

print("\nAll broadcasting cases check out.")
