import numpy as np

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.nn.parallel import DistributedDataParallel
from scratchgrad.nn.parallel.distributed import buckets


def test_in_a_world_of_one_it_only_forwards() -> None:
    sg.manual_seed(0)
    bare = nn.Linear(4, 3)
    sg.manual_seed(0)
    wrapped = DistributedDataParallel(nn.Linear(4, 3))
    x = sg.randn(5, 4)
    np.testing.assert_array_equal(wrapped(x).detach().numpy(), bare(x).detach().numpy())
    wrapped(x).sum().backward()
    bare(x).sum().backward()
    np.testing.assert_array_equal(wrapped.module.weight.grad.numpy(), bare.weight.grad.numpy())
    assert list(wrapped.state_dict()) == ["module.weight", "module.bias"]
    with wrapped.no_sync():
        assert not wrapped.require_backward_grad_sync
    assert wrapped.require_backward_grad_sync


def test_buckets_hold_the_parameters_last_first_within_the_cap() -> None:
    params = list(nn.Sequential(nn.Linear(8, 8), nn.Linear(8, 2)).parameters())
    groups = buckets(params, cap_bytes=8 * 8 * 4)  # one 8x8 weight fills a bucket
    assert [p for g in groups for p in g] == list(reversed(params))
    assert all(sum(p.numel() for p in g) * 4 <= 256 or len(g) == 1 for g in groups)
    assert len(buckets(params, cap_bytes=2**20)) == 1
