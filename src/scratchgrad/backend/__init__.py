"""The array namespace: the one place that decides which array library runs.

NumPy is the only backend today. Every op takes its array functions from ``xp``
(``from scratchgrad.backend import xp``) instead of importing an array library itself,
so a second backend (CuPy on a GPU) is a change to this file, not to every op.
"""

from typing import Any

import numpy
from numpy.typing import NDArray

xp = numpy
"""The array module ops call: ``xp.exp``, ``xp.matmul``, ..."""

Array = NDArray[Any]
"""An array of the active backend, any dtype and shape."""

__all__ = ["Array", "xp"]
