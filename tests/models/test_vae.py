"""VAE against the same model in PyTorch: 20 Adam steps from the same weights and noise."""

import numpy as np
import pytest
import torch
from benchmarks._torch_generative import TorchVAE, torch_copy

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.data.builtin import load
from scratchgrad.models import VAE

SHAPE, LATENT, HIDDEN = (1, 8, 8), 3, 32


def _batches(n: int = 20, b: int = 32) -> list[np.ndarray]:
    x = load("digits").train.tensors[0].numpy()
    rng = np.random.default_rng(0)
    return [x[rng.choice(len(x), b, replace=False)] for _ in range(n)]


def test_twenty_adam_steps_give_torchs_losses() -> None:
    sg.manual_seed(0)
    vae = VAE(SHAPE, LATENT, HIDDEN)
    ref = torch_copy(vae, TorchVAE(SHAPE, LATENT, HIDDEN))
    opt = optim.Adam(vae.parameters(), lr=3e-3)
    ref_opt = torch.optim.Adam(ref.parameters(), lr=3e-3)
    for step, x in enumerate(_batches()):
        sg.manual_seed(100 + step)
        ours = vae.loss(sg.from_numpy(x))
        sg.manual_seed(100 + step)
        eps = torch.from_numpy(sg.randn(len(x), LATENT).numpy())  # the draw reparameterize made
        theirs = ref.loss(torch.from_numpy(x), eps)
        for a, b in zip(ours, theirs, strict=True):
            assert a.item() == pytest.approx(b.item(), rel=1e-4), f"step {step}"
        opt.zero_grad()
        ref_opt.zero_grad()
        ours.loss.backward()
        theirs[0].backward()
        opt.step()
        ref_opt.step()


def test_the_kl_term_is_the_closed_form_and_beta_weights_it() -> None:
    sg.manual_seed(0)
    vae = VAE(SHAPE, LATENT, HIDDEN, beta=0.5)
    x = sg.from_numpy(_batches(1, 8)[0])
    out = vae.loss(x)
    mu, logvar = (t.detach().numpy().astype(np.float64) for t in vae.encode(x))
    kl = 0.5 * np.sum(mu**2 + np.exp(logvar) - 1 - logvar) / 8
    assert out.kl.item() == pytest.approx(kl, rel=1e-5)
    assert out.loss.item() == pytest.approx(out.reconstruction.item() + 0.5 * kl, rel=1e-5)


def test_the_gaussian_decoder_is_the_normal_negative_log_likelihood() -> None:
    sg.manual_seed(0)
    vae = VAE(SHAPE, LATENT, HIDDEN, likelihood="gaussian", sigma=0.2)
    x = sg.from_numpy(_batches(1, 4)[0])
    sg.manual_seed(1)
    logits, _, _ = vae(x)
    sg.manual_seed(1)
    out = vae.loss(x)
    mean = torch.sigmoid(torch.from_numpy(logits.detach().numpy()))
    nll = -torch.distributions.Normal(mean, 0.2).log_prob(torch.from_numpy(x.numpy())).sum() / 4
    assert out.reconstruction.item() == pytest.approx(nll.item(), rel=1e-5)


def test_samples_lie_in_the_unit_interval_and_follow_the_generator() -> None:
    sg.manual_seed(0)
    vae = VAE(SHAPE, LATENT, HIDDEN)
    a, b = vae.sample(5, sg.Generator(3)), vae.sample(5, sg.Generator(3))
    assert a.shape == (5, *SHAPE)
    assert a.numpy().min() >= 0 and a.numpy().max() <= 1
    np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"likelihood": "poisson"}, "likelihood"),
        ({"beta": -1.0}, "beta"),
        ({"input_shape": (8, 8)}, "input_shape"),
    ],
)
def test_bad_settings_are_refused(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        VAE(**kwargs)
    with pytest.raises(ValueError, match="n must be"):
        VAE().sample(0)
