"""Tabular methods: value iteration (a known model) and Q-learning (from experience).

Both keep one number per state (and action), so they need Discrete observations:
GridWorld and FrozenLake. A model is FrozenLake's ``P``:
``P[state][action] = [(probability, next_state, reward, terminated), ...]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from gymnasium import spaces
from gymnasium.vector import VectorEnv
from numpy.typing import NDArray

from scratchgrad.creation import from_numpy
from scratchgrad.rl.base import BaseAlgorithm
from scratchgrad.rl.dqn import linear_epsilon
from scratchgrad.rl.envs.vec_env import EnvLike
from scratchgrad.tensor import Tensor

Model = Mapping[int, Mapping[int, Sequence[tuple[float, int, float, bool]]]]
"""``P[state][action] = [(probability, next_state, reward, terminated), ...]``."""


def q_from_values(model: Model, values: NDArray[np.float64], gamma: float) -> NDArray[np.float64]:
    """One Bellman backup: ``Q(s, a) = sum p (r + gamma V(s') (1 - terminated))``, (S, A)."""
    n_states, n_actions = len(model), len(model[0])
    q = np.zeros((n_states, n_actions))
    for s in range(n_states):
        for a in range(n_actions):
            q[s, a] = sum(
                p * (r + gamma * values[s2] * (not done)) for p, s2, r, done in model[s][a]
            )
    return q


def value_iteration(
    model: Model, gamma: float = 0.99, theta: float = 1e-10, max_iterations: int = 10_000
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Optimal state values and a greedy policy, by repeated Bellman optimality backups.

    Args:
        model: the environment's transitions (``env.unwrapped.P``).
        gamma: the discount factor.
        theta: stop when no value changes by more than this.
        max_iterations: stop after this many sweeps in any case.

    Returns:
        V* (S,) and the greedy action of every state (S,).

    >>> chain = {0: {0: [(1.0, 1, -1.0, False)]}, 1: {0: [(1.0, 1, -1.0, True)]}}
    >>> value_iteration(chain, gamma=1.0)[0].tolist()
    [-2.0, -1.0]
    """
    values = np.zeros(len(model))
    for _ in range(max_iterations):
        q = q_from_values(model, values, gamma)
        new = q.max(axis=1)
        done = np.abs(new - values).max() < theta
        values = new
        if done:
            break
    policy: NDArray[np.int64] = q_from_values(model, values, gamma).argmax(axis=1)
    return values, policy.astype(np.int64)


class QLearning(BaseAlgorithm):
    """Q-learning (Watkins 1989): ``Q(s,a) += lr (r + gamma max Q(s',.) - Q(s,a))``.

    Acts epsilon-greedily, epsilon falling linearly as DQN's does. One iteration of
    ``learn`` is one step of the (vector) environment.

    Args:
        policy: "TabularPolicy" (the only one; kept for the common signature).
        env: an environment with Discrete observations and actions, or None.
        learning_rate: the step size of each update.
        gamma: the discount factor.
        exploration_fraction: the share of training over which epsilon falls.
        exploration_initial_eps: epsilon at the start.
        exploration_final_eps: epsilon at the end of the fall.
        n_envs: copies of an environment id to step together.
        seed: seeds exploration and the environments.
        observation_space: with action_space, for an agent built without env.
        action_space: the Discrete action space when env is None.
    """

    def __init__(
        self,
        policy: str,
        env: EnvLike | None,
        learning_rate: float = 0.1,
        gamma: float = 0.99,
        exploration_fraction: float = 0.5,
        exploration_initial_eps: float = 1.0,
        exploration_final_eps: float = 0.05,
        n_envs: int = 1,
        seed: int | None = None,
        observation_space: spaces.Space[Any] | None = None,
        action_space: spaces.Space[Any] | None = None,
    ) -> None:
        if policy != "TabularPolicy":
            raise ValueError(f"QLearning: unknown policy {policy!r}; known: TabularPolicy")
        self.policy_name, self.learning_rate, self.gamma = policy, learning_rate, gamma
        self.exploration_fraction = exploration_fraction
        self.exploration_initial_eps = exploration_initial_eps
        self.exploration_final_eps = exploration_final_eps
        self.seed = seed
        super().__init__(env, n_envs, seed, observation_space, action_space)
        if not isinstance(self.observation_space, spaces.Discrete):
            raise ValueError(f"QLearning needs Discrete observations, got {self.observation_space}")
        self.q_table = np.zeros((int(self.observation_space.n), self.n_actions), np.float64)
        self.exploration_rate = exploration_initial_eps

    def _iteration(self, env: VectorEnv) -> None:
        obs = self._last_obs
        if obs is None:
            raise RuntimeError("QLearning: reset the environment first (learn does)")
        self.exploration_rate = linear_epsilon(
            self.exploration_initial_eps, self.exploration_final_eps,
            self.exploration_fraction, 1.0 - self.progress_remaining,
        )  # fmt: skip
        actions = self._predict(obs, True)
        explore = self.rng.random(len(actions)) < self.exploration_rate
        actions[explore] = self.rng.integers(0, self.n_actions, int(explore.sum()))
        next_obs, rewards, terminated, truncated, infos = env.step(actions)
        dones = terminated | truncated
        self._track_episodes(rewards, dones)
        after = next_obs.copy()
        if dones.any():
            after[dones] = np.asarray(list(infos["final_obs"][dones]))
        self.update(obs, actions, rewards, after, terminated)
        self._last_obs = next_obs
        self.num_timesteps += self.n_envs

    def update(
        self,
        obs: NDArray[np.int64],
        actions: NDArray[np.int64],
        rewards: NDArray[np.float64],
        next_obs: NDArray[np.int64],
        terminated: NDArray[np.bool_],
    ) -> None:
        """The Q-learning update for N transitions (each argument is (N,))."""
        best_next = self.q_table[next_obs].max(axis=1) * ~terminated
        target = rewards + self.gamma * best_next
        self.q_table[obs, actions] += self.learning_rate * (target - self.q_table[obs, actions])

    def _predict(self, obs: NDArray[Any], deterministic: bool) -> NDArray[np.int64]:
        q = self.q_table[obs.astype(np.int64)]
        # Ties broken at random, so an untrained table does not always pick action 0.
        noise = self.rng.random(q.shape) * 1e-9
        actions: NDArray[np.int64] = (q + noise).argmax(axis=1)
        return actions.astype(np.int64)

    def _state_dict(self) -> Mapping[str, Tensor]:
        return {"q_table": from_numpy(self.q_table)}

    def _load_state(self, state: Mapping[str, Tensor]) -> None:
        self.q_table = state["q_table"].numpy().astype(np.float64)


__all__ = ["Model", "QLearning", "q_from_values", "value_iteration"]
