import numpy as np

from scratchgrad.rl import REINFORCE
from scratchgrad.rl.reinforce import discounted_returns


def test_discounted_returns_by_hand() -> None:
    rewards = np.array([[1, 1], [2, 1], [3, 9]], np.float32)
    active = np.array([[True, True], [True, True], [True, False]])
    g = discounted_returns(rewards, active, 0.5)
    np.testing.assert_allclose(g[:, 0], [1 + 0.5 * (2 + 0.5 * 3), 2 + 0.5 * 3, 3])
    np.testing.assert_allclose(g[:, 1], [1.5, 1.0, 0.0])


def test_each_iteration_plays_whole_episodes_and_improves() -> None:
    model = REINFORCE("MlpPolicy", "CartPole-v1", learning_rate=3e-3, n_envs=4, seed=0)
    model.learn(1)
    assert len(model.episode_returns) == 4
    assert model.num_timesteps == sum(model.episode_lengths)
    model.learn(8_000, reset_num_timesteps=False)
    assert model.num_timesteps == sum(model.episode_lengths)  # only whole episodes count
    assert model.episode_returns == [float(n) for n in model.episode_lengths]  # 1 per step
    first, last = np.mean(model.episode_returns[:20]), np.mean(model.episode_returns[-20:])
    assert last > first + 20, (first, last)
