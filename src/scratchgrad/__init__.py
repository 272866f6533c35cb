"""scratchgrad: machine learning from scratch, readable and tested against PyTorch.

>>> import scratchgrad as sg
>>> x = sg.tensor([1.0, 2.0], requires_grad=True)
>>> (x ** 2).sum().backward()
>>> x.grad.tolist()
[2.0, 4.0]
"""

from scratchgrad import dtypes
from scratchgrad.dtypes import (
    as_dtype,
    bool_,
    double,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int8,
    int16,
    int32,
    int64,
    long,
    promote_types,
    result_type,
    set_default_dtype,
    uint8,
)
from scratchgrad.tensor import Tensor  # noqa: I001 - must come before the ops

from scratchgrad import autograd, ops
from scratchgrad.autograd import (
    enable_grad,
    gradcheck,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from scratchgrad.creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from scratchgrad.errors import BroadcastError, ShapeError
from scratchgrad.ops.elementwise import (
    abs,
    add,
    ceil,
    clamp,
    cos,
    div,
    eq,
    exp,
    floor,
    floor_divide,
    ge,
    gt,
    isfinite,
    isnan,
    le,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    lt,
    maximum,
    minimum,
    mul,
    ne,
    neg,
    pow,
    relu,
    remainder,
    round,
    rsqrt,
    sigmoid,
    sign,
    sin,
    sqrt,
    sub,
    tanh,
    trunc,
    where,
)
from scratchgrad.ops.index import (
    gather,
    index_select,
    masked_fill,
    one_hot,
    scatter,
    scatter_add,
    take_along_dim,
)
from scratchgrad.ops.linalg import dot, einsum, matmul, outer
from scratchgrad.ops.reduce import (
    all,
    any,
    argmax,
    argmin,
    cumsum,
    logsumexp,
    max,
    mean,
    min,
    norm,
    prod,
    std,
    sum,
    var,
)
from scratchgrad.ops.shape import (
    broadcast_shapes,
    broadcast_to,
    cat,
    chunk,
    flatten,
    flip,
    permute,
    reshape,
    roll,
    split,
    squeeze,
    stack,
    tile,
    transpose,
    unbind,
    unflatten,
    unsqueeze,
)
from scratchgrad.random import Generator, manual_seed

bool = bool_  # noqa: A001 - PyTorch's names: sg.bool, sg.float, sg.int
float = float32  # noqa: A001
int = int32  # noqa: A001
clip = clamp
subtract, multiply, divide, true_divide = sub, mul, div, div
concat = concatenate = cat

__version__ = "0.1.0"
