"""Polynomial regression, as the PyTorch examples' regression/main.py (manual SGD through
``param.data`` and ``grad.data``, ``smooth_l1_loss``, ``torch.cat`` of powers)."""

import json
import sys

import numpy as np
import torch
import torch.nn.functional as F

POLY_DEGREE = 4


def make_features(x):
    x = x.unsqueeze(1)
    return torch.cat([x**i for i in range(1, POLY_DEGREE + 1)], 1)


def main():
    rng = np.random.default_rng(0)
    W_target = torch.from_numpy(rng.standard_normal((POLY_DEGREE, 1)).astype(np.float32)) * 5
    b_target = torch.from_numpy(rng.standard_normal(1).astype(np.float32)) * 5

    def f(x):
        return x.mm(W_target) + b_target.item()

    def get_batch(batch_size=32):
        random = torch.from_numpy(rng.standard_normal(batch_size).astype(np.float32))
        x = make_features(random)
        return x, f(x)

    fc = torch.nn.Linear(W_target.size(0), 1)
    with torch.no_grad():
        fc.weight.copy_(torch.from_numpy(rng.normal(0, 0.1, (1, POLY_DEGREE)).astype(np.float32)))
        fc.bias.zero_()
    losses = []
    for batch_idx in range(1, 40):
        batch_x, batch_y = get_batch()
        fc.zero_grad()
        output = F.smooth_l1_loss(fc(batch_x), batch_y)
        loss = output.item()
        output.backward()
        for param in fc.parameters():
            param.data.add_(-0.01 * param.grad)
        losses.append(loss)
    return {"losses": losses, "weight": fc.weight.view(-1).tolist(), "bias": [fc.bias.item()]}


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
