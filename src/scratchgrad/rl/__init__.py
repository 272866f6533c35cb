"""Reinforcement learning with Stable-Baselines3's names, on gymnasium environments.

An agent observes the environment, picks an action with its policy and receives a reward;
it learns a policy that makes the sum of rewards large. Tabular methods (value iteration,
Q-learning) keep one number per state; REINFORCE, A2C, PPO and DQN use networks built
from :mod:`scratchgrad.nn`. Every algorithm has ``Algo(policy, env, **hyperparameters)``,
``learn(total_timesteps)``, ``predict(obs)``, ``save(path)`` and ``Algo.load(path)``.

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
from scratchgrad.rl.schedules import LinearSchedule, linear_schedule

__all__ = ["LinearSchedule", "envs", "linear_schedule"]
