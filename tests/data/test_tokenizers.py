"""Tokenizers: round trips (property tests), word-index order, BPE merges, JSON files."""

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import scratchgrad as sg
from scratchgrad.data.tokenizers import (
    BPETokenizer,
    CharTokenizer,
    Tokenizer,
    WordTokenizer,
)
from scratchgrad.errors import TokenizerError, UnknownTokenError

SHAKESPEARE = Path(__file__).resolve().parents[3] / "shared" / "data" / "tinyshakespeare.txt"
FAST = settings(max_examples=200, deadline=None, database=None)
# any code point, lone surrogates included (hypothesis leaves those out unless asked)
ANY_TEXT = st.text(st.characters() | st.characters(categories=["Cs"]), max_size=60)

CORPUS = (
    "the quick brown fox jumps over the lazy dog and the dog sleeps "
    "while the fox runs and the cat watches the fox and the dog"
)
PROSE = [
    "It was the best of times, it was the worst of times.",
    "It was the age of wisdom; it was the age of foolishness!",
    "Don't panic: the answer is 42, and the question is unknown.",
]


# ------------------------------------------------------------------ CharTokenizer
def test_char_vocab_is_the_sorted_distinct_characters() -> None:
    tok = CharTokenizer().fit(["hello world", "low"])
    assert tok.vocab_ == sorted(set("hello worldlow"))
    assert tok.vocab_size == len(set("hello world"))
    assert tok.encode("lod") == [tok.vocab_.index(c) for c in "lod"]


def test_char_round_trip_and_tensor() -> None:
    text = "to be or not to be"
    tok = CharTokenizer().fit(text)
    ids = tok.encode(text)
    assert len(ids) == len(text) and tok.decode(ids) == text
    t = tok.encode_tensor(text)
    assert t.dtype == sg.int64 and t.shape == (len(text),) and t.tolist() == ids
    assert tok.decode(t) == text  # a tensor of ids decodes too


def test_char_unknown_character_is_named_without_unk_token() -> None:
    tok = CharTokenizer().fit("abc")
    with pytest.raises(UnknownTokenError, match=r"'z' \(U\+007A\) at position 2") as info:
        tok.encode("abzc")
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)


def test_char_unk_token_is_id_zero() -> None:
    tok = CharTokenizer(unk_token="<unk>").fit("banana")
    assert tok.vocab_ == ["<unk>", "a", "b", "n"]
    assert tok.encode("cab") == [0, 1, 2]
    assert tok.decode(tok.encode("cab")) == "<unk>ab"


@FAST
@given(train=ANY_TEXT, text=ANY_TEXT)
@example(train="ab\ud800", text="\udfffba\ud800")
def test_char_with_unk_round_trips_any_text(train: str, text: str) -> None:
    tok = CharTokenizer(unk_token="\x00").fit(train)
    ids = tok.encode(text)
    assert len(ids) == len(text) and all(0 <= i < tok.vocab_size for i in ids)
    assert tok.decode(ids) == "".join(c if c in set(train) else "\x00" for c in text)
    assert CharTokenizer().fit(text).decode(CharTokenizer().fit(text).encode(text)) == text


def test_char_errors_before_fit_and_for_bad_ids() -> None:
    with pytest.raises(TokenizerError, match=r"not fitted yet: call fit\(texts\)"):
        CharTokenizer().encode("a")
    tok = CharTokenizer().fit("ab")
    with pytest.raises(TokenizerError, match=r"id 5 is outside range\(0, 2\)"):
        tok.decode([0, 5])
    with pytest.raises(TypeError, match="iterable of str"):
        CharTokenizer().fit(["ok", 3])  # type: ignore[list-item]


# ------------------------------------------------------------------ WordTokenizer
def _expected_index(counts: Counter[str]) -> dict[str, int]:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {"<pad>": 0, "<unk>": 1} | {w: i + 2 for i, (w, _) in enumerate(ranked)}


def test_word_index_is_ordered_by_frequency() -> None:
    counts = Counter(CORPUS.split())  # no punctuation or capitals: split is the reference
    tok = WordTokenizer().fit(CORPUS)
    assert tok.word_index_ == _expected_index(counts)
    assert tok.word_counts_ == {w: counts[w] for w in tok.vocab_[2:]}
    assert tok.vocab_[2] == "the" and tok.word_counts_["the"] == 7
    assert tok.vocab_size == len(counts) + 2


def test_word_ties_are_alphabetical() -> None:
    tok = WordTokenizer().fit("b a c b a d")
    assert tok.vocab_ == ["<pad>", "<unk>", "a", "b", "c", "d"]


def test_word_oov_padding_and_decode() -> None:
    tok = WordTokenizer().fit(CORPUS)
    ids = tok.encode("The zebra jumps")
    assert ids == [tok.word_index_["the"], 1, tok.word_index_["jumps"]]
    assert tok.decode([*ids, 0, 0]) == "the <unk> jumps"  # padding is left out
    text = "The lazy fox sleeps"
    assert tok.decode(tok.encode(text)) == " ".join(tok.tokenize(text)) == text.lower()


def test_word_lowercase_and_punctuation_options() -> None:
    text = "Hello, hello! Don't go."
    assert WordTokenizer().tokenize(text) == ["hello", ",", "hello", "!", "don't", "go", "."]
    assert WordTokenizer(strip_punctuation=True).tokenize(text) == ["hello", "hello", "don't", "go"]
    cased = WordTokenizer(lowercase=False, strip_punctuation=True).fit(text)
    assert cased.word_counts_ == {"Don't": 1, "Hello": 1, "go": 1, "hello": 1}
    assert WordTokenizer().fit(text).word_counts_["hello"] == 2


def test_word_max_vocab_and_min_freq() -> None:
    counts = Counter(CORPUS.split())
    small = WordTokenizer(max_vocab=5).fit(CORPUS)
    assert small.vocab_size == 5 and small.vocab_[2:] == list(_expected_index(counts))[2:5]
    frequent = WordTokenizer(min_freq=2).fit(CORPUS)
    assert set(frequent.vocab_[2:]) == {w for w, n in counts.items() if n >= 2}
    assert frequent.encode("quick")[0] == 1  # seen once: out of vocabulary
    for bad in [WordTokenizer(max_vocab=1), WordTokenizer(min_freq=0)]:
        with pytest.raises(ValueError, match="must be"):
            bad.fit(CORPUS)


# ------------------------------------------------------------------ BPETokenizer
def _chunks(text: str) -> list[str]:
    """The documented pre-split, for text of lowercase words separated by single spaces."""
    words = text.split(" ")
    return [words[0]] + [" " + w for w in words[1:]]


def _naive_merges(text: str, n: int) -> list[tuple[int, int]]:
    """Reference BPE: recount every pair from scratch before each merge."""
    words = [list(c.encode()) for c in _chunks(text)]
    merges = []
    for k in range(n):
        counts = Counter(p for w in words for p in zip(w, w[1:], strict=False))
        if not counts:
            break
        top = max(counts.values())
        pair = min(p for p, c in counts.items() if c == top)
        merges.append(pair)
        new_words = []
        for w in words:
            out, i = [], 0
            while i < len(w):
                if w[i : i + 2] == list(pair):
                    out.append(256 + k)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new_words.append(out)
        words = new_words
    return merges


def test_bpe_first_merge_is_the_most_frequent_pair() -> None:
    chunks = [c.encode() for c in _chunks(CORPUS)]
    pairs = Counter(p for c in chunks for p in zip(c, c[1:], strict=False))
    (best, count), (_, runner_up) = pairs.most_common(2)
    assert count > runner_up  # unambiguous on this corpus
    tok = BPETokenizer().train(CORPUS, vocab_size=300)
    assert tok.merges_[0] == best and tok.vocab_[256] == bytes(best)


def test_bpe_merges_match_a_naive_reference() -> None:
    tok = BPETokenizer().train(CORPUS, vocab_size=256 + 40)
    assert tok.merges_ == _naive_merges(CORPUS, 40)


def test_bpe_merges_shrink_repetitive_text() -> None:
    text = "abab abab abab abab " * 20
    tok = BPETokenizer().train(text, vocab_size=270)
    ids = tok.encode(text)
    assert len(ids) * 4 < len(text.encode())
    assert tok.decode(ids) == text


def test_bpe_stops_when_pairs_run_out() -> None:
    tok = BPETokenizer().train("ab", vocab_size=1000)
    assert tok.vocab_size == 257 and tok.encode("ab") == [256]
    with pytest.raises(ValueError, match="vocab_size must be an int >= 256"):
        BPETokenizer().train("ab", vocab_size=100)
    with pytest.raises(TokenizerError, match=r"call train\(texts, vocab_size\) first"):
        BPETokenizer().encode("ab")


@pytest.fixture(scope="module")
def bpe() -> BPETokenizer:
    return BPETokenizer().train(PROSE * 3 + [CORPUS], vocab_size=320)


@FAST
@given(text=ANY_TEXT)
@example(text="lone \ud800 surrogate \udfff, emoji \U0001f642")
def test_bpe_round_trips_any_text(bpe: BPETokenizer, text: str) -> None:
    ids = bpe.encode(text)
    assert all(0 <= i < bpe.vocab_size for i in ids)
    assert bpe.decode(ids) == text


def test_bpe_unseen_characters_fall_back_to_bytes(bpe: BPETokenizer) -> None:
    text = "naïve 日本語 🙂 \t\n  end"
    ids = bpe.encode(text)
    assert bpe.decode(ids) == text and bpe.decode(bpe.encode_tensor(text)) == text
    assert bpe.encode("🙂") == list("🙂".encode())  # never seen: its four bytes
    assert bpe.decode(ids[:1] + [0xF0]).endswith("\ufffd")  # a cut sequence decodes safely


@pytest.mark.skipif(not SHAKESPEARE.exists(), reason="../shared/data is absent")
def test_bpe_on_tinyshakespeare_compresses_quickly() -> None:
    text = SHAKESPEARE.read_text(encoding="utf-8")
    train, held_out = text[:100_000], text[100_000:200_000]
    tok = BPETokenizer().train(train, vocab_size=512)
    assert tok.vocab_size == 512
    for part, minimum in [(train, 1.9), (held_out, 1.8)]:
        ids = tok.encode(part)
        assert tok.decode(ids) == part
        assert len(part.encode()) / len(ids) > minimum  # measured: 2.03 and 1.91


# ------------------------------------------------------------------ save / load
def _fitted() -> list[Tokenizer]:
    return [
        CharTokenizer().fit(PROSE),
        CharTokenizer(unk_token="<unk>").fit(PROSE),
        CharTokenizer().fit([*PROSE, "naïve 🙂 \ud800"]),  # JSON escapes even a lone surrogate
        WordTokenizer(strip_punctuation=True, max_vocab=20, min_freq=1).fit(PROSE),
        BPETokenizer().train(PROSE, vocab_size=300),
        WordTokenizer(lowercase=False),  # not fitted: options only
    ]


@pytest.mark.parametrize("tok", _fitted(), ids=lambda t: type(t).__name__)
def test_save_load_round_trip(tok: Tokenizer, tmp_path: Path) -> None:
    path = tmp_path / "tok.json"
    tok.save(path)
    doc = json.loads(path.read_text())
    assert doc["type"] == type(tok).__name__ and doc["version"] == 1
    for loaded in [type(tok).load(path), Tokenizer.load(path)]:
        assert type(loaded) is type(tok) and loaded == tok
        if hasattr(tok, "vocab_"):
            assert loaded.encode(PROSE[1]) == tok.encode(PROSE[1])
    assert [p.name for p in tmp_path.iterdir()] == ["tok.json"]  # no temporary left


def test_equality_sees_differences() -> None:
    assert CharTokenizer().fit("ab") != CharTokenizer().fit("abc")
    assert WordTokenizer().fit("a b") != WordTokenizer(lowercase=False).fit("a b")
    assert CharTokenizer().fit("ab") != WordTokenizer().fit("ab")


def test_failed_save_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tok.json"
    CharTokenizer().fit("abc").save(path)
    before = path.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        CharTokenizer().fit("xyz").save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["tok.json"]


def _edit(doc: dict, **changes: object) -> dict:
    return {**doc, **changes}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: b"\x80\x81 not text", "not UTF-8 text"),
        (lambda d: json.dumps(d)[:40], "invalid JSON"),
        (lambda d: json.dumps([1, 2]), "not a tokenizer file"),
        (lambda d: json.dumps(_edit(d, format="other")), "not a tokenizer file"),
        (lambda d: json.dumps(_edit(d, version=99)), "unsupported tokenizer file version 99"),
        (lambda d: json.dumps(_edit(d, type="Pickle")), "unknown tokenizer type 'Pickle'"),
        (lambda d: json.dumps(_edit(d, type="CharTokenizer")), "holds a CharTokenizer, not"),
        (lambda d: json.dumps(_edit(d, state={"merges": [[1, 999]]})), "merge 0 is"),
        (lambda d: json.dumps(_edit(d, state={"merges": 3})), "field 'merges' has the wrong"),
        (lambda d: json.dumps(_edit(d, state={})), "missing field 'merges'"),
        (
            lambda d: json.dumps(_edit(d, config={"depth": 3})),
            r"has options \['depth'\], expected \[\]",
        ),
        (lambda d: json.dumps(_edit(d, config=[])), "not a JSON object"),
    ],
)
def test_load_refuses_a_corrupt_file(
    change: Callable[[dict], str | bytes], message: str, tmp_path: Path
) -> None:
    good = tmp_path / "good.json"
    BPETokenizer().train(PROSE, vocab_size=260).save(good)
    bad = tmp_path / "bad.json"
    data = change(json.loads(good.read_text()))
    bad.write_bytes(data if isinstance(data, bytes) else data.encode())
    with pytest.raises(TokenizerError, match=message) as info:
        BPETokenizer.load(bad)
    assert str(bad) in str(info.value)


@pytest.mark.parametrize(
    ("tok", "state", "message"),
    [
        (CharTokenizer(), {"chars": ["b", "a"]}, "sorted single characters"),
        (CharTokenizer(), {"chars": ["ab"]}, "sorted single characters"),
        (WordTokenizer(), {"words": ["a", "a"], "counts": [1, 1]}, "distinct strings"),
        (WordTokenizer(), {"words": ["a"], "counts": [0]}, "positive int"),
        (WordTokenizer(), {"words": ["<unk>"], "counts": [3]}, "reserved"),
    ],
)
def test_load_refuses_corrupt_state(
    tok: Tokenizer, state: dict, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "tok.json"
    tok.save(path)
    doc = json.loads(path.read_text())
    path.write_text(json.dumps(_edit(doc, state=state)))
    with pytest.raises(TokenizerError, match=message):
        Tokenizer.load(path)


def test_load_refuses_a_bad_option(tmp_path: Path) -> None:
    path = tmp_path / "tok.json"
    WordTokenizer().save(path)
    doc = json.loads(path.read_text())
    path.write_text(json.dumps(_edit(doc, config={**doc["config"], "min_freq": -1})))
    with pytest.raises(TokenizerError, match="min_freq must be an int >= 1"):
        WordTokenizer.load(path)
