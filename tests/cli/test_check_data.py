"""``scratchgrad check-data RECIPE``: findings with rows, exit codes."""

from scratchgrad.cli import app
from tests.cli.conftest import runner


def test_clean_recipe_exits_0():
    result = runner.invoke(app, ["check-data", "xor-mlp"])
    assert result.exit_code == 0, result.output
    assert "no data-split problems found" in result.stdout


def test_sort_digits_has_repeated_examples_across_splits():
    result = runner.invoke(app, ["check-data", "sort-digits"])
    assert result.exit_code == 1, result.output
    assert "identical samples in train and val" in result.stdout
    assert "val rows also occur in train" in result.stdout


def test_unknown_recipe_is_one_line_exit_2():
    result = runner.invoke(app, ["check-data", "no-such"])
    assert result.exit_code == 2 and "unknown recipe" in result.stderr


def test_vocabulary_from_held_out_text_is_found(tmp_path):
    text = "to be or not to be " * 60 + "QZ! " * 10  # Q, Z and ! only in the held-out 10%
    path = tmp_path / "t.txt"
    path.write_text(text)
    result = runner.invoke(
        app, ["check-data", "shakespeare-gpt", "--data", str(path), "--set", "block_size=8"]
    )
    assert result.exit_code == 1, result.output
    assert "tokenizer vocabulary built from validation or test text" in result.stdout
    assert "'!', 'Q', 'Z'" in result.stdout
