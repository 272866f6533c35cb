"""DataLoader workers: seeding as torch, worker info, errors, dead workers, persistence, resume."""

import os
import random
import time
from typing import Any

import numpy as np
import pytest
from torch.utils.data._utils.worker import _generate_state

import scratchgrad as sg
from scratchgrad.data import DataLoader, TensorDataset, get_worker_info
from scratchgrad.data.worker import WorkerInfo, numpy_seed
from scratchgrad.utils.data import get_worker_info as utils_get_worker_info

INIT_CALLS: list[int] = []


class Probe:
    """Each sample reports the worker that fetched it and its random states."""

    def __len__(self) -> int:
        return 8

    def __getitem__(self, i: int) -> dict[str, Any]:
        info = get_worker_info()
        assert info is not None and info.dataset is not None
        return {
            "i": i,
            "id": info.id,
            "n": info.num_workers,
            "seed": info.seed,
            "pid": os.getpid(),
            "init": list(INIT_CALLS),
            "py": random.random(),
            "sg": float(sg.rand(1).item()),
            "np": float(np.random.random()),
        }


class Failing:
    def __len__(self) -> int:
        return 6

    def __getitem__(self, i: int) -> int:
        if i == 3:
            raise ValueError(f"bad sample {i}")
        return i


class Dying:
    def __len__(self) -> int:
        return 6

    def __getitem__(self, i: int) -> int:
        if i == 2:
            os._exit(3)
        return i


class Slow:
    def __len__(self) -> int:
        return 2

    def __getitem__(self, i: int) -> int:
        time.sleep(5)
        return i


class Threads:
    def __len__(self) -> int:
        return 2

    def __getitem__(self, i: int) -> int:
        from threadpoolctl import threadpool_info

        return max((p["num_threads"] for p in threadpool_info()), default=1)


def _record_init(worker_id: int) -> None:
    INIT_CALLS.append(worker_id)


def _rows(loader: DataLoader) -> list[dict[str, Any]]:
    return [row for batch in loader for row in batch]  # collate_fn=list: batches of dicts


def test_no_worker_info_in_the_main_process() -> None:
    assert get_worker_info() is None and utils_get_worker_info is get_worker_info


def test_workers_are_seeded_as_torch_and_know_who_they_are() -> None:
    loader = DataLoader(
        Probe(),
        batch_size=2,
        num_workers=2,
        worker_init_fn=_record_init,
        generator=sg.Generator(0),
        collate_fn=list,
    )
    rows = _rows(loader)
    assert [r["i"] for r in rows] == list(range(8))
    assert [r["id"] for r in rows] == [0, 0, 1, 1, 0, 0, 1, 1]  # batch j -> worker j % 2
    base = int(rows[0]["seed"])
    for r in rows:
        wid = r["id"]
        assert r["seed"] == base + wid and r["n"] == 2
        assert r["init"] == [wid]
    firsts = {r["id"]: r for r in rows if r["i"] in (0, 2)}
    for wid, r in firsts.items():
        random.seed(base + wid)
        assert r["py"] == random.random()
        sg.manual_seed(base + wid)
        assert r["sg"] == pytest.approx(float(sg.rand(1).item()))
        np.random.seed(numpy_seed(base, wid))
        assert r["np"] == pytest.approx(np.random.random())


def test_numpy_seed_is_torchs_generate_state() -> None:
    for base, wid in [(0, 0), (12345678901234, 3), (2**63 - 5, 7)]:
        assert numpy_seed(base, wid) == _generate_state(base, wid)


def test_worker_info_is_read_only() -> None:
    info = WorkerInfo(0, 1, 5, None)
    with pytest.raises(AttributeError):
        info.id = 2  # type: ignore[misc]


def test_workers_give_the_same_batches_as_the_main_process() -> None:
    ds = TensorDataset(sg.arange(37))
    runs = []
    for workers in (0, 2):
        loader = DataLoader(
            ds, batch_size=4, shuffle=True, num_workers=workers, generator=sg.Generator(3)
        )
        runs.append([[b[0].tolist() for b in loader] for _ in range(2)])
    assert runs[0] == runs[1] and runs[0][0] != runs[0][1]


def test_a_worker_exception_is_raised_in_the_main_process() -> None:
    loader = DataLoader(Failing(), batch_size=2, num_workers=2)
    with pytest.raises(ValueError, match="in DataLoader worker process 1") as err:
        list(loader)
    assert "bad sample 3" in str(err.value)


def test_a_dead_worker_fails_the_iteration_instead_of_hanging() -> None:
    loader = DataLoader(Dying(), batch_size=2, num_workers=2)
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+ \(exit code 3\)"):
        list(loader)


def test_timeout_fails_a_slow_batch() -> None:
    loader = DataLoader(Slow(), batch_size=1, num_workers=1, timeout=0.2)
    with pytest.raises(RuntimeError, match="DataLoader timed out after 0.2 seconds"):
        list(loader)


def test_persistent_workers_survive_epochs() -> None:
    pids = []
    for persistent in (True, False):
        loader = DataLoader(
            Probe(), batch_size=4, num_workers=1, persistent_workers=persistent, collate_fn=list
        )
        pids.append([{r["pid"] for r in _rows(loader)} for _ in range(2)])
    assert pids[0][0] == pids[0][1]
    assert pids[1][0] != pids[1][1]


def test_an_abandoned_epoch_with_persistent_workers_does_not_leak_batches() -> None:
    loader = DataLoader(
        TensorDataset(sg.arange(12)), batch_size=2, num_workers=2, persistent_workers=True
    )
    for _ in loader:
        break
    assert [b[0].tolist() for b in loader] == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9], [10, 11]]


def test_resume_with_workers_gives_the_remaining_batches() -> None:
    ds = TensorDataset(sg.arange(30))

    def make() -> DataLoader:
        return DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, generator=sg.Generator(5))

    loader = make()
    it = iter(loader)
    [next(it) for _ in range(3)]
    state = loader.state_dict()
    rest = [b[0].tolist() for b in it] + [b[0].tolist() for b in loader]
    again = make()
    again.load_state_dict(state)
    assert [b[0].tolist() for b in again] + [b[0].tolist() for b in again] == rest


def test_spawned_workers_work() -> None:
    loader = DataLoader(
        TensorDataset(sg.arange(6)), batch_size=3, num_workers=1, multiprocessing_context="spawn"
    )
    assert [b[0].tolist() for b in loader] == [[0, 1, 2], [3, 4, 5]]


def test_workers_use_one_blas_thread() -> None:
    loader = DataLoader(Threads(), batch_size=None, num_workers=1)
    assert list(loader) == [1, 1]
