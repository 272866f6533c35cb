"""CharRNN against the same layers in PyTorch; generation carries the LSTM state."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.models import CharRNN


def _pair(num_layers: int = 2) -> tuple[CharRNN, torch.nn.Module]:
    sg.manual_seed(0)
    ours = CharRNN(vocab_size=11, embed_dim=6, hidden_size=8, num_layers=num_layers).double()

    class Ref(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = torch.nn.Embedding(11, 6)
            self.lstm = torch.nn.LSTM(6, 8, num_layers, batch_first=True)
            self.head = torch.nn.Linear(8, 11)

        def forward(self, idx: torch.Tensor) -> torch.Tensor:
            return self.head(self.lstm(self.embedding(idx))[0])

    ref = Ref().double()
    ref.load_state_dict(
        {k: torch.from_numpy(v.detach().numpy().copy()) for k, v in ours.state_dict().items()}
    )
    return ours, ref


def test_logits_and_gradients_equal_torch() -> None:
    ours, ref = _pair()
    idx = np.random.default_rng(0).integers(0, 11, (3, 7))
    logits, (h, c) = ours(sg.from_numpy(idx))
    ref_logits = ref(torch.from_numpy(idx))
    np.testing.assert_allclose(logits.detach().numpy(), ref_logits.detach().numpy(), 1e-10, 1e-12)
    assert h.shape == c.shape == (2, 3, 8)
    logits.sum().backward()
    ref_logits.sum().backward()
    grads = dict(ours.named_parameters())
    for name, p in ref.named_parameters():
        np.testing.assert_allclose(
            grads[name].grad.numpy(), p.grad.numpy(), 1e-9, 1e-11, err_msg=name
        )


def test_generate_with_carried_state_equals_rereading_the_whole_text() -> None:
    ours, _ = _pair(num_layers=1)
    prompt = sg.from_numpy(np.array([[1, 4, 2], [3, 3, 0]]))
    out = ours.generate(prompt, 5, top_k=1)  # greedy, with the state carried token by token
    seq = prompt.numpy()
    ours.eval()
    for _ in range(5):  # greedy again, re-reading everything each step
        logits = ours(sg.from_numpy(seq))[0].detach().numpy()[:, -1]
        seq = np.concatenate([seq, logits.argmax(-1)[:, None]], axis=1)
    np.testing.assert_array_equal(out.numpy(), seq)


def test_generate_is_seeded_and_checks_its_arguments() -> None:
    ours, _ = _pair(num_layers=1)
    prompt = sg.zeros(1, 2, dtype=sg.int64)
    a = ours.generate(prompt, 6, temperature=1.5, generator=sg.Generator(3))
    b = ours.generate(prompt, 6, temperature=1.5, generator=sg.Generator(3))
    assert np.array_equal(a.numpy(), b.numpy())
    with pytest.raises(ValueError, match="temperature"):
        ours.generate(prompt, 1, temperature=-1.0)
    with pytest.raises(ValueError, match=r"\(B, T\)"):
        ours(sg.zeros(4, dtype=sg.int64))
