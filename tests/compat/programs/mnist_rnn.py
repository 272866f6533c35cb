"""An LSTM classifying MNIST-shaped images row by row, as the PyTorch examples' mnist_rnn
(batch_first LSTM, the last time step to a Linear, StepLR, log_softmax + nll_loss)."""

import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.rnn = nn.LSTM(input_size=28, hidden_size=16, batch_first=True)
        self.batchnorm = nn.BatchNorm1d(16)
        self.dropout1 = nn.Dropout2d(0.0)
        self.fc1 = nn.Linear(16, 10)

    def forward(self, input):
        input = input.reshape(-1, 28, 28)
        output, hidden = self.rnn(input)
        output = output[:, -1, :]
        output = self.batchnorm(output)
        output = F.relu(self.fc1(output))
        return F.log_softmax(output, dim=1)


def main():
    use_cuda = torch.cuda.is_available()
    device = torch.device("cuda" if use_cuda else "cpu")
    kwargs = {"num_workers": 1, "pin_memory": True} if use_cuda else {}
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.random((32, 1, 28, 28), dtype=np.float32))
    y = torch.from_numpy(rng.integers(0, 10, 32))
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x, y), batch_size=8, shuffle=False, **kwargs
    )
    model = Net().to(device)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.uniform(-0.2, 0.2, tuple(p.shape)).astype(np.float32)))
    optimizer = optim.Adadelta(model.parameters(), lr=0.1)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
    losses = []
    for epoch in range(1, 3):
        model.train()
        for batch_idx, (data, target) in enumerate(loader):
            data, target = data.to(device), target.to(device)
            optimizer.zero_grad()
            loss = F.nll_loss(model(data), target)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        scheduler.step()
    model.eval()
    test_loss = 0
    with torch.no_grad():
        for data, target in loader:
            test_loss += F.nll_loss(model(data), target, reduction="sum").item()
    return {"losses": losses, "test_loss": [test_loss / len(loader.dataset)]}


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
