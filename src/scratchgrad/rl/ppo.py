"""PPO: proximal policy optimisation with a clipped objective (Schulman et al. 2017).

Each iteration collects ``n_steps`` x ``n_envs`` steps, computes GAE advantages, then
runs ``n_epochs`` passes of shuffled minibatches over them, minimising
``policy loss + ent_coef * (-entropy) + vf_coef * value loss`` with the gradient norm
clipped. The hyperparameters and their defaults are Stable-Baselines3's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from gymnasium import spaces
from numpy.typing import NDArray

from scratchgrad import nn, optim
from scratchgrad.creation import from_numpy
from scratchgrad.nn import functional as F  # noqa: N812 - PyTorch's alias
from scratchgrad.ops.elementwise import minimum
from scratchgrad.rl.envs.vec_env import EnvLike
from scratchgrad.rl.on_policy import OnPolicyAlgorithm, gradient_step
from scratchgrad.rl.schedules import Schedule, as_schedule
from scratchgrad.tensor import Tensor


def normalize_advantages(advantages: NDArray[np.float32]) -> NDArray[np.float32]:
    """(A - mean) / (std + 1e-8) over a minibatch (B,); a single value is left as it is."""
    if len(advantages) < 2:
        return advantages
    out: NDArray[np.float32] = (advantages - advantages.mean()) / (advantages.std() + 1e-8)
    return out


def ppo_clip_loss(
    log_prob: Tensor, old_log_prob: Tensor, advantages: Tensor, clip_range: float
) -> Tensor:
    """The clipped surrogate policy loss, ``-mean(min(r A, clip(r, 1-e, 1+e) A))``.

    ``r = exp(log_prob - old_log_prob)`` is the probability ratio of the new and old policy.

    Args:
        log_prob: log pi_new(a|s), (B,), with a graph.
        old_log_prob: log pi_old(a|s) from the rollout, (B,).
        advantages: advantage estimates, (B,).
        clip_range: epsilon, e.g. 0.2.

    Returns:
        A scalar tensor.
    """
    ratio = (log_prob - old_log_prob).exp()
    clipped = ratio.clamp(1.0 - clip_range, 1.0 + clip_range)
    return -minimum(ratio * advantages, clipped * advantages).mean()


class PPO(OnPolicyAlgorithm):
    """Proximal policy optimisation for discrete actions.

    Args:
        policy: "MlpPolicy" or an actor-critic class ``(obs_dim, n_actions, **kwargs)``.
        env: an environment id, an environment, a same-step vector environment, or None.
        learning_rate: Adam's learning rate: a number or a schedule (e.g. linear_schedule).
        n_steps: steps per environment per rollout.
        batch_size: minibatch size.
        n_epochs: passes over each rollout.
        gamma: the discount factor.
        gae_lambda: GAE's lambda.
        clip_range: the ratio clip epsilon: a number or a schedule.
        normalize_advantage: normalise advantages per minibatch.
        ent_coef: weight of the entropy bonus.
        vf_coef: weight of the value loss.
        max_grad_norm: gradient clipping.
        n_envs: copies of an environment id to step together.
        seed: seeds networks, sampling and environments.
        policy_kwargs: e.g. ``{"net_arch": [64, 64], "activation_fn": "tanh"}``.
        observation_space: with action_space, for an agent built without env.
        action_space: the Discrete action space when env is None.
    """

    def __init__(
        self,
        policy: str | Callable[..., nn.Module],
        env: EnvLike | None,
        learning_rate: float | Schedule = 3e-4,
        n_steps: int = 2048,
        batch_size: int = 64,
        n_epochs: int = 10,
        gamma: float = 0.99,
        gae_lambda: float = 0.95,
        clip_range: float | Schedule = 0.2,
        normalize_advantage: bool = True,
        ent_coef: float = 0.0,
        vf_coef: float = 0.5,
        max_grad_norm: float = 0.5,
        n_envs: int = 1,
        seed: int | None = None,
        policy_kwargs: Mapping[str, Any] | None = None,
        observation_space: spaces.Space[Any] | None = None,
        action_space: spaces.Space[Any] | None = None,
    ) -> None:
        self.learning_rate, self.n_steps, self.batch_size = learning_rate, n_steps, batch_size
        self.n_epochs, self.gamma, self.gae_lambda = n_epochs, gamma, gae_lambda
        self.clip_range, self.normalize_advantage = clip_range, normalize_advantage
        self.ent_coef, self.vf_coef, self.max_grad_norm = ent_coef, vf_coef, max_grad_norm
        self.seed, self.policy_kwargs = seed, dict(policy_kwargs or {})
        super().__init__(
            policy, env, learning_rate, n_steps, gamma, gae_lambda, n_envs, seed,
            policy_kwargs, observation_space, action_space,
        )  # fmt: skip

    def _make_optimizer(self, lr: float) -> optim.Optimizer:
        return optim.Adam(self.policy.parameters(), lr=lr, eps=1e-5)

    def train(self) -> None:
        """``n_epochs`` passes of minibatch gradient steps over the rollout."""
        clip = as_schedule(self.clip_range)(self.progress_remaining)
        sums = np.zeros(4)
        count = 0
        for _ in range(self.n_epochs):
            for batch in self.rollout_buffer.get(self.batch_size, self.rng):
                values, log_prob, entropy = self.policy.evaluate_actions(batch.obs, batch.actions)
                adv = batch.advantages
                adv = normalize_advantages(adv) if self.normalize_advantage else adv
                pg_loss = ppo_clip_loss(
                    log_prob, from_numpy(batch.old_log_probs), from_numpy(adv), clip
                )
                value_loss = F.mse_loss(values, from_numpy(batch.returns))
                entropy_loss = -entropy.mean()
                loss = pg_loss + self.ent_coef * entropy_loss + self.vf_coef * value_loss
                gradient_step(self.optimizer, loss, self.policy.parameters(), self.max_grad_norm)
                sums += [t.item() for t in (loss, pg_loss, value_loss, entropy_loss)]
                count += 1
        keys = ("loss", "policy_gradient_loss", "value_loss", "entropy_loss")
        self.logs = {k: float(v) / count for k, v in zip(keys, sums, strict=True)}
        self.logs["clip_range"] = clip


__all__ = ["PPO", "normalize_advantages", "ppo_clip_loss"]
