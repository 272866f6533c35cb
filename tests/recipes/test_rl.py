import json

import numpy as np
import pytest

from scratchgrad.config import resolve_settings
from scratchgrad.errors import RecipeError
from scratchgrad.recipes import RECIPES
from scratchgrad.recipes.rl import RL_RECIPES, _moving_average

pytest.importorskip("gymnasium")


def _settings(name: str, **extra: object):
    recipe = RL_RECIPES[name]
    return resolve_settings(recipe.defaults, None, {"extra": extra}, extra=recipe.extra)


def test_all_six_recipes_are_registered() -> None:
    names = {"cartpole-reinforce", "cartpole-a2c", "cartpole-ppo", "cartpole-dqn",
             "acrobot-ppo", "frozenlake-q"}  # fmt: skip
    assert names <= set(RECIPES) and names == set(RL_RECIPES)


def test_cartpole_ppo_defaults_are_the_zoo_configuration() -> None:
    agent = RL_RECIPES["cartpole-ppo"].make_agent(_settings("cartpole-ppo"))
    assert (agent.n_envs, agent.n_steps, agent.batch_size, agent.n_epochs) == (8, 32, 256, 20)
    assert (agent.gamma, agent.gae_lambda, agent.ent_coef) == (0.98, 0.8, 0.0)
    assert agent.learning_rate(1.0) == 1e-3 and agent.learning_rate(0.5) == 5e-4
    assert agent.clip_range(1.0) == 0.2 and agent.clip_range(0.0) == 0.0
    assert RL_RECIPES["cartpole-ppo"].extra["total_timesteps"] == 100_000


@pytest.mark.parametrize("name", sorted(RL_RECIPES))
def test_every_recipe_builds_its_agent(name: str) -> None:
    agent = RL_RECIPES[name].make_agent(_settings(name))
    assert type(agent).__name__ == RL_RECIPES[name].algorithm


def test_frozenlake_run_writes_its_folder_and_evaluates(tmp_path) -> None:
    recipe = RL_RECIPES["frozenlake-q"]
    settings = _settings("frozenlake-q", total_timesteps=3000, eval_freq=1000, eval_episodes=10)
    settings = settings.model_copy(update={"out_dir": tmp_path})
    result = recipe.run(settings, progress=False)
    assert (
        json.loads((result.run_dir / "metrics.json").read_text())["mean_return"]
        == (result.test_metrics["mean_return"])
    )
    assert not (result.run_dir / "episode.gif").exists()  # only CartPole is drawn
    mean, std = recipe.evaluate_run(result.run_dir, 20, 0)
    assert 0.0 <= mean <= 1.0 and std >= 0.0
    with pytest.raises(RecipeError, match="reinforcement-learning run"):
        recipe.rebuild(settings, result.run_dir)


def test_moving_average() -> None:
    np.testing.assert_allclose(_moving_average(np.array([1.0, 3.0, 5.0, 7.0]), 2), [1, 2, 4, 6])
