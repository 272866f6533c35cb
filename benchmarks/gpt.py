"""The character GPT on tiny-shakespeare: training speed and quality against PyTorch.

``python -m benchmarks gpt`` times training steps of the same model (n_layer=4, n_head=4,
n_embd=128, block_size=64, batch 32, AdamW lr 1e-3, dropout 0) in both libraries, from the
same weights on the same batches, and prints tokens/s and their ratio.

``python -m benchmarks.gpt --quality`` also trains ours for 2,000 steps, printing the
validation loss (nats per character, all non-overlapping windows of the last 10% of the
text) as it goes, and trains torch for 200 steps to compare the training loss there.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch

import scratchgrad as sg
from benchmarks._torch_gpt import torch_copy
from scratchgrad.data.builtin.text import text_corpus
from scratchgrad.data.sequences import TokenWindows
from scratchgrad.data.tokenizers import CharTokenizer
from scratchgrad.models import GPT, GPTConfig

TEXT = Path(__file__).resolve().parents[2] / "shared" / "data" / "tinyshakespeare.txt"
BATCH, BLOCK, LR = 32, 64, 1e-3
WARMUP, TIMED = 3, 30


def load_tokens() -> tuple[np.ndarray, np.ndarray, int, str]:
    """Train and val token ids of tiny-shakespeare (90/10), or of generated text."""
    if TEXT.exists():
        corpus = text_corpus(TEXT)
        train, val, source = corpus.train, corpus.val, "tiny-shakespeare (../shared/data)"
    else:
        rng = np.random.default_rng(0)
        words = ["to", "be", "or", "not", "that", "is", "the", "question", "\n"]
        text = " ".join(rng.choice(words, 200_000))
        cut = int(len(text) * 0.9)
        train, val, source = text[:cut], text[cut:], "generated text (tiny-shakespeare absent)"
    tok = CharTokenizer().fit(train + val)
    ids = (np.asarray(tok.encode(t), dtype=np.int64) for t in (train, val))
    return *ids, tok.vocab_size, source  # type: ignore[return-value]


def batches(tokens: np.ndarray, seed: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Random (x, y) windows (BATCH, BLOCK), the same sequence for both libraries."""
    windows = TokenWindows(tokens, BLOCK)
    rng = np.random.default_rng(seed)
    while True:
        x, y = windows.__getitems__(rng.integers(0, len(windows), BATCH))
        yield x.numpy(), y.numpy()


def sg_step(model: GPT, opt: Any) -> Callable[[np.ndarray, np.ndarray], float]:
    """One scratchgrad training step on a batch; returns the loss."""

    def step(x: np.ndarray, y: np.ndarray) -> float:
        logits = model(sg.from_numpy(x))
        loss = sg.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), sg.from_numpy(y).reshape(-1)
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        return float(loss.item())

    return step


def torch_step(model: torch.nn.Module, opt: Any) -> Callable[[np.ndarray, np.ndarray], float]:
    """One torch training step on a batch; returns the loss."""

    def step(x: np.ndarray, y: np.ndarray) -> float:
        logits = model(torch.from_numpy(x))
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), torch.from_numpy(y).reshape(-1)
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        return float(loss.item())

    return step


def build(vocab: int) -> tuple[Callable[..., float], Callable[..., float], GPT]:
    """Both models from the same weights, each with AdamW (lr 1e-3)."""
    sg.manual_seed(0)
    config = GPTConfig(vocab, BLOCK, n_layer=4, n_head=4, n_embd=128, dropout=0.0)
    ours = GPT(config)
    ref = torch_copy(ours, config, torch.float32)
    ours_step = sg_step(ours, sg.optim.AdamW(ours.parameters(), lr=LR))
    ref_step = torch_step(ref, torch.optim.AdamW(ref.parameters(), lr=LR))
    return ours_step, ref_step, ours


def tokens_per_s(
    step: Callable[..., float], data: Iterator[tuple[np.ndarray, np.ndarray]]
) -> float:
    """Median tokens/s over TIMED steps, after WARMUP steps."""
    times = []
    for i in range(WARMUP + TIMED):
        x, y = next(data)
        start = time.perf_counter()
        step(x, y)
        if i >= WARMUP:
            times.append(time.perf_counter() - start)
    return BATCH * BLOCK / statistics.median(times)


def val_loss(model: GPT, val: np.ndarray) -> float:
    """Mean cross-entropy over every non-overlapping window of the validation text."""
    windows = TokenWindows(val, BLOCK, stride=BLOCK)
    total, count = 0.0, 0
    model.eval()
    with sg.no_grad():
        for start in range(0, len(windows), 128):
            x, y = windows.__getitems__(np.arange(start, min(start + 128, len(windows))))
            logits = model(x)
            loss = sg.nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum"
            )
            total, count = total + float(loss.item()), count + y.numel()
    model.train()
    return total / count


def speed() -> None:
    """Tokens/s of a training step in both libraries, and the ratio."""
    train, _, vocab, source = load_tokens()
    ours, ref, _ = build(vocab)
    torch.set_num_threads(2)
    ours_tps = tokens_per_s(ours, batches(train, 1))
    ref_tps = tokens_per_s(ref, batches(train, 1))
    print(f"\nchar GPT (4 layers, 4 heads, 128 wide, context 64), batch {BATCH}, {source}")
    print(f"{'library':12s} {'tokens/s':>10s}")
    print(f"{'scratchgrad':12s} {ours_tps:10.0f}\n{'torch':12s} {ref_tps:10.0f}")
    print(f"speed ratio scratchgrad/torch = {ours_tps / ref_tps:.2f} (goal >= 1.0)")


def quality(steps: int = 2000, compare_at: int = 200, every: int = 250) -> None:
    """Validation loss of ours over ``steps``; training loss near ``compare_at`` vs torch."""
    train, val, vocab, source = load_tokens()
    ours, ref, model = build(vocab)
    print(f"\nquality: {source}, {steps} steps")
    ours_losses, ref_losses = [], []
    data, ref_data = batches(train, 7), batches(train, 7)
    for i in range(1, steps + 1):
        ours_losses.append(ours(*next(data)))
        if i <= compare_at:
            ref_losses.append(ref(*next(ref_data)))
        if i == compare_at:
            a, b = np.mean(ours_losses[-10:]), np.mean(ref_losses[-10:])
            print(
                f"step {i}: train loss (mean of the last 10 steps) ours {a:.4f}, torch {b:.4f}, "
                f"difference {abs(a - b) / b:.2%} (goal <= 2%); "
                f"at step {i} itself: {ours_losses[-1]:.4f} vs {ref_losses[-1]:.4f}"
            )
        if i % every == 0 or i == steps:
            print(f"step {i}: val loss {val_loss(model, val):.4f} nats/char (goal <= 1.95)")


def main(argv: list[str] | None = None) -> None:
    """Speed (always) and quality (with --quality)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gpt", description=__doc__)
    parser.add_argument("--quality", action="store_true", help="also train to the quality bar")
    args = parser.parse_args(argv)
    speed()
    if args.quality:
        quality()


if __name__ == "__main__":
    main()
