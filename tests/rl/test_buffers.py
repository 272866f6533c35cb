import numpy as np
import pytest

from scratchgrad.rl.buffers import ReplayBuffer, RolloutBuffer, compute_gae


def test_gae_hand_worked_example() -> None:
    # One environment, three steps, the episode ends after step 1, gamma 0.9, lambda 0.5.
    r = np.array([[1.0], [2.0], [3.0]], np.float32)
    v = np.array([[0.5], [1.0], [2.0]], np.float32)
    d = np.array([[False], [True], [False]])
    last = np.array([4.0], np.float32)
    adv, ret = compute_gae(r, v, d, last, gamma=0.9, gae_lambda=0.5)
    # step 2: delta = 3 + 0.9 * 4 - 2 = 4.6;             A = 4.6
    # step 1: delta = 2 + 0 - 1 = 1 (episode ended);     A = 1
    # step 0: delta = 1 + 0.9 * 1.0 - 0.5 = 1.4;          A = 1.4 + 0.45 * 1 = 1.85
    np.testing.assert_allclose(adv[:, 0], [1.85, 1.0, 4.6], rtol=1e-6)
    np.testing.assert_allclose(ret, adv + v)


def test_gae_with_lambda_one_is_the_discounted_return_minus_value() -> None:
    rng = np.random.default_rng(0)
    r = rng.standard_normal((6, 2)).astype(np.float32)
    v = rng.standard_normal((6, 2)).astype(np.float32)
    d = np.zeros((6, 2), bool)
    last = rng.standard_normal(2).astype(np.float32)
    adv, _ = compute_gae(r, v, d, last, gamma=0.9, gae_lambda=1.0)
    g = last.copy()
    for t in range(5, -1, -1):
        g = r[t] + 0.9 * g
        np.testing.assert_allclose(adv[t], g - v[t], rtol=1e-5, atol=1e-5)


def test_rollout_buffer_shapes_and_minibatches() -> None:
    buf = RolloutBuffer(4, 2, (3,))
    for t in range(4):
        ones = np.ones(2, np.float32)
        buf.add(
            np.full((2, 3), t, np.float32), np.array([0, 1]), ones, np.zeros(2, bool), ones, ones
        )
    assert buf.full
    buf.compute_returns_and_advantage(np.zeros(2, np.float32), 0.99, 0.95)
    batches = list(buf.get(3, np.random.default_rng(0)))
    assert [len(b.actions) for b in batches] == [3, 3, 2]
    assert batches[0].obs.shape == (3, 3)
    seen = np.concatenate([b.obs[:, 0] for b in batches])
    assert sorted(seen.tolist()) == [0, 0, 1, 1, 2, 2, 3, 3]


def test_replay_buffer_wraps_and_samples() -> None:
    buf = ReplayBuffer(5, (2,))
    for i in range(7):
        obs = np.full((1, 2), i, np.float32)
        buf.add(obs, obs + 1, np.array([i]), np.array([float(i)], np.float32), np.array([False]))
    assert len(buf) == 5
    assert sorted(buf.actions.tolist()) == [2, 3, 4, 5, 6]
    batch = buf.sample(16, np.random.default_rng(0))
    assert batch.obs.shape == (16, 2) and batch.terminated.shape == (16,)
    np.testing.assert_array_equal(batch.next_obs, batch.obs + 1)
    np.testing.assert_array_equal(batch.rewards, batch.actions.astype(np.float32))


@pytest.mark.parametrize("n", [1, 3])
def test_replay_buffer_adds_n_envs_at_once(n: int) -> None:
    buf = ReplayBuffer(10, (1,))
    z = np.zeros((n, 1), np.float32)
    buf.add(z, z, np.zeros(n, np.int64), np.zeros(n, np.float32), np.zeros(n, bool))
    assert len(buf) == n and buf.pos == n
