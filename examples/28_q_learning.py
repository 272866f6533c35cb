"""Value iteration and Q-learning on a grid: agent, environment, action, reward (D19).

Curriculum row shown here:
    D19 reinforcement learning: an agent observes the state of its environment, picks an
        action, and receives a reward; it learns a policy (state -> action) that makes the
        sum of future rewards large. Here every move costs -1, so the best policy is the
        shortest path to the goal.

Value iteration knows the environment's model (where each action leads) and solves the
Bellman optimality equation V(s) = max_a [r + gamma V(s')] by repeated backups. Q-learning
does not: it learns Q(s, a) from its own trial and error, exploring at random with
probability epsilon. On a deterministic grid both reach the same values and policy.

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    28_q_learning.png  the optimal values as a heatmap with the greedy policy's arrows,
                       and the values Q-learning found.

Run it with ``python examples/28_q_learning.py``.
"""

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

from scratchgrad.rl import GridWorld, QLearning, evaluate_policy, value_iteration  # noqa: E402

ROWS, COLS, WALLS = 5, 6, [(1, 1), (1, 2), (1, 3), (3, 2), (3, 3), (3, 4), (3, 5)]
ARROWS = "<v>^"  # FrozenLake's actions: 0 left, 1 down, 2 right, 3 up

section("The environment")
env = GridWorld(ROWS, COLS, walls=WALLS, render_mode="ansi")
env.reset(seed=0)
print(env.render(), end="")
print(f"states: {env.observation_space.n}, actions: {env.action_space.n}, reward -1 per move")

section("Value iteration (the model is known)")
values, policy = value_iteration(env.P, gamma=1.0)
print("V*(s) = minus the number of moves to the goal:")
print(values.reshape(ROWS, COLS).astype(int))

section("Q-learning (learned from experience)")
agent = QLearning("TabularPolicy", GridWorld(ROWS, COLS, walls=WALLS), learning_rate=0.5,
                  gamma=1.0, exploration_fraction=0.5, seed=0)  # fmt: skip
agent.learn(20_000)
print(f"episodes played: {len(agent.episode_returns)}")
learned = agent.q_table.max(axis=1)
free = np.array([divmod(s, COLS) not in WALLS for s in range(ROWS * COLS)])
exact = np.isclose(learned, values)[free]
print(f"cells whose learned value equals V*: {exact.sum()} of {free.sum()}")
print("(cells off the good paths are visited rarely, so their values lag)")
mean, _ = evaluate_policy(agent, GridWorld(ROWS, COLS, walls=WALLS), 5)
print(f"greedy return: {mean:.0f} (optimal {values[0]:.0f})")

section("FrozenLake: the ice is slippery")
lake = QLearning("TabularPolicy", "FrozenLake-v1", learning_rate=0.1, seed=0).learn(60_000)
success, _ = evaluate_policy(lake, "FrozenLake-v1", 200, seed=1)
print(f"Q-learning reaches the goal in {success:.0%} of 200 episodes")

fig, axes = plt.subplots(1, 2, figsize=(10, 4))
for ax, table, title in ((axes[0], values, "value iteration: V*"),
                         (axes[1], learned, "Q-learning: max_a Q(s, a)")):  # fmt: skip
    shown = np.where(free, table, np.nan).reshape(ROWS, COLS)
    im = ax.imshow(shown, cmap="viridis")
    for s in np.flatnonzero(free):
        r, c = divmod(s, COLS)
        label = "G" if (r, c) == env.goal else ARROWS[policy[s]]
        ax.text(c, r, label, ha="center", va="center", color="white", fontsize=12)
    ax.set_title(title)
    fig.colorbar(im, ax=ax)
fig.tight_layout()
fig.savefig(out_dir() / "28_q_learning.png", dpi=100)
print(f"\nwrote {out_dir() / '28_q_learning.png'}")
