"""Tokenizers: text to integer ids and back, per character, per word, or byte-pair (BPE).

All three share one interface (``Tokenizer``): ``encode(text) -> list[int]``,
``encode_tensor(text)`` (an int64 tensor), ``decode(ids) -> str``, ``vocab_size``, and
``save(path)`` / ``load(path)`` as a small JSON file, written atomically (a temporary
file renamed into place) and validated on load. Nothing is ever pickled.

Learned state ends in ``_`` (``vocab_``, ``word_index_``, ``merges_``) as in
scikit-learn: ``__init__`` only stores options, ``fit`` / ``train`` learn and return
``self``.
"""

from __future__ import annotations

import heapq
import json
import operator
import os
import re
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar, Self, cast

import numpy as np

from scratchgrad._io import atomic_write_text
from scratchgrad.creation import tensor
from scratchgrad.dtypes import int64
from scratchgrad.errors import TokenizerError, UnknownTokenError
from scratchgrad.tensor import Tensor

FORMAT = "scratchgrad-tokenizer"
VERSION = 1
PAD, UNK = "<pad>", "<unk>"
Pair = tuple[int, int]

# Words are runs of letters/digits/underscore, with inner apostrophes ("don't");
# punctuation is any other non-space character, one token each.
_WORD = r"\w+(?:'\w+)*"
_WORD_RE = re.compile(_WORD)
_WORD_OR_PUNCT_RE = re.compile(_WORD + r"|[^\w\s]")
# BPE pre-split (GPT-2's idea, simplified): an optional leading space, then a run of
# letters, of digits, or of other symbols; whitespace runs keep their last space for the
# next word. The alternatives cover every character, so the chunks join back to the text.
_CHUNK_RE = re.compile(r" ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+")


def _as_texts(texts: str | Iterable[str]) -> list[str]:
    out = [texts] if isinstance(texts, str) else list(texts)
    bad = [type(t).__name__ for t in out if not isinstance(t, str)]
    if bad:
        raise TypeError(f"texts must be a str or an iterable of str, got a {bad[0]} in it")
    return out


class Tokenizer(ABC):
    """The shared interface; subclasses register themselves for ``Tokenizer.load``.

    A subclass implements ``encode`` and ``decode``, sets ``vocab_`` when trained, and for files
    ``_config`` (its ``__init__`` keyword arguments), ``_check_config``, ``_state`` and
    ``_restore`` (its learned state as JSON values, and back).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     CharTokenizer().fit("abc").save(f"{folder}/chars.json")
    ...     Tokenizer.load(f"{folder}/chars.json").vocab_  # the kind is read from the file
    ['a', 'b', 'c']
    """

    _types: ClassVar[dict[str, type[Tokenizer]]] = {}
    _fit_call: ClassVar[str] = "fit(texts)"
    vocab_: list[Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Tokenizer._types[cls.__name__] = cls

    @abstractmethod
    def encode(self, text: str) -> list[int]:
        """The ids of ``text``'s tokens."""

    @abstractmethod
    def decode(self, ids: Iterable[int] | Tensor) -> str:
        """The text of a sequence of ids (a list or a 1-d integer tensor)."""

    @property
    def vocab_size(self) -> int:
        """The number of distinct ids, ``len(vocab_)``: every id is in ``range(vocab_size)``."""
        self._check_fitted()
        return len(self.vocab_)

    @abstractmethod
    def _config(self) -> dict[str, Any]:
        """The ``__init__`` keyword arguments, as JSON values."""

    @abstractmethod
    def _check_config(self) -> None:
        """Raise ValueError or TypeError for an option out of its range."""

    @abstractmethod
    def _state(self) -> dict[str, Any]:
        """The learned state, as JSON values."""

    @abstractmethod
    def _restore(self, state: dict[str, Any]) -> None:
        """Set the learned state from ``_state()``'s output; ValueError etc. if invalid."""

    def encode_tensor(self, text: str) -> Tensor:
        """``encode(text)`` as a 1-d int64 tensor, shape (len(ids),)."""
        return tensor(self.encode(text), dtype=int64)

    def _check_fitted(self) -> None:
        if not hasattr(self, "vocab_"):
            name = type(self).__name__
            raise TokenizerError(f"{name} is not fitted yet: call {self._fit_call} first")

    def _ids(self, ids: Iterable[int] | Tensor) -> list[int]:
        """``ids`` as a list of Python ints, each checked to be in ``range(vocab_size)``."""
        if isinstance(ids, Tensor | np.ndarray):
            if ids.ndim != 1:
                raise TokenizerError(f"decode: expected 1-d ids, got shape {tuple(ids.shape)}")
            ids = ids.tolist()
        out = [operator.index(i) for i in ids]  # ints only: 1.5 is refused, not truncated
        bad = [i for i in out if not 0 <= i < self.vocab_size]
        if bad:
            raise TokenizerError(f"decode: id {bad[0]} is outside range(0, {self.vocab_size})")
        return out

    def _to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "type": type(self).__name__,
            "config": self._config(),
            "state": self._state() if hasattr(self, "vocab_") else None,
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tokenizer) or type(other) is not type(self):
            return NotImplemented
        return self._to_json() == other._to_json()

    __hash__ = None  # type: ignore[assignment]  # mutable (fit), so unhashable

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the options and learned state to ``path`` as JSON, atomically.

        A reader never sees a half-written file (``scratchgrad._io.atomic_write_text``).
        """
        text = json.dumps(self._to_json(), indent=1)  # ASCII escapes: safe for any character
        atomic_write_text(path, text + "\n")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Self:
        """Read a tokenizer written by ``save``; ``Tokenizer.load`` accepts any kind.

        Raises:
            TokenizerError: naming the file and the problem (not JSON, not a tokenizer
                file, unsupported version, another kind of tokenizer, corrupt fields).
        """
        path = Path(path)
        doc = _read_json(path)
        kind = doc.get("type")
        if kind not in Tokenizer._types:
            known = ", ".join(sorted(Tokenizer._types))
            raise TokenizerError(f"{path}: unknown tokenizer type {kind!r} (known: {known})")
        if not issubclass(Tokenizer._types[kind], cls):
            raise TokenizerError(f"{path}: holds a {kind}, not a {cls.__name__}")
        return cast(Self, _build(path, Tokenizer._types[kind], doc))


def _build(path: Path, target: type[Tokenizer], doc: dict[str, Any]) -> Tokenizer:
    """A ``target`` from a file's ``config`` and ``state`` (None: saved before fitting)."""
    config, state = doc.get("config"), doc.get("state")
    try:
        if not isinstance(config, dict) or not isinstance(state, dict | None):
            raise TypeError("'config' or 'state' is not a JSON object")
        expected = sorted(target()._config())
        if sorted(config) != expected:
            raise ValueError(f"'config' has options {sorted(config)}, expected {expected}")
        tok = target(**config)
        tok._check_config()
        if state is not None:
            tok._restore(state)
    except (TypeError, ValueError) as e:
        raise TokenizerError(f"{path}: corrupt {target.__name__}: {e}") from e
    return tok


def _read_json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as e:
        raise TokenizerError(f"{path}: not a tokenizer file: not UTF-8 text ({e})") from e
    except json.JSONDecodeError as e:
        raise TokenizerError(f"{path}: not a tokenizer file: invalid JSON ({e})") from e
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise TokenizerError(f"{path}: not a tokenizer file: no 'format': {FORMAT!r} field")
    if doc.get("version") != VERSION:
        raise TokenizerError(
            f"{path}: unsupported tokenizer file version {doc.get('version')!r} "
            f"(this scratchgrad reads version {VERSION})"
        )
    return doc


def _field(d: Mapping[str, Any], key: str, *kinds: type) -> Any:
    """``d[key]``, checked to be one of ``kinds`` (a bool is not an int here)."""
    if key not in d:
        raise ValueError(f"missing field {key!r}")
    value = d[key]
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise TypeError(f"field {key!r} has the wrong type ({type(value).__name__})")
    return value


def _str_list(d: Mapping[str, Any], key: str) -> list[str]:
    values = _field(d, key, list)
    if not all(isinstance(v, str) for v in values) or len(set(values)) != len(values):
        raise ValueError(f"field {key!r} must be a list of distinct strings")
    return list(values)


class CharTokenizer(Tokenizer):
    """One id per character: the sorted characters of the training text.

    Without ``unk_token`` ids are ``0..n-1`` in character order and an unseen character
    raises ``UnknownTokenError``; with it, the unknown token is id 0, the characters
    follow from 1, and an unseen character encodes to 0 (and decodes to ``unk_token``).

    Args:
        unk_token: the stand-in for characters not seen by ``fit``; None to refuse them.

    >>> tok = CharTokenizer().fit("hello")
    >>> tok.vocab_, tok.encode("hole"), tok.decode([1, 3, 2, 0])
    (['e', 'h', 'l', 'o'], [1, 3, 2, 0], 'hole')
    >>> CharTokenizer(unk_token="?").fit("hello").encode("help")
    [2, 1, 3, 0]
    """

    vocab_: list[str]
    char_to_id_: dict[str, int]

    def __init__(self, unk_token: str | None = None) -> None:
        self.unk_token = unk_token

    def fit(self, texts: str | Iterable[str]) -> Self:
        """Learn the vocabulary: every distinct character in ``texts``, sorted."""
        self._check_config()
        chars: set[str] = set()
        for text in _as_texts(texts):
            chars.update(text)
        chars.discard(self.unk_token or "")
        self._set_vocab(sorted(chars))
        return self

    def _set_vocab(self, chars: list[str]) -> None:
        self.vocab_ = ([] if self.unk_token is None else [self.unk_token]) + chars
        self.char_to_id_ = {c: i for i, c in enumerate(self.vocab_)}

    def encode(self, text: str) -> list[int]:
        """One id per character of ``text``.

        Raises:
            UnknownTokenError: a character not in the vocabulary, when there is no
                ``unk_token``; the message names it and its position.
        """
        self._check_fitted()
        table = self.char_to_id_
        if self.unk_token is not None:
            return [table.get(c, 0) for c in text]
        try:
            return [table[c] for c in text]
        except KeyError:
            pos, ch = next((i, c) for i, c in enumerate(text) if c not in table)
            raise UnknownTokenError(
                f"CharTokenizer: character {ch!r} (U+{ord(ch):04X}) at position {pos} is "
                "not in the vocabulary; fit on text containing it, or set unk_token"
            ) from None

    def decode(self, ids: Iterable[int] | Tensor) -> str:
        """The characters of ``ids`` joined (the unknown id gives ``unk_token``)."""
        self._check_fitted()
        return "".join(self.vocab_[i] for i in self._ids(ids))

    def _config(self) -> dict[str, Any]:
        return {"unk_token": self.unk_token}

    def _check_config(self) -> None:
        if self.unk_token is not None and not isinstance(self.unk_token, str):
            raise TypeError(f"CharTokenizer: unk_token must be str or None, got {self.unk_token!r}")

    def _state(self) -> dict[str, Any]:
        return {"chars": self.vocab_[self.unk_token is not None :]}

    def _restore(self, state: dict[str, Any]) -> None:
        chars = _str_list(state, "chars")
        if any(len(c) != 1 for c in chars) or chars != sorted(chars) or self.unk_token in chars:
            raise ValueError("field 'chars' must be sorted single characters, without unk_token")
        self._set_vocab(chars)


class WordTokenizer(Tokenizer):
    """A word index, Keras style: id 0 is ``"<pad>"``, 1 is ``"<unk>"``, then the words.

    Words are numbered from 2 by decreasing frequency in the training texts; words with
    the same count are in alphabetical order, so the index is deterministic. A word not
    in the index (out of vocabulary, OOV) encodes to 1. ``decode`` joins the words with
    single spaces and drops padding (id 0).

    Args:
        lowercase: lowercase the text before splitting it into words.
        strip_punctuation: drop punctuation; when False each punctuation character is a
            token of its own. Apostrophes inside a word ("don't") are part of it.
        max_vocab: the largest ``vocab_size``, the two reserved ids included; the most
            frequent words are kept. None for no limit.
        min_freq: keep only words seen at least this often.

    >>> tok = WordTokenizer().fit(["The cat sat.", "the dog sat on the cat!"])
    >>> tok.word_index_
    {'<pad>': 0, '<unk>': 1, 'the': 2, 'cat': 3, 'sat': 4, '!': 5, '.': 6, 'dog': 7, 'on': 8}
    >>> tok.encode("The bird sat.")
    [2, 1, 4, 6]
    >>> tok.decode([2, 1, 4, 6, 0, 0])
    'the <unk> sat .'
    """

    vocab_: list[str]
    word_index_: dict[str, int]
    word_counts_: dict[str, int]

    def __init__(
        self,
        *,
        lowercase: bool = True,
        strip_punctuation: bool = False,
        max_vocab: int | None = None,
        min_freq: int = 1,
    ) -> None:
        self.lowercase = lowercase
        self.strip_punctuation = strip_punctuation
        self.max_vocab = max_vocab
        self.min_freq = min_freq

    def tokenize(self, text: str) -> list[str]:
        """Split ``text`` into words (and punctuation marks) after the options apply.

        >>> WordTokenizer().tokenize("Don't stop, Bob!")
        ["don't", 'stop', ',', 'bob', '!']
        """
        pattern = _WORD_RE if self.strip_punctuation else _WORD_OR_PUNCT_RE
        return pattern.findall(text.lower() if self.lowercase else text)

    def fit(self, texts: str | Iterable[str]) -> Self:
        """Count the words of ``texts`` and build the index (most frequent first)."""
        self._check_config()
        counts: Counter[str] = Counter()
        for text in _as_texts(texts):
            counts.update(self.tokenize(text))
        ranked = sorted(
            (w for w, n in counts.items() if n >= self.min_freq), key=lambda w: (-counts[w], w)
        )
        if self.max_vocab is not None:
            ranked = ranked[: self.max_vocab - 2]
        self._set_vocab({w: counts[w] for w in ranked})
        return self

    def _set_vocab(self, counts: dict[str, int]) -> None:
        self.word_counts_ = counts
        self.vocab_ = [PAD, UNK, *counts]
        self.word_index_ = {w: i for i, w in enumerate(self.vocab_)}

    def encode(self, text: str) -> list[int]:
        """The id of each word of ``tokenize(text)``; 1 (``<unk>``) for a word not in the index."""
        self._check_fitted()
        index = self.word_index_
        return [index.get(w, 1) for w in self.tokenize(text)]

    def decode(self, ids: Iterable[int] | Tensor) -> str:
        """The words of ``ids`` joined with spaces; padding (id 0) is left out."""
        self._check_fitted()
        return " ".join(self.vocab_[i] for i in self._ids(ids) if i != 0)

    def _config(self) -> dict[str, Any]:
        keys = ("lowercase", "strip_punctuation", "max_vocab", "min_freq")
        return {k: getattr(self, k) for k in keys}

    def _check_config(self) -> None:
        for name in ("lowercase", "strip_punctuation"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(
                    f"WordTokenizer: {name} must be a bool, got {getattr(self, name)!r}"
                )
        max_vocab, min_freq = self.max_vocab, self.min_freq
        if max_vocab is not None and (not _is_int(max_vocab) or max_vocab < 2):
            raise ValueError(
                "WordTokenizer: max_vocab must be None or an int >= 2 (ids 0 and 1 are "
                f"reserved), got {max_vocab!r}"
            )
        if not _is_int(min_freq) or min_freq < 1:
            raise ValueError(f"WordTokenizer: min_freq must be an int >= 1, got {min_freq!r}")

    def _state(self) -> dict[str, Any]:
        return {"words": list(self.word_counts_), "counts": list(self.word_counts_.values())}

    def _restore(self, state: dict[str, Any]) -> None:
        words, counts = _str_list(state, "words"), _field(state, "counts", list)
        if len(counts) != len(words) or not all(_is_int(n) and n >= 1 for n in counts):
            raise ValueError("field 'counts' must hold one positive int per word")
        if PAD in words or UNK in words:
            raise ValueError(f"field 'words' must not hold the reserved {PAD!r} or {UNK!r}")
        self._set_vocab(dict(zip(words, counts, strict=True)))


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _merge(ids: list[int], pair: Pair, new_id: int) -> list[int]:
    """``ids`` with every non-overlapping occurrence of ``pair`` (left to right) replaced."""
    out: list[int] = []
    a, b = pair
    i, n = 0, len(ids)
    while i < n:
        if i + 1 < n and ids[i] == a and ids[i + 1] == b:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


class _PairStats:
    """Pair counts over distinct chunks (weighted by chunk frequency), updated per merge.

    Only the chunks that contain the merged pair are touched, and the best pair comes
    from a heap with lazy deletion, so a merge costs about the size of its chunks, not
    of the corpus.
    """

    def __init__(self, chunks: Mapping[bytes, int]) -> None:
        self.words = [list(c) for c in chunks]
        self.freqs = list(chunks.values())
        self.counts: Counter[Pair] = Counter()
        self.where: defaultdict[Pair, set[int]] = defaultdict(set)
        for i, w in enumerate(self.words):
            self._add(i, w, +1)
        self.heap = [(-n, p) for p, n in self.counts.items()]
        heapq.heapify(self.heap)

    def _add(self, i: int, word: list[int], sign: int) -> None:
        for p in zip(word, word[1:], strict=False):
            self.counts[p] += sign * self.freqs[i]
            if sign > 0:
                self.where[p].add(i)

    def best(self) -> Pair | None:
        """The most frequent pair (ties: the smallest ids), or None when none is left."""
        while self.heap:
            neg, pair = heapq.heappop(self.heap)
            if self.counts.get(pair, 0) == -neg:
                return pair
        return None

    def merge(self, pair: Pair, new_id: int) -> None:
        """Replace ``pair`` by ``new_id`` in every chunk holding it; update the counts."""
        changed: set[Pair] = set()
        for i in self.where.pop(pair, set()):
            old = self.words[i]
            new = _merge(old, pair, new_id)
            if len(new) < len(old):
                self._add(i, old, -1)
                self._add(i, new, +1)
                changed.update(zip(old, old[1:], strict=False), zip(new, new[1:], strict=False))
                self.words[i] = new
        for p in changed:
            if self.counts[p] > 0:
                heapq.heappush(self.heap, (-self.counts[p], p))
            else:
                del self.counts[p]
                self.where.pop(p, None)


class BPETokenizer(Tokenizer):
    """Byte-level byte-pair encoding: ids 0-255 are bytes, each merge adds one id.

    Text is UTF-8 encoded, so any string round-trips, including characters never seen in
    training (they stay as their bytes). Before counting, text is split into chunks: an
    optional leading space plus a run of letters, of digits or of other symbols, and
    whitespace runs (GPT-2's idea without its regex details); merges never cross chunks,
    so tokens look like ``" the"`` or ``"ing"``. ``train`` repeatedly merges the most
    frequent adjacent pair (ties: the smaller ids); ``encode`` applies the learned merges
    in the order they were learned.

    >>> tok = BPETokenizer().train("low lower lowest", vocab_size=258)
    >>> [tok.vocab_[i] for i in range(256, 258)]
    [b'lo', b'low']
    >>> tok.encode("lowly"), tok.decode(tok.encode("lowly"))
    ([257, 108, 121], 'lowly')
    """

    _fit_call = "train(texts, vocab_size)"
    merges_: list[Pair]
    vocab_: list[bytes]

    def train(self, texts: str | Iterable[str], vocab_size: int) -> Self:
        """Learn ``vocab_size - 256`` merges from ``texts`` (fewer if the pairs run out)."""
        if not _is_int(vocab_size) or vocab_size < 256:
            raise ValueError(f"BPETokenizer: vocab_size must be an int >= 256, got {vocab_size!r}")
        chunks: Counter[str] = Counter()
        for text in _as_texts(texts):
            chunks.update(_CHUNK_RE.findall(text))
        stats = _PairStats({_utf8(c): n for c, n in chunks.items()})
        merges: list[Pair] = []
        while len(merges) < vocab_size - 256 and (pair := stats.best()) is not None:
            merges.append(pair)
            stats.merge(pair, 256 + len(merges) - 1)
        self._set_merges(merges)
        return self

    def _set_merges(self, merges: list[Pair]) -> None:
        self.merges_ = merges
        self.vocab_ = [bytes([b]) for b in range(256)]
        for a, b in merges:
            self.vocab_.append(self.vocab_[a] + self.vocab_[b])
        self._ranks = {p: 256 + r for r, p in enumerate(merges)}
        self._cache: dict[str, list[int]] = {}

    def encode(self, text: str) -> list[int]:
        """The ids of ``text``: its UTF-8 bytes, merged by the learned merges in order."""
        self._check_fitted()
        ids: list[int] = []
        for chunk in _CHUNK_RE.findall(text):
            cached = self._cache.get(chunk)
            if cached is None:
                if len(self._cache) > 100_000:
                    self._cache.clear()
                cached = self._cache[chunk] = self._encode_chunk(_utf8(chunk))
            ids.extend(cached)
        return ids

    def _encode_chunk(self, data: bytes) -> list[int]:
        ids, ranks, never = list(data), self._ranks, 1 << 62
        while len(ids) > 1:  # merge the earliest-learned pair present, until none is
            pair = min(zip(ids, ids[1:], strict=False), key=lambda p: ranks.get(p, never))
            if pair not in ranks:
                break
            ids = _merge(ids, pair, ranks[pair])
        return ids

    def decode(self, ids: Iterable[int] | Tensor) -> str:
        """The text of ``ids``; bytes that are not valid UTF-8 (a cut sequence) become U+FFFD."""
        self._check_fitted()
        data = b"".join(self.vocab_[i] for i in self._ids(ids))
        try:
            return data.decode("utf-8", errors="surrogatepass")
        except UnicodeDecodeError:
            return data.decode("utf-8", errors="replace")

    def _config(self) -> dict[str, Any]:
        return {}

    def _check_config(self) -> None:
        """BPETokenizer has no options: ``vocab_size`` is an argument of ``train``."""

    def _state(self) -> dict[str, Any]:
        return {"merges": [list(p) for p in self.merges_]}

    def _restore(self, state: dict[str, Any]) -> None:
        merges: list[Pair] = []
        for r, p in enumerate(_field(state, "merges", list)):
            ok = isinstance(p, list) and len(p) == 2 and all(_is_int(i) for i in p)
            if not ok or not all(0 <= i < 256 + r for i in p):
                raise ValueError(f"merge {r} is {p!r}: expected two ids below {256 + r}")
            merges.append((p[0], p[1]))
        self._set_merges(merges)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogatepass")  # lone surrogates round-trip too


__all__ = [
    "BPETokenizer",
    "CharTokenizer",
    "Tokenizer",
    "WordTokenizer",
]
