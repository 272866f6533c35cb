import numpy as np
import pytest

from scratchgrad import optim
from scratchgrad.rl import PPO
from scratchgrad.rl.on_policy import build_policy, gradient_step
from scratchgrad.rl.policies import ActorCriticPolicy


def test_rollout_fills_the_buffer_with_vectorised_steps() -> None:
    model = PPO("MlpPolicy", "CartPole-v1", n_envs=3, n_steps=7, batch_size=21, seed=0)
    model._last_obs = model.env.reset(seed=0)[0]
    model.collect_rollouts(model.env)
    buf = model.rollout_buffer
    assert buf.obs.shape == (7, 3, 4) and buf.advantages.shape == (7, 3)
    assert model.num_timesteps == 21
    np.testing.assert_allclose(buf.returns, buf.advantages + buf.values)


def test_truncated_episodes_are_bootstrapped() -> None:
    model = PPO("MlpPolicy", "CartPole-v1", n_envs=1, n_steps=4, seed=0)
    rewards = np.ones(2, np.float32)
    infos = {"final_obs": np.array([None, np.zeros(4, np.float32)], dtype=object)}
    out = model._bootstrap(rewards, np.array([False, False]), np.array([False, True]), infos)
    v = model.policy.predict_values(np.zeros((1, 4), np.float32))[0]
    np.testing.assert_allclose(out, [1.0, 1.0 + model.gamma * v], rtol=1e-6)


def test_build_policy_refuses_unknown_names_and_image_observations() -> None:
    aliases = {"MlpPolicy": ActorCriticPolicy}
    with pytest.raises(ValueError, match="unknown policy"):
        build_policy(aliases, "CnnPolicy", (4,), 2, None)
    with pytest.raises(ValueError, match="flat Box"):
        build_policy(aliases, "MlpPolicy", (3, 8, 8), 2, None)


def test_gradient_step_clips_the_norm() -> None:
    policy = ActorCriticPolicy(2, 2)
    opt = optim.SGD(policy.parameters(), lr=0.0)
    _, log_p, _ = policy.evaluate_actions(np.ones((4, 2), np.float32) * 100, np.zeros(4, np.int64))
    gradient_step(opt, -(log_p.sum() * 1000), policy.parameters(), 0.5)
    total = np.sqrt(
        sum((p.grad.numpy() ** 2).sum() for p in policy.parameters() if p.grad is not None)
    )
    assert total == pytest.approx(0.5, rel=1e-4)
