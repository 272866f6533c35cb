"""scratchgrad: machine learning from scratch, readable and tested against PyTorch.

>>> import scratchgrad as sg
>>> x = sg.tensor([1.0, 2.0], requires_grad=True)
>>> (x ** 2).sum().backward()
>>> x.grad.tolist()
[2.0, 4.0]

The top-level namespace is PyTorch's ``torch.*``, built from the export lists of the
packages below (each package's ``__all__`` is the one place a name is listed): the op
families of :mod:`scratchgrad.ops`, tensor creation, dtypes, random numbers and autograd.
"""

from loguru import logger as _logger

# isort: off
# First: tensor.py imports autograd, then the ops (which subclass autograd.Function).
# Started from the autograd package instead, an op would find the package half-built.
from scratchgrad.tensor import Tensor
# isort: on

from scratchgrad import autograd, creation, dtypes, ops, random, sampling
from scratchgrad.autograd import (
    enable_grad,
    gradcheck,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from scratchgrad.creation import *  # noqa: F403 - the export lists are the API
from scratchgrad.devices import device
from scratchgrad.dtypes import *  # noqa: F403
from scratchgrad.errors import BroadcastError, ShapeError
from scratchgrad.ops import elementwise, index, loss, neural, reduce, spatial
from scratchgrad.ops import linalg as _linalg_ops
from scratchgrad.ops import shape as _shape_ops
from scratchgrad.ops.dims import broadcast_shapes
from scratchgrad.ops.elementwise import *  # noqa: F403
from scratchgrad.ops.index import *  # noqa: F403
from scratchgrad.ops.linalg import *  # noqa: F403
from scratchgrad.ops.loss import *  # noqa: F403
from scratchgrad.ops.neural import *  # noqa: F403
from scratchgrad.ops.reduce import *  # noqa: F403
from scratchgrad.ops.shape import *  # noqa: F403
from scratchgrad.ops.spatial import *  # noqa: F403
from scratchgrad.random import *  # noqa: F403
from scratchgrad.sampling import *  # noqa: F403
from scratchgrad.size import Size

# isort: split
from scratchgrad.ops.aten import *  # noqa: F403 - last: torch's top-level signatures win

bool = bool_  # noqa: A001, F405 - PyTorch's names: sg.bool, sg.float, sg.int
float = float32  # noqa: A001, F405
int = int32  # noqa: A001, F405

__version__ = "0.1.0"

_logger.disable("scratchgrad")  # a library is quiet; the command line turns logging on

# Subpackages, imported last: they build on everything above.
from scratchgrad import (  # noqa: E402
    accelerator,
    amp,
    backends,
    cuda,
    data,
    distributions,
    linalg,
    nn,
    optim,
    serialization,
    utils,
)
from scratchgrad.amp import autocast  # noqa: E402
from scratchgrad.inference import inference_mode, is_inference_mode_enabled  # noqa: E402
from scratchgrad.serialization import load, save  # noqa: E402

__all__ = [
    "BroadcastError",
    "ShapeError",
    "Size",
    "Tensor",
    "accelerator",
    "amp",
    "autocast",
    "autograd",
    "backends",
    "cuda",
    "device",
    "bool",
    "broadcast_shapes",
    "data",
    "distributions",
    "dtypes",
    "enable_grad",
    "float",
    "gradcheck",
    "inference_mode",
    "int",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "linalg",
    "load",
    "nn",
    "no_grad",
    "ops",
    "optim",
    "save",
    "serialization",
    "set_grad_enabled",
    "utils",
]
__all__ += creation.__all__
__all__ += dtypes.__all__
__all__ += random.__all__
__all__ += sampling.__all__
__all__ += elementwise.__all__
__all__ += index.__all__
__all__ += _linalg_ops.__all__
__all__ += loss.__all__
__all__ += neural.__all__
__all__ += reduce.__all__
__all__ += _shape_ops.__all__
__all__ += spatial.__all__
__all__ += ops.aten.__all__
