"""The issue's quality goals, judged by the mean return of 100 deterministic evaluation
episodes: minutes of training each, so marked slow (``make quality``)."""

import pytest

from scratchgrad.config import resolve_settings
from scratchgrad.recipes.rl import RL_RECIPES
from scratchgrad.rl.callbacks import EvalCallback

pytestmark = pytest.mark.slow


def _solved_at(name: str, seed: int, **extra: object) -> int | None:
    recipe = RL_RECIPES[name]
    settings = resolve_settings(recipe.defaults, None, {"seed": seed, "extra": extra},
                                extra=recipe.extra)  # fmt: skip
    agent = recipe.make_agent(settings)
    cb = EvalCallback(recipe.env_id, settings.extra["eval_freq"], 100, recipe.reward_threshold,
                      seed=1000 + seed)  # fmt: skip
    agent.learn(settings.extra["total_timesteps"], callback=cb)
    return cb.solved_at


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cartpole_ppo_defaults_solve_within_100k_steps(seed: int) -> None:
    assert RL_RECIPES["cartpole-ppo"].extra["total_timesteps"] == 100_000
    assert _solved_at("cartpole-ppo", seed) is not None


def test_cartpole_dqn_solves_within_100k_steps_on_two_of_three_seeds() -> None:
    solved = [_solved_at("cartpole-dqn", seed) for seed in (0, 1, 2)]
    assert sum(s is not None for s in solved) >= 2, solved


def test_reinforce_solves_cartpole_within_1000_episodes() -> None:
    recipe = RL_RECIPES["cartpole-reinforce"]
    settings = resolve_settings(recipe.defaults, None, {}, extra=recipe.extra)
    agent = recipe.make_agent(settings)
    cb = EvalCallback(recipe.env_id, 10_000, 100, recipe.reward_threshold, seed=1000)

    def until_1000_episodes(a: object) -> bool:
        return bool(cb(a)) and len(agent.episode_returns) < 1000

    agent.learn(10**7, callback=until_1000_episodes)
    assert cb.solved_at is not None, [e.mean_return for e in cb.evaluations]


def test_acrobot_ppo_reaches_minus_100_within_200k_steps() -> None:
    assert _solved_at("acrobot-ppo", 0) is not None
