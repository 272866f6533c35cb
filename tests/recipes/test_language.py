"""Language-model recipes end to end: train, reload, generate; and their errors."""

import csv
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scratchgrad.cli import app
from scratchgrad.config import resolve_settings
from scratchgrad.recipes.language import LANGUAGE_RECIPES, load_tokenizer

runner = CliRunner()
TINY = ["--set", "n_layer=1", "--set", "n_embd=16", "--set", "n_head=2", "--set", "block_size=16"]


def _run_dir(output: str) -> Path:
    match = re.search(r"run folder: (\S+)", output)
    assert match, output
    return Path(match.group(1))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("text") / "verse.txt"
    path.write_text("to be or not to be, that is the question.\n" * 200, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gpt_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs")
    args = ["train", "shakespeare-gpt", "--data", str(corpus), "--out", str(out), "--epochs", "2"]
    result = runner.invoke(app, [*args, "--lr", "0.01", "--set", "steps_per_epoch=30", *TINY])
    assert result.exit_code == 0, result.output
    return _run_dir(result.stdout)


def test_gpt_run_learns_and_keeps_its_tokenizer(gpt_run: Path, corpus: Path) -> None:
    with (gpt_run / "metrics.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert float(rows[-1]["val_loss"]) < 0.6 * float(rows[0]["train_loss"])  # well below the start
    assert load_tokenizer(gpt_run).vocab_size == len(set(corpus.read_text()))


def test_generate_continues_the_prompt(gpt_run: Path) -> None:
    args = ["generate", str(gpt_run), "--prompt", "to be", "--max-new-tokens", "30"]
    result = runner.invoke(app, [*args, "--temperature", "0.5", "--top-k", "3"])
    assert result.exit_code == 0, result.output
    text = result.stdout.rstrip("\n")
    assert text.startswith("to be") and len(text) == 35
    again = runner.invoke(app, [*args, "--temperature", "0.5", "--top-k", "3"])
    assert again.stdout == result.stdout  # seeded


def test_generate_refuses_bad_prompts_and_settings(gpt_run: Path) -> None:
    result = runner.invoke(app, ["generate", str(gpt_run), "--prompt", "xyz~"])
    assert result.exit_code == 2 and "outside the vocabulary" in result.output
    result = runner.invoke(app, ["generate", str(gpt_run), "--temperature", "0"])
    assert result.exit_code == 2 and "temperature must be > 0" in result.output
    result = runner.invoke(app, ["predict", str(gpt_run), "x.npy"])
    assert result.exit_code == 2


@pytest.mark.parametrize("text", ['{"format": "scratchgrad-tok', "[]"])
def test_a_damaged_tokenizer_gives_one_line(gpt_run: Path, tmp_path: Path, text: str) -> None:
    run = Path(shutil.copytree(gpt_run, tmp_path / "run"))
    (run / "tokenizer.json").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["generate", str(run), "--prompt", "to be"])
    assert result.exit_code == 1, result.output
    assert "tokenizer.json" in result.stderr and "damaged tokenizer" in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1


def test_lstm_recipe_trains_and_generates(corpus: Path, tmp_path: Path) -> None:
    args = ["train", "shakespeare-lstm", "--data", str(corpus), "--out", str(tmp_path)]
    sizes = ["--set", "embed_dim=8", "--set", "hidden=16", "--set", "steps_per_epoch=10"]
    result = runner.invoke(app, [*args, "--epochs", "1", *sizes])
    assert result.exit_code == 0, result.output
    run = _run_dir(result.stdout)
    result = runner.invoke(app, ["generate", str(run), "--prompt", "to", "--max-new-tokens", "8"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("to") and len(result.stdout.rstrip("\n")) == 10


def test_sort_digits_learns_to_sort(tmp_path: Path) -> None:
    args = ["train", "sort-digits", "--out", str(tmp_path), "--epochs", "3"]
    result = runner.invoke(app, [*args, "--set", "examples=4000", "--set", "length=4"])
    assert result.exit_code == 0, result.output
    accuracy = float(re.search(r"test_accuracy (\S+)", result.stdout).group(1))  # type: ignore[union-attr]
    assert accuracy > 0.9  # chance is 0.1 per digit


def test_language_recipes_need_their_data_and_valid_sizes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "shakespeare-gpt", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "needs --data" in result.output
    missing = ["--data", str(tmp_path / "none.txt"), "--out", str(tmp_path)]
    result = runner.invoke(app, ["train", "shakespeare-gpt", *missing])
    assert result.exit_code == 2 and "no file" in result.output
    recipe = LANGUAGE_RECIPES["sort-digits"]
    with pytest.raises(ValueError, match="divisible by n_head"):
        recipe.run(resolve_settings(recipe.defaults, None, {"extra": {"n_head": 3}}))
    with pytest.raises(ValueError, match="extra.steps_per_epoch"):
        settings = {"data": tmp_path, "extra": {"steps_per_epoch": 0}}
        LANGUAGE_RECIPES["shakespeare-gpt"]._train_loader(None, resolve_settings(cli=settings))  # type: ignore[arg-type]


def test_generate_without_a_prompt_starts_a_new_line(gpt_run: Path) -> None:
    result = runner.invoke(app, ["generate", str(gpt_run), "--max-new-tokens", "10"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\n") and len(result.stdout.rstrip("\n")) >= 1


def test_a_text_run_holds_out_a_test_split_apart_from_val(gpt_run: Path, corpus: Path) -> None:
    import json

    from scratchgrad.recipes.base import read_record

    _, settings = read_record(gpt_run)
    data = LANGUAGE_RECIPES["shakespeare-gpt"].data(settings)
    text = corpus.read_text(encoding="utf-8")
    held_out = text[int(len(text) * 0.9) :]
    half = len(held_out) // 2
    decode = data.tokenizer.decode
    first_val = decode([int(t) for t in data.val[0][0]])
    first_test = decode([int(t) for t in data.test[0][0]])
    assert held_out[:half].startswith(first_val) and held_out[half:].startswith(first_test)
    record = json.loads((gpt_run / "recipe.json").read_text())
    assert record["splits"]["sizes"] == {
        "train": len(data.train),
        "val": len(data.val),
        "test": len(data.test),
    }
    assert "never used for selection" in record["splits"]["test"]


def test_a_text_shorter_than_a_window_gives_one_line(tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("to be or not to be\n" * 10, encoding="utf-8")  # 190 characters
    args = ["train", "shakespeare-gpt", "--data", str(short), "--out", str(tmp_path), *TINY]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"{short}: too short: its val part" in result.stderr
    assert "one window needs 17" in result.stderr and "Traceback" not in result.output
