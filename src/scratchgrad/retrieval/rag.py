"""Retrieval for generation: a text cut into passages, TF-IDF vectors, an exact index.

``TextIndex.build(text, chunk)`` cuts the text into passages of at most ``chunk``
characters (at spaces), embeds them with :class:`TfidfVectorizer` and keeps them in an
:class:`IndexFlatIP` (inner products of L2-normalised rows: cosine similarity). One file
holds it all: the vectors as a safetensors index, the passages and the vocabulary in
its metadata. :func:`rag_prompt` puts the retrieved passages before the question.

>>> idx = TextIndex.build("the cat sat on the mat. the dog ran in the park.", 24)
>>> idx.passages
['the cat sat on the mat.', 'the dog ran in the park.']
>>> [round(score, 2) for score, _ in idx.search("where did the dog run?", 2)]
[0.67, 0.34]
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from scratchgrad.retrieval.embeddings import TfidfVectorizer
from scratchgrad.retrieval.flat import IndexFlatIP
from scratchgrad.retrieval.io import read_index, write_index
from scratchgrad.serialization import load_metadata

_PASSAGES, _TFIDF = "passages", "tfidf"


def chunk_text(text: str, size: int) -> list[str]:
    """Passages of at most ``size`` characters, cut at whitespace (a longer word is alone).

    Raises:
        ValueError: if size < 1 or the text has no words.
    """
    if size < 1:
        raise ValueError(f"chunk size must be >= 1, got {size}")
    passages: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > size:
            passages.append(current)
            current = ""
        current = f"{current} {word}" if current else word
    if current:
        passages.append(current)
    if not passages:
        raise ValueError("the text is empty: nothing to index")
    return passages


@dataclass
class TextIndex:
    """Passages of a text, their TF-IDF vectorizer and an exact inner-product index.

    Attributes:
        passages: the passages, by id.
        vectorizer: fitted on the passages.
        index: one L2-normalised TF-IDF row per passage.
    """

    passages: list[str]
    vectorizer: TfidfVectorizer
    index: IndexFlatIP

    @classmethod
    def build(cls, text: str, chunk: int) -> TextIndex:
        """Cut ``text`` into passages of at most ``chunk`` characters and index them.

        Raises:
            ValueError: for a chunk size < 1 or a text without words.
        """
        passages = chunk_text(text, chunk)
        vectorizer = TfidfVectorizer()
        vectors = vectorizer.fit_transform(passages)
        index = IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        return cls(passages, vectorizer, index)

    def search(self, query: str, k: int = 3) -> list[tuple[float, str]]:
        """The k passages most like ``query`` (cosine of TF-IDF), best first: (score, text)."""
        scores, ids = self.index.search(self.vectorizer.transform([query]), k)
        return [
            (float(s), self.passages[i]) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0
        ]

    def save(self, path: str | Path) -> None:
        """Write the index, passages and vocabulary into one safetensors file."""
        meta = {_PASSAGES: json.dumps(self.passages), _TFIDF: json.dumps(self.vectorizer.to_dict())}
        write_index(self.index, path, metadata=meta)

    @classmethod
    def load(cls, path: str | Path) -> TextIndex:
        """The index :meth:`save` wrote.

        Raises:
            FileNotFoundError: if there is no such file.
            ValueError: if it is not a text index or is damaged.
        """
        index, meta = read_index(path), load_metadata(path)
        if not isinstance(index, IndexFlatIP) or _PASSAGES not in meta or _TFIDF not in meta:
            raise ValueError(
                f"{path} is not a text index (build one with `scratchgrad index build`)"
            )
        try:
            passages = json.loads(meta[_PASSAGES])
            vectorizer = TfidfVectorizer.from_dict(json.loads(meta[_TFIDF]))
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise ValueError(f"{path}: damaged text index ({e})") from e
        if len(passages) != index.ntotal or len(vectorizer.vocabulary_) != index.d:
            raise ValueError(f"{path}: damaged text index (passages and vectors differ)")
        return cls(passages, vectorizer, index)


def rag_prompt(question: str, passages: list[str]) -> str:
    """The prompt for generation: the retrieved passages, one per line, then the question."""
    return "".join(p + "\n" for p in passages) + question


__all__ = ["TextIndex", "chunk_text", "rag_prompt"]
