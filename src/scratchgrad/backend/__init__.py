"""The array namespace: the one place that decides which array library runs.

NumPy is the only backend today. Every op takes its array functions from ``xp``
(``from scratchgrad.backend import xp``) instead of importing an array library itself,
so a second backend (CuPy on a GPU) is a change to this file, not to every op.
"""

from typing import Any

import numpy
import numpy.typing
import scipy.special

xp = numpy
"""The array module ops call: ``xp.exp``, ``xp.matmul``, ..."""

special = scipy.special
"""Special functions on ``xp`` arrays: ``special.erfc``, ``special.erfinv``, ...

SciPy's for NumPy arrays; with CuPy this would be ``cupyx.scipy.special``.
"""

Array = numpy.typing.NDArray[Any]
"""An array of the active backend, any dtype and shape."""

DTypeLike = numpy.typing.DTypeLike
"""Anything the backend accepts as a dtype: a dtype, a scalar type or its name."""

__all__ = ["Array", "DTypeLike", "special", "xp"]
