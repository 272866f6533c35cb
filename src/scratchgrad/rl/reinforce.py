"""REINFORCE with a learned baseline (Williams 1992): Monte Carlo policy gradient.

Each iteration plays one whole episode in each of the ``n_envs`` environments, computes
the discounted return-to-go ``G_t`` of every step, and takes one gradient step on
``-mean((G_t - V(s_t)) log pi(a_t|s_t)) + vf_coef * mean((G_t - V(s_t))^2)``. The
value network (the baseline) lowers the gradient's variance without biasing it.
Stable-Baselines3 has no REINFORCE; its names are kept where they apply.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import numpy as np
from gymnasium import spaces
from gymnasium.vector import VectorEnv
from numpy.typing import NDArray

from scratchgrad import nn, optim
from scratchgrad.creation import from_numpy
from scratchgrad.nn import functional as F  # noqa: N812 - PyTorch's alias
from scratchgrad.rl.base import BaseAlgorithm
from scratchgrad.rl.envs.vec_env import EnvLike
from scratchgrad.rl.on_policy import build_policy, gradient_step
from scratchgrad.rl.policies import ActorCriticPolicy
from scratchgrad.rl.ppo import normalize_advantages
from scratchgrad.tensor import Tensor


def discounted_returns(
    rewards: NDArray[np.float32], active: NDArray[np.bool_], gamma: float
) -> NDArray[np.float32]:
    """Returns-to-go ``G_t = r_t + gamma G_{t+1}`` of episodes laid out (T, N).

    Args:
        rewards: (T, N) rewards; row t is step t of each environment's episode.
        active: (T, N) True while the episode runs (False after it ended).
        gamma: the discount factor.

    Returns:
        (T, N) returns-to-go (0 where inactive).

    >>> discounted_returns(np.ones((3, 1), np.float32), np.ones((3, 1), bool), 0.5)[:, 0].tolist()
    [1.75, 1.5, 1.0]
    """
    returns = np.zeros_like(rewards)
    running = np.zeros(rewards.shape[1], np.float32)
    for t in range(rewards.shape[0] - 1, -1, -1):
        running = np.where(active[t], rewards[t] + gamma * running, 0.0).astype(np.float32)
        returns[t] = running
    return returns


class REINFORCE(BaseAlgorithm):
    """Monte Carlo policy gradient with a value baseline, for discrete actions.

    Args:
        policy: "MlpPolicy" or an actor-critic class ``(obs_dim, n_actions, **kwargs)``.
        env: an environment id, an environment, a same-step vector environment, or None.
        learning_rate: Adam's learning rate.
        gamma: the discount factor.
        normalize_advantage: normalise the advantages of each update.
        ent_coef: weight of the entropy bonus.
        vf_coef: weight of the baseline's loss.
        max_grad_norm: gradient clipping.
        n_envs: episodes per update (one per environment).
        seed: seeds networks, sampling and environments.
        policy_kwargs: e.g. ``{"net_arch": [64, 64]}``.
        observation_space: with action_space, for an agent built without env.
        action_space: the Discrete action space when env is None.
    """

    policy_aliases: ClassVar[dict[str, Any]] = {"MlpPolicy": ActorCriticPolicy}

    def __init__(
        self,
        policy: str | Callable[..., nn.Module],
        env: EnvLike | None,
        learning_rate: float = 1e-3,
        gamma: float = 0.99,
        normalize_advantage: bool = True,
        ent_coef: float = 0.0,
        vf_coef: float = 0.5,
        max_grad_norm: float = 1.0,
        n_envs: int = 4,
        seed: int | None = None,
        policy_kwargs: Mapping[str, Any] | None = None,
        observation_space: spaces.Space[Any] | None = None,
        action_space: spaces.Space[Any] | None = None,
    ) -> None:
        self.learning_rate, self.gamma = learning_rate, gamma
        self.normalize_advantage, self.ent_coef = normalize_advantage, ent_coef
        self.vf_coef, self.max_grad_norm, self.seed = vf_coef, max_grad_norm, seed
        self.policy_kwargs = dict(policy_kwargs or {})
        super().__init__(env, n_envs, seed, observation_space, action_space)
        self.policy_name = policy if isinstance(policy, str) else None
        self.policy: ActorCriticPolicy = build_policy(
            self.policy_aliases, policy, self.observation_space.shape, self.n_actions,
            policy_kwargs,
        )  # fmt: skip
        self.optimizer = optim.Adam(self.policy.parameters(), lr=learning_rate)

    def _iteration(self, env: VectorEnv) -> None:
        obs, actions, rewards, active = self.collect_episodes(env)
        returns = discounted_returns(rewards, active, self.gamma)
        self.train(obs[active], actions[active], returns[active])

    def collect_episodes(
        self, env: VectorEnv
    ) -> tuple[NDArray[np.float32], NDArray[np.int64], NDArray[np.float32], NDArray[np.bool_]]:
        """Play one episode per environment; (T, N, ...) observations, actions, rewards, mask."""
        last = self._last_obs
        obs = last if self.num_timesteps == 0 and last is not None else self._reset(env)
        steps: list[tuple[Any, ...]] = []
        running = np.ones(self.n_envs, np.bool_)
        while running.any():
            actions = self.policy.act(obs, self.rng)[0]
            next_obs, rewards, terminated, truncated, _ = env.step(actions)
            steps.append((obs, actions, rewards.astype(np.float32), running.copy()))
            self._track_episodes(rewards, terminated | truncated, active=running)
            running &= ~(terminated | truncated)
            obs = next_obs
        obs_t, act_t, rew_t, act_mask = (np.stack(column) for column in zip(*steps, strict=True))
        self.num_timesteps += int(act_mask.sum())
        return obs_t.astype(np.float32), act_t, rew_t, act_mask

    def train(
        self, obs: NDArray[np.float32], actions: NDArray[np.int64], returns: NDArray[np.float32]
    ) -> None:
        """One gradient step on steps (B, ...) of whole episodes and their returns (B,)."""
        values, log_prob, entropy = self.policy.evaluate_actions(obs, actions)
        adv = returns - values.detach().numpy()
        adv = normalize_advantages(adv) if self.normalize_advantage else adv
        pg_loss = -(from_numpy(adv.astype(np.float32)) * log_prob).mean()
        value_loss = F.mse_loss(values, from_numpy(returns))
        entropy_loss = -entropy.mean()
        loss = pg_loss + self.ent_coef * entropy_loss + self.vf_coef * value_loss
        gradient_step(self.optimizer, loss, self.policy.parameters(), self.max_grad_norm)
        self.logs = {"loss": loss.item(), "value_loss": value_loss.item()}

    def _predict(self, obs: NDArray[Any], deterministic: bool) -> NDArray[np.int64]:
        return self.policy.act(obs.astype(np.float32), self.rng, deterministic)[0]

    def _state_dict(self) -> Mapping[str, Tensor]:
        return self.policy.state_dict()

    def _load_state(self, state: Mapping[str, Tensor]) -> None:
        self.policy.load_state_dict(state)


__all__ = ["REINFORCE", "discounted_returns"]
