import pytest
from torch.utils.data.distributed import DistributedSampler as TorchSampler

from scratchgrad.data import DistributedSampler


@pytest.mark.parametrize(
    ("n", "replicas", "drop_last"), [(10, 3, False), (10, 3, True), (8, 2, False)]
)
def test_shares_like_torch_without_shuffle(n: int, replicas: int, drop_last: bool) -> None:
    for rank in range(replicas):
        ours = DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        theirs = TorchSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)


def test_shuffled_shares_partition_one_permutation_per_epoch() -> None:
    shares = [DistributedSampler(range(11), 2, r, seed=3) for r in range(2)]
    for s in shares:
        s.set_epoch(1)
    a, b = (list(s) for s in shares)
    assert len(a) == len(b) == 6 and set(a + b) == set(range(11))  # one index repeated
    shares[0].set_epoch(2)
    assert list(shares[0]) != a  # a new permutation each epoch
    with pytest.raises(ValueError, match="Invalid rank 2"):
        DistributedSampler(range(4), num_replicas=2, rank=2)
