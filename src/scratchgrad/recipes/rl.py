"""Reinforcement-learning recipes: CartPole, Acrobot and FrozenLake agents from scratchgrad.rl.

A run trains the agent for ``--set total_timesteps=N`` environment steps (``--lr``,
``--batch-size`` and ``--seed`` apply; ``--epochs`` does not), evaluates it every
``eval_freq`` steps on ``eval_episodes`` deterministic episodes, stops once the
environment counts as solved, and keeps the best agent. The run folder holds
``model.safetensors``, ``episodes.csv`` (return per training episode and its moving
average), ``evaluations.csv``, ``losses.csv``, ``returns.png``, ``losses.png`` and, for
CartPole, ``episode.gif``. ``scratchgrad eval RUN --episodes 100 --seed S`` replays it.

gymnasium is imported only when a run starts, so the command line works without it.

>>> sorted(RL_RECIPES)[:3]
['acrobot-ppo', 'cartpole-a2c', 'cartpole-dqn']
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from scratchgrad._io import atomic_write_text
from scratchgrad.config import RecipeSettings
from scratchgrad.errors import RecipeError, RunFileError
from scratchgrad.recipes.base import RunResult, write_record
from scratchgrad.train.callbacks import Callback
from scratchgrad.train.module import TrainModule
from scratchgrad.train.progress import Progress
from scratchgrad.train.runs import new_run_dir

MODEL_FILE = "model.safetensors"
Hyper = Callable[[RecipeSettings], dict[str, Any]]


def _rl() -> Any:
    """``scratchgrad.rl``, or a RecipeError that says how to install gymnasium."""
    try:
        import scratchgrad.rl as rl
    except ImportError as e:
        raise RecipeError(f"{e}") from e
    return rl


@dataclass(frozen=True)
class RLRecipe:
    """A named agent training on a gymnasium environment (a :class:`Recipe`).

    Attributes:
        name: the registry name, e.g. "cartpole-ppo".
        description: one line on what it trains.
        env_id: the gymnasium environment.
        algorithm: the agent's class name in scratchgrad.rl ("PPO", "DQN", ...).
        hyperparameters: the agent's keyword arguments for the settings.
        reward_threshold: the mean evaluation return that counts as solved.
        defaults: settings this recipe overrides.
        extra: its ``--set`` keys (total_timesteps, eval_freq, eval_episodes, ...).
    """

    name: str
    description: str
    env_id: str
    algorithm: str
    hyperparameters: Hyper
    reward_threshold: float
    defaults: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    monitor: str = "mean_return"

    @property
    def mode(self) -> Literal["min", "max"]:
        """A higher return is better."""
        return "max"

    def make_agent(self, settings: RecipeSettings) -> Any:
        """The untrained agent for ``settings``, on its environment."""
        rl = _rl()
        agent_cls = rl.ALGORITHMS[self.algorithm]
        policy = "TabularPolicy" if self.algorithm == "QLearning" else "MlpPolicy"
        return agent_cls(policy, self.env_id, seed=settings.seed, **self.hyperparameters(settings))

    def run(
        self,
        settings: RecipeSettings,
        progress: bool | None = None,
        resume: Path | None = None,
        callbacks: Sequence[Callback] = (),
    ) -> RunResult:
        """Train, evaluating as it goes; returns the run folder and the final evaluation.

        An agent trains in its own loop, not the Trainer's: ``callbacks`` (a search's
        per-epoch pruning) do not apply, and a run cannot be resumed.

        Raises:
            RecipeError: for ``resume``.
        """
        if resume is not None:
            raise RecipeError(f"{self.name}: an RL run cannot be resumed; train it again")
        rl = _rl()
        from scratchgrad.rl.callbacks import EvalCallback

        agent = self.make_agent(settings)
        run_dir = new_run_dir(settings.out_dir, self.name)
        write_record(run_dir, self.name, settings)
        evals = EvalCallback(
            self.env_id, int(_get(settings, "eval_freq")), int(_get(settings, "eval_episodes")),
            self.reward_threshold, seed=10_000 + settings.seed,
        )  # fmt: skip
        log = _Log(evals, Progress(progress), int(_get(settings, "total_timesteps")))
        agent.learn(log.total, callback=log)
        if evals.best_state is not None:
            agent._load_state({k: _tensor(v) for k, v in evals.best_state.items()})
        agent.save(run_dir / MODEL_FILE)
        mean, std = rl.evaluate_policy(agent, self.env_id, 100, seed=20_000 + settings.seed)
        log.write(run_dir, agent)
        if self.env_id.startswith("CartPole"):
            from scratchgrad.rl.render import record_episode, save_cartpole_gif

            save_cartpole_gif(
                record_episode(agent, self.env_id, settings.seed)[0], run_dir / "episode.gif"
            )
        test = {"mean_return": mean, "std_return": std}
        atomic_write_text(run_dir / "metrics.json", json.dumps(test, indent=2))
        best = evals.best.mean_return if evals.best is not None else mean
        return RunResult(run_dir, {"mean_return": agent.mean_return()}, test, self.monitor, best)

    def evaluate_run(self, run_dir: Path, episodes: int, seed: int) -> tuple[float, float]:
        """Mean and std of the saved agent's return over ``episodes`` deterministic episodes.

        Raises:
            RecipeError: if the run has no saved agent.
            RunFileError: if the saved agent is damaged.
        """
        rl = _rl()
        path = run_dir / MODEL_FILE
        if not path.is_file():
            raise RecipeError(f"{run_dir} has no saved agent ({path} is missing)")
        try:
            agent = rl.ALGORITHMS[self.algorithm].load(path)
        except (ValueError, KeyError, OSError) as e:
            raise RunFileError(f"{path}: damaged ({e})") from e
        mean, std = rl.evaluate_policy(agent, self.env_id, episodes, seed=seed)
        return float(mean), float(std)

    def rebuild(self, settings: RecipeSettings, run_dir: Path) -> TrainModule:
        """RL runs hold an agent, not a module: refused."""
        raise RecipeError(_NOT_HERE.format(name=self.name))

    def evaluate(self, module: TrainModule, settings: RecipeSettings) -> dict[str, float]:
        """Refused: see :meth:`evaluate_run`."""
        raise RecipeError(_NOT_HERE.format(name=self.name))

    def predict(self, module: TrainModule, inputs: NDArray[Any]) -> NDArray[Any]:
        """Refused: an agent acts in its environment (see :meth:`evaluate_run`)."""
        raise RecipeError(_NOT_HERE.format(name=self.name))

    def generate(
        self, module: TrainModule, run_dir: Path, prompt: str | None, *args: Any, **kw: Any
    ) -> str:
        """Refused: an agent does not generate text."""
        raise RecipeError(_NOT_HERE.format(name=self.name))


_NOT_HERE = "{name} is a reinforcement-learning run: use `scratchgrad eval RUN_DIR --episodes N`"


def _get(settings: RecipeSettings, key: str) -> Any:
    return settings.extra[key]


def _tensor(array: NDArray[Any]) -> Any:
    from scratchgrad.creation import from_numpy

    return from_numpy(array)


class _Log:
    """The learn callback of a recipe: evaluations, progress lines, and the loss rows."""

    def __init__(self, evals: Any, progress: Progress, total: int) -> None:
        self.evals, self.progress, self.total = evals, progress, total
        self.losses: list[dict[str, float]] = []
        self._next_row = 0

    def __call__(self, agent: Any) -> bool:
        if agent.num_timesteps >= self._next_row:
            self._next_row = agent.num_timesteps + max(1, self.total // 500)
            self.losses.append({"timesteps": agent.num_timesteps, **agent.logs})
        n_evals = len(self.evals.evaluations)
        go_on = bool(self.evals(agent))
        if len(self.evals.evaluations) > n_evals:
            e = self.evals.evaluations[-1]
            self.progress.note(
                f"steps {agent.num_timesteps}/{self.total}  episodes {len(agent.episode_returns)}"
                f"  mean_return {agent.mean_return():.1f}"
                f"  eval {e.mean_return:.1f} +- {e.std_return:.1f}"
            )
        return go_on

    def write(self, run_dir: Path, agent: Any) -> None:
        """episodes.csv, evaluations.csv, losses.csv and their plots."""
        returns = np.asarray(agent.episode_returns, dtype=np.float64)
        moving = _moving_average(returns, 100)
        rows = [
            {"episode": i + 1, "return": r, "length": n, "moving_average_100": m}
            for i, (r, n, m) in enumerate(zip(returns, agent.episode_lengths, moving, strict=True))
        ]
        _write_csv(run_dir / "episodes.csv", rows)
        evals = [vars(e) for e in self.evals.evaluations]
        _write_csv(run_dir / "evaluations.csv", evals)
        _write_csv(run_dir / "losses.csv", self.losses)
        _plot(run_dir, returns, moving, evals, self.losses)


def _moving_average(values: NDArray[np.float64], window: int) -> NDArray[np.float64]:
    """The mean of the last ``window`` values (fewer at the start), same length as values."""
    sums = np.cumsum(np.concatenate([[0.0], values]))
    idx = np.arange(1, len(values) + 1)
    start = np.maximum(0, idx - window)
    out: NDArray[np.float64] = (sums[idx] - sums[start]) / (idx - start)
    return out


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    columns = list(dict.fromkeys(k for r in rows for k in r)) or ["empty"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(path, buf.getvalue())


def _plot(
    run_dir: Path,
    returns: NDArray[np.float64],
    moving: NDArray[np.float64],
    evals: list[dict[str, Any]],
    losses: list[dict[str, float]],
) -> None:
    """returns.png (episodes, moving average; evaluations by step) and losses.png."""
    from scratchgrad.train.runs import _pyplot, _save

    plt = _pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.6))
    a.plot(returns, alpha=0.4, label="return")
    a.plot(moving, label="moving average (100)")
    a.set_xlabel("episode")
    b.errorbar([e["timesteps"] for e in evals], [e["mean_return"] for e in evals],
               [e["std_return"] for e in evals], marker="o", label="evaluation")  # fmt: skip
    b.set_xlabel("environment steps")
    for ax in (a, b):
        ax.set_ylabel("return")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(run_dir.name)
    _save(fig, run_dir / "returns.png")
    keys = sorted({k for row in losses for k in row if k.endswith("loss")})
    if keys:
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for k in keys:
            ax.plot([r["timesteps"] for r in losses], [r.get(k, np.nan) for r in losses], label=k)
        ax.set_xlabel("environment steps")
        ax.grid(alpha=0.3)
        ax.legend()
        _save(fig, run_dir / "losses.png")


def _ppo_cartpole(s: RecipeSettings) -> dict[str, Any]:
    """Stable-Baselines3 zoo's tuned CartPole-v1 PPO."""
    rl = _rl()
    return {
        "n_envs": 8, "n_steps": 32, "batch_size": s.batch_size, "gae_lambda": 0.8,
        "gamma": 0.98, "n_epochs": 20, "ent_coef": 0.0,
        "learning_rate": rl.linear_schedule(s.lr), "clip_range": rl.linear_schedule(0.2),
    }  # fmt: skip


def _ppo_acrobot(s: RecipeSettings) -> dict[str, Any]:
    """Stable-Baselines3 zoo's Acrobot-v1 PPO (without observation normalisation)."""
    return {
        "n_envs": 16, "n_steps": 256, "batch_size": s.batch_size, "gae_lambda": 0.94,
        "gamma": 0.99, "n_epochs": 4, "ent_coef": 0.0, "learning_rate": s.lr,
    }  # fmt: skip


def _dqn_cartpole(s: RecipeSettings) -> dict[str, Any]:
    """Stable-Baselines3 zoo's tuned CartPole-v1 DQN."""
    return {
        "learning_rate": s.lr, "batch_size": s.batch_size, "buffer_size": 100_000,
        "learning_starts": 1000, "gamma": 0.99, "target_update_interval": 10,
        "train_freq": 256, "gradient_steps": 128, "exploration_fraction": 0.16,
        "exploration_final_eps": 0.04, "policy_kwargs": {"net_arch": [256, 256]},
    }  # fmt: skip


def _a2c_cartpole(s: RecipeSettings) -> dict[str, Any]:
    """Stable-Baselines3 zoo's CartPole-v1 A2C."""
    return {"n_envs": 8, "learning_rate": s.lr, "ent_coef": 0.0}


def _reinforce_cartpole(s: RecipeSettings) -> dict[str, Any]:
    return {"n_envs": 4, "learning_rate": s.lr, "gamma": 0.99}


def _q_frozenlake(s: RecipeSettings) -> dict[str, Any]:
    return {"learning_rate": s.lr, "gamma": 0.99, "exploration_fraction": 0.5}


def _extra(total: int, eval_freq: int) -> dict[str, Any]:
    return {"total_timesteps": total, "eval_freq": eval_freq, "eval_episodes": 100}


RL_RECIPES: dict[str, RLRecipe] = {
    r.name: r
    for r in (
        RLRecipe("cartpole-ppo", "PPO balances a pole on a cart (zoo hyperparameters)",
                 "CartPole-v1", "PPO", _ppo_cartpole, 475.0,
                 {"lr": 1e-3, "batch_size": 256}, _extra(100_000, 5_120)),
        RLRecipe("cartpole-a2c", "A2C balances a pole on a cart", "CartPole-v1", "A2C",
                 _a2c_cartpole, 475.0, {"lr": 7e-4}, _extra(500_000, 10_000)),
        RLRecipe("cartpole-dqn", "DQN balances a pole on a cart (zoo hyperparameters)",
                 "CartPole-v1", "DQN", _dqn_cartpole, 475.0,
                 {"lr": 2.3e-3, "batch_size": 64}, _extra(100_000, 5_120)),
        RLRecipe("cartpole-reinforce", "REINFORCE with a value baseline on CartPole",
                 "CartPole-v1", "REINFORCE", _reinforce_cartpole, 475.0,
                 {"lr": 3e-3}, _extra(500_000, 20_000)),
        RLRecipe("acrobot-ppo", "PPO swings a double pendulum up (Acrobot)", "Acrobot-v1",
                 "PPO", _ppo_acrobot, -100.0, {"lr": 3e-4, "batch_size": 64},
                 _extra(200_000, 20_480)),
        RLRecipe("frozenlake-q", "tabular Q-learning crosses a slippery frozen lake",
                 "FrozenLake-v1", "QLearning", _q_frozenlake, 0.74, {"lr": 0.1},
                 _extra(100_000, 10_000)),
    )
}  # fmt: skip
"""The reinforcement-learning recipes by name."""


__all__ = ["MODEL_FILE", "RL_RECIPES", "RLRecipe"]
