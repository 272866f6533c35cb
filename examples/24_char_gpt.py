"""D15-D16: a character-level GPT trains briefly on built-in text, then writes some.

The text is ten of Shakespeare's sonnets, shipped with scratchgrad (``load_dataset
("sonnets")``): 90% trains, 10% validates. Characters become token ids (a
``CharTokenizer``); the model sees windows of ``block_size`` characters and learns to
predict the next character at every position (cross-entropy in nats per character).
Generation feeds at most the last ``block_size`` characters (the context window), and
samples the next one from softmax(logits / temperature): a low temperature repeats the
likeliest patterns, a high one takes more risks.
"""

import math

import numpy as np
from _common import section

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.data import load_dataset
from scratchgrad.data.sequences import TokenWindows
from scratchgrad.data.tokenizers import CharTokenizer
from scratchgrad.models import GPT, GPTConfig
from scratchgrad.train import next_token_loss

STEPS, BATCH = 300, 32

section("data: the sonnets as character ids")
text = load_dataset("sonnets")
tok = CharTokenizer().fit(text.chars)
train = TokenWindows(tok.encode(text.train), block_size=32)
val = TokenWindows(tok.encode(text.val), block_size=32, stride=32)
print(f"{tok.vocab_size} distinct characters; {len(text.train)} train, {len(text.val)} val")


def val_loss(model: GPT) -> float:
    x, y = val.__getitems__(np.arange(len(val)))
    model.eval()
    with sg.no_grad():
        loss = next_token_loss(model(x), y).item()
    model.train()
    return loss


section("model: 2 layers, 4 heads, 64 wide, context 32")
sg.manual_seed(0)
model = GPT(GPTConfig(tok.vocab_size, block_size=32, n_layer=2, n_head=4, n_embd=64))
print(f"{model.num_parameters():,} parameters; the output layer shares the embedding's")
print(
    f"before training: val loss {val_loss(model):.2f} nats/char "
    f"(uniform guessing: ln {tok.vocab_size} = {math.log(tok.vocab_size):.2f})"
)

opt = optim.AdamW(model.parameters(), lr=3e-3)
rng = np.random.default_rng(0)
for step in range(1, STEPS + 1):
    x, y = train.__getitems__(rng.integers(0, len(train), BATCH))
    loss = next_token_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 100 == 0:
        print(f"step {step}: train loss {loss.item():.2f}, val loss {val_loss(model):.2f}")

section("generation: the same prompt at two temperatures")
prompt = sg.tensor([tok.encode("Shall I ")])
for temperature in (0.5, 1.2):
    out = model.generate(prompt, 120, temperature=temperature, generator=sg.Generator(1))
    print(f"--- temperature {temperature} ---\n{tok.decode(out[0])}\n")
