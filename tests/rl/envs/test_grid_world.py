import pytest
from gymnasium.utils.env_checker import check_env

from scratchgrad.rl.envs import GridWorld


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_passes_gymnasiums_check_env() -> None:
    check_env(GridWorld(walls=[(1, 1)], render_mode="ansi"), skip_render_check=False)


def test_moves_walls_and_goal() -> None:
    env = GridWorld(2, 3, walls=[(0, 1)])
    assert env.reset(seed=0) == (0, {})
    assert env.step(2)[:4] == (0, -1.0, False, False)  # the wall blocks
    assert env.step(1)[:3] == (3, -1.0, False)  # down
    assert env.step(2)[:3] == (4, -1.0, False)
    assert env.step(2)[:3] == (5, -1.0, True)  # the goal ends it
    assert env.P[5][0] == [(1.0, 5, 0.0, True)]


def test_truncates_and_renders() -> None:
    env = GridWorld(2, 2, max_episode_steps=2, render_mode="ansi")
    env.reset()
    env.step(3)
    assert env.step(3)[3] is True
    assert env.render() == "A.\n.G\n"
