import gymnasium as gym
import numpy as np
import pytest

from scratchgrad.rl import GridWorld, QLearning, evaluate_policy, value_iteration
from scratchgrad.rl.tabular import q_from_values


def _manhattan_values(rows: int, cols: int) -> np.ndarray:
    r, c = np.divmod(np.arange(rows * cols), cols)
    return -((rows - 1 - r) + (cols - 1 - c)).astype(float)


def test_value_iteration_gives_minus_the_distance_to_the_goal() -> None:
    v, policy = value_iteration(GridWorld(3, 4).P, gamma=1.0)
    np.testing.assert_allclose(v, _manhattan_values(3, 4))
    # Every greedy action moves down (1) or right (2), towards the goal.
    assert set(policy[:-1].tolist()) <= {1, 2}


def test_value_iteration_with_discount_by_hand() -> None:
    # 1 x 3 corridor, gamma 0.5: V(2) = 0 (goal), V(1) = -1, V(0) = -1 + 0.5 * -1 = -1.5.
    v, _ = value_iteration(GridWorld(1, 3).P, gamma=0.5)
    np.testing.assert_allclose(v, [-1.5, -1.0, 0.0])


def test_walls_lengthen_the_path() -> None:
    # 3 x 3 with the middle column blocked except the bottom: (0,0) -> goal (0,2) takes 6.
    env = GridWorld(3, 3, walls=[(0, 1), (1, 1)], goal=(0, 2))
    v, _ = value_iteration(env.P, gamma=1.0)
    assert v[0] == -6.0


def test_frozen_lake_values_satisfy_bellman_optimality() -> None:
    model = gym.make("FrozenLake-v1").unwrapped.P
    v, policy = value_iteration(model, gamma=0.95)
    q = q_from_values(model, v, 0.95)
    np.testing.assert_allclose(q.max(1), v, atol=1e-8)
    np.testing.assert_array_equal(q.argmax(1), policy)


def test_q_learning_finds_the_optimal_gridworld_policy(tmp_path) -> None:
    env = GridWorld(4, 4, walls=[(1, 1), (2, 2)])
    agent = QLearning("TabularPolicy", env, learning_rate=0.5, gamma=1.0, seed=0).learn(6_000)
    v_star, _ = value_iteration(env.P, gamma=1.0)
    mean, std = evaluate_policy(agent, GridWorld(4, 4, walls=[(1, 1), (2, 2)]), 3)
    assert mean == v_star[0] and std == 0.0  # the shortest path, every time
    loaded = QLearning.load(agent.save(tmp_path / "q"))
    np.testing.assert_array_equal(loaded.q_table, agent.q_table)


def test_q_learning_refuses_continuous_observations() -> None:
    with pytest.raises(ValueError, match="Discrete observations"):
        QLearning("TabularPolicy", "CartPole-v1")
    with pytest.raises(ValueError, match="unknown policy"):
        QLearning("MlpPolicy", GridWorld())
