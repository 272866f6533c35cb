import numpy as np
from PIL import Image

from scratchgrad.rl.render import record_episode, save_cartpole_gif


class _Left:
    def predict(self, observation, deterministic=True):
        return np.zeros(len(observation), np.int64), None


def test_records_the_whole_episode_and_draws_it(tmp_path) -> None:
    states, total = record_episode(_Left(), "CartPole-v1", seed=0)
    assert len(states) == int(total) + 1  # the first observation, then one per step
    assert abs(states[-1][2]) > 0.2 or abs(states[-1][0]) > 2.4  # it fell: the final state
    path = save_cartpole_gif(states, tmp_path / "ep.gif", every=2)
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == len(states[::2])
