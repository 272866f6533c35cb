import numpy as np

from scratchgrad.rl import GridWorld, evaluate_policy
from scratchgrad.rl.evaluation import episode_returns


class _Always:
    def __init__(self, action: int) -> None:
        self.action = action

    def predict(self, observation, deterministic=True):
        return np.full(len(observation), self.action, np.int64), None


def test_counts_exactly_n_episodes_spread_over_envs() -> None:
    returns, lengths = episode_returns(_Always(0), "CartPole-v1", 13, seed=0)
    assert len(returns) == len(lengths) == 13
    assert returns == [float(n) for n in lengths]  # CartPole pays 1 per step


def test_mean_and_std_of_a_known_policy() -> None:
    # Always "right" then "down" is not possible with one action; always right hits the
    # wall and is truncated after max_episode_steps with -1 per step.
    mean, std = evaluate_policy(_Always(2), GridWorld(1, 3, max_episode_steps=10), 4)
    assert (mean, std) == (-2.0, 0.0)
    mean, _ = evaluate_policy(_Always(0), GridWorld(1, 3, max_episode_steps=10), 2)
    assert mean == -10.0


def test_return_episode_rewards() -> None:
    returns, lengths = evaluate_policy(_Always(2), GridWorld(1, 3), 3, return_episode_rewards=True)
    assert returns == [-2.0] * 3 and lengths == [2] * 3
