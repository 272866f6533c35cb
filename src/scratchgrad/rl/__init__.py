"""Reinforcement learning with Stable-Baselines3's names, on gymnasium environments.

An agent observes the environment, picks an action with its policy and receives a reward;
it learns a policy that makes the sum of rewards large. Tabular methods (value iteration,
Q-learning) keep one number per state; REINFORCE, A2C, PPO and DQN use networks built
from :mod:`scratchgrad.nn`. Every agent has ``Algo(policy, env, **hyperparameters)``,
``learn(total_timesteps, callback=...)``, ``predict(obs, deterministic=True)``,
``save(path)`` and ``Algo.load(path)`` (safetensors weights, JSON settings; no pickle).

Needs gymnasium: ``pip install 'scratchgrad[rl]'``.
"""

try:
    import gymnasium as _gymnasium  # noqa: F401 - checked first, for a clear message
except ImportError as _e:  # pragma: no cover - depends on the environment
    raise ImportError(
        "scratchgrad.rl needs gymnasium (reinforcement-learning environments): "
        "pip install 'scratchgrad[rl]'"
    ) from _e

from scratchgrad.rl import envs
from scratchgrad.rl.a2c import A2C
from scratchgrad.rl.base import BaseAlgorithm
from scratchgrad.rl.buffers import ReplayBuffer, RolloutBuffer, compute_gae
from scratchgrad.rl.dqn import DQN
from scratchgrad.rl.envs import GridWorld, make_vec_env
from scratchgrad.rl.evaluation import evaluate_policy
from scratchgrad.rl.policies import ActorCriticPolicy, QNetwork
from scratchgrad.rl.ppo import PPO
from scratchgrad.rl.reinforce import REINFORCE
from scratchgrad.rl.schedules import LinearSchedule, linear_schedule
from scratchgrad.rl.tabular import QLearning, value_iteration

ALGORITHMS: dict[str, type[BaseAlgorithm]] = {
    cls.__name__: cls for cls in (A2C, DQN, PPO, QLearning, REINFORCE)
}
"""Every agent class by name (as saved files name them)."""

__all__ = [
    "A2C",
    "ALGORITHMS",
    "DQN",
    "PPO",
    "REINFORCE",
    "ActorCriticPolicy",
    "BaseAlgorithm",
    "GridWorld",
    "LinearSchedule",
    "QLearning",
    "QNetwork",
    "ReplayBuffer",
    "RolloutBuffer",
    "compute_gae",
    "envs",
    "evaluate_policy",
    "linear_schedule",
    "make_vec_env",
    "value_iteration",
]
