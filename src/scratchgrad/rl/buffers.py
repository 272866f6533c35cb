"""Experience storage: the on-policy rollout buffer with GAE, and DQN's replay buffer.

Arrays are NumPy, laid out (n_steps, n_envs, ...) as the vector environment gives them.
``compute_gae`` is the pure formula, tested against a hand-worked example.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

F32 = NDArray[np.float32]


def compute_gae(
    rewards: F32,
    values: F32,
    dones: NDArray[np.bool_],
    last_values: F32,
    gamma: float,
    gae_lambda: float,
) -> tuple[F32, F32]:
    """Generalised advantage estimation (Schulman et al. 2016).

    ``delta_t = r_t + gamma * V(s_{t+1}) * (1 - done_t) - V(s_t)`` and
    ``A_t = delta_t + gamma * lambda * (1 - done_t) * A_{t+1}``; returns are ``A + V``.

    Args:
        rewards: (T, N) rewards; a truncated episode's bootstrap is already added.
        values: (T, N) value estimates V(s_t).
        dones: (T, N) True where the episode ended with step t.
        last_values: (N,) V of the observation after the last step.
        gamma: the discount factor.
        gae_lambda: the bias/variance trade-off (1: Monte Carlo, 0: one-step TD).

    Returns:
        advantages (T, N) and returns (T, N).

    >>> adv, ret = compute_gae(np.ones((2, 1), np.float32), np.zeros((2, 1), np.float32),
    ...                        np.array([[False], [True]]), np.zeros(1, np.float32), 0.5, 1.0)
    >>> adv[:, 0].tolist()
    [1.5, 1.0]
    """
    advantages = np.zeros_like(rewards)
    next_values, last_gae = last_values, np.zeros_like(last_values)
    for t in range(rewards.shape[0] - 1, -1, -1):
        not_done = 1.0 - dones[t].astype(np.float32)
        delta = rewards[t] + gamma * next_values * not_done - values[t]
        last_gae = delta + gamma * gae_lambda * not_done * last_gae
        advantages[t] = last_gae
        next_values = values[t]
    return advantages, advantages + values


@dataclass
class RolloutBatch:
    """One minibatch of flattened rollout data (B = minibatch size).

    Attributes:
        obs: (B, *obs_shape) observations.
        actions: (B,) actions taken.
        old_log_probs: (B,) their log-probabilities when collected.
        advantages: (B,) advantage estimates.
        returns: (B,) value targets.
    """

    obs: F32
    actions: NDArray[np.int64]
    old_log_probs: F32
    advantages: F32
    returns: F32


class RolloutBuffer:
    """``n_steps`` transitions from each of ``n_envs`` environments, for PPO and A2C.

    Args:
        n_steps: steps per environment per rollout.
        n_envs: environments stepped together.
        obs_shape: the shape of one observation.
    """

    def __init__(self, n_steps: int, n_envs: int, obs_shape: tuple[int, ...]) -> None:
        self.n_steps, self.n_envs = n_steps, n_envs
        self.obs = np.zeros((n_steps, n_envs, *obs_shape), np.float32)
        self.actions = np.zeros((n_steps, n_envs), np.int64)
        self.rewards = np.zeros((n_steps, n_envs), np.float32)
        self.dones = np.zeros((n_steps, n_envs), np.bool_)
        self.values = np.zeros((n_steps, n_envs), np.float32)
        self.log_probs = np.zeros((n_steps, n_envs), np.float32)
        self.advantages = np.zeros((n_steps, n_envs), np.float32)
        self.returns = np.zeros((n_steps, n_envs), np.float32)
        self.pos = 0

    @property
    def full(self) -> bool:
        """Whether all ``n_steps`` rows are filled."""
        return self.pos == self.n_steps

    def reset(self) -> None:
        """Start a new rollout (the arrays are overwritten)."""
        self.pos = 0

    def add(
        self,
        obs: F32,
        actions: NDArray[np.int64],
        rewards: F32,
        dones: NDArray[np.bool_],
        values: F32,
        log_probs: F32,
    ) -> None:
        """Store one step of every environment: each argument is (n_envs, ...)."""
        t = self.pos
        self.obs[t], self.actions[t], self.rewards[t] = obs, actions, rewards
        self.dones[t], self.values[t], self.log_probs[t] = dones, values, log_probs
        self.pos += 1

    def compute_returns_and_advantage(
        self, last_values: F32, gamma: float, gae_lambda: float
    ) -> None:
        """Fill ``advantages`` and ``returns`` (n_steps, n_envs) with :func:`compute_gae`."""
        self.advantages, self.returns = compute_gae(
            self.rewards, self.values, self.dones, last_values, gamma, gae_lambda
        )

    def get(self, batch_size: int | None, rng: np.random.Generator) -> Iterator[RolloutBatch]:
        """Shuffled minibatches of ``batch_size`` rows (None: the whole rollout at once)."""
        n = self.n_steps * self.n_envs
        order = rng.permutation(n)
        size = n if batch_size is None else batch_size
        flat_obs = self.obs.reshape(n, *self.obs.shape[2:])
        for start in range(0, n, size):
            idx = order[start : start + size]
            yield RolloutBatch(
                flat_obs[idx],
                self.actions.reshape(n)[idx],
                self.log_probs.reshape(n)[idx],
                self.advantages.reshape(n)[idx],
                self.returns.reshape(n)[idx],
            )


@dataclass
class ReplayBatch:
    """A sample of B transitions.

    Attributes:
        obs: (B, *obs_shape) observations.
        actions: (B,) actions.
        rewards: (B,) rewards.
        next_obs: (B, *obs_shape) the observations after the action.
        terminated: (B,) True where the episode ended in a terminal state (no bootstrap).
    """

    obs: F32
    actions: NDArray[np.int64]
    rewards: F32
    next_obs: F32
    terminated: NDArray[np.bool_]


class ReplayBuffer:
    """A ring buffer of the last ``buffer_size`` transitions, sampled uniformly (DQN).

    Args:
        buffer_size: how many transitions it keeps.
        obs_shape: the shape of one observation.
    """

    def __init__(self, buffer_size: int, obs_shape: tuple[int, ...]) -> None:
        self.buffer_size = buffer_size
        self.obs = np.zeros((buffer_size, *obs_shape), np.float32)
        self.next_obs = np.zeros((buffer_size, *obs_shape), np.float32)
        self.actions = np.zeros(buffer_size, np.int64)
        self.rewards = np.zeros(buffer_size, np.float32)
        self.terminated = np.zeros(buffer_size, np.bool_)
        self.pos, self.size = 0, 0

    def __len__(self) -> int:
        return self.size

    def add(
        self,
        obs: F32,
        next_obs: F32,
        actions: NDArray[np.int64],
        rewards: F32,
        terminated: NDArray[np.bool_],
    ) -> None:
        """Store N transitions (each argument's first axis is N, e.g. n_envs)."""
        idx = (self.pos + np.arange(len(actions))) % self.buffer_size
        self.obs[idx], self.next_obs[idx] = obs, next_obs
        self.actions[idx], self.rewards[idx], self.terminated[idx] = actions, rewards, terminated
        self.pos = int(idx[-1] + 1) % self.buffer_size
        self.size = min(self.size + len(actions), self.buffer_size)

    def sample(self, batch_size: int, rng: np.random.Generator) -> ReplayBatch:
        """``batch_size`` transitions drawn uniformly, with replacement."""
        idx = rng.integers(0, self.size, batch_size)
        return ReplayBatch(
            self.obs[idx],
            self.actions[idx],
            self.rewards[idx],
            self.next_obs[idx],
            self.terminated[idx],
        )


__all__ = [
    "ReplayBatch",
    "ReplayBuffer",
    "RolloutBatch",
    "RolloutBuffer",
    "compute_gae",
]
