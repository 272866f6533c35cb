"""`scratchgrad train` and `eval` with a reinforcement-learning recipe (cli/train.py)."""

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scratchgrad.cli import app
from tests.cli.conftest import run_dir_of

runner = CliRunner()


@pytest.fixture(scope="module")
def ppo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("gymnasium")
    out = tmp_path_factory.mktemp("rl")
    args = ["train", "cartpole-ppo", "--out", str(out), "--set", "total_timesteps=512"]
    result = runner.invoke(app, [*args, "--set", "eval_freq=256", "--set", "eval_episodes=5"])
    assert result.exit_code == 0, result.output
    assert re.search(r"steps \d+/512  episodes \d+  mean_return [\d.]+  eval", result.stdout)
    assert "test (held out): mean_return" in result.stdout
    return run_dir_of(result.stdout)


def test_rl_run_folder(ppo_run: Path) -> None:
    for name in ("model.safetensors", "episodes.csv", "evaluations.csv", "losses.csv",
                 "returns.png", "losses.png", "episode.gif", "recipe.json"):  # fmt: skip
        assert (ppo_run / name).is_file(), name
    assert (ppo_run / "episode.gif").read_bytes()[:6] == b"GIF89a"
    header = (ppo_run / "episodes.csv").read_text().splitlines()[0]
    assert header == "episode,return,length,moving_average_100"


def test_eval_rl_run_prints_mean_and_std(ppo_run: Path) -> None:
    result = runner.invoke(app, ["eval", str(ppo_run), "--episodes", "7", "--seed", "3"])
    assert result.exit_code == 0, result.output
    match = re.fullmatch(r"mean_return ([\d.]+) \+- ([\d.]+) over 7 episodes\n", result.stdout)
    assert match, result.stdout
    # The same figure as evaluate_policy on the saved agent.
    from scratchgrad.rl import PPO, evaluate_policy

    mean, std = evaluate_policy(PPO.load(ppo_run / "model.safetensors"), "CartPole-v1", 7, seed=3)
    assert match.groups() == (f"{mean:.1f}", f"{std:.1f}")


def test_rl_run_refuses_predict_and_damaged_agent(ppo_run: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(ppo_run, tmp_path / "run"))
    (copy / "model.safetensors").write_bytes(b"junk")
    result = runner.invoke(app, ["eval", str(copy)])
    assert result.exit_code == 1 and "damaged" in result.stderr
    (copy / "model.safetensors").unlink()
    result = runner.invoke(app, ["eval", str(copy)])
    assert result.exit_code == 2 and "no saved agent" in result.stderr


def test_eval_options_are_refused_for_other_runs(xor_run: Path) -> None:
    result = runner.invoke(app, ["eval", str(xor_run), "--episodes", "5"])
    assert result.exit_code == 2 and "for RL runs" in result.stderr
