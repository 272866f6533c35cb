"""GridWorld: a small deterministic maze written in NumPy, a gymnasium environment.

The agent starts in the top-left cell and must reach the goal (bottom-right by
default). Every move costs -1 (reward 0 on reaching the goal would hide the path length,
so the goal step costs -1 too and ends the episode). Walls block a move (the agent stays).
Actions follow FrozenLake: 0 left, 1 down, 2 right, 3 up. With ``gamma = 1`` the optimal
value of a cell is minus its shortest-path length to the goal.

>>> env = GridWorld(rows=2, cols=2)
>>> env.reset(seed=0)[0].item(), env.step(np.int64(2))[:3]
(0, (np.int64(1), -1.0, False))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

MOVES = ((0, -1), (1, 0), (0, 1), (-1, 0))
"""(row, col) change of each action: left, down, right, up."""

Transitions = dict[int, dict[int, list[tuple[float, int, float, bool]]]]
"""FrozenLake's ``P``: ``P[state][action] = [(probability, next_state, reward, terminated)]``."""


class GridWorld(gym.Env[np.int64, np.int64]):
    """A rows x cols grid with walls; observations are cell indices ``row * cols + col``.

    Args:
        rows: grid height (>= 1).
        cols: grid width (>= 1).
        walls: cells (row, col) the agent cannot enter.
        goal: the goal cell; the bottom-right one by default.
        max_episode_steps: steps before the episode is truncated.
        render_mode: None or "ansi" (a text picture of the grid).
    """

    metadata = {"render_modes": ["ansi"], "render_fps": 4}

    def __init__(
        self,
        rows: int = 4,
        cols: int = 4,
        walls: Sequence[tuple[int, int]] = (),
        goal: tuple[int, int] | None = None,
        max_episode_steps: int = 100,
        render_mode: str | None = None,
    ) -> None:
        self.rows, self.cols = rows, cols
        self.walls = frozenset((int(r), int(c)) for r, c in walls)
        self.goal = goal if goal is not None else (rows - 1, cols - 1)
        self.max_episode_steps = max_episode_steps
        self.render_mode = render_mode
        self.observation_space = spaces.Discrete(rows * cols)
        self.action_space = spaces.Discrete(4)
        self.P: Transitions = {
            s: {a: [self._move(s, a)] for a in range(4)} for s in range(rows * cols)
        }
        self._state, self._steps = 0, 0

    def _move(self, state: int, action: int) -> tuple[float, int, float, bool]:
        """(1.0, next state, reward, terminated) for one deterministic move."""
        r, c = divmod(state, self.cols)
        if (r, c) == self.goal:
            return (1.0, state, 0.0, True)
        nr, nc = r + MOVES[action][0], c + MOVES[action][1]
        if not (0 <= nr < self.rows and 0 <= nc < self.cols) or (nr, nc) in self.walls:
            nr, nc = r, c
        return (1.0, nr * self.cols + nc, -1.0, (nr, nc) == self.goal)

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.int64, dict[str, Any]]:
        """Back to the top-left cell; returns (observation, info)."""
        super().reset(seed=seed)
        self._state, self._steps = 0, 0
        return np.int64(self._state), {}

    def step(self, action: np.int64) -> tuple[np.int64, float, bool, bool, dict[str, Any]]:
        """Move; returns (observation, reward, terminated, truncated, info)."""
        _, self._state, reward, terminated = self.P[self._state][int(action)][0]
        self._steps += 1
        truncated = not terminated and self._steps >= self.max_episode_steps
        return np.int64(self._state), reward, terminated, truncated, {}

    def render(self) -> str | None:
        """The grid as text: A agent, G goal, # wall, . free (for render_mode "ansi")."""
        if self.render_mode != "ansi":
            return None
        cells = np.full((self.rows, self.cols), ".", dtype="<U1")
        for wall in self.walls:
            cells[wall] = "#"
        cells[self.goal] = "G"
        cells[divmod(self._state, self.cols)] = "A"
        return "\n".join("".join(row) for row in cells) + "\n"


__all__ = ["MOVES", "GridWorld", "Transitions"]
