"""torch.distributed's names over MPI: the process group, rank, world size and collectives.

``init_process_group()`` reads the rank and the world size from MPI (mpi4py, the
``distributed`` extra), so a script started with ``mpiexec -n 4 python train.py`` runs as
four ranks. Started without mpiexec it is a world of one, where every collective leaves
its tensor as it is: the same script runs in one process.

Collectives work on tensors in place, through MPI's buffer interface (no pickling), and
wait with a deadline: if a rank has died, they raise :class:`DistributedError` after
``timeout`` instead of hanging.

>>> init_process_group()
>>> (get_rank(), get_world_size())
(0, 1)
>>> destroy_process_group()
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from enum import Enum
from typing import Any

from scratchgrad.backend import Array
from scratchgrad.errors import DistributedError
from scratchgrad.tensor import Tensor

DEFAULT_TIMEOUT = timedelta(minutes=5)
_MPI_ENV = ("PMI_SIZE", "PMI_RANK", "OMPI_COMM_WORLD_SIZE", "MPI_LOCALNRANKS")


class ReduceOp(Enum):
    """How ``all_reduce`` combines the ranks' values, as ``torch.distributed.ReduceOp``."""

    SUM = "sum"
    AVG = "avg"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"


class _World:
    """The process group: MPI's communicator (None for a world of one) and the deadline."""

    comm: Any = None
    rank = 0
    size = 1
    timeout = DEFAULT_TIMEOUT.total_seconds()
    initialized = False


def launched_by_mpi() -> bool:
    """Whether this process was started by an MPI launcher (mpiexec sets PMI_* variables)."""
    return any(name in os.environ for name in _MPI_ENV)


def mpi_rank() -> int:
    """This process's rank as the MPI launcher's environment says (0 outside mpiexec)."""
    for name in ("PMI_RANK", "OMPI_COMM_WORLD_RANK"):
        if name in os.environ:
            return int(os.environ[name])
    return 0


def is_available() -> bool:
    """Whether MPI can be used: mpi4py is installed."""
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        return False
    return True


def init_process_group(
    backend: str = "mpi",
    init_method: str | None = None,
    timeout: timedelta | None = None,
    world_size: int = -1,
    rank: int = -1,
) -> None:
    """Join the process group: MPI's world when launched by mpiexec, else a world of one.

    Args:
        backend: "mpi" (or "gloo", accepted for scripts written for torch: MPI serves it).
        init_method: accepted for torch's signature; MPI's launcher already connects ranks.
        timeout: how long a collective may wait for the other ranks (default 5 minutes).
        world_size: if given, must equal MPI's.
        rank: if given, must equal MPI's.

    Raises:
        ImportError: launched by mpiexec without mpi4py installed (names the extra).
        DistributedError: for a backend other than mpi/gloo, or a size or rank that MPI
            does not have.
    """
    if backend not in ("mpi", "gloo"):
        raise DistributedError(f"init_process_group: backend {backend!r}; only 'mpi' here")
    _World.timeout = (timeout or DEFAULT_TIMEOUT).total_seconds()
    _World.comm, _World.rank, _World.size = _mpi_world()
    for name, given, actual in (
        ("world_size", world_size, _World.size),
        ("rank", rank, _World.rank),
    ):
        if given not in (-1, actual):
            raise DistributedError(f"init_process_group: {name}={given}, but MPI gives {actual}")
    _World.initialized = True


def _mpi_world() -> tuple[Any, int, int]:
    """(communicator, rank, size): MPI's world, or (None, 0, 1) outside an MPI launch."""
    if not launched_by_mpi():
        return None, 0, 1
    try:
        from mpi4py import MPI
    except ImportError as e:
        raise ImportError(
            "started by mpiexec, but mpi4py is missing: pip install 'scratchgrad[distributed]'"
        ) from e
    comm = MPI.COMM_WORLD
    return (comm if comm.Get_size() > 1 else None), comm.Get_rank(), comm.Get_size()


def is_initialized() -> bool:
    """Whether ``init_process_group`` has been called (and not destroyed since)."""
    return _World.initialized


def destroy_process_group() -> None:
    """Leave the process group (MPI itself finalises at exit)."""
    _World.comm, _World.rank, _World.size, _World.initialized = None, 0, 1, False


def get_rank() -> int:
    """This process's rank, 0 to world size - 1 (0 in a world of one)."""
    return _World.rank


def get_world_size() -> int:
    """The number of ranks (1 in a world of one)."""
    return _World.size


def barrier() -> None:
    """Wait until every rank has reached this point."""
    if _World.comm is not None:
        wait(_World.comm.Ibarrier(), "barrier")


def broadcast(tensor: Tensor, src: int = 0) -> None:
    """Overwrite ``tensor`` on every rank with rank ``src``'s values, in place."""
    if _World.comm is not None:
        wait(_World.comm.Ibcast(tensor.array, root=src), "broadcast")


def all_reduce(tensor: Tensor, op: ReduceOp = ReduceOp.SUM) -> None:
    """Combine ``tensor`` over the ranks with ``op``; every rank gets the result in place."""
    if _World.comm is not None:
        wait(all_reduce_start(tensor.array, op), "all_reduce")
        if op is ReduceOp.AVG:
            tensor.array /= _World.size


def all_gather(tensor_list: list[Tensor], tensor: Tensor) -> None:
    """Fill ``tensor_list[r]`` with rank r's ``tensor`` (same shape on every rank)."""
    if len(tensor_list) != _World.size:
        raise DistributedError(f"all_gather: {len(tensor_list)} tensors for {_World.size} ranks")
    if _World.comm is None:
        tensor_list[0].array[...] = tensor.array
        return
    gathered = tensor.array.reshape(1, -1).repeat(_World.size, axis=0)  # (world, numel)
    wait(_World.comm.Iallgather(tensor.array.reshape(-1).copy(), gathered), "all_gather")
    for out, row in zip(tensor_list, gathered, strict=True):
        out.array[...] = row.reshape(tensor.shape)


def all_reduce_start(buffer: Array, op: ReduceOp = ReduceOp.SUM) -> Any:
    """Start an in-place allreduce of ``buffer`` (AVG sums; the caller divides); a request."""
    from mpi4py import MPI

    ops = {ReduceOp.SUM: MPI.SUM, ReduceOp.AVG: MPI.SUM, ReduceOp.PRODUCT: MPI.PROD}
    ops |= {ReduceOp.MIN: MPI.MIN, ReduceOp.MAX: MPI.MAX}
    return _World.comm.Iallreduce(MPI.IN_PLACE, buffer, op=ops[op])


def wait(request: Any, what: str) -> None:
    """Wait for a nonblocking MPI request, or raise after the group's timeout.

    Raises:
        DistributedError: naming the collective and the timeout (a rank may have died).
    """
    start = time.monotonic()
    deadline = start + _World.timeout
    while not request.Test():  # each Test also drives MPI's progress
        now = time.monotonic()
        if now - start > 0.05:  # a slow collective: stop spinning, yield the core
            time.sleep(1e-4)
        if now > deadline:
            raise DistributedError(
                f"{what}: rank {_World.rank} waited {_World.timeout:.0f} s for the other "
                f"ranks of {_World.size}; one may have died"
            )


__all__ = [
    "DEFAULT_TIMEOUT",
    "ReduceOp",
    "all_gather",
    "all_reduce",
    "all_reduce_start",
    "barrier",
    "broadcast",
    "destroy_process_group",
    "get_rank",
    "get_world_size",
    "init_process_group",
    "is_available",
    "is_initialized",
    "launched_by_mpi",
    "mpi_rank",
    "wait",
]
