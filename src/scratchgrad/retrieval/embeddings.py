"""Vectors to search with: TF-IDF for text, and the hidden features of trained models.

- :class:`TfidfVectorizer`: scikit-learn's defaults (lower case, words of 2+ word
  characters, smooth idf = ln((1 + n) / (1 + df)) + 1, rows L2-normalised), dense rows.
- :func:`cnn_embeddings`: the output of every layer but the last (the penultimate
  features) of an ``nn.Sequential`` classifier.
- :func:`gpt_embeddings`: the mean over positions of a GPT's last hidden state (after
  ``ln_f``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scratchgrad import nn
from scratchgrad.autograd import no_grad
from scratchgrad.creation import arange, tensor
from scratchgrad.dtypes import int64
from scratchgrad.models.gpt import GPT
from scratchgrad.tensor import Tensor

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _tokens(doc: str) -> list[str]:
    return _TOKEN.findall(doc.lower())


class TfidfVectorizer:
    """Documents -> TF-IDF rows, scikit-learn's ``TfidfVectorizer`` with its defaults.

    Attributes:
        vocabulary_: term -> column, the terms sorted (set by ``fit``).
        idf_: inverse document frequency per column, (V,).

    >>> v = TfidfVectorizer().fit(["the cat sat", "the dog"])
    >>> v.get_feature_names_out()
    ['cat', 'dog', 'sat', 'the']
    """

    def __init__(self) -> None:
        self.vocabulary_: dict[str, int] = {}
        self.idf_: NDArray[np.float64] = np.empty(0)

    def fit(self, docs: Iterable[str]) -> TfidfVectorizer:
        """Learn the vocabulary and idf from documents; returns self.

        Raises:
            ValueError: if the documents hold no word (of two or more characters).
        """
        docs = list(docs)
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(set(_tokens(doc)))
        if not df:
            raise ValueError("TfidfVectorizer: empty vocabulary; the documents hold no words")
        terms = sorted(df)
        self.vocabulary_ = {t: i for i, t in enumerate(terms)}
        counts = np.array([df[t] for t in terms], dtype=np.float64)
        self.idf_ = np.log((1 + len(docs)) / (1 + counts)) + 1
        return self

    def transform(self, docs: Iterable[str]) -> NDArray[np.float32]:
        """TF-IDF rows, L2-normalised, (n_docs, V) float32; unknown words are ignored."""
        docs = list(docs)
        out = np.zeros((len(docs), len(self.vocabulary_)), np.float64)
        for i, doc in enumerate(docs):
            for term, n in Counter(_tokens(doc)).items():
                col = self.vocabulary_.get(term)
                if col is not None:
                    out[i, col] = n
        out *= self.idf_
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.where(norms > 0, norms, 1.0)).astype(np.float32)

    def fit_transform(self, docs: Iterable[str]) -> NDArray[np.float32]:
        """``fit(docs)`` then ``transform(docs)``."""
        docs = list(docs)
        return self.fit(docs).transform(docs)

    def get_feature_names_out(self) -> list[str]:
        """The terms, in column order."""
        return sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)

    def to_dict(self) -> dict[str, Any]:
        """The fitted state as JSON-ready lists: terms and idf."""
        return {"terms": self.get_feature_names_out(), "idf": self.idf_.tolist()}

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> TfidfVectorizer:
        """The vectorizer :meth:`to_dict` described.

        Raises:
            ValueError: if terms and idf differ in length.
        """
        terms, idf = list(state["terms"]), np.asarray(state["idf"], np.float64)
        if len(terms) != idf.shape[0]:
            raise ValueError(f"TfidfVectorizer: {len(terms)} terms but {idf.shape[0]} idf values")
        out = cls()
        out.vocabulary_, out.idf_ = {t: i for i, t in enumerate(terms)}, idf
        return out


def cnn_embeddings(model: nn.Sequential, x: Any, batch_size: int = 256) -> NDArray[np.float32]:
    """The penultimate features of a Sequential classifier: every layer but the last.

    Args:
        model: e.g. conv-relu-pool-...-flatten-linear; the last layer is the head.
        x: inputs (N, *input_shape), a NumPy array or Tensor.
        batch_size: samples per forward pass.

    Returns:
        (N, F) float32, F the head's input width.
    """
    body = model[:-1]
    data = np.asarray(x.numpy() if isinstance(x, Tensor) else x, dtype=np.float32)
    was_training = model.training
    body.eval()
    try:
        with no_grad():
            parts = [
                body(Tensor(data[s : s + batch_size])) for s in range(0, len(data), batch_size)
            ]
    finally:
        model.train(was_training)
    return np.concatenate([p.reshape(p.shape[0], -1).numpy() for p in parts]).astype(np.float32)


def gpt_hidden(gpt: GPT, idx: Tensor) -> Tensor:
    """The last hidden state (after ``ln_f``), (B, T, C), of token ids (B, T)."""
    x = gpt.drop(gpt.wte(idx) + gpt.wpe(arange(idx.shape[1])))
    for block in gpt.h:
        x = block(x)
    out: Tensor = gpt.ln_f(x)
    return out


def gpt_embeddings(gpt: GPT, ids: Any) -> NDArray[np.float32]:
    """The mean over positions of a GPT's last hidden state: one vector per sequence.

    Args:
        gpt: a trained ``models.GPT``.
        ids: token ids (B, T) or (T,), T <= block_size (longer inputs keep their last
            ``block_size`` tokens).

    Returns:
        (B, C) float32.
    """
    idx = ids if isinstance(ids, Tensor) else tensor(np.asarray(ids), dtype=int64)
    if idx.ndim == 1:
        idx = idx.unsqueeze(0)
    idx = idx[:, -gpt.config.block_size :]
    was_training = gpt.training
    gpt.eval()
    try:
        with no_grad():
            out = gpt_hidden(gpt, idx).mean(dim=1)
    finally:
        gpt.train(was_training)
    return np.asarray(out.numpy(), dtype=np.float32)


__all__ = ["TfidfVectorizer", "cnn_embeddings", "gpt_embeddings", "gpt_hidden"]
