"""D15: attention: the formula, masks, and multi-head weights that learn where to look.

1. Scaled dot-product attention is softmax(Q K^T / sqrt(d) + mask) V. The fused op
   ``F.scaled_dot_product_attention`` equals that formula written out, with a causal
   mask that stops position t from seeing the future.
2. A one-layer, two-head self-attention model (``nn.MultiheadAttention`` with a causal
   mask, plus learned positions) learns to output the token it saw two steps back. Its
   attention weights, drawn as heatmaps (query position down, key position across), show
   where it learned to look: the line two places left of the diagonal.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from _common import out_dir, section

import scratchgrad as sg
from scratchgrad import nn, optim
from scratchgrad.nn import functional as F  # noqa: N812

section("1. the fused op equals softmax(Q K^T / sqrt(d) + causal mask) V")
sg.manual_seed(0)
q, k, v = (sg.randn(2, 5, 8) for _ in range(3))  # (B, T, d)
fused = F.scaled_dot_product_attention(q, k, v, is_causal=True)
mask = np.triu(np.full((5, 5), -np.inf, dtype=np.float32), k=1)  # -inf above the diagonal
scores = q @ k.transpose(-2, -1) / np.sqrt(8) + sg.from_numpy(mask)
by_hand = F.softmax(scores, dim=-1) @ v
print(f"largest difference: {np.abs(fused.numpy() - by_hand.numpy()).max():.1e}")
print("causal weights of the first sequence (row t sees columns <= t):")
print(np.array2string(F.softmax(scores, dim=-1).numpy()[0], precision=2, suppress_small=True))

section("2. two heads learn to copy the token from two steps back")
V, T, D, LAG = 8, 10, 32, 2


class Lookback(nn.Module):
    """Embed tokens and positions, one causal multi-head attention, read out a token."""

    def __init__(self) -> None:
        super().__init__()
        self.tok = nn.Embedding(V, D)
        self.pos = nn.LearnedPositionalEncoding(T, D, batch_first=True)
        self.attn = nn.MultiheadAttention(D, num_heads=2, batch_first=True)
        self.out = nn.Linear(D, V)
        self.mask = nn.Transformer.generate_square_subsequent_mask(T)  # (T, T), -inf above

    def forward(self, x: sg.Tensor) -> tuple[sg.Tensor, sg.Tensor]:
        h = self.pos(self.tok(x))  # (B, T, D)
        a, weights = self.attn(h, h, h, attn_mask=self.mask, average_attn_weights=False)
        return self.out(a), weights  # (B, T, V), (B, heads, T, T)


rng = np.random.default_rng(0)
model = Lookback()
opt = optim.Adam(model.parameters(), lr=0.01)
for step in range(1, 301):
    x = rng.integers(0, V, (64, T))
    y = np.roll(x, LAG, axis=1)
    y[:, :LAG] = -100  # nothing to copy yet
    logits, _ = model(sg.from_numpy(x))
    loss = F.cross_entropy(logits.reshape(-1, V), sg.from_numpy(y).reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 100 == 0:
        print(f"step {step}: loss {loss.item():.3f}")

x = rng.integers(0, V, (256, T))
with sg.no_grad():
    logits, weights = model(sg.from_numpy(x))
accuracy = (logits.argmax(-1).numpy()[:, LAG:] == x[:, :-LAG]).mean()
w = weights.numpy().mean(axis=0)  # (heads, T, T), averaged over the batch
on_lag = np.mean([w[:, t, t - LAG].sum() / 2 for t in range(LAG, T)])
print(f"copy accuracy {accuracy:.2f} (chance {1 / V:.2f}); mean weight on t-{LAG}: {on_lag:.2f}")

fig, axes = plt.subplots(1, 2, figsize=(8, 4))
for head, ax in enumerate(axes):
    ax.imshow(w[head], cmap="viridis", vmin=0, vmax=1)
    ax.set(title=f"head {head}", xlabel="key position", ylabel="query position")
fig.suptitle(f"attention weights after learning to copy the token {LAG} steps back")
path = out_dir() / "23_attention_heads.png"
fig.savefig(path, dpi=100, bbox_inches="tight")
print(f"saved {path}")
