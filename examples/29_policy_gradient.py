"""REINFORCE on CartPole: a policy network learns from whole episodes' returns (D19).

Curriculum row shown here:
    D19 reinforcement learning: the agent (a small network from scratchgrad.nn) sees
        the cart's position and speed and the pole's angle and turning speed, pushes the
        cart left or right, and gets +1 for every step the pole stays up (500 at most).
        The reward only says how long it lasted, never which push was right, so learning
        is noisy and sensitive to its settings (try another learning rate).

REINFORCE makes the actions of episodes that went better than expected more likely:
the gradient of sum_t (G_t - V(s_t)) log pi(a_t | s_t), where G_t is the return from
step t on and V, a second network, is the baseline that lowers the variance.

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    29_policy_gradient.png  the return of every episode and its moving average.

Run it with ``python examples/29_policy_gradient.py``.
"""

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

from scratchgrad.rl import REINFORCE, evaluate_policy  # noqa: E402

EPISODES = 300

section("The agent before training")
agent = REINFORCE("MlpPolicy", "CartPole-v1", learning_rate=3e-3, n_envs=4, seed=0)
print(agent.policy)
before, _ = evaluate_policy(agent, "CartPole-v1", 20, deterministic=False, seed=1)
print(f"mean return of 20 episodes, actions sampled from the policy: {before:.1f}")

section(f"REINFORCE with a baseline, {EPISODES} episodes")
agent.learn(10**6, callback=lambda a: len(a.episode_returns) < EPISODES)
returns = np.array(agent.episode_returns)
for start in range(0, len(returns), 60):
    block = returns[start : start + 60]
    print(f"episodes {start + 1:3d}-{start + 60:3d}: mean return {block.mean():6.1f}")
after, std = evaluate_policy(agent, "CartPole-v1", 20, deterministic=False, seed=1)
print(f"after training, sampled actions: mean return {after:.1f} +- {std:.1f} (500 at most)")

moving = np.convolve(returns, np.ones(20) / 20, mode="valid")
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(returns, alpha=0.4, label="return per episode")
ax.plot(np.arange(19, len(returns)), moving, label="moving average (20)")
ax.set_xlabel("episode")
ax.set_ylabel("return")
ax.legend()
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(out_dir() / "29_policy_gradient.png", dpi=100)
print(f"\nwrote {out_dir() / '29_policy_gradient.png'}")
