"""``scratchgrad index build``: writes a text index; bad input is one line and exit 2."""

from pathlib import Path

from typer.testing import CliRunner

from scratchgrad.cli import app
from scratchgrad.retrieval.rag import TextIndex

runner = CliRunner()


def test_build_writes_an_index(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text("the cat sat on the mat. the dog ran in the park.", encoding="utf-8")
    out = tmp_path / "sub" / "t.index"
    result = runner.invoke(app, ["index", "build", "--data", str(text), "--chunk", "24", "--out",
                                 str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"indexed 2 passages (9 words) into {out}" in result.stdout
    assert TextIndex.load(out).search("dog", 1)[0][1] == "the dog ran in the park."


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\xff\xfe")
    empty = tmp_path / "e.txt"
    empty.write_text("  ", encoding="utf-8")
    for path, message in (
        (tmp_path / "missing.txt", "no file"),
        (binary, "is not UTF-8 text"),
        (empty, "the text is empty"),
    ):
        result = runner.invoke(app, ["index", "build", "--data", str(path), "--out",
                                     str(tmp_path / "x")])  # fmt: skip
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and message in result.stderr
        assert "Traceback" not in result.output
    result = runner.invoke(app, ["index", "build", "--data", str(empty), "--out", "x", "--chunk",
                                 "0"])  # fmt: skip
    assert result.exit_code == 2
