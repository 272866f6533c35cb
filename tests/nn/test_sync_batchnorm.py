import numpy as np
import torch

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.nn.sync_batchnorm import SyncBatchNorm, sync_batch_norm


def test_in_one_process_it_is_torch_batch_norm_forward_and_backward() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 3, 4, 4)).astype(np.float32)
    w, b = rng.normal(size=3).astype(np.float32), rng.normal(size=3).astype(np.float32)
    ours_x, ours_w, ours_b = (sg.tensor(a, requires_grad=True) for a in (x, w, b))
    theirs_x, theirs_w, theirs_b = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    rm, rv = sg.zeros(3), sg.ones(3)
    trm, trv = torch.zeros(3), torch.ones(3)
    out = sync_batch_norm(ours_x, rm, rv, ours_w, ours_b, 0.1, 1e-5)
    ref = torch.nn.functional.batch_norm(theirs_x, trm, trv, theirs_w, theirs_b, True, 0.1, 1e-5)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), atol=1e-5)
    (out * out).sum().backward()
    (ref * ref).sum().backward()
    for ours, theirs in ((ours_x, theirs_x), (ours_w, theirs_w), (ours_b, theirs_b)):
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(rm.numpy(), trm.numpy(), atol=1e-6)
    np.testing.assert_allclose(rv.numpy(), trv.numpy(), atol=1e-6)


def test_convert_sync_batchnorm_swaps_every_batch_norm_keeping_its_state() -> None:
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.Sequential(nn.BatchNorm1d(4)))
    model[1].running_mean.array[:] = 2.0
    model.eval()
    converted = SyncBatchNorm.convert_sync_batchnorm(model)
    assert converted is model
    assert isinstance(model[1], SyncBatchNorm) and isinstance(model[2][0], SyncBatchNorm)
    assert model[1].running_mean.tolist() == [2.0] * 4 and not model[1].training
    x = sg.randn(2, 4, 3, 3)
    bare = nn.BatchNorm2d(4)
    bare.load_state_dict(model[1].state_dict())
    bare.eval()
    np.testing.assert_allclose(model[1](x).detach().numpy(), bare(x).detach().numpy())
