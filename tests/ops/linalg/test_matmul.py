"""Parity of linear-algebra ops (matmul, dot, outer, einsum) with torch, and their errors."""

import re

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._parity import Case, make_tests

# float32 sums of products: NumPy's BLAS / einsum loops and torch's kernels add the
# K products in different orders (blocking, SIMD lanes), so outputs differ by a few ulps
# of the largest partial sum, and outputs near zero by more than TOL's atol of 1e-6.
MM32 = (1e-5, 1e-5)


def _mm(shape_a: tuple[int, ...], shape_b: tuple[int, ...], name: str) -> Case:
    return Case("matmul", lambda m, a, b: a @ b, (shape_a, shape_b), tol=MM32, name=name)


def _es(equation: str, *shapes: tuple[int, ...], name: str = "") -> Case:
    return Case(
        "einsum",
        lambda m, *xs: m.einsum(equation, *xs),
        shapes,
        tol=MM32,
        name=name or equation.replace("->", "-to-").replace(",", "_").replace("...", "E"),
    )


CASES = [
    # matmul: every combination of 1-d, 2-d and batched operands
    _mm((3, 4), (4, 5), "2d@2d"),
    _mm((4,), (4,), "1d@1d"),
    _mm((3, 4), (4,), "2d@1d"),
    _mm((4,), (4, 5), "1d@2d"),
    _mm((2, 3, 4), (2, 4, 5), "batched"),
    _mm((2, 1, 3, 4), (5, 4, 6), "batch-broadcast"),
    _mm((1, 3, 4), (2, 4, 5), "batch-of-one"),
    _mm((2, 3, 4), (4, 5), "3d@2d"),  # folded into one GEMM
    _mm((2, 2, 3, 4), (4, 5), "4d@2d"),
    _mm((3, 4), (2, 4, 5), "2d@3d"),
    _mm((4,), (2, 4, 5), "1d@3d"),
    _mm((2, 3, 4), (4,), "3d@1d"),
    _mm((2, 1, 3, 4), (4,), "4d@1d"),
    Case("matmul", lambda m, a, b: m.matmul(a, b), ((3, 4), (4, 2)), tol=MM32, name="func"),
    Case("matmul", lambda m, a, b: a.matmul(b), ((3, 4), (4, 2)), tol=MM32, name="method"),
    Case("matmul", lambda m, a, b: a @ b.T, ((3, 4), (2, 4)), tol=MM32, name="transposed"),
    Case("matmul", lambda m, a, b: a @ b.mT, ((2, 3, 4), (2, 5, 4)), tol=MM32, name="mT"),
    Case("matmul", lambda m, a: a @ a, ((3, 3),), tol=MM32, name="same-input"),
    Case(
        "matmul",
        lambda m, a, b: a @ b,
        ((3, 4), (4, 5)),
        dtypes=("int64",),
        low=-5,
        high=5,
        grad=False,
        name="int",
    ),
    # dot and outer, composed from matmul and mul
    Case("matmul", lambda m, a, b: m.dot(a, b), ((5,), (5,)), tol=MM32, name="dot"),
    Case("matmul", lambda m, a, b: a.dot(b), ((5,), (5,)), tol=MM32, name="dot-method"),
    Case(("mul", "reshape"), lambda m, a, b: m.outer(a, b), ((3,), (4,)), name="outer"),
    Case(("mul", "reshape"), lambda m, a, b: a.outer(b), ((3,), (4,)), name="outer-method"),
    Case(
        ("mul", "reshape"),
        lambda m, a, b: m.outer(a, b),
        ((3,), (4,)),
        dtypes=("int64",),
        low=-5,
        high=5,
        grad=False,
        name="outer-int",
    ),
    # einsum: explicit, implicit, repeated letters, letters in one operand only, "..."
    _es("ij,jk->ik", (3, 4), (4, 5)),
    _es("bij,bjk->bik", (2, 3, 4), (2, 4, 5)),
    _es("bhqd,bhkd->bhqk", (2, 2, 3, 4), (2, 2, 5, 4)),
    _es("ii->i", (4, 4)),
    _es("ii->", (4, 4)),
    _es("ij->ji", (3, 4)),
    _es("ij->i", (3, 4)),
    _es("ij->", (3, 4)),
    _es("i,i->", (5,), (5,)),
    _es("i,j->ij", (3,), (4,)),
    _es("i,j->", (3,), (4,)),
    _es("iij->ij", (3, 3, 2)),
    _es("ii,i->i", (3, 3), (3,)),
    _es("ij,jk,kl->il", (2, 3), (3, 4), (4, 5)),
    _es("ij,jk", (3, 4), (4, 5), name="implicit-matmul"),
    _es("ji", (3, 4), name="implicit-transpose"),
    _es("bA", (3, 4), name="implicit-upper-first"),
    _es("i,i->i", (1,), (4,), name="size-one-broadcasts"),
    _es("ij,jk->ik", (3, 1), (4, 5), name="size-one-contracted"),
    _es("...ij,...jk->...ik", (2, 3, 4), (4, 5)),
    _es("...ij,...jk", (2, 1, 3, 4), (5, 4, 2), name="implicit-ellipsis"),
    _es("...ij->ij", (2, 3, 4), name="ellipsis-summed"),
    _es("b...,b...->b", (2, 3, 4), (2, 3, 4), name="ellipsis-right"),
    _es(" i j , j k -> i k ", (3, 4), (4, 5), name="spaces"),
    Case(
        "einsum",
        lambda m, a, b: m.einsum("ij,jk->ik", [a, b]),
        ((3, 4), (4, 5)),
        tol=MM32,
        name="list",
    ),
    Case(
        "einsum",
        lambda m, a, b: m.einsum("ij,jk->ik", a, b),
        ((3, 4), (4, 5)),
        dtypes=("int64",),
        low=-5,
        high=5,
        grad=False,
        name="int",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ matmul
def test_int64_matmul_stays_int64() -> None:
    a = np.arange(6, dtype=np.int64).reshape(2, 3)
    b = np.arange(12, dtype=np.int64).reshape(3, 4) - 5
    ours = sg.from_numpy(a) @ sg.from_numpy(b)
    theirs = torch.from_numpy(a) @ torch.from_numpy(b)
    assert ours.dtype == sg.int64
    assert ours.tolist() == theirs.tolist()


@pytest.mark.parametrize(
    ("shape_a", "shape_b"), [((0, 4), (4, 5)), ((3, 0), (0, 5)), ((2, 3, 0), (0, 5)), ((0,), (0,))]
)
def test_matmul_with_empty_dims(shape_a: tuple[int, ...], shape_b: tuple[int, ...]) -> None:
    # not a Case: the harness's strided views need a non-empty last dim
    results = []
    for lib in (sg, torch):
        x = lib.ones(shape_a, requires_grad=True)
        y = lib.ones(shape_b, requires_grad=True)
        out = x @ y
        out.sum().backward()
        results.append([t.detach().numpy() for t in (out, x.grad, y.grad)])
    for ours, theirs in zip(*results, strict=True):
        assert ours.shape == theirs.shape
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("needs", [(True, False), (False, True)], ids=["a-only", "b-only"])
@pytest.mark.parametrize(
    ("shape_a", "shape_b"), [((3, 4), (4, 2)), ((2, 3, 4), (4, 2)), ((4,), (2, 4, 3))]
)
def test_matmul_gradient_of_one_input(
    needs: tuple[bool, bool], shape_a: tuple[int, ...], shape_b: tuple[int, ...]
) -> None:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    grads = []
    for lib, make in ((sg, sg.from_numpy), (torch, torch.from_numpy)):
        x, y = make(a).requires_grad_(needs[0]), make(b).requires_grad_(needs[1])
        (lib.matmul(x, y) ** 2).sum().backward()
        grads.append([None if t.grad is None else t.grad.numpy() for t in (x, y)])
    for ours, theirs in zip(grads[0], grads[1], strict=True):
        assert (ours is None) == (theirs is None)
        if theirs is not None:
            np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_matmul_inner_dims_error_names_both_sizes_and_shapes() -> None:
    msg = "matmul: inner dims must match: a.shape[-1]=3 != b.shape[-2]=4 (a=(2, 3), b=(4, 5))"
    with pytest.raises(sg.ShapeError, match=re.escape(msg)):
        sg.ones(2, 3) @ sg.ones(4, 5)


@pytest.mark.parametrize(("shape_a", "shape_b"), [((2, 3), (4,)), ((3,), (4,)), ((3,), (4, 5))])
def test_matmul_inner_dims_error_with_vectors(
    shape_a: tuple[int, ...], shape_b: tuple[int, ...]
) -> None:
    with pytest.raises(sg.ShapeError, match=r"inner dims must match: a.shape\[-1\]=3 != b.shape"):
        sg.ones(*shape_a) @ sg.ones(*shape_b)


def test_matmul_batch_dims_that_do_not_broadcast() -> None:
    msg = (
        r"matmul: batch dims must broadcast: cannot broadcast shapes \(2, 2\) and \(3,\): "
        r"at dim -1 the sizes 2 and 3 differ and neither is 1"
    )
    with pytest.raises(sg.BroadcastError, match=msg):
        sg.ones(2, 2, 3, 4) @ sg.ones(3, 4, 5)


def test_matmul_refuses_zero_dim_operands() -> None:
    with pytest.raises(sg.ShapeError, match="need to be at least 1D, but they are 0D and 2D"):
        sg.matmul(sg.tensor(2.0), sg.ones(2, 2))
    with pytest.raises(sg.ShapeError, match="need to be at least 1D, but they are 1D and 0D"):
        sg.matmul(sg.ones(2), sg.tensor(2.0))


def test_matmul_refuses_mixed_dtypes_like_torch() -> None:
    with pytest.raises(RuntimeError, match="same dtype, got float32 and float64"):
        sg.ones(2, 3) @ sg.ones(3, 2, dtype=sg.float64)
    with pytest.raises(RuntimeError):
        torch.ones(2, 3) @ torch.ones(3, 2, dtype=torch.float64)


# ------------------------------------------------------------------ dot, outer
def test_dot_refuses_non_vectors() -> None:
    with pytest.raises(sg.ShapeError, match="dot: 1D tensors expected, but got 2D and 1D"):
        sg.dot(sg.ones(2, 3), sg.ones(3))


def test_dot_size_mismatch_names_both_sizes() -> None:
    with pytest.raises(sg.ShapeError, match=r"a.shape\[0\]=3 != b.shape\[0\]=4"):
        sg.dot(sg.ones(3), sg.ones(4))


def test_dot_refuses_mixed_dtypes() -> None:
    with pytest.raises(RuntimeError, match="same dtype"):
        sg.dot(sg.ones(3), sg.ones(3, dtype=sg.float64))


def test_outer_refuses_non_vectors() -> None:
    with pytest.raises(sg.ShapeError, match="outer: 1D tensors expected, but got 2D and 1D"):
        sg.outer(sg.ones(3, 2), sg.ones(4))


def test_outer_promotes_like_torch() -> None:
    ours = sg.outer(sg.ones(2), sg.ones(3, dtype=sg.float64))
    theirs = torch.outer(torch.ones(2), torch.ones(3, dtype=torch.float64))
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")


# ------------------------------------------------------------------ einsum
def test_einsum_operand_count_must_match_the_equation() -> None:
    with pytest.raises(ValueError, match="has 2 operand term"):
        sg.einsum("ij,jk->ik", sg.ones(2, 3))
    with pytest.raises(ValueError, match="at least one operand"):
        sg.einsum("ij")


def test_einsum_subscripts_must_match_ndim() -> None:
    with pytest.raises(sg.ShapeError, match=r"operand 0 has 3 dims but its subscripts 'ij' name 2"):
        sg.einsum("ij->i", sg.ones(2, 3, 4))
    with pytest.raises(sg.ShapeError, match=r"operand 1 has 1 dims .* name at least 2"):
        sg.einsum("i,...jk->i", sg.ones(2), sg.ones(3))


def test_einsum_inconsistent_sizes_name_the_letter() -> None:
    msg = r"subscript 'j' has size 4 in operand 1 but 3 in operand 0, and neither is 1"
    with pytest.raises(sg.ShapeError, match=msg):
        sg.einsum("ij,jk->ik", sg.ones(2, 3), sg.ones(4, 5))
    with pytest.raises(sg.ShapeError, match=r"subscript '...' dim -1 has size 4"):
        sg.einsum("...i,...i->...", sg.ones(2, 3), sg.ones(4, 3))


def test_einsum_repeated_letter_needs_equal_sizes() -> None:
    with pytest.raises(sg.ShapeError, match="subscript 'i' is repeated in operand 0 with sizes"):
        sg.einsum("ii->i", sg.ones(2, 3))


@pytest.mark.parametrize(
    ("equation", "match"),
    [
        ("ij->k", "output subscript 'k' does not appear"),
        ("ij->ii", "output subscript 'i' appears more than once"),
        ("i1->i", "invalid subscript '1'"),
        ("i.j", "invalid subscript '.'"),
        ("ij->i->j", "invalid subscript '-'"),
    ],
)
def test_einsum_malformed_equations(equation: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        sg.einsum(equation, sg.ones(2, 3))


def test_einsum_refuses_mixed_dtypes() -> None:
    with pytest.raises(RuntimeError, match="same dtype"):
        sg.einsum("i,i->", sg.ones(3), sg.ones(3, dtype=sg.float64))


def test_einsum_gradient_on_a_diagonal_is_zero_elsewhere() -> None:
    x = sg.ones(3, 3, requires_grad=True)
    sg.einsum("ii->", x).backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.numpy(), np.eye(3, dtype=np.float32))
