"""The streaming :class:`Metric` base, and :class:`MeanMetric` for scalars such as the loss.

A :class:`Metric` accumulates exact sufficient statistics batch by batch (counts, a
confusion matrix, sums, running moments), so ``compute()`` after any split of the data into
batches equals the function on the whole data, never an average of per-batch scores.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar, TypeAlias, final

import numpy as np
from numpy.typing import NDArray

from scratchgrad.errors import ShapeError
from scratchgrad.train.metrics._inputs import Input, to_numpy

Score: TypeAlias = "float | NDArray[np.float64] | NDArray[np.int64]"
"""What ``compute`` returns: a float, or an array for per-class scores and counts."""


class Metric(ABC):
    """A metric accumulated over batches: ``update`` per batch, ``compute`` at the end.

    Subclasses keep exact sufficient statistics, so the result does not depend on how the
    data was split into batches. ``higher_is_better`` tells a callback which way improves.
    """

    higher_is_better: ClassVar[bool | None] = None

    @abstractmethod
    def update(self, preds: Input, targets: Input) -> None:
        """Add one batch."""

    @abstractmethod
    def compute(self) -> Score:
        """The metric over every batch since the last ``reset``.

        Raises:
            ValueError: if no sample was added.
        """

    @abstractmethod
    def reset(self) -> None:
        """Forget every batch (e.g. at the start of an epoch)."""

    def state_dict(self) -> dict[str, Any]:
        """The accumulated statistics (the ``_``-named attributes), for mid-epoch checkpoints."""
        return {k: v for k, v in vars(self).items() if k.startswith("_")}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore :meth:`state_dict`'s output (arrays may come back as tensors)."""
        for key, value in state.items():
            setattr(self, key, np.asarray(value) if hasattr(value, "__array__") else value)

    def _check_seen(self, count: float) -> None:
        if count == 0:
            raise ValueError(
                f"{type(self).__name__}.compute: empty input: no samples since the last reset()"
            )

    def _op(self) -> str:
        return f"{type(self).__name__}.update"


@final
class MeanMetric(Metric):
    """A weighted running mean of a scalar such as the loss.

    Give each batch's mean loss with the batch size as weight, and ``compute`` is the mean
    over samples even when the last batch is smaller.

    >>> m = MeanMetric()
    >>> m.update(1.0, weight=3)
    >>> m.update(4.0, weight=1)
    >>> m.compute()
    1.75
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget every batch."""
        self._sum = 0.0
        self._weight = 0.0

    def update(self, value: Input, weight: Input = 1.0) -> None:
        """Add a value (or an array of values) with a weight (a scalar or one per value)."""
        v = to_numpy(value).astype(np.float64)
        w = to_numpy(weight).astype(np.float64)
        if v.size == 0:
            raise ValueError(f"{self._op()}: empty input: no values (value={v.shape})")
        try:
            w = np.broadcast_to(w, v.shape)
        except ValueError:
            raise ShapeError(
                f"{self._op()}: weight must be a scalar or match the values: "
                f"weight={w.shape}, value={v.shape}"
            ) from None
        self._sum += float((v * w).sum())
        self._weight += float(w.sum())

    def compute(self) -> float:
        """The metric over every batch since the last reset."""
        self._check_seen(self._weight)
        return self._sum / self._weight


__all__ = ["MeanMetric", "Metric", "Score"]
