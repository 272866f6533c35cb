"""One training step of the benchmark CNN or GPT in either library, on random batches.

Shared by ``memory.py`` (each library alone in a fresh process, so this module imports
neither library at the top) and ``scaling.py`` (both libraries in one run). The CNN is
``cnn.py``'s (Adam 1e-3); the GPT is ``gpt.py``'s (AdamW 1e-3, dropout 0).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np

GPT_SIZE = {"n_layer": 4, "n_head": 4, "n_embd": 128}  # gpt.py's model,
GPT_BATCH, GPT_BLOCK = 32, 64  # batch and context (gpt.py imports torch: not imported here)
VOCAB = 65  # tiny-shakespeare's characters: gpt.py's vocabulary
LR = 1e-3
LIBRARIES = ("scratchgrad", "torch")

Step = Callable[[], None]


def library(name: str) -> Any:
    """The module ``scratchgrad`` or ``torch`` (torch limited to 2 threads, as in gpt.py)."""
    lib = importlib.import_module(name)
    if name == "torch":
        lib.set_num_threads(2)
    return lib


def gpt_config(block: int, quick: bool = False) -> Any:
    """gpt.py's GPTConfig with context ``block`` (``quick``: 1 layer, 32 wide)."""
    from scratchgrad.models import GPTConfig

    size = {"n_layer": 1, "n_head": 2, "n_embd": 32} if quick else GPT_SIZE
    return GPTConfig(VOCAB, block, dropout=0.0, **size)


def build(lib_name: str, model: str, config: Any) -> Any:
    """The model in library ``lib_name``: ``"cnn"`` (``config`` = width) or ``"gpt"``."""
    lib = library(lib_name)
    lib.manual_seed(0)
    if model == "cnn":
        from benchmarks.cnn import build as build_cnn

        return build_cnn(lib, config)
    if lib_name == "torch":
        from benchmarks._torch_gpt import TorchGPT

        return TorchGPT(config)
    from scratchgrad.models import GPT

    return GPT(config)


def random_batch(model: str, batch: int, config: Any) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and targets: images (B, 1, 28, 28) and labels (B,), or tokens (B, T) twice."""
    rng = np.random.default_rng(0)
    if model == "cnn":
        return rng.random((batch, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, batch)
    shape = (batch, config.block_size)
    return rng.integers(0, VOCAB, shape), rng.integers(0, VOCAB, shape)


def train_step(lib_name: str, model: str, net: Any, x: np.ndarray, y: np.ndarray) -> Step:
    """A closure running one step of ``net`` on (x, y): forward, cross-entropy, backward and
    Adam (the CNN) or AdamW (the GPT)."""
    lib = library(lib_name)
    make_opt = lib.optim.AdamW if model == "gpt" else lib.optim.Adam
    opt = make_opt(net.parameters(), lr=LR)
    xb, yb = lib.from_numpy(x), lib.from_numpy(y).reshape(-1)
    cross_entropy = lib.nn.functional.cross_entropy

    def step() -> None:
        logits = net(xb)
        loss = cross_entropy(logits.reshape(-1, logits.shape[-1]), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()

    return step


def make_step(lib_name: str, model: str, batch: int, config: Any) -> Step:
    """Build the model and return its training step on one fixed random batch."""
    net = build(lib_name, model, config)
    return train_step(lib_name, model, net, *random_batch(model, batch, config))
