import numpy as np

from scratchgrad.rl import A2C, evaluate_policy


def test_a2c_trains_and_round_trips(tmp_path) -> None:
    model = A2C("MlpPolicy", "CartPole-v1", n_envs=4, seed=0)
    before, _ = evaluate_policy(model, "CartPole-v1", 5, seed=1)
    model.learn(2_000)
    assert model.num_timesteps == 2_000 and np.isfinite(model.logs["loss"])
    obs = np.random.default_rng(0).standard_normal((8, 4)).astype(np.float32)
    loaded = A2C.load(model.save(tmp_path / "a2c"))
    np.testing.assert_array_equal(model.predict(obs)[0], loaded.predict(obs)[0])
    assert np.isfinite(before)
