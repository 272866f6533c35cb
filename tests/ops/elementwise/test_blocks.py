import numpy as np
import torch

import scratchgrad as sg
from scratchgrad.ops.elementwise._blocks import BLOCK, map_blocks
from scratchgrad.ops.elementwise.special import _erf32_block_


def test_blocks_give_the_same_bits_as_one_pass() -> None:
    x = np.random.default_rng(0).normal(size=(3 * BLOCK + 17,)).astype(np.float32)
    whole = _erf32_block_(x.copy())
    blocked = map_blocks(_erf32_block_, x.copy().reshape(-1, 1))
    assert blocked.shape == (x.size, 1)
    np.testing.assert_array_equal(blocked.reshape(-1), whole)
    strided = x.copy()[::2]  # not contiguous: one pass, still right
    np.testing.assert_array_equal(
        map_blocks(_erf32_block_, strided.copy()[::1]), _erf32_block_(strided.copy())
    )


def test_large_gelu_matches_torch_forward_and_backward() -> None:
    x = np.random.default_rng(1).normal(size=(2 * BLOCK + 5,)).astype(np.float32) * 3
    ours = sg.tensor(x, requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    out, ref = sg.nn.functional.gelu(ours), torch.nn.functional.gelu(theirs)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-5, atol=2e-5)
    (out * out).sum().backward()
    (ref * ref).sum().backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-4, atol=1e-4)
