"""Probability distributions with torch.distributions' names and semantics.

>>> import scratchgrad as sg
>>> loc = sg.tensor([0.0, 1.0], requires_grad=True)
>>> Normal(loc, 1.0).log_prob(sg.tensor([0.0, 0.0])).sum().backward()
>>> loc.grad.tolist()
[0.0, -1.0]
"""

from scratchgrad.distributions import constraints
from scratchgrad.distributions.bernoulli import Bernoulli
from scratchgrad.distributions.categorical import Categorical
from scratchgrad.distributions.distribution import Distribution
from scratchgrad.distributions.kl import kl_divergence, register_kl
from scratchgrad.distributions.multivariate_normal import MultivariateNormal
from scratchgrad.distributions.normal import Normal
from scratchgrad.distributions.uniform import Uniform

__all__ = [
    "Bernoulli",
    "Categorical",
    "Distribution",
    "MultivariateNormal",
    "Normal",
    "Uniform",
    "constraints",
    "kl_divergence",
    "register_kl",
]
