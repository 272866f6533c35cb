"""One BLAS thread for loops of small products.

Between small matrix products OpenBLAS's threads spin; on a busy machine they fight the
other processes for the cores and slow each product tenfold. Estimators whose inner loop
is many small products (k-means, k-NN tiles, LinearSVC's Newton steps) run it on one
thread, as scikit-learn's k-means does.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cache
from typing import Any

from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]


@cache
def _controller() -> Any:
    """The BLAS libraries loaded in this process, found once (a lookup costs ~0.3 ms)."""
    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager[Any]:
    """A ``with`` block in which BLAS runs on one thread."""
    ctx: AbstractContextManager[Any] = _controller().limit(limits=1, user_api="blas")
    return ctx
