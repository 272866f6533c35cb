"""DQN: deep Q-learning with a replay buffer and a target network (Mnih et al. 2015).

Every ``train_freq`` vector steps of epsilon-greedy acting, ``gradient_steps`` minibatches
are drawn from the replay buffer and the Q-network regresses (Huber loss) on the TD target
``r + gamma * (1 - terminated) * max_a' Q_target(s', a')``. The target network is a copy of
the Q-network refreshed every ``target_update_interval`` steps; epsilon falls linearly from
``exploration_initial_eps`` to ``exploration_final_eps`` over ``exploration_fraction`` of
training. Hyperparameters and defaults are Stable-Baselines3's.
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
from scratchgrad.rl.buffers import ReplayBuffer
from scratchgrad.rl.envs.vec_env import EnvLike
from scratchgrad.rl.on_policy import build_policy, gradient_step
from scratchgrad.rl.policies import QNetwork
from scratchgrad.rl.schedules import Schedule, as_schedule
from scratchgrad.tensor import Tensor


def dqn_td_target(
    rewards: NDArray[np.float32],
    terminated: NDArray[np.bool_],
    next_q_values: NDArray[np.float32],
    gamma: float,
) -> NDArray[np.float32]:
    """``r + gamma * (1 - terminated) * max_a' Q_target(s', a')`` for a batch.

    Args:
        rewards: (B,) rewards.
        terminated: (B,) True where s' is terminal (a time limit is not: it bootstraps).
        next_q_values: (B, n_actions) the target network's Q(s', .).
        gamma: the discount factor.

    Returns:
        (B,) float32 targets.

    >>> dqn_td_target(np.array([1.0, 1.0], np.float32), np.array([False, True]),
    ...               np.array([[0.0, 2.0], [5.0, 1.0]], np.float32), 0.5).tolist()
    [2.0, 1.0]
    """
    not_done = 1.0 - terminated.astype(np.float32)
    target: NDArray[np.float32] = rewards + gamma * not_done * next_q_values.max(axis=1)
    return target.astype(np.float32)


def linear_epsilon(initial: float, final: float, fraction: float, progress_done: float) -> float:
    """Epsilon after ``progress_done`` (0 -> 1) of training: linear, then flat at ``final``.

    >>> linear_epsilon(1.0, 0.1, 0.5, 0.25)
    0.55
    """
    if fraction <= 0:
        return final
    return initial + (final - initial) * min(1.0, progress_done / fraction)


class DQN(BaseAlgorithm):
    """Deep Q-network for discrete actions.

    Args:
        policy: "MlpPolicy" or a Q-network class ``(obs_dim, n_actions, **kwargs)``.
        env: an environment id, an environment, a same-step vector environment, or None.
        learning_rate: Adam's learning rate: a number or a schedule.
        buffer_size: transitions the replay buffer keeps.
        learning_starts: steps of acting before the first update.
        batch_size: minibatch size.
        gamma: the discount factor.
        train_freq: vector steps between updates.
        gradient_steps: minibatches per update.
        target_update_interval: environment steps between target-network copies.
        exploration_fraction: the share of training over which epsilon falls.
        exploration_initial_eps: epsilon at the start.
        exploration_final_eps: epsilon at the end of the fall.
        max_grad_norm: gradient clipping.
        n_envs: copies of an environment id to step together.
        seed: seeds networks, sampling and environments.
        policy_kwargs: e.g. ``{"net_arch": [256, 256]}``.
        observation_space: with action_space, for an agent built without env.
        action_space: the Discrete action space when env is None.
    """

    policy_aliases: ClassVar[dict[str, Any]] = {"MlpPolicy": QNetwork}

    def __init__(
        self,
        policy: str | Callable[..., nn.Module],
        env: EnvLike | None,
        learning_rate: float | Schedule = 1e-4,
        buffer_size: int = 1_000_000,
        learning_starts: int = 100,
        batch_size: int = 32,
        gamma: float = 0.99,
        train_freq: int = 4,
        gradient_steps: int = 1,
        target_update_interval: int = 10_000,
        exploration_fraction: float = 0.1,
        exploration_initial_eps: float = 1.0,
        exploration_final_eps: float = 0.05,
        max_grad_norm: float = 10.0,
        n_envs: int = 1,
        seed: int | None = None,
        policy_kwargs: Mapping[str, Any] | None = None,
        observation_space: spaces.Space[Any] | None = None,
        action_space: spaces.Space[Any] | None = None,
    ) -> None:
        self.learning_rate, self.buffer_size = learning_rate, buffer_size
        self.learning_starts, self.batch_size, self.gamma = learning_starts, batch_size, gamma
        self.train_freq, self.gradient_steps = train_freq, gradient_steps
        self.target_update_interval = target_update_interval
        self.exploration_fraction = exploration_fraction
        self.exploration_initial_eps = exploration_initial_eps
        self.exploration_final_eps = exploration_final_eps
        self.max_grad_norm, self.seed = max_grad_norm, seed
        self.policy_kwargs = dict(policy_kwargs or {})
        super().__init__(env, n_envs, seed, observation_space, action_space)
        self.policy_name = policy if isinstance(policy, str) else None
        shape = self.observation_space.shape
        make = (self.policy_aliases, policy, shape, self.n_actions, policy_kwargs)
        self.q_net: QNetwork = build_policy(*make)
        self.q_net_target: QNetwork = build_policy(*make)
        self.q_net_target.load_state_dict(self.q_net.state_dict())
        self.replay_buffer = ReplayBuffer(buffer_size, tuple(shape or ()))
        self._lr = as_schedule(learning_rate)
        self.optimizer = optim.Adam(self.q_net.parameters(), lr=self._lr(1.0))
        self.exploration_rate = exploration_initial_eps
        self._n_calls = 0

    def _iteration(self, env: VectorEnv) -> None:
        sync = self.collect(env, self.train_freq)
        if sync:
            self.q_net_target.load_state_dict(self.q_net.state_dict())
        if self.num_timesteps > self.learning_starts:
            self.train(self.gradient_steps)

    def collect(self, env: VectorEnv, n_steps: int) -> bool:
        """Act epsilon-greedily for ``n_steps`` vector steps, storing every transition.

        Returns:
            Whether the target network is due for a copy (its interval was crossed).
        """
        obs, sync = self._last_obs, False
        if obs is None:
            raise RuntimeError("collect: reset the environment first (learn does)")
        for _ in range(n_steps):
            self.exploration_rate = linear_epsilon(
                self.exploration_initial_eps, self.exploration_final_eps,
                self.exploration_fraction, 1.0 - self.progress_remaining,
            )  # fmt: skip
            actions = self._explore(obs)
            next_obs, rewards, terminated, truncated, infos = env.step(actions)
            dones = terminated | truncated
            self._track_episodes(rewards, dones)
            stored_next = next_obs.copy()
            if dones.any():
                stored_next[dones] = np.stack(infos["final_obs"][dones])
            self.replay_buffer.add(obs, stored_next, actions, rewards, terminated)
            obs = next_obs
            self.num_timesteps += self.n_envs
            self._n_calls += 1
            sync |= self._n_calls % max(self.target_update_interval // self.n_envs, 1) == 0
        self._last_obs = obs
        return sync

    def _explore(self, obs: NDArray[Any]) -> NDArray[np.int64]:
        """Greedy actions, each replaced by a random one with probability epsilon."""
        actions = self._predict(obs, True)
        explore = self.rng.random(len(actions)) < self.exploration_rate
        actions[explore] = self.rng.integers(0, self.n_actions, int(explore.sum()))
        return actions

    def train(self, gradient_steps: int) -> None:
        """``gradient_steps`` Huber-loss updates on minibatches from the replay buffer."""
        for group in self.optimizer.param_groups:
            group["lr"] = self._lr(self.progress_remaining)
        total = 0.0
        for _ in range(gradient_steps):
            batch = self.replay_buffer.sample(self.batch_size, self.rng)
            next_q = self.q_net_target.q_values(batch.next_obs)
            target = dqn_td_target(batch.rewards, batch.terminated, next_q, self.gamma)
            q_all = self.q_net(from_numpy(batch.obs))
            q = q_all.gather(1, from_numpy(batch.actions.reshape(-1, 1))).reshape(-1)
            loss = F.smooth_l1_loss(q, from_numpy(target))
            gradient_step(self.optimizer, loss, self.q_net.parameters(), self.max_grad_norm)
            total += loss.item()
        self.logs = {"loss": total / gradient_steps, "exploration_rate": self.exploration_rate}

    def _predict(self, obs: NDArray[Any], deterministic: bool) -> NDArray[np.int64]:
        actions: NDArray[np.int64] = self.q_net.q_values(obs.astype(np.float32)).argmax(axis=1)
        return actions.astype(np.int64)

    def _state_dict(self) -> Mapping[str, Tensor]:
        return self.q_net.state_dict()

    def _load_state(self, state: Mapping[str, Tensor]) -> None:
        self.q_net.load_state_dict(state)
        self.q_net_target.load_state_dict(state)


__all__ = ["DQN", "dqn_td_target", "linear_epsilon"]
