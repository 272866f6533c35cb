"""Actor-critic with a shared body, as the PyTorch examples' actor_critic.py
(SavedAction namedtuple, Categorical, smooth_l1_loss for the value, torch.stack)."""

import json
import sys
from collections import namedtuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical

SavedAction = namedtuple("SavedAction", ["log_prob", "value"])


class Policy(nn.Module):
    def __init__(self):
        super(Policy, self).__init__()
        self.affine1 = nn.Linear(4, 32)
        self.action_head = nn.Linear(32, 2)
        self.value_head = nn.Linear(32, 1)
        self.saved_actions, self.rewards = [], []

    def forward(self, x):
        x = F.relu(self.affine1(x))
        return F.softmax(self.action_head(x), dim=-1), self.value_head(x)


def main():
    rng = np.random.default_rng(1)
    model = Policy()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.normal(0, 0.2, tuple(p.shape)).astype(np.float32)))
    optimizer = optim.Adam(model.parameters(), lr=3e-2)
    eps = np.finfo(np.float32).eps.item()
    out = {"policy_loss": [], "value_loss": []}
    for episode in range(4):
        state = np.array([0.05, 0.0, -0.02, 0.0], dtype=np.float32)
        for t in range(15):
            probs, state_value = model(torch.from_numpy(state).float())
            m = Categorical(probs)
            action = torch.tensor(int(rng.random() < probs[1].item()))
            model.saved_actions.append(SavedAction(m.log_prob(action), state_value))
            state = state + np.array(
                [0.01, 0.02 if action.item() else -0.02, 0.0, 0.01], dtype=np.float32
            )
            model.rewards.append(1.0 - abs(float(state[1])))
        R, policy_losses, value_losses, returns = 0, [], [], []
        for r in model.rewards[::-1]:
            R = r + 0.99 * R
            returns.insert(0, R)
        returns = torch.tensor(returns)
        returns = (returns - returns.mean()) / (returns.std() + eps)
        for (log_prob, value), R in zip(model.saved_actions, returns):
            advantage = R - value.item()
            policy_losses.append(-log_prob * advantage)
            value_losses.append(F.smooth_l1_loss(value, torch.tensor([R])))
        optimizer.zero_grad()
        loss = torch.stack(policy_losses).sum() + torch.stack(value_losses).sum()
        loss.backward()
        optimizer.step()
        out["policy_loss"].append(torch.stack(policy_losses).sum().item())
        out["value_loss"].append(torch.stack(value_losses).sum().item())
        del model.rewards[:]
        del model.saved_actions[:]
    return out


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
