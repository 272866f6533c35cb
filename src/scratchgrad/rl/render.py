"""Pictures of episodes without a screen: CartPole drawn from its state with matplotlib.

The environment's own renderer needs pygame; a CartPole state (x, x_dot, theta,
theta_dot) is all it takes to draw the cart and the pole, frame by frame, into a GIF
(Pillow, through matplotlib's animation writer).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scratchgrad.rl.envs.vec_env import make_vec_env
from scratchgrad.rl.evaluation import Predictor


def record_episode(
    model: Predictor, env_id: str, seed: int = 0, max_steps: int = 1000
) -> tuple[list[NDArray[Any]], float]:
    """The observations of one deterministic episode (first one included) and its return.

    Args:
        model: the agent.
        env_id: the environment id.
        seed: seeds the environment's reset.
        max_steps: stop after this many steps in any case.
    """
    env = make_vec_env(env_id, 1)
    obs = env.reset(seed=seed)[0]
    frames, total = [obs[0].copy()], 0.0
    for _ in range(max_steps):
        obs, reward, terminated, truncated, info = env.step(model.predict(obs)[0])
        total += float(reward[0])
        if terminated[0] or truncated[0]:
            frames.append(np.asarray(info["final_obs"][0]))
            break
        frames.append(obs[0].copy())
    env.close()
    return frames, total


def save_cartpole_gif(states: Sequence[NDArray[Any]], path: Path, every: int = 4) -> Path:
    """An animated GIF of CartPole states (x, x_dot, theta, theta_dot), one frame per ``every``.

    Args:
        states: the episode's observations.
        path: the GIF to write.
        every: keep one state in ``every`` (shown at 50 / every frames per second, real time).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter
    from matplotlib.patches import Rectangle

    fig, ax = plt.subplots(figsize=(4, 2.4))
    ax.set_xlim(-2.6, 2.6)
    ax.set_ylim(-0.3, 1.4)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.plot([-2.4, 2.4], [0, 0], color="black", lw=1)
    cart = Rectangle((0, 0), 0.5, 0.25, color="tab:blue")
    ax.add_patch(cart)
    (pole,) = ax.plot([], [], color="tab:orange", lw=4)
    title = ax.set_title("")
    kept = list(states)[::every]

    def draw(i: int) -> Any:
        x, theta = float(kept[i][0]), float(kept[i][2])
        cart.set_xy((x - 0.25, 0.0))
        pole.set_data([x, x + math.sin(theta)], [0.25, 0.25 + math.cos(theta)])
        title.set_text(f"step {i * every}")
        return cart, pole, title

    anim = FuncAnimation(fig, draw, frames=len(kept), blit=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    anim.save(str(path), writer=PillowWriter(fps=max(1, round(50 / every))))
    plt.close(fig)
    return path


__all__ = ["record_episode", "save_cartpole_gif"]
