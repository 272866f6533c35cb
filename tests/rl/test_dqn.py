import numpy as np
import pytest
import torch

from scratchgrad.rl import DQN
from scratchgrad.rl.dqn import dqn_td_target, linear_epsilon


def test_td_target_matches_a_direct_torch_computation() -> None:
    rng = np.random.default_rng(0)
    r = rng.standard_normal(16).astype(np.float32)
    done = rng.random(16) < 0.3
    next_q = rng.standard_normal((16, 3)).astype(np.float32)
    ours = dqn_td_target(r, done, next_q, 0.99)
    expected = (
        torch.tensor(r)
        + 0.99 * (1 - torch.tensor(done).float()) * torch.tensor(next_q).max(dim=1).values
    )
    np.testing.assert_allclose(ours, expected.numpy(), rtol=1e-6)
    assert ours.dtype == np.float32


def test_epsilon_schedule() -> None:
    assert linear_epsilon(1.0, 0.05, 0.1, 0.0) == 1.0
    assert linear_epsilon(1.0, 0.05, 0.1, 0.05) == pytest.approx(0.525)
    assert linear_epsilon(1.0, 0.05, 0.1, 0.5) == pytest.approx(0.05)
    assert linear_epsilon(1.0, 0.05, 0.0, 0.5) == 0.05


def test_learns_fills_buffer_copies_target_and_round_trips(tmp_path) -> None:
    model = DQN(
        "MlpPolicy", "CartPole-v1", learning_starts=100, train_freq=50, gradient_steps=5,
        target_update_interval=100, batch_size=16, policy_kwargs={"net_arch": [16]}, seed=0,
    )  # fmt: skip
    snapshots: list[list[np.ndarray]] = []
    model.learn(
        400,
        callback=lambda m: snapshots.append(
            [p.detach().numpy().copy() for p in m.q_net.parameters()]
        ),
    )
    assert len(model.replay_buffer) == 400 and model.num_timesteps == 400
    assert model.exploration_rate < 1.0 and "loss" in model.logs
    # The copy at step 400 came before that iteration's training: the weights after step 350.
    for a, b in zip(snapshots[-2], model.q_net_target.parameters(), strict=True):
        np.testing.assert_array_equal(a, b.detach().numpy())
    assert not np.array_equal(snapshots[-1][0], snapshots[-2][0])
    loaded = DQN.load(model.save(tmp_path / "dqn"))
    obs = np.random.default_rng(0).standard_normal((20, 4)).astype(np.float32)
    np.testing.assert_array_equal(model.predict(obs)[0], loaded.predict(obs)[0])
    with pytest.raises(ValueError, match="holds DQN, not PPO"):
        __import__("scratchgrad.rl", fromlist=["PPO"]).PPO.load(tmp_path / "dqn.safetensors")
