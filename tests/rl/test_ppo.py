import numpy as np
import torch

import scratchgrad as sg
from scratchgrad.rl import PPO, evaluate_policy, linear_schedule
from scratchgrad.rl.ppo import normalize_advantages, ppo_clip_loss


def test_clip_loss_matches_a_direct_torch_computation() -> None:
    rng = np.random.default_rng(0)
    new = rng.standard_normal(32).astype(np.float32) * 0.3 - 1.0
    old = rng.standard_normal(32).astype(np.float32) * 0.3 - 1.0
    adv = rng.standard_normal(32).astype(np.float32)
    log_prob = sg.tensor(new, requires_grad=True)
    loss = ppo_clip_loss(log_prob, sg.from_numpy(old), sg.from_numpy(adv), 0.2)
    loss.backward()
    t_new = torch.tensor(new, requires_grad=True)
    ratio = torch.exp(t_new - torch.tensor(old))
    a = torch.tensor(adv)
    t_loss = -torch.min(ratio * a, torch.clamp(ratio, 0.8, 1.2) * a).mean()
    t_loss.backward()
    assert abs(loss.item() - t_loss.item()) < 1e-6
    np.testing.assert_allclose(log_prob.grad.numpy(), t_new.grad.numpy(), atol=1e-7)


def test_normalize_advantages() -> None:
    a = normalize_advantages(np.array([1.0, 2.0, 3.0], np.float32))
    assert abs(a.mean()) < 1e-6 and abs(a.std() - 1) < 1e-4
    np.testing.assert_array_equal(normalize_advantages(np.array([5.0], np.float32)), [5.0])


def _zoo_ppo(seed: int) -> PPO:
    return PPO(
        "MlpPolicy", "CartPole-v1", n_envs=8, n_steps=32, batch_size=256, gae_lambda=0.8,
        gamma=0.98, n_epochs=20, ent_coef=0.0, learning_rate=linear_schedule(1e-3),
        clip_range=linear_schedule(0.2), seed=seed,
    )  # fmt: skip


def test_a_few_thousand_steps_improve_the_return() -> None:
    model = _zoo_ppo(0).learn(5_000)
    assert model.num_timesteps == 5_120  # whole rollouts of 8 x 32
    first, last = np.mean(model.episode_returns[:16]), np.mean(model.episode_returns[-16:])
    assert last > 2 * first, (first, last)
    after, _ = evaluate_policy(model, "CartPole-v1", 4, seed=100)
    assert after > 2 * first, (first, after)
    assert set(model.logs) >= {"loss", "value_loss", "entropy_loss", "policy_gradient_loss"}


def test_same_seed_same_training() -> None:
    a, b = _zoo_ppo(3).learn(512), _zoo_ppo(3).learn(512)
    assert a.episode_returns == b.episode_returns
    obs = np.random.default_rng(0).standard_normal((4, 4)).astype(np.float32)
    np.testing.assert_array_equal(
        a.policy.act(obs, np.random.default_rng(0))[1],
        b.policy.act(obs, np.random.default_rng(0))[1],
    )


def test_save_load_round_trip_gives_identical_predictions(tmp_path) -> None:
    model = _zoo_ppo(1).learn(256)
    path = model.save(tmp_path / "ppo")
    assert path.suffix == ".safetensors"
    loaded = PPO.load(path)
    obs = np.random.default_rng(0).standard_normal((50, 4)).astype(np.float32)
    np.testing.assert_array_equal(model.predict(obs)[0], loaded.predict(obs)[0])
    assert loaded.clip_range == linear_schedule(0.2) and loaded.n_steps == 32
    assert loaded.predict(obs[0])[0].shape == ()
