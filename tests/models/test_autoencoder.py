"""Autoencoder: shapes of both layouts, outputs against PyTorch, bad shapes refused."""

import numpy as np
import pytest
import torch
from torch import nn as tnn

import scratchgrad as sg
from scratchgrad.models import Autoencoder
from scratchgrad.models.autoencoder import check_image_shape


@pytest.mark.parametrize("conv", [False, True])
@pytest.mark.parametrize("shape", [(1, 8, 8), (1, 28, 28)])
def test_codes_and_reconstructions_have_the_right_shapes(
    conv: bool, shape: tuple[int, int, int]
) -> None:
    sg.manual_seed(0)
    ae = Autoencoder(shape, latent_dim=5, hidden=8, conv=conv)
    x = sg.rand(3, *shape)
    assert ae.encode(x).shape == (3, 5)
    out = ae(x).detach().numpy()
    assert out.shape == (3, *shape)
    assert out.min() >= 0 and out.max() <= 1


def test_the_conv_autoencoder_matches_torch_outputs_and_gradients() -> None:
    sg.manual_seed(0)
    ae = Autoencoder((1, 8, 8), latent_dim=4, hidden=6, conv=True)
    enc = tnn.Sequential(
        tnn.Conv2d(1, 6, 3, 2, 1), tnn.ReLU(), tnn.Conv2d(6, 12, 3, 2, 1), tnn.ReLU(),
        tnn.Flatten(), tnn.Linear(48, 4),
    )  # fmt: skip
    dec = tnn.Sequential(
        tnn.Linear(4, 48), tnn.ReLU(), tnn.Unflatten(1, (12, 2, 2)),
        tnn.ConvTranspose2d(12, 6, 3, 2, 1, output_padding=1), tnn.ReLU(),
        tnn.ConvTranspose2d(6, 1, 3, 2, 1, output_padding=1),
    )  # fmt: skip
    ref = tnn.ModuleDict({"encoder": enc, "decoder": dec})
    ref.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in ae.state_dict().items()})
    x = np.random.default_rng(0).random((4, 1, 8, 8), dtype=np.float32)
    out = ae(sg.from_numpy(x))
    ref_out = torch.sigmoid(dec(enc(torch.from_numpy(x))))
    np.testing.assert_allclose(out.detach().numpy(), ref_out.detach().numpy(), 1e-5, 1e-6)
    ((out - sg.from_numpy(x)) ** 2).mean().backward()
    ((ref_out - torch.from_numpy(x)) ** 2).mean().backward()
    ours = dict(ae.named_parameters())
    for name, p in ref.named_parameters():
        np.testing.assert_allclose(ours[name].grad.numpy(), p.grad.numpy(), 1e-4, 1e-6)


@pytest.mark.parametrize(
    ("shape", "match"), [((8, 8), "input_shape"), ((1, 6, 6), "divisible by 4")]
)
def test_unusable_image_shapes_are_refused(shape: tuple[int, ...], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        check_image_shape(shape, "Autoencoder")
    with pytest.raises(ValueError, match="latent_dim"):
        Autoencoder(latent_dim=0)
