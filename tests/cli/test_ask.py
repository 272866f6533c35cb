"""``scratchgrad ask``: retrieved passages with scores, then generation after them."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scratchgrad.cli import app
from scratchgrad.cli.ask import known_characters
from scratchgrad.data.tokenizers import CharTokenizer
from tests.cli.conftest import run_dir_of

runner = CliRunner()
SONNETS = Path(__file__).parents[2] / "src" / "scratchgrad" / "data" / "builtin" / "texts"


@pytest.fixture(scope="module")
def gpt_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs")
    sizes = ["steps_per_epoch=2", "n_layer=1", "n_head=2", "n_embd=16", "block_size=32"]
    args = ["train", "shakespeare-gpt", "--data", str(SONNETS / "sonnets.txt"), "--epochs", "1"]
    result = runner.invoke(
        app, [*args, "--out", str(out), *[a for s in sizes for a in ("--set", s)]]
    )
    assert result.exit_code == 0, result.output
    return run_dir_of(result.stdout)


@pytest.fixture(scope="module")
def sonnet_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("index") / "sonnets.index"
    args = ["index", "build", "--data", str(SONNETS / "sonnets.txt"), "--chunk", "150"]
    assert runner.invoke(app, [*args, "--out", str(out)]).exit_code == 0
    return out


def test_ask_prints_passages_then_generates(gpt_run: Path, sonnet_index: Path) -> None:
    args = ["ask", str(gpt_run), "Shall I compare thee to a summer's day?", "--index",
            str(sonnet_index), "--max-new-tokens", "12", "--k", "2"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[1] score ") and "Shall I compare thee" in lines[0]
    assert lines[1].startswith("[2] score ") and lines[2] == "--- generated ---"
    assert float(lines[0].split()[2]) >= float(lines[1].split()[2]) > 0
    again = runner.invoke(app, args)
    assert again.stdout == result.stdout  # seeded
    none = runner.invoke(app, ["ask", str(gpt_run), "zzz", "--index", str(sonnet_index),
                               "--max-new-tokens", "2"])  # fmt: skip
    assert "no passage shares a word with the question" in none.stdout


def test_ask_errors_are_one_line(gpt_run: Path, sonnet_index: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "d.index"
    damaged.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}")
    cases = [
        (["ask", str(gpt_run), "q", "--index", str(tmp_path / "none")], 2, "no index file"),
        (["ask", str(gpt_run), "q", "--index", str(damaged)], 1, "not a valid safetensors file"),
        (["ask", str(tmp_path), "thee", "--index", str(sonnet_index)], 2, "not a recipe run"),
        (["ask", str(gpt_run), "thee €", "--index", str(sonnet_index)], 2, "outside the vocab"),
    ]
    for args, code, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == code, result.output
        assert message in result.stderr and result.stderr.count("\n") == 1
        assert "Traceback" not in result.output


def test_known_characters() -> None:
    assert known_characters("a€b c", CharTokenizer().fit("abc")) == "abc"
