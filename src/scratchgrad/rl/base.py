"""What every agent shares: its environment, seeding, the learn loop, predict, save and load.

An algorithm is built as ``Algo(policy, env, **hyperparameters)``, as in
Stable-Baselines3; every hyperparameter is kept as an attribute of the same name, so
:meth:`BaseAlgorithm.save` can write them as JSON in the safetensors file's header, next
to the weights, and :meth:`BaseAlgorithm.load` can rebuild the agent (no pickle).
"""

from __future__ import annotations

import inspect
import json
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
from gymnasium import spaces
from gymnasium.vector import VectorEnv
from numpy.typing import NDArray

from scratchgrad.random import manual_seed
from scratchgrad.rl.envs.vec_env import EnvLike, as_vec_env
from scratchgrad.rl.schedules import schedule_from_json, schedule_to_json
from scratchgrad.serialization import load, load_metadata, save
from scratchgrad.tensor import Tensor

Callback = Callable[["BaseAlgorithm"], bool | None]
"""Called after every training iteration with the agent; returning False stops ``learn``."""

METADATA_KEY = "scratchgrad.rl"
"""The safetensors header key that holds a saved agent's JSON."""

_NOT_HYPERPARAMETERS = ("self", "policy", "env", "observation_space", "action_space")


class BaseAlgorithm(ABC):
    """The common part of every agent (abstract: subclasses collect and train).

    Args:
        env: an environment id, an environment or a same-step vector environment; None
            for an agent that only predicts (then give the two spaces).
        n_envs: copies of an environment id to step together.
        seed: seeds the networks, the agent's sampling and the environments.
        observation_space: the observation space when ``env`` is None.
        action_space: the action space when ``env`` is None (Discrete).
    """

    policy_aliases: ClassVar[dict[str, Any]] = {}

    def __init__(
        self,
        env: EnvLike | None,
        n_envs: int = 1,
        seed: int | None = None,
        observation_space: spaces.Space[Any] | None = None,
        action_space: spaces.Space[Any] | None = None,
    ) -> None:
        self.env: VectorEnv | None = None if env is None else as_vec_env(env, n_envs, seed)
        if self.env is not None:
            observation_space = self.env.single_observation_space
            action_space = self.env.single_action_space
        if observation_space is None or not isinstance(action_space, spaces.Discrete):
            raise ValueError(
                f"{type(self).__name__}: needs an environment (or both spaces) with Discrete "
                f"actions, got action_space={action_space!r}"
            )
        self.observation_space, self.action_space = observation_space, action_space
        self.n_actions = int(action_space.n)
        self.n_envs = self.env.num_envs if self.env is not None else n_envs
        self.rng = np.random.default_rng(seed)
        if seed is not None:
            manual_seed(seed)
        self.num_timesteps, self._total_timesteps = 0, 1
        self.episode_returns: list[float] = []
        self.episode_lengths: list[int] = []
        self.logs: dict[str, float] = {}
        self._last_obs: NDArray[Any] | None = None
        self._ep_return = np.zeros(self.n_envs, np.float64)
        self._ep_length = np.zeros(self.n_envs, np.int64)

    # ------------------------------------------------------------------ learning
    def learn(
        self,
        total_timesteps: int,
        callback: Callback | None = None,
        reset_num_timesteps: bool = True,
    ) -> Self:
        """Train for ``total_timesteps`` environment steps (summed over the vector).

        Args:
            total_timesteps: steps to take (an iteration in progress is finished).
            callback: called after every iteration; returning False stops early.
            reset_num_timesteps: count from 0 (True) or go on from the last ``learn``.

        Returns:
            self.
        """
        env = self._require_env()
        if reset_num_timesteps or self._last_obs is None:
            self.num_timesteps = 0
            self._last_obs = self._reset(env, getattr(self, "seed", None))
        self._total_timesteps = self.num_timesteps + total_timesteps
        while self.num_timesteps < self._total_timesteps:
            self._iteration(env)
            if callback is not None and callback(self) is False:
                break
        return self

    @abstractmethod
    def _iteration(self, env: VectorEnv) -> None:
        """Collect experience from ``env`` and update the agent once (or more)."""

    @property
    def progress_remaining(self) -> float:
        """1 at the start of ``learn``, falling to 0 at its end (for schedules)."""
        return max(0.0, 1.0 - self.num_timesteps / self._total_timesteps)

    def _require_env(self) -> VectorEnv:
        if self.env is None:
            raise ValueError(f"{type(self).__name__}.learn: no environment; pass env=")
        return self.env

    def _reset(self, env: VectorEnv, seed: int | None = None) -> NDArray[Any]:
        """Reset every environment and the running episodes' counts; the observations."""
        self._ep_return[:], self._ep_length[:] = 0.0, 0
        obs: NDArray[Any] = env.reset(seed=seed)[0]
        return obs

    def _track_episodes(
        self,
        rewards: NDArray[Any],
        dones: NDArray[np.bool_],
        active: NDArray[np.bool_] | None = None,
    ) -> None:
        """Add one step's rewards (n_envs,) to the running episodes; close the ``dones``.

        ``active`` (n_envs,) marks the environments whose step counts (default: all).
        """
        counted = np.ones_like(dones) if active is None else active
        self._ep_return += np.where(counted, rewards, 0.0)
        self._ep_length += counted
        dones = dones & counted
        for i in np.flatnonzero(dones):
            self.episode_returns.append(float(self._ep_return[i]))
            self.episode_lengths.append(int(self._ep_length[i]))
        self._ep_return[dones], self._ep_length[dones] = 0.0, 0

    def mean_return(self, last: int = 100) -> float:
        """The mean return of the last ``last`` finished training episodes (NaN if none)."""
        recent = self.episode_returns[-last:]
        return float(np.mean(recent)) if recent else math.nan

    # ------------------------------------------------------------------ acting
    def predict(
        self, observation: NDArray[Any], deterministic: bool = True
    ) -> tuple[NDArray[np.int64], None]:
        """The agent's action for one observation, or actions (N,) for a batch (N, ...).

        Args:
            observation: one observation, or a batch of them.
            deterministic: the most likely action (True) or a sampled one.

        Returns:
            (actions, None): None stands for Stable-Baselines3's recurrent state.
        """
        obs = np.asarray(observation)
        single = obs.shape == self.observation_space.shape
        batch = obs[None] if single else obs
        actions = self._predict(batch, deterministic)
        return (actions[0] if single else actions), None

    @abstractmethod
    def _predict(self, obs: NDArray[Any], deterministic: bool) -> NDArray[np.int64]:
        """Actions (N,) for observations (N, ...)."""

    # ------------------------------------------------------------------ saving
    def get_hyperparameters(self) -> dict[str, Any]:
        """The constructor's arguments (except policy, env and spaces), as attributes hold them."""
        names = inspect.signature(type(self).__init__).parameters
        return {n: getattr(self, n) for n in names if n not in _NOT_HYPERPARAMETERS}

    @abstractmethod
    def _state_dict(self) -> Mapping[str, Tensor]:
        """The learned arrays to save, name -> tensor or array."""

    @abstractmethod
    def _load_state(self, state: Mapping[str, Tensor]) -> None:
        """Put arrays read back from a file into the agent."""

    def save(self, path: str | Path) -> Path:
        """Write the agent to ``path`` (``.safetensors`` is added when it has no suffix).

        The weights are the file's tensors; the algorithm, its hyperparameters and the
        spaces are JSON in its header. Returns the path written.
        """
        target = Path(path)
        target = target if target.suffix else target.with_suffix(".safetensors")
        hyper = {k: schedule_to_json(v) for k, v in self.get_hyperparameters().items()}
        record = {
            "algorithm": type(self).__name__,
            "policy": getattr(self, "policy_name", None),
            "hyperparameters": hyper,
            "observation_space": _space_to_json(self.observation_space),
            "n_actions": self.n_actions,
        }
        save(dict(self._state_dict()), target, metadata={METADATA_KEY: json.dumps(record)})
        return target

    @classmethod
    def load(cls, path: str | Path, env: EnvLike | None = None) -> Self:
        """An agent saved by :meth:`save`; give ``env`` to train it further.

        Raises:
            ValueError: if the file holds another algorithm or is not a saved agent.
        """
        record = json.loads(load_metadata(path).get(METADATA_KEY, "null"))
        if not isinstance(record, dict) or record.get("algorithm") != cls.__name__:
            found = record.get("algorithm") if isinstance(record, dict) else "no agent"
            raise ValueError(f"{cls.__name__}.load: {path} holds {found}, not {cls.__name__}")
        hyper = {k: schedule_from_json(v) for k, v in record["hyperparameters"].items()}
        extra = {} if record["policy"] is None else {"policy": record["policy"]}
        model = cls(
            env=env,
            observation_space=_space_from_json(record["observation_space"]),
            action_space=spaces.Discrete(record["n_actions"]),
            **extra,
            **hyper,
        )
        model._load_state(load(path))
        return model


def _space_to_json(space: spaces.Space[Any]) -> dict[str, Any]:
    if isinstance(space, spaces.Discrete):
        return {"type": "Discrete", "n": int(space.n)}
    return {"type": "Box", "shape": list(space.shape or ())}


def _space_from_json(record: Mapping[str, Any]) -> spaces.Space[Any]:
    if record["type"] == "Discrete":
        return spaces.Discrete(record["n"])
    return spaces.Box(-np.inf, np.inf, tuple(record["shape"]), np.float32)


__all__ = ["METADATA_KEY", "BaseAlgorithm", "Callback"]
