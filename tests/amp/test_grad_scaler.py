"""GradScaler: torch's pass-through when disabled, torch's CPU scaling when enabled."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.amp import GradScaler


def _setup(lib, grads=(1.0, -2.0)):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    opt = lib.optim.SGD([w], lr=0.1)
    return w, opt, lib.tensor(list(grads))


def test_disabled_scaler_passes_everything_through() -> None:
    scaler = GradScaler(enabled=False)
    w, opt, _ = _setup(sg)
    loss = (w * w).sum()
    assert scaler.scale(loss) is loss
    loss.backward()
    scaler.unscale_(opt)
    assert scaler.step(opt) is None
    scaler.update()
    np.testing.assert_allclose(w.detach().numpy(), [0.8, 1.6], rtol=1e-6)
    assert scaler.get_scale() == 1.0 and scaler.state_dict() == {}
    assert not scaler.is_enabled()
    scaler.load_state_dict({})


def test_cuda_scaler_is_disabled_with_torchs_warning() -> None:
    with pytest.warns(UserWarning, match="GradScaler is enabled, but CUDA is not available"):
        theirs = torch.amp.GradScaler()
    with pytest.warns(UserWarning, match="GradScaler is enabled, but CUDA is not available"):
        ours = GradScaler()
    assert ours.is_enabled() is theirs.is_enabled() is False
    assert ours.get_scale() == theirs.get_scale() == 1.0


def _train(lib, scaler, steps):
    """A loop with one inf gradient at step 1; the weights and scale after each update."""
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    opt = lib.optim.SGD([w], lr=0.1)
    out = []
    for k in range(steps):
        opt.zero_grad()
        loss = (w * w).sum() * (float("inf") if k == 1 else 1.0)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        out.append((w.detach().numpy().copy(), scaler.get_scale()))
    return out


def test_cpu_scaler_matches_torchs_steps_skips_and_scale() -> None:
    kw = {"init_scale": 8.0, "growth_interval": 2}
    ours = _train(sg, GradScaler("cpu", **kw), 6)
    theirs = _train(torch, torch.amp.GradScaler("cpu", **kw), 6)
    for (wa, sa), (wb, sb) in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(wa, wb, rtol=1e-6)
        assert sa == sb
    assert [s for _, s in ours] == [8.0, 4.0, 4.0, 8.0, 8.0, 16.0]


def test_unscale_then_step_and_state_dict_like_torch() -> None:
    scaler, tscaler = GradScaler("cpu", init_scale=4.0), torch.amp.GradScaler("cpu", init_scale=4.0)
    for lib, s in ((sg, scaler), (torch, tscaler)):
        w, opt, _ = _setup(lib)
        s.scale((w * w).sum()).backward()
        s.unscale_(opt)
        np.testing.assert_allclose(w.grad.numpy(), [2.0, 4.0])
        s.step(opt)
        s.update()
    assert scaler.state_dict() == tscaler.state_dict()
    fresh = GradScaler("cpu")
    fresh.load_state_dict(tscaler.state_dict())
    assert fresh.state_dict() == tscaler.state_dict()


def test_misuse_is_refused_like_torch() -> None:
    scaler = GradScaler("cpu")
    w, opt, _ = _setup(sg)
    scaler.scale((w * w).sum()).backward()
    scaler.unscale_(opt)
    with pytest.raises(RuntimeError, match="already been called on this optimizer"):
        scaler.unscale_(opt)
    scaler.step(opt)
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        scaler.step(opt)
    with pytest.raises(RuntimeError, match="Closure use is not currently supported"):
        scaler.step(opt, closure=lambda: None)
    scaler.update()
    with pytest.raises(AssertionError, match="No inf checks"):
        scaler.update()
    with pytest.raises(RuntimeError, match="source state dict is empty"):
        scaler.load_state_dict({})
    with pytest.raises(ValueError, match="growth factor must be > 1.0"):
        GradScaler("cpu", growth_factor=1.0)


def test_scale_of_a_list_and_update_to_a_new_scale() -> None:
    scaler = GradScaler("cpu", init_scale=2.0)
    a, b = scaler.scale([sg.tensor(1.0), sg.tensor(3.0)])
    assert (a.item(), b.item()) == (2.0, 6.0)
    scaler.update(new_scale=32.0)
    assert scaler.get_scale() == 32.0
