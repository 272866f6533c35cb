"""PPO on CartPole-v1 in scratchgrad and in Stable-Baselines3: steps per second, time to 475.

Both train with the same hyperparameters (Stable-Baselines3 zoo's tuned CartPole PPO:
8 environments x 32 steps, minibatch 256, 20 epochs, gamma 0.98, GAE lambda 0.8, Adam at
1e-3 and clip range 0.2, both decayed linearly to 0) for at most ``--steps`` steps, one
run each in this process. Every 5,120 steps the deterministic policy plays 100 episodes;
training stops at the first evaluation with a mean return >= 475. Evaluation time is not
counted: steps per second and the time to 475 are training time only. torch runs on one
thread by default (``--torch-threads``), as NumPy does under ``OPENBLAS_NUM_THREADS=1``:
these networks are too small for threads to help, and on a busy machine they hurt.
Needs the bench extra: ``pip install 'scratchgrad[bench]'`` (Stable-Baselines3, torch).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from typing import Any

from benchmarks._timing import RESULTS

EVAL_EVERY, EVAL_EPISODES, SOLVED = 5_120, 100, 475.0
ZOO = {
    "n_steps": 32, "batch_size": 256, "gae_lambda": 0.8, "gamma": 0.98, "n_epochs": 20,
    "ent_coef": 0.0,
}  # fmt: skip


class _Clock:
    """Training time that leaves out the evaluations, and the step count when solved."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.eval_s = 0.0
        self.solved_s: float | None = None
        self.solved_steps: int | None = None
        self.next_eval = EVAL_EVERY

    def training_s(self) -> float:
        return time.perf_counter() - self.start - self.eval_s

    def maybe_evaluate(self, steps: int, evaluate: Callable[[], float]) -> bool:
        """Evaluate when due; False once solved (training stops)."""
        if steps < self.next_eval:
            return True
        self.next_eval += EVAL_EVERY
        t0 = time.perf_counter()
        mean = evaluate()
        self.eval_s += time.perf_counter() - t0
        if mean >= SOLVED and self.solved_s is None:
            self.solved_s, self.solved_steps = self.training_s(), steps
        return self.solved_s is None


def run_scratchgrad(max_steps: int, seed: int) -> dict[str, Any]:
    """Train scratchgrad's PPO; steps, training seconds, and when it was solved."""
    from scratchgrad.rl import PPO, evaluate_policy, linear_schedule

    lr, clip = linear_schedule(1e-3), linear_schedule(0.2)
    model = PPO("MlpPolicy", "CartPole-v1", n_envs=8, seed=seed, learning_rate=lr,
                clip_range=clip, **ZOO)  # fmt: skip
    clock = _Clock()

    def callback(m: Any) -> bool:
        def evaluate() -> float:
            return evaluate_policy(m, "CartPole-v1", EVAL_EPISODES, seed=seed + 1000)[0]

        return clock.maybe_evaluate(m.num_timesteps, evaluate)

    model.learn(max_steps, callback=callback)
    return _summary(model.num_timesteps, clock)


def run_sb3(max_steps: int, seed: int, threads: int) -> dict[str, Any]:
    """Train Stable-Baselines3's PPO (torch, CPU, ``threads`` threads) the same way."""
    try:
        import torch
        from stable_baselines3 import PPO
    except ImportError as e:
        raise SystemExit(f"benchmarks.rl needs {e.name}: pip install 'scratchgrad[bench]'") from e
    from stable_baselines3.common.callbacks import BaseCallback
    from stable_baselines3.common.env_util import make_vec_env
    from stable_baselines3.common.evaluation import evaluate_policy

    torch.set_num_threads(threads)
    env = make_vec_env("CartPole-v1", n_envs=8, seed=seed)
    eval_env = make_vec_env("CartPole-v1", n_envs=10, seed=seed + 1000)

    def lin(start: float) -> Callable[[float], float]:
        return lambda progress: progress * start

    model = PPO("MlpPolicy", env, learning_rate=lin(1e-3), clip_range=lin(0.2), seed=seed,
                device="cpu", **ZOO)  # fmt: skip
    clock = _Clock()

    class Eval(BaseCallback):
        """Evaluates after each update (at the next rollout's start), as scratchgrad's does."""

        go_on = True

        def _on_step(self) -> bool:
            return self.go_on  # False stops SB3 one vector step into the next rollout

        def _on_rollout_start(self) -> None:
            def evaluate() -> float:
                return float(evaluate_policy(self.model, eval_env, EVAL_EPISODES)[0])

            self.go_on = clock.maybe_evaluate(self.num_timesteps, evaluate)

    model.learn(max_steps, callback=Eval())
    return _summary(min(model.num_timesteps, max_steps), clock)


def _summary(steps: int, clock: _Clock) -> dict[str, Any]:
    train_s = clock.training_s()
    return {
        "steps": steps,
        "training_s": round(train_s, 2),
        "steps_per_s": round(steps / train_s, 1),
        "solved_at_steps": clock.solved_steps,
        "time_to_475_s": None if clock.solved_s is None else round(clock.solved_s, 2),
    }


def main(argv: list[str] | None = None) -> None:
    """Train both, print the table and the ratios, save benchmarks/results/rl.json."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rl", description=__doc__)
    parser.add_argument("--steps", type=int, default=100_000, help="most steps per run")
    parser.add_argument("--seed", type=int, default=0, help="seeds both runs")
    parser.add_argument(
        "--torch-threads", type=int, default=1,
        help="torch's threads (1: as NumPy with OPENBLAS_NUM_THREADS=1; tiny networks)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    ours = run_scratchgrad(args.steps, args.seed)
    sb3 = run_sb3(args.steps, args.seed, args.torch_threads)
    print("\nPPO CartPole-v1 (zoo hyperparameters), training time only")
    for name, r in (("scratchgrad", ours), ("stable-baselines3", sb3)):
        print(
            f"{name:18s} {r['steps_per_s']:9.1f} steps/s  solved at {r['solved_at_steps']}"
            f" steps in {r['time_to_475_s']} s  ({r['steps']} steps, {r['training_s']} s)"
        )
    ratio = ours["steps_per_s"] / sb3["steps_per_s"]
    print(f"steps per second: scratchgrad / stable-baselines3 = {ratio:.2f}x (goal >= 1.0)")
    RESULTS.mkdir(exist_ok=True)
    out = {"machine": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
           "scratchgrad": ours, "stable_baselines3": sb3, "speed_ratio": ratio}  # fmt: skip
    (RESULTS / "rl.json").write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
