"""A digits classifier that judges generated images: Fréchet distance, classes, confidence.

The judge is an MLP (C*H*W -> 128 -> 10) trained by scratchgrad on the recipe's own
training images, deterministic for a seed, so ``eval`` rebuilds exactly the judge the run
used. Its hidden layer (128 ReLU features) is the space the Fréchet distance is taken in.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scratchgrad import nn, optim
from scratchgrad.autograd import no_grad
from scratchgrad.creation import randperm
from scratchgrad.nn import functional as F  # noqa: N812 - PyTorch's alias
from scratchgrad.random import Generator, manual_seed
from scratchgrad.tensor import Tensor
from scratchgrad.train.metrics import accuracy, frechet_distance

COVERED_SHARE = 0.01  # a class counts as covered when it gets >= 1% of the samples


def train_judge(images: Tensor, labels: Tensor, seed: int, steps: int = 600) -> nn.Sequential:
    """An MLP classifier of images (N, C, H, W) with labels (N,) in 0-9, Adam, batches of 64.

    Args:
        images: the training images.
        labels: their classes.
        seed: seeds the weights and the batch order.
        steps: optimizer steps.
    """
    manual_seed(seed)
    d = math.prod(images.shape[1:])
    model = nn.Sequential(nn.Flatten(), nn.Linear(d, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = optim.Adam(model.parameters(), lr=2e-3)
    gen, n, done = Generator(seed), images.shape[0], 0
    while done < steps:
        order = randperm(n, generator=gen)
        for start in range(0, n - 63, 64):
            idx = order[start : start + 64]
            loss = F.cross_entropy(model(images[idx]), labels[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            done += 1
            if done == steps:
                break
    model.eval()
    return model


def _features_and_probs(
    judge: nn.Sequential, images: NDArray[Any]
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Hidden features (N, 128) and class probabilities (N, 10) of images (N, C, H, W)."""
    with no_grad():
        h = judge[2](judge[1](judge[0](Tensor(np.asarray(images, np.float32)))))
        probs = F.softmax(judge[3](h), dim=1)
    return h.numpy(), probs.numpy()


def judge_samples(
    judge: nn.Sequential, samples: NDArray[Any], real: NDArray[Any]
) -> dict[str, float]:
    """How much samples (M, C, H, W) look like real images (N, C, H, W) to the judge.

    Returns:
        ``frechet``: the Fréchet distance of their features; ``classes``: the classes
        that get at least 1% of the samples; ``confidence``: the mean top probability.
    """
    fake_h, probs = _features_and_probs(judge, samples)
    real_h, _ = _features_and_probs(judge, real)
    counts = np.bincount(probs.argmax(axis=1), minlength=10)
    return {
        "frechet": frechet_distance(real_h, fake_h),
        "classes": float((counts >= COVERED_SHARE * len(samples)).sum()),
        "confidence": float(probs.max(axis=1).mean()),
    }


def judge_accuracy(judge: nn.Sequential, images: NDArray[Any], labels: NDArray[Any]) -> float:
    """The judge's accuracy on labelled images (N, C, H, W), (N,)."""
    _, probs = _features_and_probs(judge, images)
    return accuracy(probs, labels)
