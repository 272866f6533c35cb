"""Beyond one process: hyperparameter searches that fan out over workers (Optuna).

:mod:`~scratchgrad.distributed.search` runs a study whose trials are recipe runs, shared
by local worker processes or by machines through a common storage;
:mod:`~scratchgrad.distributed.search_space` reads the search space from text. Optuna is
an optional dependency: ``pip install 'scratchgrad[distributed]'``.
"""

from scratchgrad.distributed.search import ReportToTrial, SearchJob, run_search
from scratchgrad.distributed.search_space import ParamSpec, parse_param

__all__ = ["ParamSpec", "ReportToTrial", "SearchJob", "parse_param", "run_search"]
