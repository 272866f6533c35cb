"""Activation modules: thin wrappers over ``scratchgrad.ops``, with PyTorch's names and reprs.

Every module maps a tensor of any shape (*) to one of the same shape, elementwise except
``Softmax`` and ``LogSoftmax`` (along ``dim``). ``inplace=`` is accepted where PyTorch has
it, for compatibility; the result is always a new tensor. ``Heaviside`` is ours: PyTorch
has ``torch.heaviside`` but no module.
"""

from __future__ import annotations

from scratchgrad.nn.module import Module
from scratchgrad.ops.elementwise.trig import tanh
from scratchgrad.ops.neural.piecewise import heaviside, leaky_relu, relu
from scratchgrad.ops.neural.smooth import elu, gelu, sigmoid, silu, softplus
from scratchgrad.ops.neural.softmax import log_softmax, softmax
from scratchgrad.tensor import Tensor


def _inplace_repr(inplace: bool) -> str:
    return "inplace=True" if inplace else ""


class Sigmoid(Module):
    """1 / (1 + exp(-x)), elementwise. Shape (*) -> (*).

    >>> import scratchgrad as sg
    >>> Sigmoid()(sg.zeros(1)).tolist()
    [0.5]
    """

    def forward(self, x: Tensor) -> Tensor:
        """sigmoid(x)."""
        return sigmoid(x)


class Tanh(Module):
    """Hyperbolic tangent, elementwise. Shape (*) -> (*).

    >>> import scratchgrad as sg
    >>> Tanh()(sg.zeros(1)).tolist()
    [0.0]
    """

    def forward(self, x: Tensor) -> Tensor:
        """tanh(x)."""
        return tanh(x)


class ReLU(Module):
    """max(x, 0), elementwise. Shape (*) -> (*).

    Args:
        inplace: accepted for compatibility; the result is always a new tensor.

    >>> import scratchgrad as sg
    >>> ReLU()(sg.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        """relu(x)."""
        return relu(x)

    def extra_repr(self) -> str:
        """Empty, or ``inplace=True``."""
        return _inplace_repr(self.inplace)


class LeakyReLU(Module):
    """x if x > 0 else negative_slope * x. Shape (*) -> (*).

    Args:
        negative_slope: the slope for x < 0.
        inplace: accepted for compatibility; the result is always a new tensor.

    >>> import scratchgrad as sg
    >>> LeakyReLU(0.5)(sg.tensor([-2.0, 2.0])).tolist()
    [-1.0, 2.0]
    """

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        """leaky_relu(x, negative_slope)."""
        return leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        """``negative_slope=0.01`` (and ``, inplace=True``)."""
        extra = ", inplace=True" if self.inplace else ""
        return f"negative_slope={self.negative_slope}{extra}"


class ELU(Module):
    """x if x > 0 else alpha * (exp(x) - 1). Shape (*) -> (*).

    Args:
        alpha: the value approached as x -> -inf is -alpha.
        inplace: accepted for compatibility; the result is always a new tensor.

    >>> import scratchgrad as sg
    >>> ELU()(sg.tensor([2.0])).tolist()
    [2.0]
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        """elu(x, alpha)."""
        return elu(x, self.alpha)

    def extra_repr(self) -> str:
        """``alpha=1.0`` (and ``, inplace=True``)."""
        extra = ", inplace=True" if self.inplace else ""
        return f"alpha={self.alpha}{extra}"


class GELU(Module):
    """x * Phi(x), Phi the standard normal CDF. Shape (*) -> (*).

    Args:
        approximate: "none" (exact, with erf) or "tanh" (the tanh approximation).

    >>> import scratchgrad as sg
    >>> GELU()(sg.zeros(1)).tolist()
    [0.0]
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, x: Tensor) -> Tensor:
        """gelu(x, approximate)."""
        return gelu(x, self.approximate)

    def extra_repr(self) -> str:
        """``approximate='none'``."""
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    """x * sigmoid(x) (swish). Shape (*) -> (*).

    Args:
        inplace: accepted for compatibility; the result is always a new tensor.

    >>> import scratchgrad as sg
    >>> SiLU()(sg.zeros(1)).tolist()
    [0.0]
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        """silu(x)."""
        return silu(x)

    def extra_repr(self) -> str:
        """Empty, or ``inplace=True``."""
        return _inplace_repr(self.inplace)


class Softplus(Module):
    """log(1 + exp(beta x)) / beta, linear where beta x > threshold. Shape (*) -> (*).

    Args:
        beta: sharpness.
        threshold: above this value of beta x the result is x.

    >>> import scratchgrad as sg
    >>> Softplus()(sg.tensor([30.0])).tolist()
    [30.0]
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, x: Tensor) -> Tensor:
        """softplus(x, beta, threshold)."""
        return softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        """``beta=1.0, threshold=20.0``."""
        return f"beta={self.beta}, threshold={self.threshold}"


class Softmax(Module):
    """exp(x) / sum(exp(x)) along ``dim``. Shape (*) -> (*), summing to 1 along dim.

    Args:
        dim: the dim to normalise; None picks PyTorch's legacy default (0 for 0-, 1- and
            3-d inputs, else 1).

    >>> import scratchgrad as sg
    >>> Softmax(dim=1)(sg.zeros(1, 2)).tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        """softmax(x, dim)."""
        return softmax(x, self.dim)

    def extra_repr(self) -> str:
        """``dim=1``."""
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """log(softmax(x)) along ``dim``, computed stably. Shape (*) -> (*).

    Args:
        dim: the dim to normalise; None as for Softmax.

    >>> import scratchgrad as sg
    >>> round(LogSoftmax(dim=0)(sg.zeros(2)).tolist()[0], 6)
    -0.693147
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        """log_softmax(x, dim)."""
        return log_softmax(x, self.dim)

    def extra_repr(self) -> str:
        """``dim=1``."""
        return f"dim={self.dim}"


class Heaviside(Module):
    """The unit step of the perceptron: 1 where x > 0, else 0 (0 also at x == 0).

    Ours: PyTorch has ``torch.heaviside(x, values)`` but no module; this is
    ``heaviside(x, 0.0)``. It has no gradient (a perceptron learns by its own rule, not
    by backpropagation). Shape (*) -> (*), x's dtype.

    >>> import scratchgrad as sg
    >>> Heaviside()(sg.tensor([-1.0, 0.0, 2.0])).tolist()
    [0.0, 0.0, 1.0]
    """

    def forward(self, x: Tensor) -> Tensor:
        """heaviside(x, 0.0)."""
        return heaviside(x, 0.0)


__all__ = [
    "ELU",
    "GELU",
    "Heaviside",
    "LeakyReLU",
    "LogSoftmax",
    "ReLU",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
]
