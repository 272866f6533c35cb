"""E5: LoRA, Hugging Face PEFT's way: adapter counts, merging, and an adapted char GPT.

LoRA keeps a layer's weight W frozen and learns a low-rank update: y = W x + (B A x) *
lora_alpha / r, with A (r, in) and B (out, r). B starts at zero, so training starts
from the base model; merging adds B A into W, after which the layer costs what it did.

Run it with ``python examples/32_lora.py``.
"""

import time

import numpy as np
from _common import section

import scratchgrad as sg
from scratchgrad import nn, optim
from scratchgrad.data import load_dataset
from scratchgrad.data.sequences import TokenWindows
from scratchgrad.data.tokenizers import CharTokenizer
from scratchgrad.models import GPT, GPTConfig
from scratchgrad.peft import LoraConfig, get_peft_model
from scratchgrad.train import next_token_loss

section("Counts: an MLP 20-2000-2000-2, LoRA r=8 on the hidden layers, the head trained")
sg.manual_seed(0)
mlp = nn.Sequential(
    nn.Linear(20, 2000), nn.ReLU(), nn.Linear(2000, 2000), nn.ReLU(), nn.Linear(2000, 2)
)  # fmt: skip
config = LoraConfig(r=8, lora_alpha=16, target_modules=["0", "2"], modules_to_save=["4"])
model = get_peft_model(mlp, config)
model.print_trainable_parameters()
trainable, _ = model.get_nb_trainable_parameters()
print("A and B of layer 0: 8*20 + 2000*8 = 16,160; of layer 2: 8*2000 + 2000*8 = 32,000")
print("the head (a trained copy): 2000*2 + 2 = 4,002; in all 48,160 + 4,002 = 52,162")
assert trainable == 52_162

section("Merging: the same outputs, the base model's speed")
for name, p in model.named_parameters():  # pretend training moved the adapters
    if p.requires_grad:
        p.array[...] = np.random.default_rng(len(name)).standard_normal(p.shape) * 0.01
x = sg.randn(256, 20)
with sg.no_grad():
    t0 = time.perf_counter()
    adapted = model(x).numpy()
    t_adapted = time.perf_counter() - t0
    merged = model.merge_and_unload()  # a plain Sequential again
    t0 = time.perf_counter()
    out = merged(x).numpy()
    t_merged = time.perf_counter() - t0
print(f"largest difference merged vs unmerged: {np.abs(out - adapted).max():.2e}")
print(f"forward: {t_adapted * 1e3:.1f} ms with adapters, {t_merged * 1e3:.1f} ms merged")
print(f"merged model: {merged}")
assert np.allclose(out, adapted, rtol=1e-5, atol=1e-5)

section("An adapted GPT: pre-train on sonnets 1-5, LoRA on sonnets 6-10")
text = load_dataset("sonnets")
full = text.train + text.val
tok = CharTokenizer().fit(full)
half = len(full) // 2
old = TokenWindows(tok.encode(full[:half]), block_size=32)
new = TokenWindows(tok.encode(full[half:]), block_size=32)
rng = np.random.default_rng(0)


def train(gpt: nn.Module, data: TokenWindows, params: list, steps: int) -> None:
    opt = optim.AdamW(params, lr=3e-3, weight_decay=0.0)
    for _ in range(steps):
        xb, yb = data.__getitems__(rng.integers(0, len(data), 32))
        loss = next_token_loss(gpt(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()


def loss_on(gpt: nn.Module, data: TokenWindows) -> float:
    xb, yb = data.__getitems__(np.arange(0, len(data), 16))
    with sg.no_grad():
        return next_token_loss(gpt(xb), yb).item()


sg.manual_seed(0)
gpt = GPT(GPTConfig(tok.vocab_size, block_size=32, n_layer=2, n_head=2, n_embd=48))
train(gpt, old, list(gpt.parameters()), 100)
before = loss_on(gpt, new)
peft = get_peft_model(gpt, LoraConfig(r=4, lora_alpha=8, target_modules=["c_attn", "c_fc"]))
peft.print_trainable_parameters()
train(peft, new, [p for p in peft.parameters() if p.requires_grad], 60)
after = loss_on(peft, new)
print(f"loss on sonnets 6-10: {before:.3f} before LoRA, {after:.3f} after")
assert after < before
tuned = peft.merge_and_unload()
assert isinstance(tuned, GPT) and abs(loss_on(tuned, new) - after) < 1e-4
sample = tuned.generate(sg.tensor([tok.encode("Shall ")]), 80, 0.8, generator=sg.Generator(0))
print(tok.decode(sample[0]))
