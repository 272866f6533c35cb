"""Parity of the scans (cumprod, cummax, cummin, logcumsumexp) with torch."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._parity import Case, make_tests
from tests.ops._sort_cases import INTS, SMALL_INTS, distinct, ties, with_nan, zeros

X3 = ((2, 3, 4),)
TIES = ties((4, 7))

CASES = [
    # cumprod: gradients exact with no, one, several and only zeros in a lane
    Case("cumprod", lambda m, a: m.cumprod(a, 0), X3, low=0.5, high=1.5),
    Case("cumprod", lambda m, a: a.cumprod(1), X3, name="dim1"),
    Case("cumprod", lambda m, a: a.cumprod(-1), X3, name="neg"),
    Case("cumprod", lambda m, a: m.cumprod(a, 1), make=zeros, name="zeros-dim1"),
    Case("cumprod", lambda m, a: m.cumprod(a, 0), make=zeros, name="zeros-dim0"),
    Case("cumprod", lambda m, a: m.cumprod(a.T, 0), make=zeros, name="zeros-transposed"),
    Case("cumprod", lambda m, a: m.cumprod(a, 0), ((),), name="0d"),
    Case("cumprod", lambda m, a: m.cumprod(a, 0), ((0, 3),), gradcheck=False, name="empty"),
    Case("cumprod", lambda m, a: m.cumprod(a, 0, dtype=m.float64), ((3, 4),),
         dtypes=("float32",), name="dtype"),
    Case("cumprod", lambda m, a: m.cumprod(a, 1), ((3, 4),), dtypes=(*SMALL_INTS, "bool"),
         low=-3, high=3, grad=False, name="int"),
    # cummax / cummin: ties move the index forward; NaN propagates
    Case("cummax", lambda m, a: m.cummax(a, 1), make=distinct((3, 6))),
    Case("cummax", lambda m, a: a.cummax(0), make=distinct((2, 3, 4)), name="dim0"),
    Case("cummax", lambda m, a: m.cummax(a, -1), make=TIES, gradcheck=False, name="ties"),
    Case("cummax", lambda m, a: m.cummax(a, 1), make=with_nan((3, 5)), gradcheck=False,
         name="nan"),
    Case("cummax", lambda m, a: m.cummax(a, 0), ((),), name="0d"),
    Case("cummax", lambda m, a: m.cummax(a, 1), make=TIES, dtypes=(*SMALL_INTS, "bool"),
         grad=False, name="int"),
    Case("cummin", lambda m, a: m.cummin(a, 1), make=distinct((3, 6))),
    Case("cummin", lambda m, a: a.cummin(-3), make=distinct((2, 3, 4)), name="dim0"),
    Case("cummin", lambda m, a: m.cummin(a, 0), make=TIES, gradcheck=False, name="ties"),
    Case("cummin", lambda m, a: m.cummin(a, 1), make=with_nan((3, 5)), gradcheck=False,
         name="nan"),
    Case("cummin", lambda m, a: m.cummin(a, 0), ((0, 2),), gradcheck=False, name="empty"),
    Case("cummin", lambda m, a: m.cummin(a, 1), make=TIES, dtypes=(*INTS, "bool"),
         grad=False, name="int"),
    # logcumsumexp: stable for large and very negative inputs
    Case("logcumsumexp", lambda m, a: m.logcumsumexp(a, 0), X3),
    Case("logcumsumexp", lambda m, a: a.logcumsumexp(1), X3, name="dim1"),
    Case("logcumsumexp", lambda m, a: a.logcumsumexp(-1), ((3, 5),), low=500, high=1000,
         name="large"),
    Case("logcumsumexp", lambda m, a: m.logcumsumexp(a, 1), ((3, 5),), low=-1000, high=-500,
         name="very-negative"),
    Case("logcumsumexp", lambda m, a: m.logcumsumexp(a, 0), ((),), name="0d"),
]  # fmt: skip

test_parity, test_gradcheck = make_tests(CASES)


def test_cumprod_gradient_with_zeros_is_exact() -> None:
    x = sg.tensor([1.0, 0.0, 3.0, 0.0, 2.0], requires_grad=True)
    x.cumprod(0).sum().backward()
    assert x.grad.tolist() == [1.0, 4.0, 0.0, 0.0, 0.0]


def test_cummax_gradient_goes_to_the_running_argmax() -> None:
    x = sg.tensor([1.0, 3.0, 2.0, 3.0], requires_grad=True)
    out = x.cummax(0)
    assert out.indices.tolist() == [0, 1, 1, 3]
    out.values.sum().backward()
    assert x.grad.tolist() == [1.0, 2.0, 0.0, 1.0]


def test_logcumsumexp_does_not_overflow() -> None:
    out = sg.tensor([1000.0, 1000.0, -1000.0]).logcumsumexp(0).numpy()
    np.testing.assert_allclose(out, [1000.0, 1000.0 + np.log(2.0), 1000.0 + np.log(2.0)])


@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_logcumsumexp_refuses_integers(dtype: str) -> None:
    x = np.ones(3, dtype=dtype)
    with pytest.raises(NotImplementedError):
        torch.from_numpy(x).logcumsumexp(0)
    with pytest.raises(NotImplementedError, match="logcumsumexp"):
        sg.from_numpy(x).logcumsumexp(0)
