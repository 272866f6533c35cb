"""A VAE on MNIST-shaped data, as in the PyTorch examples repository."""

import json
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 64)
        self.fc21 = nn.Linear(64, 8)
        self.fc22 = nn.Linear(64, 8)
        self.fc3 = nn.Linear(8, 64)
        self.fc4 = nn.Linear(64, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar, eps):
        std = torch.exp(0.5 * logvar)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x, eps):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar, eps)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    rng = np.random.default_rng(0)
    model = VAE().to(device)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.normal(0, 0.05, tuple(p.shape)).astype(np.float32)))
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    data = torch.from_numpy(rng.random((32, 1, 28, 28), dtype=np.float32))
    losses = []
    model.train()
    for step in range(10):
        eps = torch.from_numpy(rng.standard_normal((32, 8)).astype(np.float32))
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data.to(device), eps)
        loss = loss_function(recon_batch, data, mu, logvar)
        loss.backward()
        optimizer.step()
        losses.append(loss.item() / len(data))
    model.eval()
    with torch.no_grad():
        sample = model.decode(torch.from_numpy(rng.standard_normal((4, 8)).astype(np.float32)))
    return {"losses": losses, "sample": sample.view(4, 1, 28, 28).mean(dim=(1, 2, 3)).tolist()}


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
