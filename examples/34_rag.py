"""E6: retrieval-augmented generation: find the passages a question is about, then write.

The sonnets are cut into passages of at most 150 characters and embedded as TF-IDF
vectors (words weighted by how rare they are; rows of length 1, so an inner product is
the cosine). The question's nearest passages, by an exact inner-product index, are put
before it in the prompt of a small character GPT, which continues from there.

A character model this small writes sonnet-shaped noise: what this shows is the
pipeline (the same as ``scratchgrad index build`` and ``scratchgrad ask``), and that
the retrieved text is what the model conditions on.

Run it with ``python examples/34_rag.py``.
"""

import numpy as np
from _common import out_dir, section

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.data import load_dataset
from scratchgrad.data.sequences import TokenWindows
from scratchgrad.data.tokenizers import CharTokenizer
from scratchgrad.models import GPT, GPTConfig
from scratchgrad.retrieval import TextIndex, rag_prompt
from scratchgrad.train import next_token_loss

section("E6. Retrieval: TF-IDF passages of the sonnets")
text = load_dataset("sonnets")
corpus = text.train + text.val
index = TextIndex.build(corpus, chunk=150)
index.save(out_dir() / "34_sonnets.index")
print(f"{len(index.passages)} passages, {len(index.vectorizer.vocabulary_)} words")
question = "Why should the summer's day and the darling buds of May fade?"
hits = index.search(question, 3)
for rank, (score, passage) in enumerate(hits, 1):
    print(f"[{rank}] score {score:.4f}  {passage}")
assert "darling buds of May" in hits[0][1] and hits[0][0] > hits[1][0]

section("Generation: a small char GPT continues the question after the passages")
tok = CharTokenizer().fit(corpus)
train = TokenWindows(tok.encode(text.train), block_size=64)
sg.manual_seed(0)
gpt = GPT(GPTConfig(tok.vocab_size, block_size=64, n_layer=2, n_head=2, n_embd=48))
opt = optim.AdamW(gpt.parameters(), lr=3e-3)
rng = np.random.default_rng(0)
for _ in range(100):
    x, y = train.__getitems__(rng.integers(0, len(train), 32))
    loss = next_token_loss(gpt(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"train loss after 100 steps: {loss.item():.2f} nats/char")
prompt = rag_prompt(question, [p for _, p in hits])
out = gpt.generate(sg.tensor([tok.encode(prompt)]), 80, 0.8, generator=sg.Generator(0))
print(f"prompt: {len(prompt)} characters; the model sees its last 64 (its context window)")
print("answer:", tok.decode(out[0])[len(prompt) :])
