"""Activation modules: thin wrappers over ``scratchgrad.ops``, with PyTorch's names and reprs.

Every module maps a tensor of any shape (*) to one of the same shape, elementwise except
``Softmax`` and ``LogSoftmax`` (along ``dim``). ``inplace=`` is accepted where PyTorch has
it, for compatibility; the result is always a new tensor. ``Heaviside`` is ours: PyTorch
has ``torch.heaviside`` but no module.
"""

from __future__ import annotations

from typing import Any, ClassVar

from scratchgrad.creation import full
from scratchgrad.nn.module import Module
from scratchgrad.nn.parameter import Parameter
from scratchgrad.ops.elementwise.trig import tanh
from scratchgrad.ops.neural.piecewise import (
    hardsigmoid,
    hardswish,
    hardtanh,
    heaviside,
    leaky_relu,
    prelu,
    relu,
    relu6,
    threshold,
)
from scratchgrad.ops.neural.smooth import (
    celu,
    elu,
    gelu,
    glu,
    logsigmoid,
    mish,
    selu,
    sigmoid,
    silu,
    softplus,
    softsign,
)
from scratchgrad.ops.neural.softmax import log_softmax, softmax, softmin
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


def _inplace(inplace: bool, sep: str = "") -> str:
    return f"{sep}inplace=True" if inplace else ""


class _Inplace(Module):
    """An elementwise activation with only PyTorch's ``inplace`` flag (shown when True)."""

    show_inplace: ClassVar[bool] = True

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def extra_repr(self) -> str:
        """Empty, or ``inplace=True``."""
        return _inplace(self.inplace and self.show_inplace)


class Hardtanh(Module):
    """clamp(x, min_val, max_val). Shape (*) -> (*).

    Args:
        min_val: lower bound.
        max_val: upper bound.
        inplace: accepted for compatibility; the result is always a new tensor.

    >>> Hardtanh()
    Hardtanh(min_val=-1.0, max_val=1.0)
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        if max_val < min_val:
            raise ValueError(f"Hardtanh: max_val={max_val} is less than min_val={min_val}")
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, x: Tensor) -> Tensor:
        """hardtanh(x, min_val, max_val)."""
        return hardtanh(x, self.min_val, self.max_val)

    def extra_repr(self) -> str:
        """``min_val=-1.0, max_val=1.0`` (and ``, inplace=True``)."""
        return f"min_val={self.min_val}, max_val={self.max_val}{_inplace(self.inplace, ', ')}"


class ReLU6(_Inplace):
    """min(max(x, 0), 6). Shape (*) -> (*).

    >>> ReLU6(inplace=True)
    ReLU6(inplace=True)
    """

    def forward(self, x: Tensor) -> Tensor:
        """relu6(x)."""
        return relu6(x)


class Hardsigmoid(_Inplace):
    """relu6(x + 3) / 6. Shape (*) -> (*); as PyTorch's, the repr never shows inplace.

    >>> Hardsigmoid()
    Hardsigmoid()
    """

    show_inplace = False

    def forward(self, x: Tensor) -> Tensor:
        """hardsigmoid(x)."""
        return hardsigmoid(x)


class Hardswish(_Inplace):
    """x * relu6(x + 3) / 6. Shape (*) -> (*); the repr never shows inplace.

    >>> Hardswish()
    Hardswish()
    """

    show_inplace = False

    def forward(self, x: Tensor) -> Tensor:
        """hardswish(x)."""
        return hardswish(x)


class Threshold(Module):
    """x where x > threshold, else value. Shape (*) -> (*).

    Args:
        threshold: the cut.
        value: what replaces x <= threshold.
        inplace: accepted for compatibility; the result is always a new tensor.

    >>> Threshold(0.1, 20)
    Threshold(threshold=0.1, value=20)
    """

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, x: Tensor) -> Tensor:
        """threshold(x, threshold, value)."""
        return threshold(x, self.threshold, self.value)

    def extra_repr(self) -> str:
        """``threshold=0.1, value=20`` (and ``, inplace=True``)."""
        return f"threshold={self.threshold}, value={self.value}{_inplace(self.inplace, ', ')}"


class PReLU(Module):
    """max(0, x) + weight * min(0, x), weight learned. (N, C, *) -> (N, C, *).

    Args:
        num_parameters: 1 (one slope shared by all channels) or C (one per channel).
        init: the initial slope.
        device: accepted for compatibility (CPU only).
        dtype: the weight's dtype (default: the default float dtype).

    Attributes:
        weight: the slopes, shape (num_parameters,).

    >>> PReLU(3)
    PReLU(num_parameters=3)
    """

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(full((num_parameters,), float(init), dtype=dtype))

    def forward(self, x: Tensor) -> Tensor:
        """prelu(x, weight)."""
        return prelu(x, self.weight)

    def extra_repr(self) -> str:
        """``num_parameters=1``."""
        return f"num_parameters={self.num_parameters}"


class Mish(_Inplace):
    """x * tanh(softplus(x)). Shape (*) -> (*).

    >>> Mish()
    Mish()
    """

    def forward(self, x: Tensor) -> Tensor:
        """mish(x)."""
        return mish(x)


class SELU(_Inplace):
    """scale * elu(x, alpha) with PyTorch's fixed constants. Shape (*) -> (*).

    >>> SELU()
    SELU()
    """

    def forward(self, x: Tensor) -> Tensor:
        """selu(x)."""
        return selu(x)


class CELU(Module):
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1)). Shape (*) -> (*).

    Args:
        alpha: the value approached as x -> -inf is -alpha; not 0.
        inplace: accepted for compatibility; the result is always a new tensor.

    >>> CELU()
    CELU(alpha=1.0)
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, x: Tensor) -> Tensor:
        """celu(x, alpha)."""
        return celu(x, self.alpha)

    def extra_repr(self) -> str:
        """``alpha=1.0`` (and ``, inplace=True``)."""
        return f"alpha={self.alpha}{_inplace(self.inplace, ', ')}"


class Softsign(Module):
    """x / (1 + |x|). Shape (*) -> (*).

    >>> Softsign()
    Softsign()
    """

    def forward(self, x: Tensor) -> Tensor:
        """softsign(x)."""
        return softsign(x)


class LogSigmoid(Module):
    """log(sigmoid(x)), stable for large |x|. Shape (*) -> (*).

    >>> LogSigmoid()
    LogSigmoid()
    """

    def forward(self, x: Tensor) -> Tensor:
        """logsigmoid(x)."""
        return logsigmoid(x)


class Softmin(Module):
    """softmax(-x) along ``dim``. Shape (*) -> (*), summing to 1 along dim.

    Args:
        dim: the dim to normalise; None picks PyTorch's legacy default.

    >>> Softmin(dim=1)
    Softmin(dim=1)
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        """softmin(x, dim)."""
        return softmin(x, self.dim)

    def extra_repr(self) -> str:
        """``dim=1``."""
        return f"dim={self.dim}"


class GLU(Module):
    """a * sigmoid(b), x split in halves a, b along ``dim``. (*, 2n, *) -> (*, n, *).

    Args:
        dim: the dim to halve.

    >>> GLU()
    GLU(dim=-1)
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        """glu(x, dim)."""
        return glu(x, self.dim)

    def extra_repr(self) -> str:
        """``dim=-1``."""
        return f"dim={self.dim}"
