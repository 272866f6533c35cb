"""Texts: any UTF-8 file split by characters, and the built-in sonnets."""

from pathlib import Path

import pytest

from scratchgrad.data.builtin import TextCorpus, load
from scratchgrad.data.builtin.text import text_corpus
from tests.data.builtin._common import SHAKESPEARE

needs_text = pytest.mark.skipif(not SHAKESPEARE.exists(), reason="../shared/data is absent")


@needs_text
def test_tinyshakespeare_first_90_percent_train() -> None:
    corpus = text_corpus(SHAKESPEARE)
    assert (len(corpus.train), len(corpus.val)) == (1_003_854, 111_540)
    assert corpus.train + corpus.val == SHAKESPEARE.read_text(encoding="utf-8")
    assert len(corpus.chars) == 65 and corpus.train.startswith("First Citizen")
    assert "1,115,394 characters, 65 distinct" in corpus.description
    assert "65 distinct" in corpus.describe()


def test_text_corpus_on_a_small_file(tmp_path: Path) -> None:
    path = tmp_path / "poem.txt"
    path.write_text("héllo wörld!" * 10, encoding="utf-8")  # 120 characters, not 120 bytes
    corpus = load("text_corpus", path=path, val_fraction=0.25)
    assert isinstance(corpus, TextCorpus)
    assert (len(corpus.train), len(corpus.val)) == (90, 30)
    assert corpus.train + corpus.val == "héllo wörld!" * 10 and corpus.chars == " !dhlorwéö"


def test_text_corpus_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="text_corpus: no file .*missing.txt"):
        text_corpus(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="empty.txt is empty"):
        text_corpus(empty)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9 au lait".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin1.txt is not UTF-8 text \(invalid .* at byte 3\)"):
        text_corpus(latin1)
    one = tmp_path / "one.txt"
    one.write_text("x")
    with pytest.raises(ValueError, match="1 characters, too few to split"):
        text_corpus(one)
    with pytest.raises(ValueError, match="val_fraction must be between 0 and 1"):
        text_corpus(one, val_fraction=0)


def test_sonnets_are_built_in() -> None:
    corpus = load("sonnets")
    assert isinstance(corpus, TextCorpus)
    assert len(corpus.train) == int(len(corpus.train + corpus.val) * 0.9)
    assert corpus.train.startswith("From fairest creatures") and corpus.val.endswith("compare.\n")
    assert corpus.describe().startswith("sonnets.txt (text)")
