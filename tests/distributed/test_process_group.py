from datetime import timedelta

import pytest

import scratchgrad as sg
import scratchgrad.distributed as dist
from scratchgrad.errors import DistributedError
from tests.distributed._mpi import run


def test_a_process_started_alone_is_a_world_of_one(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PMI_SIZE", "PMI_RANK", "OMPI_COMM_WORLD_SIZE", "MPI_LOCALNRANKS"):
        monkeypatch.delenv(name, raising=False)
    dist.init_process_group()
    assert dist.is_initialized() and (dist.get_rank(), dist.get_world_size()) == (0, 1)
    t = sg.tensor([1.0, 2.0])
    dist.all_reduce(t)
    dist.broadcast(t, src=0)
    parts = [sg.zeros(2)]
    dist.all_gather(parts, t)
    dist.barrier()
    assert t.tolist() == [1.0, 2.0] and parts[0].tolist() == [1.0, 2.0]
    with pytest.raises(DistributedError, match="rank=3, but MPI gives 0"):
        dist.init_process_group(rank=3)
    with pytest.raises(DistributedError, match="only 'mpi'"):
        dist.init_process_group(backend="nccl", timeout=timedelta(seconds=1))
    dist.destroy_process_group()
    assert not dist.is_initialized()


def test_collectives_over_two_ranks() -> None:
    result = run(["collectives"])
    assert result.returncode == 0, result.stderr
    assert "rank 0 of 2: collectives ok" in result.stdout
    assert "rank 1 of 2: collectives ok" in result.stdout


def test_a_rank_that_never_joins_fails_the_job_instead_of_hanging() -> None:
    result = run(["dies"])
    assert result.returncode != 0
    assert "rank 0: all_reduce: rank 0 waited 3 s for the other ranks of 2" in result.stdout
