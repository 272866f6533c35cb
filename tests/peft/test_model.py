"""PeftModel: merging, unloading, disabling, bias options, saving only the adapter."""

import json
from pathlib import Path

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.models import GPT, GPTConfig
from scratchgrad.peft import LoraConfig, ModulesToSaveWrapper, PeftModel, get_peft_model
from scratchgrad.peft.model import CONFIG_NAME, WEIGHTS_NAME, matches


def cnn() -> nn.Sequential:
    sg.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 36, 8),
        nn.ReLU(), nn.Linear(8, 3),
    )  # fmt: skip


def _randomise_adapters(model: PeftModel) -> None:
    sg.manual_seed(1)
    for name, p in model.named_parameters():
        if p.requires_grad:
            p.array[...] = np.random.default_rng(len(name)).standard_normal(p.shape) * 0.1


def test_merge_and_unload_gives_the_same_outputs() -> None:
    model = get_peft_model(cnn(), LoraConfig(r=2, target_modules=["0", "3"], modules_to_save=["5"]))
    _randomise_adapters(model)
    x = sg.randn(5, 1, 6, 6)
    expected = model(x).detach().numpy()
    model.merge_adapter()
    np.testing.assert_allclose(model(x).detach().numpy(), expected, rtol=1e-5, atol=1e-5)
    model.unmerge_adapter()
    merged = model.merge_and_unload()
    assert type(merged[0]) is nn.Conv2d and type(merged[5]) is nn.Linear
    assert [n for n, _ in merged.named_parameters()] == [n for n, _ in cnn().named_parameters()]
    np.testing.assert_allclose(merged(x).detach().numpy(), expected, rtol=1e-5, atol=1e-5)


def test_disable_adapter_and_unload_give_the_base_model() -> None:
    base_out = cnn()(sg.ones(2, 1, 6, 6)).detach().numpy()
    model = get_peft_model(cnn(), LoraConfig(r=2, target_modules=["3"], modules_to_save=["5"]))
    _randomise_adapters(model)
    x = sg.ones(2, 1, 6, 6)
    adapted = model(x).detach().numpy()
    assert not np.allclose(adapted, base_out)
    model.merge_adapter()
    with model.disable_adapter():
        np.testing.assert_allclose(model(x).detach().numpy(), base_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model(x).detach().numpy(), adapted, rtol=1e-5, atol=1e-5)
    plain = model.unload()
    assert not any(isinstance(m, ModulesToSaveWrapper) for m in plain.modules())
    np.testing.assert_allclose(
        plain[3](sg.ones(1, 144)).detach().numpy(),
        cnn()[3](sg.ones(1, 144)).detach().numpy(),
        rtol=1e-5,
        atol=1e-6,
    )


@pytest.mark.parametrize(
    ("bias", "extra"),
    [("none", set()), ("lora_only", {"3.base_layer.bias"}),
     ("all", {"0.bias", "3.base_layer.bias", "5.bias"})],
)  # fmt: skip
def test_bias_options(bias, extra) -> None:
    model = get_peft_model(cnn(), LoraConfig(r=2, target_modules=["3"], bias=bias))
    names = {n.removeprefix("base_model.") for n, p in model.named_parameters() if p.requires_grad}
    assert names == {"3.lora_A.weight", "3.lora_B.weight"} | extra
    assert set(model.adapter_state_dict()) == names


def test_save_and_load_only_the_adapter(tmp_path: Path) -> None:
    config = LoraConfig(r=2, lora_alpha=4, target_modules=["0", "3"], modules_to_save=["5"])
    model = get_peft_model(cnn(), config)
    _randomise_adapters(model)
    x = sg.randn(3, 1, 6, 6)
    expected = model(x).detach().numpy()
    model.save_pretrained(tmp_path / "adapter")
    saved = sg.load(tmp_path / "adapter" / WEIGHTS_NAME)
    assert set(saved) == {
        "0.lora_A.weight", "0.lora_B.weight", "3.lora_A.weight", "3.lora_B.weight",
        "5.modules_to_save.weight", "5.modules_to_save.bias",
    }  # fmt: skip
    record = json.loads((tmp_path / "adapter" / CONFIG_NAME).read_text())
    assert record["peft_type"] == "LORA" and record["r"] == 2
    loaded = PeftModel.from_pretrained(cnn(), tmp_path / "adapter")
    np.testing.assert_allclose(loaded(x).detach().numpy(), expected, rtol=1e-6)
    assert loaded.get_nb_trainable_parameters()[0] == 0
    trainable = PeftModel.from_pretrained(cnn(), tmp_path / "adapter", is_trainable=True)
    assert trainable.get_nb_trainable_parameters()[0] > 0


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no adapter config"):
        PeftModel.from_pretrained(cnn(), tmp_path)
    (tmp_path / CONFIG_NAME).write_text("{not json")
    with pytest.raises(ValueError, match="damaged, not a JSON config"):
        PeftModel.from_pretrained(cnn(), tmp_path)
    get_peft_model(cnn(), LoraConfig(r=2, target_modules=["3"])).save_pretrained(tmp_path)
    with pytest.raises(ValueError, match="do not fit"):
        PeftModel.from_pretrained(
            nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2)),
            tmp_path,
        )
    (tmp_path / WEIGHTS_NAME).unlink()
    with pytest.raises(FileNotFoundError, match="no adapter weights"):
        PeftModel.from_pretrained(cnn(), tmp_path)


def test_targets_errors_and_matching() -> None:
    with pytest.raises(ValueError, match="give target_modules"):
        get_peft_model(cnn(), LoraConfig())
    with pytest.raises(ValueError, match=r"target modules \['head'\] not found"):
        get_peft_model(cnn(), LoraConfig(target_modules=["head"]))
    with pytest.raises(ValueError, match="ReLU is not supported"):
        get_peft_model(cnn(), LoraConfig(target_modules=["1"]))
    assert matches("h.0.attn.c_attn", ["c_attn"]) and not matches("h.0.attn.c_attn", ["attn"])
    assert matches("h.1.mlp.c_fc", r"h\.\d+\.mlp\.c_fc") and not matches("h.1.mlp", r"mlp")


def test_gpt_defaults_to_c_attn_and_embedding_lora() -> None:
    sg.manual_seed(0)
    gpt = GPT(GPTConfig(vocab_size=9, block_size=8, n_layer=2, n_head=2, n_embd=8))
    model = get_peft_model(gpt, LoraConfig(r=2))
    assert model.get_nb_trainable_parameters()[0] == 2 * (2 * 8 + 24 * 2)
    idx = sg.tensor([[1, 2, 3]])
    sg.manual_seed(0)
    gpt2 = GPT(GPTConfig(vocab_size=9, block_size=8, n_layer=2, n_head=2, n_embd=8))
    peft = get_peft_model(gpt2, LoraConfig(r=2, target_modules=["wte", "c_fc"]))
    _randomise_adapters(peft)
    out = peft(idx).detach().numpy()
    np.testing.assert_allclose(
        peft.merge_and_unload()(idx).detach().numpy(), out, rtol=1e-5, atol=1e-5
    )


def test_set_submodule() -> None:
    from scratchgrad.peft.model import set_submodule

    model = cnn()
    set_submodule(model, "1", nn.Tanh())
    assert isinstance(model[1], nn.Tanh)
    gpt = GPT(GPTConfig(vocab_size=5, block_size=4, n_layer=1, n_head=1, n_embd=4))
    set_submodule(gpt, "h.0.attn.c_proj", nn.Identity())
    assert isinstance(gpt.h[0].attn.c_proj, nn.Identity)
