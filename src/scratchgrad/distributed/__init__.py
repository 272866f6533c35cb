"""Beyond one process: torch.distributed's names over MPI, and searches over Optuna.

:mod:`~scratchgrad.distributed.process_group` joins the ranks that ``mpiexec`` started
(``init_process_group``, ``get_rank``, ``all_reduce``, ...); a process started alone is a
world of one. :mod:`~scratchgrad.distributed.search` runs Optuna studies whose trials are
recipe runs, shared by worker processes or machines through a common storage. MPI
(mpi4py) and Optuna are optional: ``pip install 'scratchgrad[distributed]'``.
"""

from scratchgrad.distributed.process_group import (
    ReduceOp,
    all_gather,
    all_reduce,
    barrier,
    broadcast,
    destroy_process_group,
    get_rank,
    get_world_size,
    init_process_group,
    is_available,
    is_initialized,
)
from scratchgrad.distributed.search import ReportToTrial, SearchJob, run_search
from scratchgrad.distributed.search_space import ParamSpec, parse_param

__all__ = [
    "ParamSpec",
    "ReduceOp",
    "ReportToTrial",
    "SearchJob",
    "all_gather",
    "all_reduce",
    "barrier",
    "broadcast",
    "destroy_process_group",
    "get_rank",
    "get_world_size",
    "init_process_group",
    "is_available",
    "is_initialized",
    "parse_param",
    "run_search",
]
