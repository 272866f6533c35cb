"""DataLoader worker processes: seeding, ``get_worker_info``, and the pool the loader feeds.

As in PyTorch: each epoch the loader draws a ``base_seed``; worker ``i`` seeds Python's
``random``, scratchgrad's global generator and NumPy's legacy global state from
``base_seed + i`` (NumPy's through a SeedSequence of the worker id and base seed, as torch
does), then calls ``worker_init_fn(i)``. Batches ``j`` go to worker ``j % num_workers``,
which fetches and collates them; the main process yields them in order. An exception in a
worker is raised again in the main process with its traceback; a worker that dies stops
the iteration with an error instead of a hang, since the main process polls with a timeout.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import queue
import random
import time
import traceback
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import Any

import numpy as np

from scratchgrad import random as sg_random

POLL_SECONDS = 1.0
"""How often a waiting main process (or an idle worker) checks that its peers are alive."""

_worker_info: WorkerInfo | None = None


@dataclass(frozen=True)
class WorkerInfo:
    """What a worker process knows about itself (``get_worker_info()`` inside a worker).

    Attributes:
        id: this worker's index, 0 to ``num_workers`` - 1.
        num_workers: how many workers the loader runs.
        seed: the seed this worker was given (``base_seed + id``).
        dataset: this worker's copy of the dataset.
    """

    id: int
    num_workers: int
    seed: int
    dataset: Any


def get_worker_info() -> WorkerInfo | None:
    """This worker's :class:`WorkerInfo` inside a DataLoader worker, None in the main process.

    >>> get_worker_info() is None
    True
    """
    return _worker_info


def numpy_seed(base_seed: int, worker_id: int) -> list[int]:
    """The legacy NumPy seed of a worker: four 32-bit words, as torch's ``_generate_state``."""
    entropy = [worker_id, base_seed & 0xFFFFFFFF, base_seed >> 32, 0]
    words: list[int] = np.random.SeedSequence(entropy).generate_state(4).tolist()
    return words


def _limit_threads() -> None:
    """One BLAS/OpenMP thread per worker, so workers do not oversubscribe the cores."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    with contextlib.suppress(ImportError):  # threadpoolctl comes with scikit-learn
        importlib.import_module("threadpoolctl").threadpool_limits(1)


class _Failure:
    """An exception caught in a worker, sent to the main process to be raised there."""

    def __init__(self, exc: BaseException, where: str) -> None:
        self.exc_type = type(exc)
        self.message = f"Caught {type(exc).__name__} {where}.\nOriginal " + "".join(
            traceback.format_exception(exc)
        )

    def reraise(self) -> None:
        """Raise the exception again, same type when it can be built from one message."""
        msg = self.message
        if self.exc_type is KeyError:  # KeyError's str() would quote the whole message
            msg = KeyError(msg)  # type: ignore[assignment]
        try:
            exc = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        raise exc


def _worker_loop(
    worker_id: int,
    num_workers: int,
    base_seed: int,
    dataset: Any,
    fetch: Callable[[Any], Any],
    init_fn: Callable[[int], None] | None,
    tasks: Any,
    results: Any,
    parent: int,
) -> None:
    """Seed, run ``init_fn``, then fetch each task's batch until told to stop (None)."""
    global _worker_info
    _limit_threads()
    seed = base_seed + worker_id
    random.seed(seed)
    sg_random.manual_seed(seed)
    np.random.seed(numpy_seed(base_seed, worker_id))
    _worker_info = WorkerInfo(worker_id, num_workers, seed, dataset)
    where = f"in DataLoader worker process {worker_id}"
    failure = None
    try:
        if init_fn is not None:
            init_fn(worker_id)
    except Exception as e:
        failure = _Failure(e, where)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C reaches the main process too
        _serve(fetch, tasks, results, parent, failure, where)
    results.cancel_join_thread()


def _serve(
    fetch: Callable[[Any], Any],
    tasks: Any,
    results: Any,
    parent: int,
    failure: _Failure | None,
    where: str,
) -> None:
    while True:
        try:
            task = tasks.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:  # the main process is gone: stop
                return
            continue
        if task is None:
            return
        epoch, idx, indices = task
        if failure is None:
            try:
                data = fetch(indices)
            except Exception as e:
                data = _Failure(e, where)
        else:  # worker_init_fn failed: every batch reports it
            data = failure
        results.put((epoch, idx, data))


def get_context(context: str | BaseContext | None) -> BaseContext:
    """The multiprocessing context: a start method's name, a context, or the platform's."""
    if isinstance(context, str):
        return multiprocessing.get_context(context)
    return context if context is not None else multiprocessing.get_context()


class WorkerPool:
    """``num_workers`` processes fetching batches; ``run`` yields an epoch's batches in order.

    Args:
        num_workers: processes to start.
        base_seed: worker ``i`` is seeded with ``base_seed + i``.
        dataset: the dataset (each worker gets its own copy).
        fetch: turns one batch's indices into the batch (runs in the workers).
        init_fn: called with the worker id in each worker after seeding.
        context: the multiprocessing context.
        prefetch_factor: batches in flight per worker.
        timeout: seconds to wait for a batch before failing (0: no limit).
    """

    def __init__(
        self,
        num_workers: int,
        base_seed: int,
        dataset: Any,
        fetch: Callable[[Any], Any],
        init_fn: Callable[[int], None] | None,
        context: BaseContext,
        prefetch_factor: int = 2,
        timeout: float = 0,
    ) -> None:
        self.num_workers, self.timeout = num_workers, timeout
        self.in_flight = max(1, prefetch_factor) * num_workers
        self._results: Any = context.Queue()
        self._tasks: list[Any] = [context.Queue() for _ in range(num_workers)]
        self._procs: list[Any] = []
        self._epoch = 0
        for i in range(num_workers):
            tasks = self._tasks[i]
            args = (
                i,
                num_workers,
                base_seed,
                dataset,
                fetch,
                init_fn,
                tasks,
                self._results,
                os.getpid(),
            )
            proc = context.Process(target=_worker_loop, args=args, daemon=True)  # type: ignore[attr-defined]
            proc.start()
            self._procs.append(proc)
        self._finalizer = weakref.finalize(self, _shutdown, self._procs, self._tasks)

    @property
    def alive(self) -> bool:
        """True while every worker runs."""
        return self._finalizer.alive and all(p.is_alive() for p in self._procs)

    def run(self, batches: Iterator[Any], first: int = 0) -> Iterator[Any]:
        """Fetch ``batches`` (numbered from ``first``) in the workers; yield them in order."""
        self._epoch += 1
        epoch, sent, want, done = self._epoch, first, first, False
        ready: dict[int, Any] = {}
        while True:
            while not done and sent - want < self.in_flight:
                indices = next(batches, None)
                if indices is None:
                    done = True
                    break
                self._tasks[sent % self.num_workers].put((epoch, sent, indices))
                sent += 1
            if want == sent:
                return
            while want not in ready:
                got_epoch, idx, data = self._get()
                if got_epoch == epoch:  # results of an abandoned epoch are dropped
                    ready[idx] = data
            data = ready.pop(want)
            want += 1
            if isinstance(data, _Failure):
                data.reraise()
            yield data

    def _get(self) -> tuple[int, int, Any]:
        start, poll = time.monotonic(), min(POLL_SECONDS, self.timeout or POLL_SECONDS)
        while True:
            try:
                got: tuple[int, int, Any] = self._results.get(timeout=poll)
                return got
            except queue.Empty:
                dead = [p for p in self._procs if not p.is_alive()]
                if dead:
                    pids = ", ".join(f"{p.pid} (exit code {p.exitcode})" for p in dead)
                    self.shutdown()
                    raise RuntimeError(
                        f"DataLoader worker (pid(s) {pids}) exited unexpectedly"
                    ) from None
                if self.timeout and time.monotonic() - start > self.timeout:
                    self.shutdown()
                    raise RuntimeError(
                        f"DataLoader timed out after {self.timeout} seconds"
                    ) from None

    def shutdown(self) -> None:
        """Stop the workers (idempotent)."""
        self._finalizer()


def _shutdown(procs: list[Any], tasks: list[Any]) -> None:
    for proc, q in zip(procs, tasks, strict=True):
        if proc.is_alive():
            q.put(None)
    for proc in procs:
        proc.join(timeout=POLL_SECONDS)
        if proc.is_alive():
            proc.terminate()
            proc.join(timeout=POLL_SECONDS)
    for q in tasks:
        q.cancel_join_thread()
        q.close()


__all__ = ["WorkerInfo", "get_worker_info"]
