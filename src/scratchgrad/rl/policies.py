"""Policies built from scratchgrad.nn: an actor-critic for discrete actions, and a Q-network.

As Stable-Baselines3's ``MlpPolicy``: separate policy and value networks of
``net_arch`` hidden units (64, 64) with tanh, orthogonal initialisation (gain sqrt(2) in
hidden layers, 0.01 on the action logits, 1 on the value). Rollouts call :meth:`act` on a
whole vector of observations at once, under ``no_grad``; training calls
:meth:`evaluate_actions`, which records the graph.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from scratchgrad import nn
from scratchgrad.autograd import no_grad
from scratchgrad.creation import from_numpy
from scratchgrad.nn import functional as F  # noqa: N812 - PyTorch's alias
from scratchgrad.tensor import Tensor

ACTIVATIONS: dict[str, type[nn.Module]] = {"tanh": nn.Tanh, "relu": nn.ReLU}
"""Activation names a policy accepts (names, so a saved model's JSON can hold them)."""


def mlp(
    in_features: int,
    net_arch: Sequence[int],
    out_features: int,
    activation_fn: str = "tanh",
    output_gain: float | None = None,
) -> nn.Sequential:
    """A multilayer perceptron (N, in_features) -> (N, out_features).

    Args:
        in_features: the input size.
        net_arch: hidden layer sizes, e.g. (64, 64).
        out_features: the output size.
        activation_fn: "tanh" or "relu", after every hidden layer.
        output_gain: orthogonal initialisation with this gain for the last layer (and
            sqrt(2) for the hidden ones); None keeps the default (PyTorch's) initialisation.
    """
    layers: list[nn.Module] = []
    sizes = [in_features, *net_arch]
    for a, b in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [_init(nn.Linear(a, b), math.sqrt(2) if output_gain else None)]
        layers += [ACTIVATIONS[activation_fn]()]
    layers.append(_init(nn.Linear(sizes[-1], out_features), output_gain))
    return nn.Sequential(*layers)


def _init(layer: nn.Linear, gain: float | None) -> nn.Linear:
    """Orthogonal weights with ``gain`` and zero bias (None: leave it as built)."""
    if gain is not None:
        nn.init.orthogonal_(layer.weight, gain=gain)
        if layer.bias is not None:
            nn.init.zeros_(layer.bias)
    return layer


def _as_tensor(obs: NDArray[np.float32]) -> Tensor:
    return from_numpy(np.ascontiguousarray(obs, dtype=np.float32))


def _log_softmax(logits: NDArray[np.float32]) -> NDArray[np.float32]:
    shifted = logits - logits.max(axis=1, keepdims=True)
    out: NDArray[np.float32] = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return out


class ActorCriticPolicy(nn.Module):
    """Action logits and a state value from two MLPs, for discrete actions.

    Args:
        obs_dim: the size of a (flat) observation.
        n_actions: the number of discrete actions.
        net_arch: hidden sizes of each of the two networks.
        activation_fn: "tanh" or "relu".
        ortho_init: orthogonal initialisation as Stable-Baselines3 does.
    """

    def __init__(
        self,
        obs_dim: int,
        n_actions: int,
        net_arch: Sequence[int] = (64, 64),
        activation_fn: str = "tanh",
        ortho_init: bool = True,
    ) -> None:
        super().__init__()
        self.pi = mlp(obs_dim, net_arch, n_actions, activation_fn, 0.01 if ortho_init else None)
        self.vf = mlp(obs_dim, net_arch, 1, activation_fn, 1.0 if ortho_init else None)

    def forward(self, obs: Tensor) -> tuple[Tensor, Tensor]:
        """Logits (N, n_actions) and values (N,) for observations (N, obs_dim)."""
        return self.pi(obs), self.vf(obs).reshape(-1)

    def act(
        self, obs: NDArray[np.float32], rng: np.random.Generator, deterministic: bool = False
    ) -> tuple[NDArray[np.int64], NDArray[np.float32], NDArray[np.float32]]:
        """Actions (N,), values (N,) and log-probabilities (N,) for observations (N, obs_dim).

        No graph is recorded. Sampling draws one uniform number per row from ``rng``.
        """
        with no_grad():
            logits, values = self(_as_tensor(obs))
        log_p = _log_softmax(logits.numpy())
        if deterministic:
            actions = log_p.argmax(axis=1)
        else:
            cdf = np.exp(log_p).cumsum(axis=1)
            u = rng.random((len(cdf), 1), dtype=np.float32) * cdf[:, -1:]
            actions = np.minimum((cdf < u).sum(axis=1), cdf.shape[1] - 1)
        picked = np.take_along_axis(log_p, actions[:, None], axis=1)[:, 0]
        return actions.astype(np.int64), values.numpy(), picked

    def predict_values(self, obs: NDArray[np.float32]) -> NDArray[np.float32]:
        """V(s) (N,) for observations (N, obs_dim), without a graph."""
        with no_grad():
            values: NDArray[np.float32] = self.vf(_as_tensor(obs)).numpy().reshape(-1)
        return values

    def evaluate_actions(
        self, obs: NDArray[np.float32], actions: NDArray[np.int64]
    ) -> tuple[Tensor, Tensor, Tensor]:
        """Values (N,), log pi(a|s) (N,) and the policy's entropy (N,), with a graph."""
        logits, values = self(_as_tensor(obs))
        log_p = F.log_softmax(logits, dim=1)
        picked = log_p.gather(1, from_numpy(actions.reshape(-1, 1))).reshape(-1)
        entropy = -(log_p.exp() * log_p).sum(dim=1)
        return values, picked, entropy


class QNetwork(nn.Module):
    """Q-values of every discrete action: an MLP (N, obs_dim) -> (N, n_actions).

    Args:
        obs_dim: the size of a (flat) observation.
        n_actions: the number of discrete actions.
        net_arch: hidden sizes.
        activation_fn: "tanh" or "relu".
    """

    def __init__(
        self,
        obs_dim: int,
        n_actions: int,
        net_arch: Sequence[int] = (64, 64),
        activation_fn: str = "relu",
    ) -> None:
        super().__init__()
        self.q_net = mlp(obs_dim, net_arch, n_actions, activation_fn)

    def forward(self, obs: Tensor) -> Tensor:
        """Q(s, .) (N, n_actions) for observations (N, obs_dim)."""
        out: Tensor = self.q_net(obs)
        return out

    def q_values(self, obs: NDArray[np.float32]) -> NDArray[np.float32]:
        """Q(s, .) (N, n_actions) as NumPy, without a graph."""
        with no_grad():
            q: NDArray[np.float32] = self(_as_tensor(obs)).numpy()
        return q


__all__ = ["ACTIVATIONS", "ActorCriticPolicy", "QNetwork", "mlp"]
