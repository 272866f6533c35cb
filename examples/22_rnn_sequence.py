"""D14: recurrent networks learn a sequence task: continue an arithmetic sequence mod 10.

Each sequence is x_t = (a + b * t) mod 10 with a random start a and step b, e.g.
3 7 1 5 9 3 ... (a = 3, b = 4). Reading it left to right, the network predicts the next
digit at every position. After two digits the rest is determined, but only if the
network remembers b: it must carry what it has seen in its hidden state. We train an
LSTM and a GRU (``batch_first=True``), score the predictions from the third position on
(chance = 0.10), and print the shapes the recurrent layers return.
"""

import numpy as np
from _common import section

import scratchgrad as sg
from scratchgrad import nn, optim
from scratchgrad.nn import functional as F  # noqa: N812

T, DIGITS, STEPS, BATCH = 12, 10, 300, 64


def batch(rng: np.random.Generator) -> tuple[sg.Tensor, sg.Tensor]:
    """One-hot inputs (B, T, 10) and next digits (B, T), -100 (not scored) for t < 2."""
    a, b = rng.integers(0, DIGITS, (2, BATCH, 1))
    seq = (a + b * np.arange(T + 1)) % DIGITS  # (B, T + 1)
    target = seq[:, 1:].copy()
    target[:, :1] = -100  # after one digit the step b is still unknown
    return sg.from_numpy(np.eye(DIGITS, dtype=np.float32)[seq[:, :-1]]), sg.from_numpy(target)


class NextDigit(nn.Module):
    """A recurrent layer, then a linear layer on its output at every step."""

    def __init__(self, cell: type[nn.Module]) -> None:
        super().__init__()
        self.rnn = cell(DIGITS, 32, batch_first=True)
        self.head = nn.Linear(32, DIGITS)

    def forward(self, x: sg.Tensor) -> sg.Tensor:
        out = self.rnn(x)[0]  # (B, T, 32): the hidden state after every step
        return self.head(out)  # (B, T, 10)


def train(cell: type[nn.Module]) -> float:
    sg.manual_seed(0)
    model = NextDigit(cell)
    opt = optim.Adam(model.parameters(), lr=0.01)
    rng = np.random.default_rng(0)
    for step in range(1, STEPS + 1):
        x, y = batch(rng)
        loss = F.cross_entropy(model(x).reshape(-1, DIGITS), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0:
            print(f"  {cell.__name__} step {step}: loss {loss.item():.3f}")
    x, y = batch(np.random.default_rng(1))
    with sg.no_grad():
        hits = model(x).argmax(-1).numpy()[:, 1:] == y.numpy()[:, 1:]
    return float(hits.mean())


section(f"continue (a + b t) mod 10 over {T} steps (chance = 0.10)")
scores = {cell.__name__: train(cell) for cell in (nn.LSTM, nn.GRU)}
print(
    "test accuracy from the third digit on: " + ", ".join(f"{k} {v:.2f}" for k, v in scores.items())
)

section("shapes: output (B, T, D*H) every step; h_n and c_n (D*layers, B, H) at the end")
lstm = nn.LSTM(DIGITS, 32, num_layers=2, batch_first=True, bidirectional=True)
out, (h_n, c_n) = lstm(batch(np.random.default_rng(2))[0])
print(f"{lstm}: output {out.shape}, h_n {h_n.shape}, c_n {c_n.shape}")
