"""On-policy agents (A2C, PPO): collect ``n_steps`` from every environment, then learn.

A rollout calls the policy once per step on the whole vector of observations, without
recording a graph. A truncated episode (a time limit, not a failure) is bootstrapped as
Stable-Baselines3 does: its last reward gets ``gamma * V(final observation)``.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
from gymnasium import spaces
from gymnasium.vector import VectorEnv
from numpy.typing import NDArray

from scratchgrad import nn
from scratchgrad.optim import Optimizer
from scratchgrad.rl.base import BaseAlgorithm
from scratchgrad.rl.buffers import RolloutBuffer
from scratchgrad.rl.envs.vec_env import EnvLike
from scratchgrad.rl.policies import ActorCriticPolicy
from scratchgrad.rl.schedules import Schedule, as_schedule
from scratchgrad.tensor import Tensor


def gradient_step(
    optimizer: Optimizer, loss: Tensor, parameters: Iterable[nn.Parameter], max_grad_norm: float
) -> None:
    """One optimizer step on ``loss`` with the gradients' total norm clipped to ``max_grad_norm``.

    Args:
        optimizer: the optimizer over ``parameters``.
        loss: a scalar tensor with a graph.
        parameters: the parameters whose gradients are clipped.
        max_grad_norm: the largest total L2 norm of the gradients.
    """
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(list(parameters), max_grad_norm)
    optimizer.step()


def build_policy(
    aliases: Mapping[str, Any],
    policy: str | Callable[..., nn.Module],
    obs_shape: Sequence[int] | None,
    n_actions: int,
    policy_kwargs: Mapping[str, Any] | None,
) -> Any:
    """The policy network: an alias ("MlpPolicy") or a class, for flat observations.

    Raises:
        ValueError: for an unknown alias or observations that are not flat vectors.
    """
    if isinstance(policy, str) and policy not in aliases:
        raise ValueError(f"unknown policy {policy!r}; known: {', '.join(aliases)}")
    if obs_shape is None or len(obs_shape) != 1:
        raise ValueError(f"policies need flat Box observations (obs_dim,), got shape {obs_shape}")
    maker = aliases[policy] if isinstance(policy, str) else policy
    return maker(int(obs_shape[0]), n_actions, **dict(policy_kwargs or {}))


class OnPolicyAlgorithm(BaseAlgorithm):
    """Rollout collection and the learning-rate schedule shared by A2C and PPO (abstract).

    Args:
        policy: "MlpPolicy" or an actor-critic class ``(obs_dim, n_actions, **kwargs)``.
        env: see :class:`~scratchgrad.rl.base.BaseAlgorithm`.
        learning_rate: a number or a schedule of the progress remaining.
        n_steps: steps per environment per rollout.
        gamma: the discount factor.
        gae_lambda: GAE's lambda.
        n_envs, seed, observation_space, action_space: as for BaseAlgorithm.
    """

    policy_aliases: ClassVar[dict[str, Any]] = {"MlpPolicy": ActorCriticPolicy}

    def __init__(
        self,
        policy: str | Callable[..., nn.Module],
        env: EnvLike | None,
        learning_rate: float | Schedule,
        n_steps: int,
        gamma: float,
        gae_lambda: float,
        n_envs: int,
        seed: int | None,
        policy_kwargs: Mapping[str, Any] | None,
        observation_space: spaces.Space[Any] | None,
        action_space: spaces.Space[Any] | None,
    ) -> None:
        super().__init__(env, n_envs, seed, observation_space, action_space)
        self.gamma, self.gae_lambda = gamma, gae_lambda
        self.policy_name = policy if isinstance(policy, str) else None
        shape = self.observation_space.shape
        self.policy: ActorCriticPolicy = build_policy(
            self.policy_aliases, policy, shape, self.n_actions, policy_kwargs
        )
        self.rollout_buffer = RolloutBuffer(n_steps, self.n_envs, tuple(shape or ()))
        self._lr = as_schedule(learning_rate)
        self.optimizer = self._make_optimizer(self._lr(1.0))

    @abstractmethod
    def _make_optimizer(self, lr: float) -> Optimizer:
        """The optimizer over the policy's parameters, at learning rate ``lr``."""

    def _iteration(self, env: VectorEnv) -> None:
        self.collect_rollouts(env)
        for group in self.optimizer.param_groups:
            group["lr"] = self._lr(self.progress_remaining)
        self.train()

    @abstractmethod
    def train(self) -> None:
        """Update the policy on the rollout buffer's data."""

    def collect_rollouts(self, env: VectorEnv) -> None:
        """Fill the rollout buffer with ``n_steps`` steps of every environment, and its GAE."""
        buf, obs = self.rollout_buffer, self._last_obs
        if obs is None:
            raise RuntimeError("collect_rollouts: reset the environment first (learn does)")
        buf.reset()
        while not buf.full:
            actions, values, log_probs = self.policy.act(obs, self.rng)
            next_obs, rewards, terminated, truncated, infos = env.step(actions)
            dones = terminated | truncated
            self._track_episodes(rewards, dones)
            rewards = self._bootstrap(rewards.astype(np.float32), terminated, truncated, infos)
            buf.add(obs, actions, rewards, dones, values, log_probs)
            obs = next_obs
        self.num_timesteps += buf.n_steps * buf.n_envs
        self._last_obs = obs
        last_values = self.policy.predict_values(obs)
        buf.compute_returns_and_advantage(last_values, self.gamma, self.gae_lambda)

    def _bootstrap(
        self,
        rewards: NDArray[np.float32],
        terminated: NDArray[np.bool_],
        truncated: NDArray[np.bool_],
        infos: dict[str, Any],
    ) -> NDArray[np.float32]:
        """Add ``gamma * V(final observation)`` to the rewards of truncated episodes."""
        cut = truncated & ~terminated
        if cut.any():
            final = np.stack(infos["final_obs"][cut]).astype(np.float32)
            rewards[cut] += self.gamma * self.policy.predict_values(final)
        return rewards

    def _predict(self, obs: NDArray[Any], deterministic: bool) -> NDArray[np.int64]:
        return self.policy.act(obs.astype(np.float32), self.rng, deterministic)[0]

    def _state_dict(self) -> Mapping[str, Tensor]:
        return self.policy.state_dict()

    def _load_state(self, state: Mapping[str, Tensor]) -> None:
        self.policy.load_state_dict(state)


__all__ = ["OnPolicyAlgorithm", "build_policy", "gradient_step"]
