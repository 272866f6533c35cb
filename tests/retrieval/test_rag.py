"""TextIndex: chunking, retrieval of the right passage, one-file save and load, prompts."""

from pathlib import Path

import numpy as np
import pytest

from scratchgrad.data.builtin import load
from scratchgrad.retrieval import IndexFlatL2, write_index
from scratchgrad.retrieval.rag import TextIndex, chunk_text, rag_prompt


def test_chunk_text() -> None:
    assert chunk_text("a bb ccc dddd", 6) == ["a bb", "ccc", "dddd"]
    assert chunk_text("  one\n\ntwo  ", 100) == ["one two"]
    assert chunk_text("abcdefgh x", 3) == ["abcdefgh", "x"]  # a long word stands alone
    with pytest.raises(ValueError, match="chunk size must be >= 1"):
        chunk_text("a", 0)
    with pytest.raises(ValueError, match="the text is empty"):
        chunk_text(" \n", 5)


def test_retrieves_the_passage_with_the_words(tmp_path: Path) -> None:
    sonnets = load("sonnets")
    index = TextIndex.build(sonnets.train + sonnets.val, 200)
    hits = index.search("compare thee to a summer's day", 3)
    assert "Shall I compare thee to a summer's day?" in hits[0][1]
    assert hits[0][0] > hits[1][0] >= hits[2][0]
    index.save(tmp_path / "s.index")
    back = TextIndex.load(tmp_path / "s.index")
    assert back.passages == index.passages
    assert back.search("compare thee to a summer's day", 3) == hits


def test_load_refuses_other_files(tmp_path: Path) -> None:
    flat = IndexFlatL2(2)
    flat.add(np.zeros((1, 2), np.float32))
    write_index(flat, tmp_path / "plain")
    with pytest.raises(ValueError, match="is not a text index"):
        TextIndex.load(tmp_path / "plain")


def test_rag_prompt() -> None:
    assert rag_prompt("Q?", ["a.", "b."]) == "a.\nb.\nQ?"
    assert rag_prompt("Q?", []) == "Q?"
