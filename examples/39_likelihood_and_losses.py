"""Losses from likelihoods: binary and multi-class cross-entropy, multi-label BCE, log-sum-exp.

Curriculum rows shown here:
    C1 the likelihood of labels under a model; for binary labels each y is a Bernoulli
        draw with P(y=1) = p, so P(y) = p^y (1-p)^(1-y) and the log-likelihood of a data
        set is sum_i [y_i log p_i + (1-y_i) log(1-p_i)].
    C2 binary cross-entropy is minus the mean of that log-likelihood; multi-class
        cross-entropy is -log softmax(z)[y]; multi-label BCE sums one BCE per label.
    C3 softmax and cross-entropy computed naively overflow for logits of 1000; the
        log-sum-exp trick (subtract the maximum first) gives the exact answer.

Every number is computed twice (by hand with NumPy and by scratchgrad's losses) and the
script stops with an AssertionError if they disagree.

Run it with ``python examples/39_likelihood_and_losses.py``.
"""

import numpy as np
from _common import section

import scratchgrad as sg
from scratchgrad.nn import functional as F  # noqa: N812 - PyTorch's alias

section("C1. The Bernoulli likelihood of four binary labels")
z = np.array([2.0, -1.0, 0.5, -3.0])  # logits
y = np.array([1.0, 0.0, 0.0, 0.0])
p = 1 / (1 + np.exp(-z))  # P(y = 1)
likelihood = np.prod(p**y * (1 - p) ** (1 - y))
log_lik = np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
print(f"p = {np.round(p, 4).tolist()}")
print(f"likelihood = prod p^y (1-p)^(1-y) = {likelihood:.6f}")
print(f"log-likelihood = {log_lik:.6f} = log(likelihood) = {np.log(likelihood):.6f}")
assert np.isclose(log_lik, np.log(likelihood))

section("C2. Binary cross-entropy is minus the mean log-likelihood")
zt, yt = sg.tensor(z, requires_grad=True), sg.tensor(y)
bce = F.binary_cross_entropy_with_logits(zt, yt)
print(f"-log_lik / n = {-log_lik / len(y):.6f}   scratchgrad BCE = {bce.item():.6f}")
assert np.isclose(-log_lik / len(y), bce.item())
bce.backward()
grad_by_hand = (p - y) / len(y)  # d BCE / d z: the derivation's (sigmoid(z) - y) / n
eps = 1e-6
numeric = [
    (
        F.binary_cross_entropy_with_logits(sg.tensor(z + eps * e), yt).item()
        - F.binary_cross_entropy_with_logits(sg.tensor(z - eps * e), yt).item()
    )
    / (2 * eps)
    for e in np.eye(len(z))
]
print(f"dBCE/dz by hand  {np.round(grad_by_hand, 6).tolist()}")
print(f"autograd         {np.round(zt.grad.numpy(), 6).tolist()}")
print(f"finite diffs     {np.round(numeric, 6).tolist()}")
assert np.allclose(zt.grad.numpy(), grad_by_hand) and np.allclose(numeric, grad_by_hand, atol=1e-6)

section("C2. Multi-class cross-entropy on a toy batch of 3 samples, 4 classes")
logits = np.array([[2.0, 1.0, 0.1, -1.0], [0.0, 0.0, 3.0, 0.0], [1.0, 2.0, 3.0, 4.0]])
labels = np.array([0, 2, 1])
log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
ce_by_hand = -log_probs[np.arange(3), labels].mean()
ce = F.cross_entropy(sg.tensor(logits), sg.tensor(labels)).item()
print(f"-mean log softmax(z)[y]: by hand {ce_by_hand:.6f}, scratchgrad {ce:.6f}")
assert np.isclose(ce, ce_by_hand)

section("C2. Multi-label BCE: one Bernoulli per label, summed over labels")
tag_logits = np.array([[1.5, -0.5, 0.0], [-2.0, 2.0, 1.0]])
tags = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
q = 1 / (1 + np.exp(-tag_logits))
per_label = -(tags * np.log(q) + (1 - tags) * np.log(1 - q))  # (2 samples, 3 labels)
ml_by_hand = per_label.sum(axis=1).mean()
ml = F.binary_cross_entropy_with_logits(sg.tensor(tag_logits), sg.tensor(tags), reduction="sum")
ml_ours = ml.item() / len(tags)
print(f"sum over labels, mean over samples: by hand {ml_by_hand:.6f}, scratchgrad {ml_ours:.6f}")
assert np.isclose(ml_ours, ml_by_hand)

section("C3. Logits of 1000: the naive formula overflows, log-sum-exp does not")
big = np.array([1000.0, 999.0, 998.0])
with np.errstate(over="ignore", invalid="ignore"):
    naive_softmax = np.exp(big) / np.exp(big).sum()
    naive_ce = -np.log(np.exp(big[0]) / np.exp(big).sum())
    exp_1000 = np.exp(big[0])
shifted = big - big.max()
stable_softmax = np.exp(shifted) / np.exp(shifted).sum()
stable_ce = -(shifted[0] - np.log(np.exp(shifted).sum()))
ours_softmax = sg.softmax(sg.tensor(big), dim=0).numpy()
ours_ce = F.cross_entropy(sg.tensor(big[None]), sg.tensor([0])).item()
print(f"naive:   exp(1000) = {exp_1000}; softmax = {naive_softmax}, CE = {naive_ce}")
print(f"stable:  softmax = {np.round(stable_softmax, 6).tolist()}, CE = {stable_ce:.6f}")
print(f"scratchgrad: softmax = {np.round(ours_softmax, 6).tolist()}, CE = {ours_ce:.6f}")
assert np.isnan(naive_softmax).all() and not np.isfinite(naive_ce)
assert np.allclose(ours_softmax, stable_softmax) and np.isclose(ours_ce, stable_ce)
print(f"the answer does not depend on the shift: CE of (0, -1, -2) = {stable_ce:.6f}")
