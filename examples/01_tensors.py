"""Tensors: the one data structure the rest of scratchgrad is built on.

Curriculum rows shown here:
    A3  scalars, vectors, matrices and n-d tensors (an RGB image is a 3-d tensor):
        how to create them, and their shape, ndim and dtype;
    A4  elementwise add and subtract, scalar times tensor, the Hadamard product;
    A5  dot product, matrix-vector and matrix-matrix multiplication;
    A6  reductions (sum of everything, sum along an axis) and norms (L1, L2, max, Frobenius);
    A7  the op families: math and boolean, join (cat, stack, split), indexing (slices,
        integer arrays, boolean masks) and conversion (dtype, NumPy, Python lists).

Every worked number is checked with ``assert``: if the library computed it wrong, the
script stops with an error instead of printing a wrong answer.

Run it with ``python examples/01_tensors.py``.
"""

import math

import numpy as np
from _common import section

import scratchgrad as sg

sg.manual_seed(0)  # the random image below is the same on every run

# ---------------------------------------------------------------------------------------
# A3. Scalars, vectors, matrices, n-d tensors
# ---------------------------------------------------------------------------------------
section("A3. Scalars, vectors, matrices and n-d tensors")

# A tensor is a grid of numbers. The number of axes is its ndim; the length of each
# axis is its shape; the kind of number stored is its dtype.
scalar = sg.tensor(3.5)  # 0 axes: a single number
vector = sg.tensor([1.0, 2.0, 3.0])  # 1 axis
matrix = sg.tensor([[1, 2, 3], [4, 5, 6]])  # 2 axes: 2 rows, 3 columns
for name, t in [("scalar", scalar), ("vector", vector), ("matrix", matrix)]:
    print(f"{name:7s} ndim={t.ndim}  shape={str(t.shape):7s} dtype={str(t.dtype):8s} {t.tolist()}")
assert (scalar.ndim, vector.ndim, matrix.ndim) == (0, 1, 2)
assert matrix.shape == (2, 3)

# As in PyTorch, Python floats become float32 (the default float) and Python ints int64.
assert vector.dtype == sg.float32 and matrix.dtype == sg.int64
print("dtype chosen explicitly:", sg.tensor([1, 2], dtype=sg.float64).dtype)

# Creation functions fill a tensor of a given shape.
print("zeros(2, 3)        ", sg.zeros(2, 3).tolist())
print("full((2, 2), 7.0)  ", sg.full((2, 2), 7.0).tolist())
print("eye(3)             ", sg.eye(3).tolist())
print("arange(0, 10, 3)   ", sg.arange(0, 10, 3).tolist())
print("linspace(0, 1, 5)  ", sg.linspace(0, 1, 5).tolist())
assert sg.arange(0, 10, 3).tolist() == [0, 3, 6, 9]

# An RGB image is a 3-d tensor (channels, height, width): one H x W matrix per colour.
H, W = 4, 6
image = sg.rand(3, H, W)  # values in [0, 1), like pixel intensities
red = image[0]  # the red channel: an (H, W) matrix
print(f"RGB image: shape={image.shape} (C, H, W), ndim={image.ndim}; red channel {red.shape}")
print("the pixel at row 1, column 2 as (r, g, b):", [round(c, 3) for c in image[:, 1, 2].tolist()])
assert image.shape == (3, H, W) and red.shape == (H, W)

# Plotting libraries want (H, W, C): move the channel axis last.
print("as (H, W, C) for matplotlib:", image.permute(1, 2, 0).shape)

# A batch of 8 such images is a 4-d tensor (N, C, H, W).
batch = sg.zeros(8, 3, H, W)
print(f"a batch of images: shape={batch.shape}, ndim={batch.ndim}, numel={batch.numel()}")
assert batch.numel() == 8 * 3 * H * W

# ---------------------------------------------------------------------------------------
# A4. Elementwise arithmetic
# ---------------------------------------------------------------------------------------
section("A4. Elementwise add, subtract, scalar times tensor, Hadamard product")

# Elementwise ops work position by position: out[i] = a[i] (op) b[i].
a = sg.tensor([1, 2, 3])
b = sg.tensor([4, 5, 6])
print("a       =", a.tolist())
print("b       =", b.tolist())
print("a + b   =", (a + b).tolist(), "  (1+4, 2+5, 3+6)")
print("b - a   =", (b - a).tolist())
print("2 * a   =", (2 * a).tolist(), "  (a scalar multiplies every element)")
print("a * b   =", (a * b).tolist(), "  (Hadamard product: 1*4, 2*5, 3*6)")
assert (a + b).tolist() == [5, 7, 9]
assert (b - a).tolist() == [3, 3, 3]
assert (2 * a).tolist() == [2, 4, 6]
assert (a * b).tolist() == [4, 10, 18]

# A float scalar times an int tensor gives the default float, as in PyTorch.
half = 0.5 * a
print("0.5 * a =", half.tolist(), " dtype", half.dtype)
assert half.tolist() == [0.5, 1.0, 1.5] and half.dtype == sg.float32

# The same rules hold for matrices (and any shape): the Hadamard product of two matrices.
P = sg.tensor([[1.0, 2.0], [3.0, 4.0]])
Q = sg.tensor([[10.0, 20.0], [30.0, 40.0]])
print("P * Q   =", (P * Q).tolist())
assert (P * Q).tolist() == [[10.0, 40.0], [90.0, 160.0]]

# ---------------------------------------------------------------------------------------
# A5. Dot product, matrix-vector and matrix-matrix products
# ---------------------------------------------------------------------------------------
section("A5. Dot product, matrix-vector and matrix-matrix multiplication")

# Dot product: multiply position by position, then add up. 1*4 + 2*5 + 3*6 = 32.
u = sg.tensor([1.0, 2.0, 3.0])
v = sg.tensor([4.0, 5.0, 6.0])
d = sg.dot(u, v)
print("u . v =", d.item(), "  (1*4 + 2*5 + 3*6)")
assert d.item() == 32.0
assert (u * v).sum().item() == 32.0  # the same thing, spelled out

# Matrix-vector: each output entry is the dot product of one row with the vector.
A = sg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])  # (2, 3)
x = sg.tensor([1.0, 0.0, -1.0])  # (3,)
Ax = A @ x  # (2, 3) @ (3,) -> (2,)
print("A @ x =", Ax.tolist(), "  (row 0: 1-3, row 1: 4-6)")
assert Ax.tolist() == [-2.0, -2.0]

# Matrix-matrix: (3, 2) @ (2, 4) -> (3, 4). The inner sizes (2 and 2) must agree;
# entry C[i, j] is the dot product of row i of A with column j of B.
A = sg.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])  # (3, 2)
B = sg.tensor([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])  # (2, 4)
C = A @ B
print(f"A {A.shape} @ B {B.shape} -> C {C.shape}")
for i, row in enumerate(C.tolist()):
    print(f"  C[{i}] = {row}")
print("worked out: C[0, 0] = 1*1 + 2*5 = 11,  C[2, 3] = 5*4 + 6*8 = 68")
assert C.shape == (3, 4)
assert C.tolist() == [
    [11.0, 14.0, 17.0, 20.0],
    [23.0, 30.0, 37.0, 44.0],
    [35.0, 46.0, 57.0, 68.0],
]
# The same entry computed by hand from the definition:
assert sum(A[0, k].item() * B[k, 0].item() for k in range(2)) == C[0, 0].item() == 11.0
# einsum names the axes: sum over the shared k of A[i, k] * B[k, j].
assert sg.einsum("ik,kj->ij", A, B).tolist() == C.tolist()

# Multiplying a (3, 2) by a (3, 4) fails: the inner sizes 2 and 3 differ.
try:
    A @ sg.ones(3, 4)
except sg.ShapeError as err:
    print("A @ ones(3, 4) fails:", err)
else:
    raise AssertionError("a (3, 2) @ (3, 4) product must fail")

# ---------------------------------------------------------------------------------------
# A6. Reductions and norms
# ---------------------------------------------------------------------------------------
section("A6. Reductions (sum, along an axis) and norms")

# The numbers 1..16 laid out as a 4x4 matrix, row by row.
M = sg.arange(1, 17).reshape(4, 4)
print("M =")
print(M)
total = M.sum()  # every element: 1 + 2 + ... + 16 = 16 * 17 / 2 = 136
print("sum of all elements:", total.item(), "  (16 * 17 / 2 = 136)")
assert total.item() == 136

# Along an axis: dim=0 collapses the rows (one sum per column), dim=1 the columns.
col_sums = M.sum(dim=0)
row_sums = M.sum(dim=1)
print("sum over dim 0 (column sums):", col_sums.tolist())
print("sum over dim 1 (row sums):   ", row_sums.tolist())
assert col_sums.tolist() == [28, 32, 36, 40]
assert row_sums.tolist() == [10, 26, 42, 58]
assert col_sums.sum().item() == row_sums.sum().item() == 136
print("mean of all elements:", M.float().mean().item())
assert M.float().mean().item() == 8.5

# max along a dim gives the values and where they are (as in PyTorch).
values, indices = M.max(dim=1)
print("max of each row:", values.tolist(), " at column", indices.tolist())
assert values.tolist() == [4, 8, 12, 16] and indices.tolist() == [3, 3, 3, 3]

# Norms measure the size of a vector. For w = (3, -4):
w = sg.tensor([3.0, -4.0])
l1 = w.norm(1)  # |3| + |-4| = 7
l2 = w.norm(2)  # sqrt(3^2 + 4^2) = 5
linf = w.norm(math.inf)  # max(|3|, |-4|) = 4
print(f"w = {w.tolist()}:  L1 = {l1.item()}, L2 = {l2.item()}, max (inf) = {linf.item()}")
assert (l1.item(), l2.item(), linf.item()) == (7.0, 5.0, 4.0)

# The Frobenius norm of a matrix is the L2 norm of all its entries together.
fro = M.float().norm("fro")  # sqrt(1^2 + 2^2 + ... + 16^2) = sqrt(1496)
print(f"Frobenius norm of M: {fro.item():.4f}  (sqrt(1496) = {math.sqrt(1496):.4f})")
assert math.isclose(fro.item(), math.sqrt(1496), rel_tol=1e-6)

# ---------------------------------------------------------------------------------------
# A7. Operation families
# ---------------------------------------------------------------------------------------
section("A7. Math and boolean ops")

t = sg.tensor([-2.0, -0.5, 0.0, 1.0, 4.0])
print("t              =", t.tolist())
print("abs(t)         =", t.abs().tolist())
print("exp(t)         =", [round(val, 4) for val in t.exp().tolist()])
print("clamp(t, -1, 1)=", t.clamp(-1, 1).tolist())
print("maximum(t, 0)  =", sg.maximum(t, sg.zeros(5)).tolist(), " (= relu)")
assert t.abs().tolist() == [2.0, 0.5, 0.0, 1.0, 4.0]
assert t.clamp(-1, 1).tolist() == [-1.0, -0.5, 0.0, 1.0, 1.0]
assert sg.maximum(t, sg.zeros(5)).tolist() == t.relu().tolist()

# Comparisons give bool tensors; they combine with & | ~ and count with sum.
positive = t > 0
small = t.abs() < 1.5
print("t > 0          =", positive.tolist())
print("(t > 0) & (|t| < 1.5) =", (positive & small).tolist())
print("how many positive:", positive.sum().item(), "  any > 3:", (t > 3).any().item())
print("where(t > 0, t, 0) =", sg.where(positive, t, 0.0).tolist())
assert positive.dtype == sg.bool
assert (positive & small).tolist() == [False, False, False, True, False]
assert positive.sum().item() == 2 and bool((t > 3).any()) and not bool((t > 9).any())

section("A7. Join: cat, stack, split")

top = sg.tensor([[1, 2, 3]])  # (1, 3)
bottom = sg.tensor([[4, 5, 6]])  # (1, 3)
rows = sg.cat([top, bottom], dim=0)  # along an existing axis: (2, 3)
side = sg.cat([top, bottom], dim=1)  # (1, 6)
stacked = sg.stack([top, bottom], dim=0)  # along a new axis: (2, 1, 3)
print("cat dim 0:", rows.shape, rows.tolist())
print("cat dim 1:", side.shape, side.tolist())
print("stack    :", stacked.shape, stacked.tolist())
assert rows.tolist() == [[1, 2, 3], [4, 5, 6]] and side.tolist() == [[1, 2, 3, 4, 5, 6]]
assert stacked.shape == (2, 1, 3)

pieces = sg.split(sg.arange(10), 4)  # pieces of 4; the last one is smaller
print("split(arange(10), 4):", [p.tolist() for p in pieces])
sized = sg.arange(10).split([2, 3, 5])  # or the sizes listed
print("split into sizes [2, 3, 5]:", [p.tolist() for p in sized])
assert [p.tolist() for p in pieces] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
assert [len(p) for p in sized] == [2, 3, 5]
assert sg.cat(pieces).tolist() == list(range(10))  # cat undoes split

section("A7. Indexing: slices, integer arrays, boolean masks")

print("M =", M.tolist())
# Slices: an int picks one position (and drops that axis), start:stop:step a range.
# Integer tensors pick positions: whole rows, or (row, column) pairs as here (0, 1), (2, 3).
# A bool mask of M's shape keeps the entries where it is True, flattened.
rows_03 = M[sg.tensor([0, 3])]
pairs = M[sg.tensor([0, 2]), sg.tensor([1, 3])]
even = M % 2 == 0
for label, value in [
    ("M[1]                 row 1", M[1]),
    ("M[:, 2]              column 2", M[:, 2]),
    ("M[1:3, ::2]          rows 1-2, every 2nd column", M[1:3, ::2]),
    ("M[-1, -1]            the last entry", M[-1, -1]),
    ("M[tensor([0, 3])]    rows 0 and 3", rows_03),
    ("M[tensor([0, 2]), tensor([1, 3])]", pairs),
    ("M[M % 2 == 0]        the even entries", M[even]),
]:
    print(f"{label:50s} {value.tolist()}")
assert M[1].tolist() == [5, 6, 7, 8] and M[:, 2].tolist() == [3, 7, 11, 15]
assert M[1:3, ::2].tolist() == [[5, 7], [9, 11]] and M[-1, -1].item() == 16
assert rows_03.tolist() == [[1, 2, 3, 4], [13, 14, 15, 16]]
assert pairs.tolist() == [2, 12]
assert M[even].tolist() == [2, 4, 6, 8, 10, 12, 14, 16]
assert M[even].sum().item() == 72

# Writing through an index changes the tensor in place.
N = M.clone()  # a copy, so M stays as it is
N[N > 10] = 0
print("N = M.clone(); N[N > 10] = 0  ->", N.tolist())
assert N[2].tolist() == [9, 10, 0, 0] and N[3].tolist() == [0, 0, 0, 0]
assert M[3].tolist() == [13, 14, 15, 16]

section("A7. Conversion: dtype, NumPy, Python lists")

f = M.to(sg.float32)  # or M.float()
print("M.dtype =", M.dtype, " ->  M.to(sg.float32).dtype =", f.dtype)
print("float -> int truncates toward zero:", sg.tensor([1.7, -1.7]).long().tolist())
assert f.dtype == sg.float32 and f.sum().item() == 136.0
assert sg.tensor([1.7, -1.7]).long().tolist() == [1, -1]

# To and from NumPy: from_numpy and .numpy() share memory, tensor() copies.
arr = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
shared = sg.from_numpy(arr)
copied = sg.tensor(arr)
arr[0, 0] = 100.0
print("after arr[0, 0] = 100:")
print("  from_numpy(arr)[0, 0] =", shared[0, 0].item(), "  (shares arr's memory)")
print("  tensor(arr)[0, 0]     =", copied[0, 0].item(), "    (a copy made before the change)")
assert shared[0, 0].item() == 100.0 and copied[0, 0].item() == 1.0
back = copied.numpy()
print("tensor -> NumPy:", type(back).__name__, back.dtype, back.shape)
assert isinstance(back, np.ndarray) and back.shape == (2, 2)

# Python lists and numbers: tolist() for any tensor, item() for a single element.
print("tolist():", copied.tolist(), "  item():", copied.sum().item())
assert copied.tolist() == [[1.0, 2.0], [3.0, 4.0]] and copied.sum().item() == 10.0

print("\nAll worked examples check out.")
