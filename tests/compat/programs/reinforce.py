"""REINFORCE with torch.distributions.Categorical, as the PyTorch examples' reinforce.py,
on a tiny deterministic environment written here (no gym needed)."""

import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical


class Policy(nn.Module):
    def __init__(self):
        super(Policy, self).__init__()
        self.affine1 = nn.Linear(4, 16)
        self.affine2 = nn.Linear(16, 2)
        self.saved_log_probs = []
        self.rewards = []

    def forward(self, x):
        x = F.relu(self.affine1(x))
        return F.softmax(self.affine2(x), dim=1)


def env_step(state, action):
    """A pole that drifts; action 1 pushes right, 0 left; reward 1 while |x| < 1."""
    x, v = state[0] + state[1] * 0.1, state[1] + (0.1 if action == 1 else -0.1)
    new = np.array([x, v, x * v, 1.0], dtype=np.float32)
    return new, 1.0, abs(x) > 1.0


def main():
    rng = np.random.default_rng(0)
    policy = Policy()
    with torch.no_grad():
        for p in policy.parameters():
            p.copy_(torch.from_numpy(rng.normal(0, 0.3, tuple(p.shape)).astype(np.float32)))
    optimizer = optim.Adam(policy.parameters(), lr=1e-2)
    eps = np.finfo(np.float32).eps.item()
    gamma, returns_log, logps = 0.99, [], []
    for episode in range(5):
        state, ep_reward = np.array([0.1, 0.0, 0.0, 1.0], dtype=np.float32), 0.0
        for t in range(20):
            probs = policy(torch.from_numpy(state).float().unsqueeze(0))
            m = Categorical(probs)
            action = torch.tensor(int(probs[0, 1].item() > rng.random()))  # same draw in both
            policy.saved_log_probs.append(m.log_prob(action))
            logps.append(m.log_prob(action).item())
            state, reward, done = env_step(state, action.item())
            policy.rewards.append(reward)
            ep_reward += reward
            if done:
                break
        R, returns = 0, []
        for r in policy.rewards[::-1]:
            R = r + gamma * R
            returns.insert(0, R)
        returns = torch.tensor(returns)
        returns = (returns - returns.mean()) / (returns.std() + eps)
        policy_loss = [-log_prob * R for log_prob, R in zip(policy.saved_log_probs, returns)]
        optimizer.zero_grad()
        loss = torch.cat(policy_loss).sum()
        loss.backward()
        optimizer.step()
        entropy = m.entropy().item()
        del policy.rewards[:]
        del policy.saved_log_probs[:]
        returns_log.append(ep_reward)
    return {"returns": returns_log, "logps": logps, "entropy": [entropy], "loss": [loss.item()]}


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
