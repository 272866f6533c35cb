"""PPO against DQN on CartPole: on-policy and off-policy learning side by side (D19).

Curriculum row shown here:
    D19 reinforcement learning: two ways to learn a policy from rewards. PPO improves
        the policy directly, from fresh experience only, in small steps (its clipped
        objective keeps the new policy near the old one). DQN learns the value Q(s, a)
        of every action and acts greedily; it reuses old experience from a replay buffer
        and regresses on a slowly refreshed target network.

Both use networks from scratchgrad.nn and Stable-Baselines3's interface:
``PPO("MlpPolicy", "CartPole-v1", ...).learn(steps)``, ``predict``, ``save``/``load``.

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    30_ppo_dqn.png  the moving-average training return of both against environment steps.

Run it with ``python examples/30_ppo_dqn.py``.
"""

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

from scratchgrad.rl import DQN, PPO, evaluate_policy, linear_schedule  # noqa: E402

STEPS = 25_000


def curve(agent):
    """(environment steps, moving average of 20 returns) at the end of each episode."""
    steps = np.cumsum(agent.episode_lengths)
    returns = np.array(agent.episode_returns)
    return steps, np.array([returns[max(0, i - 19) : i + 1].mean() for i in range(len(returns))])


section(f"PPO, {STEPS} steps (Stable-Baselines3 zoo's CartPole settings)")
ppo = PPO("MlpPolicy", "CartPole-v1", n_envs=8, n_steps=32, batch_size=256, n_epochs=20,
          gamma=0.98, gae_lambda=0.8, learning_rate=linear_schedule(1e-3),
          clip_range=linear_schedule(0.2), seed=0).learn(STEPS)  # fmt: skip
print(f"episodes: {len(ppo.episode_returns)}, last 20: {np.mean(ppo.episode_returns[-20:]):.1f}")

section(f"DQN, {STEPS} steps")
dqn = DQN("MlpPolicy", "CartPole-v1", learning_rate=2.3e-3, batch_size=64, buffer_size=50_000,
          learning_starts=1000, train_freq=256, gradient_steps=64, target_update_interval=10,
          exploration_fraction=0.16, exploration_final_eps=0.04,
          policy_kwargs={"net_arch": [64, 64]}, seed=0).learn(STEPS)  # fmt: skip
print(f"episodes: {len(dqn.episode_returns)}, last 20: {np.mean(dqn.episode_returns[-20:]):.1f}")

section("Deterministic evaluation, 20 episodes each")
for name, agent in (("PPO", ppo), ("DQN", dqn)):
    mean, std = evaluate_policy(agent, "CartPole-v1", 20, seed=1)
    print(f"{name}: mean return {mean:.1f} +- {std:.1f}")

path = out_dir() / "ppo_cartpole"
print(f"saved and reloaded: {PPO.load(ppo.save(path)).predict(np.zeros(4, np.float32))[0]}")

fig, ax = plt.subplots(figsize=(6, 3.5))
for name, agent in (("PPO", ppo), ("DQN", dqn)):
    ax.plot(*curve(agent), label=name)
ax.set_xlabel("environment steps")
ax.set_ylabel("return (moving average of 20 episodes)")
ax.legend()
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(out_dir() / "30_ppo_dqn.png", dpi=100)
print(f"\nwrote {out_dir() / '30_ppo_dqn.png'}")
