"""Environments: GridWorld (written here in NumPy) and vector environments of gymnasium's."""

from scratchgrad.rl.envs.grid_world import GridWorld
from scratchgrad.rl.envs.vec_env import EnvLike, as_vec_env, make_vec_env

__all__ = ["EnvLike", "GridWorld", "as_vec_env", "make_vec_env"]
