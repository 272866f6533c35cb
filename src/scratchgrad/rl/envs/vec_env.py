"""Vector environments: several copies stepped together, seeded, in same-step autoreset.

Gymnasium 1.x resets a finished sub-environment on the *next* call to ``step`` by
default; Stable-Baselines3's algorithms expect the reset in the same step, with the last
observation in ``info["final_obs"]``. Every vector environment here is built with
``AutoresetMode.SAME_STEP``, explicitly, and :func:`as_vec_env` refuses any other mode.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gymnasium as gym
from gymnasium.vector import AutoresetMode, SyncVectorEnv, VectorEnv

EnvLike = str | gym.Env[Any, Any] | VectorEnv
"""What an algorithm accepts as its environment: an id, an environment or a vector of them."""


def make_vec_env(
    env_id: str | Callable[[], gym.Env[Any, Any]],
    n_envs: int = 1,
    seed: int | None = None,
    **env_kwargs: Any,
) -> VectorEnv:
    """``n_envs`` copies of an environment, stepped in one process, same-step autoreset.

    Args:
        env_id: a registered id ("CartPole-v1") or a function that builds the environment.
        n_envs: how many copies.
        seed: when given, the copies are reset with seeds ``seed, seed + 1, ...`` and their
            action spaces seeded the same way.
        **env_kwargs: keyword arguments for ``gymnasium.make``.
    """

    def maker() -> gym.Env[Any, Any]:
        return gym.make(env_id, **env_kwargs) if isinstance(env_id, str) else env_id()

    env = SyncVectorEnv([maker] * n_envs, autoreset_mode=AutoresetMode.SAME_STEP)
    if seed is not None:
        env.reset(seed=seed)
        env.action_space.seed(seed)
    return env


def as_vec_env(env: EnvLike, n_envs: int = 1, seed: int | None = None) -> VectorEnv:
    """``env`` as a same-step-autoreset vector environment.

    Args:
        env: an environment id (``n_envs`` copies are made), an environment (wrapped as a
            vector of one) or a vector environment (used as it is).
        n_envs: copies to make of an environment id.
        seed: seeds the copies made here (a given vector environment is seeded by reset).

    Raises:
        ValueError: for a vector environment whose autoreset mode is not SAME_STEP.
    """
    if isinstance(env, str):
        return make_vec_env(env, n_envs, seed)
    if isinstance(env, VectorEnv):
        mode = env.metadata.get("autoreset_mode")
        if mode != AutoresetMode.SAME_STEP:
            raise ValueError(
                f"scratchgrad.rl needs autoreset_mode=AutoresetMode.SAME_STEP, got {mode}; "
                "build it with scratchgrad.rl.envs.make_vec_env"
            )
        return env
    return make_vec_env(lambda: env, 1, seed)


__all__ = ["EnvLike", "as_vec_env", "make_vec_env"]
