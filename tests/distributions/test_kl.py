import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.distributions import Normal, Uniform, kl_divergence, register_kl

from ._parity import TOL, pair

R = np.random.default_rng(5)
A = R.normal(size=(2, 3, 3))
COV = A @ A.transpose(0, 2, 1) + 3 * np.eye(3)

PAIRS = {  # name -> (build(lib, *params) -> (p, q), params)
    "normal": (
        lambda lib, a, b, c, d: (lib.distributions.Normal(a, b), lib.distributions.Normal(c, d)),
        [R.normal(size=3), R.uniform(0.5, 2, 3), R.normal(size=(2, 3)), R.uniform(0.5, 2, 3)],
    ),
    "categorical": (
        lambda lib, a, b: (
            lib.distributions.Categorical(logits=a),
            lib.distributions.Categorical(probs=b),
        ),
        [R.normal(size=(2, 4)), R.uniform(0.1, 1, size=(2, 4))],
    ),
    "bernoulli": (
        lambda lib, a, b: (lib.distributions.Bernoulli(a), lib.distributions.Bernoulli(logits=b)),
        [R.uniform(0.1, 0.9, 3), R.normal(size=3)],
    ),
    "uniform": (
        lambda lib, a, b: (
            lib.distributions.Uniform(a, b),
            lib.distributions.Uniform(a - 1, b + 1),
        ),
        [R.uniform(-1, 0, 3), R.uniform(1, 2, 3)],
    ),
    "multivariate normal": (
        lambda lib, a, b, c, d: (
            lib.distributions.MultivariateNormal(a, b),
            lib.distributions.MultivariateNormal(c, scale_tril=d),
        ),
        [R.normal(size=(2, 3)), COV, R.normal(size=3), np.linalg.cholesky(COV[0])],
    ),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", PAIRS)
def test_values_and_gradients_match_torch(name, dtype):
    build, params = PAIRS[name]
    ours, theirs = pair(params, dtype)
    k_sg = kl_divergence(*build(sg, *ours))
    k_t = torch.distributions.kl_divergence(*build(torch, *theirs))
    rtol, atol = TOL[dtype]
    np.testing.assert_allclose(k_sg.detach().numpy(), k_t.detach().numpy(), rtol, atol)
    k_sg.sum().backward()
    k_t.sum().backward()
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol, atol)


def test_zero_probabilities_as_torch():
    p, q = [0.5, 0.5, 0.0], [0.5, 0.0, 0.5]
    ours = kl_divergence(
        sg.distributions.Categorical(sg.tensor(p)), sg.distributions.Categorical(sg.tensor(q))
    )
    theirs = torch.distributions.kl_divergence(
        torch.distributions.Categorical(torch.tensor(p)),
        torch.distributions.Categorical(torch.tensor(q)),
    )
    assert ours.item() == theirs.item() == np.inf


def test_unregistered_pair_and_register_kl():
    with pytest.raises(NotImplementedError, match="p type Normal and q type Uniform"):
        kl_divergence(Normal(0.0, 1.0), Uniform(0.0, 1.0))

    class Wide(Normal):
        pass

    assert kl_divergence(Wide(0.0, 1.0), Normal(0.0, 1.0)).item() == 0.0  # found by MRO

    @register_kl(Normal, Uniform)
    def _kl(p, q):
        return sg.tensor(7.0)

    assert kl_divergence(Normal(0.0, 1.0), Uniform(0.0, 1.0)).item() == 7.0
