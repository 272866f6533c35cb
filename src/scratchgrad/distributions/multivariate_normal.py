"""``MultivariateNormal``: the Gaussian over vectors, from a covariance or its Cholesky factor."""

from __future__ import annotations

import math
from functools import cached_property

from scratchgrad import linalg
from scratchgrad.creation import eye, randn
from scratchgrad.distributions import constraints
from scratchgrad.distributions.distribution import Distribution, Shape
from scratchgrad.ops.dims import broadcast_shapes
from scratchgrad.tensor import Tensor


def _batch_mahalanobis(scale_tril: Tensor, diff: Tensor) -> Tensor:
    """|L^-1 diff|^2 over the last dim: L (*b, n, n), diff (*s, *b, n) -> (*s, *b).

    Only L's lower triangle is read, as torch's triangular solve does, so gradients in the
    upper triangle are zero.
    """
    n = diff.shape[-1]
    batch = broadcast_shapes(tuple(scale_tril.shape[:-2]), tuple(diff.shape[:-1]))
    lower = scale_tril.tril().expand((*batch, n, n))
    z = linalg.solve(lower, diff.expand((*batch, n)).unsqueeze(-1)).squeeze(-1)
    return z.pow(2).sum(-1)


def _precision_to_scale_tril(precision: Tensor) -> Tensor:
    """The lower Cholesky factor of precision^-1, computed as torch does (flips, no inverse)."""
    lf = linalg.cholesky(precision.flip((-2, -1)))
    l_inv = lf.flip((-2, -1)).transpose(-2, -1).tril()
    n = precision.shape[-1]
    identity = eye(n, dtype=precision.dtype).expand(tuple(l_inv.shape))
    return linalg.solve(l_inv, identity)


class MultivariateNormal(Distribution):
    """N(loc, Sigma) over vectors of size n; give exactly one of the three matrices.

    Args:
        loc: means, shape (*batch, n).
        covariance_matrix: positive definite Sigma, shape (*batch, n, n).
        precision_matrix: positive definite Sigma^-1, shape (*batch, n, n).
        scale_tril: lower triangular L with positive diagonal, Sigma = L L^T.
        validate_args: check the matrix (and values given to log_prob).

    Raises:
        ValueError: torch's, for a 0-d loc, not exactly one matrix, or a matrix with
            fewer than 2 dims.

    >>> import scratchgrad as sg
    >>> m = MultivariateNormal(sg.zeros(2), scale_tril=sg.eye(2))
    >>> round(m.log_prob(sg.zeros(2)).item(), 4)
    -1.8379
    """

    arg_constraints = {  # noqa: RUF012
        "loc": constraints.real_vector,
        "covariance_matrix": constraints.positive_definite,
        "precision_matrix": constraints.positive_definite,
        "scale_tril": constraints.lower_cholesky,
    }
    has_rsample = True

    def __init__(
        self,
        loc: Tensor,
        covariance_matrix: Tensor | None = None,
        precision_matrix: Tensor | None = None,
        scale_tril: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        if loc.ndim < 1:
            raise ValueError("loc must be at least one-dimensional.")
        given = {
            "covariance_matrix": covariance_matrix,
            "precision_matrix": precision_matrix,
            "scale_tril": scale_tril,
        }
        named = [(k, v) for k, v in given.items() if v is not None]
        if len(named) != 1:
            raise ValueError(
                "Exactly one of covariance_matrix or precision_matrix or scale_tril may be "
                "specified."
            )
        name, matrix = named[0]
        if matrix.ndim < 2:
            raise ValueError(
                f"{name} matrix must be at least two-dimensional, with optional leading "
                "batch dimensions"
                if name == "scale_tril"
                else f"{name} must be at least two-dimensional, with optional leading batch "
                "dimensions"
            )
        batch_shape = broadcast_shapes(tuple(matrix.shape[:-2]), tuple(loc.shape[:-1]))
        self.__dict__[name] = matrix.expand((*batch_shape, -1, -1))
        self.loc = loc.expand((*batch_shape, -1))
        super().__init__(batch_shape, tuple(self.loc.shape[-1:]), validate_args=validate_args)
        if name == "scale_tril":
            self._unbroadcasted_scale_tril = matrix
        elif name == "covariance_matrix":
            self._unbroadcasted_scale_tril = linalg.cholesky(matrix)
        else:
            self._unbroadcasted_scale_tril = _precision_to_scale_tril(matrix)

    def _matrix_shape(self) -> Shape:
        return self._batch_shape + self._event_shape + self._event_shape

    @cached_property
    def scale_tril(self) -> Tensor:
        """L, shape (*batch, n, n)."""
        return self._unbroadcasted_scale_tril.expand(self._matrix_shape())

    @cached_property
    def covariance_matrix(self) -> Tensor:
        """L L^T, shape (*batch, n, n)."""
        lower = self._unbroadcasted_scale_tril
        return (lower @ lower.mT).expand(self._matrix_shape())

    @cached_property
    def precision_matrix(self) -> Tensor:
        """(L L^T)^-1, shape (*batch, n, n)."""
        lower = self._unbroadcasted_scale_tril
        return linalg.inv(lower @ lower.mT).expand(self._matrix_shape())

    @property
    def support(self) -> constraints.Constraint:
        """Real vectors."""
        return constraints.real_vector

    @property
    def mean(self) -> Tensor:
        """loc, shape (*batch, n)."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """loc, shape (*batch, n)."""
        return self.loc

    @property
    def variance(self) -> Tensor:
        """The diagonal of Sigma, shape (*batch, n)."""
        return (
            self._unbroadcasted_scale_tril.pow(2)
            .sum(-1)
            .expand(self._batch_shape + self._event_shape)
        )

    def rsample(self, sample_shape: Shape = ()) -> Tensor:
        """loc + L eps with eps ~ N(0, I): shape (*sample, *batch, n)."""
        eps = randn(self._extended_shape(sample_shape), dtype=self.loc.dtype)
        return self.loc + (self._unbroadcasted_scale_tril @ eps.unsqueeze(-1)).squeeze(-1)

    def _half_log_det(self) -> Tensor:
        return self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)

    def log_prob(self, value: Tensor) -> Tensor:
        """-(n log(2 pi) + |L^-1 (value - loc)|^2) / 2 - log|L|: (*s, *batch, n) -> (*s, *batch)."""
        if self._validate_args:
            self._validate_sample(value)
        m = _batch_mahalanobis(self._unbroadcasted_scale_tril, value - self.loc)
        n = self._event_shape[0]
        return -0.5 * (n * math.log(2 * math.pi) + m) - self._half_log_det()

    def entropy(self) -> Tensor:
        """n (1 + log(2 pi)) / 2 + log|L|, shape batch_shape."""
        h = 0.5 * self._event_shape[0] * (1.0 + math.log(2 * math.pi)) + self._half_log_det()
        return h if not self._batch_shape else h.expand(self._batch_shape)


__all__ = ["MultivariateNormal"]
