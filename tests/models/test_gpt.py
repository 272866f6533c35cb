"""GPT against the same model in PyTorch: logits, every gradient, AdamW steps, generation."""

import numpy as np
import pytest
import torch
from benchmarks._torch_gpt import torch_copy

import scratchgrad as sg
from scratchgrad import optim
from scratchgrad.models import GPT, GPTConfig
from scratchgrad.nn import functional as F  # noqa: N812

CONFIG = GPTConfig(vocab_size=13, block_size=8, n_layer=2, n_head=2, n_embd=16)
TOL = {"float32": (2e-5, 2e-6), "float64": (1e-10, 1e-12)}


def _model(dtype: str = "float32", config: GPTConfig = CONFIG) -> GPT:
    sg.manual_seed(0)
    model = GPT(config)
    return model.double() if dtype == "float64" else model


def _batch(seed: int = 0, b: int = 3, t: int = 8) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    tokens = rng.integers(0, CONFIG.vocab_size, (b, t + 1))
    return tokens[:, :-1], tokens[:, 1:]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_logits_and_gradients_equal_torch(dtype: str) -> None:
    model = _model(dtype)
    ref = torch_copy(model, CONFIG, getattr(torch, dtype))
    x, y = _batch()
    logits = model(sg.from_numpy(x))
    ref_logits = ref(torch.from_numpy(x))
    rtol, atol = TOL[dtype]
    np.testing.assert_allclose(logits.detach().numpy(), ref_logits.detach().numpy(), rtol, atol)
    F.cross_entropy(logits.reshape(-1, 13), sg.from_numpy(y).reshape(-1)).backward()
    torch.nn.functional.cross_entropy(
        ref_logits.reshape(-1, 13), torch.from_numpy(y).reshape(-1)
    ).backward()
    ours = dict(model.named_parameters())
    for name, p in ref.named_parameters():
        np.testing.assert_allclose(
            ours[name].grad.numpy(), p.grad.numpy(), rtol, atol * 10, err_msg=name
        )


def test_adamw_training_steps_equal_torch() -> None:
    model = _model("float64")
    ref = torch_copy(model, CONFIG, torch.float64)
    opt = optim.AdamW(model.parameters(), lr=1e-2)
    ref_opt = torch.optim.AdamW(ref.parameters(), lr=1e-2)
    for step in range(5):
        x, y = _batch(step)
        loss = F.cross_entropy(
            model(sg.from_numpy(x)).reshape(-1, 13), sg.from_numpy(y).reshape(-1)
        )
        ref_loss = torch.nn.functional.cross_entropy(
            ref(torch.from_numpy(x)).reshape(-1, 13), torch.from_numpy(y).reshape(-1)
        )
        assert loss.item() == pytest.approx(ref_loss.item(), rel=1e-9), f"step {step}"
        for o in (opt, ref_opt):
            o.zero_grad()
        loss.backward()
        ref_loss.backward()
        opt.step()
        ref_opt.step()


def test_weights_are_tied_and_counted_once() -> None:
    model = _model()
    assert model.lm_head.weight is model.wte.weight
    names = [n for n, _ in model.named_parameters()]
    assert "lm_head.weight" not in names  # the shared matrix is listed once, as torch
    total = sum(p.numel() for _, p in model.named_parameters())
    assert model.num_parameters() == total
    assert "lm_head.weight" in model.state_dict()  # but saved under both names, as torch


def test_initialisation_follows_gpt2() -> None:
    config = GPTConfig(vocab_size=50, block_size=64, n_layer=4, n_head=4, n_embd=128)
    model = _model(config=config)
    fc = model.h[0].mlp.c_fc.weight.detach().numpy()
    proj = model.h[0].mlp.c_proj.weight.detach().numpy()
    assert fc.std() == pytest.approx(0.02, rel=0.05)
    assert proj.std() == pytest.approx(0.02 / np.sqrt(8), rel=0.05)
    assert not model.h[0].attn.c_attn.bias.detach().numpy().any()


def test_dropout_is_off_in_eval_and_on_in_train() -> None:
    config = GPTConfig(vocab_size=13, block_size=8, n_layer=1, n_head=2, n_embd=16, dropout=0.5)
    model = _model(config=config)
    x = sg.from_numpy(_batch()[0])
    model.eval()
    assert np.array_equal(model(x).detach().numpy(), model(x).detach().numpy())
    model.train()
    assert not np.array_equal(model(x).detach().numpy(), model(x).detach().numpy())


def test_generate_crops_to_the_context_window_and_is_seeded() -> None:
    model = _model()
    prompt = sg.from_numpy(_batch(t=12)[0][:2])  # longer than block_size 8
    a = model.generate(prompt, 5, temperature=0.8, top_k=4, generator=sg.Generator(1))
    b = model.generate(prompt, 5, temperature=0.8, top_k=4, generator=sg.Generator(1))
    assert a.shape == (2, 17)
    assert np.array_equal(a.numpy(), b.numpy())
    assert np.array_equal(a.numpy()[:, :12], prompt.numpy())
    assert model.training  # restored after generating


def test_generate_with_top_k_1_is_greedy() -> None:
    model = _model()
    idx = sg.from_numpy(_batch()[0][:, :3])
    out = model.generate(idx, 4, top_k=1)
    seq = idx.numpy()
    model.eval()
    for _ in range(4):
        logits = model(sg.from_numpy(seq[:, -8:])).detach().numpy()[:, -1]
        seq = np.concatenate([seq, logits.argmax(-1)[:, None]], axis=1)
    np.testing.assert_array_equal(out.numpy(), seq)


def test_bad_input_is_refused() -> None:
    model = _model()
    with pytest.raises(ValueError, match="exceeds block_size 8"):
        model(sg.zeros(1, 9, dtype=sg.int64))
    with pytest.raises(ValueError, match=r"must be \(B, T\)"):
        model(sg.zeros(9, dtype=sg.int64))
    with pytest.raises(ValueError, match="temperature must be > 0"):
        model.generate(sg.zeros(1, 2, dtype=sg.int64), 1, temperature=0)
    with pytest.raises(ValueError, match="top_k must be >= 1"):
        model.generate(sg.zeros(1, 2, dtype=sg.int64), 1, top_k=0)
    with pytest.raises(ValueError, match=r"idx must be \(B, T\) with T >= 1, got \(1, 0\)"):
        model.generate(sg.zeros(1, 0, dtype=sg.int64), 1)
    with pytest.raises(ValueError, match="divisible by n_head"):
        GPTConfig(vocab_size=5, n_embd=10, n_head=3)
    with pytest.raises(ValueError, match="dropout"):
        GPTConfig(vocab_size=5, dropout=1.0)
