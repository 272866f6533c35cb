"""``evaluate_policy``: the mean and spread of an agent's return over whole episodes.

As Stable-Baselines3's: episodes are spread evenly over the vector's environments
(``(n + i) // n_envs`` for environment i), so short episodes do not crowd out long ones.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, overload

import numpy as np
from numpy.typing import NDArray

from scratchgrad.rl.envs.vec_env import EnvLike, as_vec_env


class Predictor(Protocol):
    """Anything with Stable-Baselines3's ``predict``: actions (N,) for observations (N, ...)."""

    def predict(
        self, observation: NDArray[Any], deterministic: bool = True
    ) -> tuple[NDArray[np.int64], None]:
        """Actions for a batch of observations."""


def episode_returns(
    model: Predictor,
    env: EnvLike,
    n_eval_episodes: int = 10,
    deterministic: bool = True,
    seed: int | None = None,
) -> tuple[list[float], list[int]]:
    """The return and length of each of ``n_eval_episodes`` whole episodes.

    Args:
        model: the agent.
        env: an environment id (min(n_eval_episodes, 10) copies are made), an environment
            or a same-step vector environment.
        n_eval_episodes: episodes to play.
        deterministic: take the most likely action (True) or sample.
        seed: seeds the environments' first reset.
    """
    n_envs = min(n_eval_episodes, 10)
    vec = as_vec_env(env, n_envs, seed)
    targets = np.array([(n_eval_episodes + i) // vec.num_envs for i in range(vec.num_envs)])
    counts = np.zeros(vec.num_envs, np.int64)
    ret, length = np.zeros(vec.num_envs), np.zeros(vec.num_envs, np.int64)
    returns: list[float] = []
    lengths: list[int] = []
    obs = vec.reset(seed=seed)[0]
    while (counts < targets).any():
        actions = model.predict(obs, deterministic=deterministic)[0]
        obs, rewards, terminated, truncated, _ = vec.step(actions)
        ret, length = ret + rewards, length + 1
        for i in np.flatnonzero(terminated | truncated):
            if counts[i] < targets[i]:
                returns.append(float(ret[i]))
                lengths.append(int(length[i]))
                counts[i] += 1
            ret[i], length[i] = 0.0, 0
    return returns, lengths


@overload
def evaluate_policy(
    model: Predictor,
    env: EnvLike,
    n_eval_episodes: int = ...,
    deterministic: bool = ...,
    return_episode_rewards: Literal[False] = ...,
    seed: int | None = ...,
) -> tuple[float, float]: ...


@overload
def evaluate_policy(
    model: Predictor,
    env: EnvLike,
    n_eval_episodes: int = ...,
    deterministic: bool = ...,
    *,
    return_episode_rewards: Literal[True],
    seed: int | None = ...,
) -> tuple[list[float], list[int]]: ...


def evaluate_policy(
    model: Predictor,
    env: EnvLike,
    n_eval_episodes: int = 10,
    deterministic: bool = True,
    return_episode_rewards: bool = False,
    seed: int | None = None,
) -> tuple[float, float] | tuple[list[float], list[int]]:
    """The mean and standard deviation of the return over ``n_eval_episodes`` episodes.

    Args:
        model: the agent (anything with ``predict``).
        env: an environment id, an environment or a same-step vector environment.
        n_eval_episodes: episodes to play.
        deterministic: take the most likely action (True) or sample.
        return_episode_rewards: return each episode's return and length instead.
        seed: seeds the environments' first reset.

    Returns:
        (mean, std) of the returns; or (returns, lengths), lists of n_eval_episodes.
    """
    returns, lengths = episode_returns(model, env, n_eval_episodes, deterministic, seed)
    if return_episode_rewards:
        return returns, lengths
    return float(np.mean(returns)), float(np.std(returns))


__all__ = ["Predictor", "episode_returns", "evaluate_policy"]
