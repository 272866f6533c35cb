"""Basic layers: Identity, Linear, Flatten, Unflatten, Dropout(1d/2d/3d), Embedding.

Names, arguments, default initialisations, state_dict keys and reprs are PyTorch's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from scratchgrad.autograd import no_grad
from scratchgrad.backend import check_device
from scratchgrad.creation import empty
from scratchgrad.nn import init
from scratchgrad.nn.module import Module
from scratchgrad.nn.parameter import Parameter
from scratchgrad.ops.neural.dropout import dropout
from scratchgrad.ops.neural.feature_dropout import dropout1d, dropout2d, dropout3d
from scratchgrad.ops.neural.linear import embedding, linear
from scratchgrad.tensor import Tensor


class Identity(Module):
    """Returns its input unchanged; arguments are accepted and ignored (as PyTorch).

    Shape: (*) -> (*).

    >>> import scratchgrad as sg
    >>> Identity()(sg.ones(2)).tolist()
    [1.0, 1.0]
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, x: Tensor) -> Tensor:
        """x itself."""
        return x


class Linear(Module):
    """An affine map: y = x @ weight.T + bias.

    Args:
        in_features: size of each input sample.
        out_features: size of each output sample.
        bias: learn an additive bias.
        device: "cpu" or None (the only device).
        dtype: parameter dtype (default: the default float dtype).

    Shape:
        (*, in_features) -> (*, out_features).

    Attributes:
        weight: shape (out_features, in_features), U(-1/sqrt(in), 1/sqrt(in)) at start
            (``kaiming_uniform_`` with a = sqrt(5), as PyTorch).
        bias: shape (out_features,), U(-1/sqrt(in), 1/sqrt(in)) at start, or None.

    >>> import scratchgrad as sg
    >>> Linear(3, 4)(sg.ones(2, 3)).shape
    (2, 4)
    """

    bias: Parameter | None

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device, "Linear")
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(empty(out_features, in_features, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw weight and bias again from PyTorch's default distributions."""
        with no_grad():
            init.kaiming_uniform_(self.weight, a=math.sqrt(5))
            if self.bias is not None:
                bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
                init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Tensor) -> Tensor:
        """x @ weight.T + bias. (*, in_features) -> (*, out_features)."""
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        """``in_features=3, out_features=4, bias=True``."""
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Flatten(Module):
    """Flattens dims start_dim..end_dim into one.

    Args:
        start_dim: first dim to flatten (default 1: keep the batch dim).
        end_dim: last dim to flatten.

    Shape:
        (N, C, H, W) -> (N, C * H * W) with the defaults.

    >>> import scratchgrad as sg
    >>> Flatten()(sg.ones(2, 3, 4)).shape
    (2, 12)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, x: Tensor) -> Tensor:
        """x with dims start_dim..end_dim merged."""
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        """``start_dim=1, end_dim=-1``."""
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Splits dim ``dim`` into ``unflattened_size``; the inverse of Flatten.

    Args:
        dim: the dim to split.
        unflattened_size: its new shape; one entry may be -1.

    Shape:
        (N, C * H * W) -> (N, C, H, W) for dim=1, unflattened_size=(C, H, W).

    >>> import scratchgrad as sg
    >>> Unflatten(1, (3, 4))(sg.ones(2, 12)).shape
    (2, 3, 4)
    """

    def __init__(self, dim: int, unflattened_size: Sequence[int]) -> None:
        super().__init__()
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, x: Tensor) -> Tensor:
        """x with dim ``dim`` reshaped to ``unflattened_size``."""
        return x.unflatten(self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        """``dim=1, unflattened_size=(3, 4)``."""
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class Dropout(Module):
    """Zeroes each element with probability p in training and scales the rest by 1/(1-p).

    In eval mode (``module.eval()``) it is the identity.

    Args:
        p: probability of an element being zeroed, in [0, 1].
        inplace: accepted for PyTorch compatibility; the result is always a new tensor.

    Shape:
        (*) -> (*).

    Raises:
        ValueError: if p is not in [0, 1].

    >>> import scratchgrad as sg
    >>> Dropout(0.5).eval()(sg.ones(3)).tolist()
    [1.0, 1.0, 1.0]
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        """x with dropout applied when training, x itself in eval."""
        return dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        """``p=0.5, inplace=False``."""
        return f"p={self.p}, inplace={self.inplace}"


class Embedding(Module):
    """A lookup table: row i of ``weight`` for index i.

    Args:
        num_embeddings: size of the table (the vocabulary).
        embedding_dim: size of each vector.
        padding_idx: a row that starts at zero and gets no gradient (may be negative).
        device: "cpu" or None (the only device).
        dtype: weight dtype (default: the default float dtype).

    PyTorch's max_norm, norm_type, scale_grad_by_freq and sparse are not supported.

    Shape:
        integer indices (*) -> (*, embedding_dim).

    Attributes:
        weight: shape (num_embeddings, embedding_dim), N(0, 1) at start, the padding row
            zero.

    Raises:
        ValueError: if padding_idx is outside [-num_embeddings, num_embeddings).

    >>> import scratchgrad as sg
    >>> Embedding(10, 3)(sg.tensor([[1, 2]])).shape
    (1, 2, 3)
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        *,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device, "Embedding")
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(
                    f"Embedding: padding_idx must be within num_embeddings: got {padding_idx} "
                    f"for num_embeddings={num_embeddings}"
                )
            padding_idx %= num_embeddings
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = padding_idx
        self.weight = Parameter(empty(num_embeddings, embedding_dim, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weight from N(0, 1) again, the padding row zero."""
        with no_grad():
            init.normal_(self.weight)
            if self.padding_idx is not None:
                self.weight.array[self.padding_idx] = 0

    @classmethod
    def from_pretrained(
        cls, embeddings: Tensor, freeze: bool = True, padding_idx: int | None = None
    ) -> Embedding:
        """An Embedding whose weight is a copy of ``embeddings`` (V, D); frozen by default."""
        if embeddings.ndim != 2:
            raise ValueError(
                f"Embedding.from_pretrained: embeddings must be 2-D (V, D), got {embeddings.shape}"
            )
        v, d = embeddings.shape
        out = cls(v, d, padding_idx=padding_idx, dtype=embeddings.dtype)
        out.weight.array[...] = embeddings.array
        out.weight.requires_grad_(not freeze)
        return out

    def forward(self, x: Tensor) -> Tensor:
        """The rows of weight at the indices x. (*) -> (*, embedding_dim)."""
        return embedding(x, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        """``10, 3`` and ``, padding_idx=0`` when set."""
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s


# ------------------------------------------------------------------ channel-wise dropout
class _DropoutNd(Module):
    """What ``Dropout1d/2d/3d`` share: ``p``, ``inplace`` and the repr (torch's _DropoutNd)."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        """``p=0.5, inplace=False``."""
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_DropoutNd):
    """Zeroes whole channels with probability p in training, scales the rest by 1/(1-p).

    Args:
        p: probability of a channel being zeroed, in [0, 1].
        inplace: accepted for PyTorch compatibility; the result is always a new tensor.

    Shape:
        (N, C, L) -> (N, C, L), or unbatched (C, L) -> (C, L).

    Raises:
        ValueError: if p is not in [0, 1].
    """

    def forward(self, x: Tensor) -> Tensor:
        """x with channel dropout applied when training, x itself in eval."""
        return dropout1d(x, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zeroes whole channels with probability p in training, scales the rest by 1/(1-p).

    Args:
        p: probability of a channel being zeroed, in [0, 1].
        inplace: accepted for PyTorch compatibility; the result is always a new tensor.

    Shape:
        (N, C, H, W) -> (N, C, H, W); a 3-D input is taken as (N, C, L) with torch's warning.

    Raises:
        ValueError: if p is not in [0, 1].
    """

    def forward(self, x: Tensor) -> Tensor:
        """x with channel dropout applied when training, x itself in eval."""
        return dropout2d(x, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Zeroes whole channels with probability p in training, scales the rest by 1/(1-p).

    Args:
        p: probability of a channel being zeroed, in [0, 1].
        inplace: accepted for PyTorch compatibility; the result is always a new tensor.

    Shape:
        (N, C, D, H, W) -> same, or unbatched (C, D, H, W) -> same.

    Raises:
        ValueError: if p is not in [0, 1].
    """

    def forward(self, x: Tensor) -> Tensor:
        """x with channel dropout applied when training, x itself in eval."""
        return dropout3d(x, self.p, self.training, self.inplace)


__all__ = [
    "Dropout",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "Embedding",
    "Flatten",
    "Identity",
    "Linear",
    "Unflatten",
]
