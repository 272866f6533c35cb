"""Training callbacks: evaluate the agent every so often, keep the best, stop when solved.

A callback is any ``callable(agent) -> bool | None`` that ``learn`` calls after each
iteration; returning False stops training. :class:`EvalCallback` is Stable-Baselines3's
EvalCallback with its StopTrainingOnRewardThreshold folded in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scratchgrad.rl.base import BaseAlgorithm
from scratchgrad.rl.envs.vec_env import EnvLike
from scratchgrad.rl.evaluation import evaluate_policy


@dataclass
class Evaluation:
    """One evaluation: after ``timesteps`` steps, the mean and std of the return."""

    timesteps: int
    mean_return: float
    std_return: float


@dataclass
class EvalCallback:
    """Every ``eval_freq`` steps, play ``n_eval_episodes`` deterministic episodes.

    Attributes:
        eval_env: an environment id (or environment) to evaluate on.
        eval_freq: environment steps between evaluations.
        n_eval_episodes: episodes per evaluation.
        reward_threshold: stop training once the mean return reaches it (None: never).
        seed: seeds the evaluation environments.
        evaluations: every evaluation so far.
        best_state: the weights of the best evaluation, name -> array.
    """

    eval_env: EnvLike
    eval_freq: int = 10_000
    n_eval_episodes: int = 100
    reward_threshold: float | None = None
    seed: int = 0
    evaluations: list[Evaluation] = field(default_factory=list)
    best_state: dict[str, Any] | None = None
    _next: int = 0

    @property
    def best(self) -> Evaluation | None:
        """The evaluation with the highest mean return (None before the first)."""
        return max(self.evaluations, key=lambda e: e.mean_return, default=None)

    @property
    def solved_at(self) -> int | None:
        """Steps at the first evaluation that reached ``reward_threshold`` (None: not yet)."""
        if self.reward_threshold is None:
            return None
        hits = [e.timesteps for e in self.evaluations if e.mean_return >= self.reward_threshold]
        return hits[0] if hits else None

    def __call__(self, model: BaseAlgorithm) -> bool:
        """Evaluate when due; False (stop) once the threshold is reached."""
        if model.num_timesteps < self._next:
            return True
        self._next = model.num_timesteps + self.eval_freq
        mean, std = evaluate_policy(model, self.eval_env, self.n_eval_episodes, seed=self.seed)
        best = self.best
        self.evaluations.append(Evaluation(model.num_timesteps, mean, std))
        if best is None or mean > best.mean_return:
            self.best_state = {k: v.numpy().copy() for k, v in model._state_dict().items()}
        return self.solved_at is None
