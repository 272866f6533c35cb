import numpy as np

from scratchgrad.rl import GridWorld, QLearning
from scratchgrad.rl.callbacks import EvalCallback


def test_evaluates_on_schedule_keeps_the_best_and_stops_when_solved() -> None:
    agent = QLearning("TabularPolicy", GridWorld(2, 3), learning_rate=0.5, gamma=1.0, seed=0)
    cb = EvalCallback(GridWorld(2, 3, max_episode_steps=20), eval_freq=50, n_eval_episodes=2,
                      reward_threshold=-3.0)  # fmt: skip
    agent.learn(5_000, callback=cb)
    steps = [e.timesteps for e in cb.evaluations]
    assert steps[0] == 1 and all(b - a >= 50 for a, b in zip(steps, steps[1:], strict=False))
    assert cb.solved_at == steps[-1] and cb.evaluations[-1].mean_return == -3.0  # shortest path
    assert agent.num_timesteps == cb.solved_at < 5_000
    np.testing.assert_array_equal(cb.best_state["q_table"], agent.q_table)
    assert cb.best is cb.evaluations[-1]


def test_never_stops_without_a_threshold() -> None:
    agent = QLearning("TabularPolicy", GridWorld(1, 2), seed=0)
    cb = EvalCallback(GridWorld(1, 2), eval_freq=10, n_eval_episodes=1)
    agent.learn(30, callback=cb)
    assert agent.num_timesteps == 30 and cb.solved_at is None and len(cb.evaluations) == 3
