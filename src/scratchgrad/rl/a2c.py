"""A2C: synchronous advantage actor-critic (Mnih et al. 2016).

One gradient step per rollout of ``n_steps`` x ``n_envs`` steps on
``-mean(A log pi(a|s)) + vf_coef * value loss - ent_coef * entropy``, with RMSprop as in
Stable-Baselines3 (whose defaults these are).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gymnasium import spaces

from scratchgrad import nn, optim
from scratchgrad.creation import from_numpy
from scratchgrad.nn import functional as F  # noqa: N812 - PyTorch's alias
from scratchgrad.rl.envs.vec_env import EnvLike
from scratchgrad.rl.on_policy import OnPolicyAlgorithm, gradient_step
from scratchgrad.rl.ppo import normalize_advantages
from scratchgrad.rl.schedules import Schedule


class A2C(OnPolicyAlgorithm):
    """Advantage actor-critic for discrete actions.

    Args:
        policy: "MlpPolicy" or an actor-critic class ``(obs_dim, n_actions, **kwargs)``.
        env: an environment id, an environment, a same-step vector environment, or None.
        learning_rate: RMSprop's learning rate: a number or a schedule.
        n_steps: steps per environment per update.
        gamma: the discount factor.
        gae_lambda: GAE's lambda (1: n-step returns, as classic A2C).
        ent_coef: weight of the entropy bonus.
        vf_coef: weight of the value loss.
        max_grad_norm: gradient clipping.
        normalize_advantage: normalise the advantages of each update.
        n_envs: copies of an environment id to step together.
        seed: seeds networks, sampling and environments.
        policy_kwargs: e.g. ``{"net_arch": [64, 64]}``.
        observation_space: with action_space, for an agent built without env.
        action_space: the Discrete action space when env is None.
    """

    def __init__(
        self,
        policy: str | Callable[..., nn.Module],
        env: EnvLike | None,
        learning_rate: float | Schedule = 7e-4,
        n_steps: int = 5,
        gamma: float = 0.99,
        gae_lambda: float = 1.0,
        ent_coef: float = 0.0,
        vf_coef: float = 0.5,
        max_grad_norm: float = 0.5,
        normalize_advantage: bool = False,
        n_envs: int = 1,
        seed: int | None = None,
        policy_kwargs: Mapping[str, Any] | None = None,
        observation_space: spaces.Space[Any] | None = None,
        action_space: spaces.Space[Any] | None = None,
    ) -> None:
        self.learning_rate, self.n_steps, self.gamma = learning_rate, n_steps, gamma
        self.gae_lambda, self.ent_coef, self.vf_coef = gae_lambda, ent_coef, vf_coef
        self.max_grad_norm, self.normalize_advantage = max_grad_norm, normalize_advantage
        self.seed, self.policy_kwargs = seed, dict(policy_kwargs or {})
        super().__init__(
            policy, env, learning_rate, n_steps, gamma, gae_lambda, n_envs, seed,
            policy_kwargs, observation_space, action_space,
        )  # fmt: skip

    def _make_optimizer(self, lr: float) -> optim.Optimizer:
        return optim.RMSprop(self.policy.parameters(), lr=lr, alpha=0.99, eps=1e-5)

    def train(self) -> None:
        """One gradient step on the whole rollout."""
        batch = next(self.rollout_buffer.get(None, self.rng))
        values, log_prob, entropy = self.policy.evaluate_actions(batch.obs, batch.actions)
        adv = batch.advantages
        adv = normalize_advantages(adv) if self.normalize_advantage else adv
        pg_loss = -(from_numpy(adv) * log_prob).mean()
        value_loss = F.mse_loss(values, from_numpy(batch.returns))
        entropy_loss = -entropy.mean()
        loss = pg_loss + self.ent_coef * entropy_loss + self.vf_coef * value_loss
        gradient_step(self.optimizer, loss, self.policy.parameters(), self.max_grad_norm)
        self.logs = {
            "loss": loss.item(),
            "policy_gradient_loss": pg_loss.item(),
            "value_loss": value_loss.item(),
            "entropy_loss": entropy_loss.item(),
        }


__all__ = ["A2C"]
