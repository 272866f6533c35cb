import gymnasium as gym
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode, SyncVectorEnv

from scratchgrad.rl.envs import GridWorld, as_vec_env, make_vec_env


def test_make_vec_env_is_same_step_and_seeded() -> None:
    a, b = make_vec_env("CartPole-v1", 3, seed=5), make_vec_env("CartPole-v1", 3, seed=5)
    assert a.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP and a.num_envs == 3
    np.testing.assert_array_equal(a.reset(seed=5)[0], b.reset(seed=5)[0])


def test_as_vec_env_wraps_and_refuses_next_step_mode() -> None:
    assert as_vec_env(GridWorld()).num_envs == 1
    vec = make_vec_env("CartPole-v1", 2)
    assert as_vec_env(vec) is vec
    bad = SyncVectorEnv([lambda: gym.make("CartPole-v1")])
    with pytest.raises(ValueError, match="SAME_STEP"):
        as_vec_env(bad)


def test_finished_episode_resets_in_the_same_step() -> None:
    env = make_vec_env(lambda: GridWorld(1, 2), 1, seed=0)
    obs, reward, terminated, _, info = env.step(np.array([2]))
    assert terminated[0] and obs[0] == 0 and info["final_obs"][0] == 1
