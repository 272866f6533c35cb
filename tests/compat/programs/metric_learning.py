"""Metric learning on 1-d signals: GroupNorm, InstanceNorm, RMSNorm, triplet and cosine losses."""

import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Embedder(nn.Module):
    def __init__(self, channels=8, dim=6):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(2, channels, 3, padding=1),
            nn.GroupNorm(2, channels),
            nn.Softshrink(0.1),
            nn.MaxPool1d(2),
            nn.Conv1d(channels, channels, 3, padding=1),
            nn.InstanceNorm1d(channels, affine=True),
            nn.Hardshrink(0.05),
            nn.LocalResponseNorm(3),
            nn.Tanhshrink(),
        )
        self.head = nn.Linear(channels * 8, dim)
        self.norm = nn.RMSNorm(dim, eps=1e-6)

    def forward(self, x):
        h = self.features(x).flatten(1)
        return F.normalize(self.norm(self.head(h)), dim=1)


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    model = Embedder()
    for p in model.parameters():
        p.data.copy_(torch.from_numpy(rng.normal(0.0, 0.3, tuple(p.shape)).astype(np.float32)))
    triplet = nn.TripletMarginLoss(margin=0.5)
    cosine = nn.CosineEmbeddingLoss(margin=0.1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses, sims, dists = [], [], []
    for step in range(6):
        a, p, n = (
            torch.from_numpy(rng.standard_normal((6, 2, 16)).astype(np.float32)) for _ in range(3)
        )
        p = a + 0.1 * p
        ea, ep, en = model(a), model(p), model(n)
        labels = torch.tensor([1.0, -1.0, 1.0, -1.0, 1.0, -1.0])
        loss = triplet(ea, ep, en) + cosine(ea, en, labels)
        loss = loss + F.soft_margin_loss(ea[:, 0], labels) * 0.1
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        sims.append(F.cosine_similarity(ea, ep).mean().item())
        dists.append(F.pairwise_distance(ea, en).mean().item())
    return {"loss": losses, "cos_pos": sims, "dist_neg": dists}


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
