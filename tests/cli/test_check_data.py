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
