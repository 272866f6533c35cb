import numpy as np
import pytest
from gymnasium import spaces

from scratchgrad.rl import PPO
from scratchgrad.rl.base import METADATA_KEY
from scratchgrad.serialization import load_metadata


def test_agent_without_env_predicts_but_does_not_learn() -> None:
    model = PPO(
        "MlpPolicy",
        None,
        observation_space=spaces.Box(-1, 1, (3,)),
        action_space=spaces.Discrete(2),
    )
    assert model.predict(np.zeros(3, np.float32))[0] in (0, 1)
    with pytest.raises(ValueError, match="no environment"):
        model.learn(10)


def test_needs_discrete_actions() -> None:
    with pytest.raises(ValueError, match="Discrete"):
        PPO("MlpPolicy", "Pendulum-v1")


def test_callback_stops_learning_and_episodes_are_tracked() -> None:
    model = PPO("MlpPolicy", "CartPole-v1", n_steps=64, batch_size=64, n_epochs=1, seed=0)
    calls: list[int] = []

    def stop_after_two(m: PPO) -> bool:
        calls.append(m.num_timesteps)
        return len(calls) < 2

    model.learn(10_000, callback=stop_after_two)
    assert calls == [64, 128]
    assert sum(model.episode_lengths) <= 128 and len(model.episode_returns) > 0
    assert model.mean_return() == pytest.approx(np.mean(model.episode_returns))


def test_saved_file_is_safetensors_with_json_settings(tmp_path) -> None:
    model = PPO("MlpPolicy", "CartPole-v1", n_steps=16, seed=0, policy_kwargs={"net_arch": [8]})
    path = model.save(tmp_path / "m.safetensors")
    import json

    record = json.loads(load_metadata(path)[METADATA_KEY])
    assert record["algorithm"] == "PPO" and record["hyperparameters"]["n_steps"] == 16
    assert record["hyperparameters"]["policy_kwargs"] == {"net_arch": [8]}
