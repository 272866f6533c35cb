"""Transfer recipes: the four adaptations' exact counts and base recovery; LoRA on a GPT run."""

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import scratchgrad as sg
from scratchgrad.cli import app
from scratchgrad.config import resolve_settings
from scratchgrad.recipes import RecipeError, load_run
from scratchgrad.recipes.transfer import METHODS, TRANSFER_RECIPES, format_table, transfer_cnn
from tests.cli.conftest import run_dir_of

runner = CliRunner()
SONNETS = Path(__file__).parents[2] / "src" / "scratchgrad" / "data" / "builtin" / "texts"


def test_each_method_trains_what_it_says() -> None:
    # conv0 16*9+16, conv3 32*16*9+32, hidden 128*64+64, head 64*10+10
    lora = (4 * 9 + 16 * 4) + (4 * 16 * 9 + 32 * 4) + (4 * 128 + 64 * 4)  # A and B of each
    counts = {"full": 13_706, "partial": 64 * 128 + 64 + 650,
              "additive": (64 * 16 + 16) + (16 * 64 + 64) + 650, "lora": lora + 650}  # fmt: skip
    for name, method in METHODS.items():
        model, restored = method(transfer_cnn())
        assert sg.peft.count_parameters(model).trainable == counts[name], name
        with restored() as original:
            assert original(sg.ones(2, 1, 8, 8)).shape == (2, 10)


def test_digits_transfer_table(tmp_path: Path) -> None:
    recipe = TRANSFER_RECIPES["digits-transfer"]
    settings = resolve_settings(
        recipe.defaults, cli={"epochs": 3, "out_dir": tmp_path, "extra": {"adapt_epochs": 1}},
        extra=recipe.extra,
    )  # fmt: skip
    result = recipe.run(settings)
    rows = json.loads((result.run_dir / "transfer.json").read_text())["rows"]
    assert [r["method"] for r in rows] == [
        "pre-trained (0-4)",
        "full",
        "partial",
        "additive",
        "lora",
    ]
    base = rows[0]["acc_0_4"]
    assert base > 0.8
    for r in rows[1:]:
        assert r["epochs"] == 1 and 0 <= r["acc_5_9"] <= 1
    # the frozen CNN comes back unchanged once the adapters are off
    assert rows[3]["acc_0_4_restored"] == rows[4]["acc_0_4_restored"] == base
    assert (result.run_dir / "transfer.md").read_text().startswith("| method | trainable")
    assert (result.run_dir / "transfer.csv").read_text().startswith("method,trainable,")
    assert result.monitor == "lora_acc_5_9" and result.best_score == rows[4]["acc_5_9"]
    with pytest.raises(RecipeError, match="hold a comparison table"):
        load_run(result.run_dir)


def test_format_table() -> None:
    row = {"method": "m", "trainable": 1234, "epochs": 2, "seconds": 0.5, "acc_5_9": 0.5,
           "acc_0_4": 0.25, "acc_0_4_restored": 1.0}  # fmt: skip
    assert format_table([row]).splitlines()[-1] == (
        "| m | 1,234 | 2 | 0.50 | 0.5000 | 0.2500 | 1.0000 |"
    )


@pytest.fixture(scope="module")
def gpt_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs")
    sizes = ["steps_per_epoch=3", "n_layer=1", "n_head=2", "n_embd=16", "block_size=16"]
    args = ["train", "shakespeare-gpt", "--data", str(SONNETS / "sonnets.txt"), "--epochs", "1"]
    result = runner.invoke(
        app, [*args, "--out", str(out), *[a for s in sizes for a in ("--set", s)]]
    )
    assert result.exit_code == 0, result.output
    return run_dir_of(result.stdout)


def test_shakespeare_lora_trains_only_adapters(gpt_run: Path, tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text("Shall I compare thee to a summer's day? ~~~\n" * 40, encoding="utf-8")
    args = ["train", "shakespeare-lora", "--base", str(gpt_run), "--data", str(text),
            "--epochs", "1", "--set", "steps_per_epoch=3", "--out", str(tmp_path)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    run = run_dir_of(result.stdout)
    _, _, base = load_run(gpt_run)
    _, _, tuned = load_run(run)
    base_state, tuned_state = base.state_dict(), tuned.state_dict()
    lora = [k for k in tuned_state if "lora_" in k]
    assert lora and all(".c_attn." in k or ".c_fc." in k for k in lora)
    assert any(np.any(tuned_state[k].numpy() != 0) for k in lora if "lora_B" in k)
    for k, v in base_state.items():  # the base weights did not move
        np.testing.assert_array_equal(tuned_state[k.replace("c_attn.", "c_attn.base_layer.")
                                                  .replace("c_fc.", "c_fc.base_layer.")].numpy(),
                                      v.numpy())  # fmt: skip
    gen = runner.invoke(app, ["generate", str(run), "--prompt", "Sh", "--max-new-tokens", "5"])
    assert gen.exit_code == 0 and gen.stdout.startswith("Sh")


def test_shakespeare_lora_needs_a_base(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "shakespeare-lora", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "needs --base RUN_DIR" in result.stderr
    result = runner.invoke(app, ["train", "shakespeare-lora", "--base", str(tmp_path)])
    assert result.exit_code == 2 and "not a recipe run" in result.stderr
