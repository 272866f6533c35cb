"""gradcheck: passes correct backwards, names the input and element of a wrong one."""

import math
import re

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.autograd import Function, GradcheckError
from tests.autograd._compare import arr


# ------------------------------------------------------------------ gradcheck
class _WrongExp(Function):
    """exp with a backward that is off by a factor of 2."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = np.exp(x)
        return self.out

    def backward(self, grad: np.ndarray) -> tuple[np.ndarray]:
        return (2 * grad * self.out,)


class _RightExp(_WrongExp):
    def backward(self, grad: np.ndarray) -> tuple[np.ndarray]:
        return (grad * self.out,)


class _WrongMul(Function):
    """a * b with a wrong gradient for b only."""

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.a, self.b = a, b
        return a * b

    def backward(self, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return grad * self.b, 3 * grad * self.a


def _numbers(msg: str) -> tuple[float, float]:
    m = re.search(r"analytic (\S+) vs numeric (\S+)", msg)
    assert m, msg
    return float(m.group(1)), float(m.group(2))


def test_gradcheck_passes_on_correct_functions() -> None:
    a, b = arr(3, 2), arr(2)
    x, w = sg.tensor(a, requires_grad=True), sg.tensor(b, requires_grad=True)
    assert sg.gradcheck(lambda t: _RightExp.apply(t), [x])
    assert sg.gradcheck(lambda t, u: sg.tanh(t * u) + sg.exp(u) / (t * t + 1), [x, w])
    assert sg.gradcheck(lambda t, u: (sg.sin(t) @ sg.tensor(b.reshape(2, 1))) * u.sum(), [x, w])
    np.testing.assert_array_equal(x.detach().numpy(), a)  # inputs are restored
    np.testing.assert_array_equal(w.detach().numpy(), b)
    assert x.grad is None and w.grad is None


def test_gradcheck_names_input_element_and_both_values() -> None:
    a = np.array([0.1, 0.9, -0.3, 0.4])
    x = sg.tensor(a, requires_grad=True)
    with pytest.raises(GradcheckError, match="input 0") as info:
        sg.gradcheck(lambda t: _WrongExp.apply(t), [x])
    k = int(np.argmax(a))  # the largest error: at the largest exp
    msg = str(info.value)
    assert f"element ({k},)" in msg
    analytic, numeric = _numbers(msg)
    np.testing.assert_allclose(analytic, 2 * math.exp(a[k]), rtol=1e-6)
    np.testing.assert_allclose(numeric, math.exp(a[k]), rtol=1e-6)
    assert issubclass(GradcheckError, RuntimeError)


def test_gradcheck_names_the_second_input_when_it_is_wrong() -> None:
    a = np.array([[0.5, -2.0], [1.0, 0.25]])
    b = np.array([[1.5, 0.5], [-1.0, 2.0]])
    x, y = sg.tensor(a, requires_grad=True), sg.tensor(b, requires_grad=True)
    with pytest.raises(GradcheckError, match="input 1") as info:
        sg.gradcheck(lambda s, t: _WrongMul.apply(s, t), [x, y])
    k = np.unravel_index(int(np.argmax(np.abs(a))), a.shape)
    assert f"element {tuple(int(i) for i in k)}" in str(info.value)
    analytic, numeric = _numbers(str(info.value))
    np.testing.assert_allclose(analytic, 3 * a[k], rtol=1e-6)
    np.testing.assert_allclose(numeric, a[k], rtol=1e-6)


def test_gradcheck_ignores_inputs_without_requires_grad() -> None:
    x = sg.tensor(arr(3), requires_grad=True)
    c = sg.tensor(arr(3))
    assert sg.gradcheck(lambda t, u: _WrongMul.apply(t, u), [x, c])


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_gradcheck_refuses_low_precision_inputs(dtype: str) -> None:
    x = sg.ones(3, dtype=dtype, requires_grad=True)
    with pytest.raises(GradcheckError, match="float64"):
        sg.gradcheck(lambda t: t * 2, [x])
