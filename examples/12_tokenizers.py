"""Text to numbers: characters, a word index, and byte-pair encoding (E3, E4).

Curriculum rows shown here:
    E3  encoding inputs into the form a model expects: a network reads numbers, so each
        character becomes an integer id (and, for the first layer, a one-hot row);
    E4  tokenization at three grains, each with an encode/decode round trip:
        per character (a tiny vocabulary, long sequences), per word (a word index ordered
        by frequency, with out-of-vocabulary words mapped to <unk>), and sub-word
        byte-pair encoding (BPE: frequent pieces of words become single tokens, and any
        text at all can still be encoded, byte by byte).

The texts are written into this script, so it needs no downloaded data. Every round trip
is checked with ``assert``. The three fitted tokenizers are saved as JSON files into the
output folder ($SCRATCHGRAD_EXAMPLES_OUT, default examples/out/) and loaded back.

Run it with ``python examples/12_tokenizers.py``.
"""

from collections import Counter

from _common import out_dir, section

import scratchgrad as sg
from scratchgrad.data.tokenizers import (
    BPETokenizer,
    CharTokenizer,
    Tokenizer,
    UnknownTokenError,
    WordTokenizer,
)

TEXT = """\
The river town woke before the sun. The baker lit the ovens, the ferryman untied the
boat, and the children ran down to the water to watch the mist lift from the river.

By noon the market was full. Farmers sold apples and pears, the fishermen sold the
morning's catch, and the old clockmaker mended the town clock while the children watched.
Nobody in the town could remember a day when the clock had been right, and nobody minded.

In the evening the town grew quiet again. The ferryman tied the boat, the baker swept the
floor, and the river carried the last of the light down to the sea. The children counted
the boats on the water, and the old clockmaker wound the clock, and the town went to sleep.
"""

# ---------------------------------------------------------------------------------------
# E3. Characters to numbers
# ---------------------------------------------------------------------------------------
section("E3. Characters to numbers")

word = "hello world"
chars = sorted(set(word))  # the vocabulary: each distinct character once, sorted
stoi = {c: i for i, c in enumerate(chars)}  # string to integer
print("text:       ", repr(word))
print("vocabulary: ", chars, f"({len(chars)} characters)")
print("as ids:     ", [stoi[c] for c in word])
assert "".join(chars[stoi[c]] for c in word) == word  # ids back to characters

# An id is a label, not a size: 'w' (6) is not "more" than 'd' (1). The first layer of a
# network therefore sees a one-hot row per character: a 1 at the id, zeros elsewhere
# (an embedding layer does the same with a table lookup).
ids = sg.tensor([stoi[c] for c in word])  # int64, shape (11,)
one_hot = sg.eye(len(chars))[ids]  # (11, 8): row i is the one-hot code of character i
print(f"one-hot: ids {tuple(ids.shape)} {ids.dtype} -> {tuple(one_hot.shape)} {one_hot.dtype}")
print("  'h' ->", one_hot[0].tolist())
assert one_hot.sum(dim=1).tolist() == [1.0] * len(word)

# Underneath, text already is numbers: Unicode code points, stored as UTF-8 bytes (0-255).
# "é" is one code point but two bytes; BPE below starts from these bytes.
cafe = "café"
print("code points of 'café':", [ord(c) for c in cafe])
print("UTF-8 bytes of 'café':", list(cafe.encode("utf-8")))
assert bytes(list(cafe.encode("utf-8"))).decode("utf-8") == cafe

# ---------------------------------------------------------------------------------------
# E4. Per character
# ---------------------------------------------------------------------------------------
section("E4. Character tokenizer")

char_tok = CharTokenizer().fit(TEXT)
print(f"vocab_size = {char_tok.vocab_size}:", "".join(char_tok.vocab_).replace("\n", "\\n"))
sentence = "The clock was right."
char_ids = char_tok.encode(sentence)
print(f"encode({sentence!r}) =", char_ids)
print("decode(...) =", repr(char_tok.decode(char_ids)))
assert char_tok.decode(char_ids) == sentence and len(char_ids) == len(sentence)

try:  # 'Z' never occurs in TEXT
    char_tok.encode("Zebra")
except UnknownTokenError as err:
    print("unseen character:", err)
else:
    raise AssertionError("an unseen character must be refused without an unknown token")

with_unk = CharTokenizer(unk_token="?").fit(TEXT)  # or map unseen characters to id 0
print("with unk_token='?': encode('Zebra') =", with_unk.encode("Zebra"))
print("                    decode(...)     =", repr(with_unk.decode(with_unk.encode("Zebra"))))
assert with_unk.decode(with_unk.encode("Zebra")) == "?ebra"

# ---------------------------------------------------------------------------------------
# E4. Per word: a word index
# ---------------------------------------------------------------------------------------
section("E4. Word tokenizer: a word index ordered by frequency")

word_tok = WordTokenizer().fit(TEXT)  # lowercase; punctuation marks are tokens too
print(f"vocab_size = {word_tok.vocab_size} (0 = <pad>, 1 = <unk>, then words by frequency)")
print(" id  token        count")
for token, i in list(word_tok.word_index_.items())[:12]:
    count = word_tok.word_counts_.get(token, "-")  # the reserved ids have no count
    print(f"{i:3d}  {token:12s} {count}")
counts = Counter(word_tok.tokenize(TEXT))  # the same counts, computed independently
assert word_tok.vocab_[2] == counts.most_common(1)[0][0] == "the"
assert word_tok.word_counts_["the"] == counts["the"]

sentence = "The old ferryman watched the river."
word_ids = word_tok.encode(sentence)
print(f"\nencode({sentence!r}) =", word_ids)
print("decode(...) =", repr(word_tok.decode(word_ids)), "(lowercase, joined by spaces)")
assert word_tok.decode(word_ids) == " ".join(word_tok.tokenize(sentence))

oov = "The dragon watched the river."
oov_ids = word_tok.encode(oov)
print(f"\nout of vocabulary: encode({oov!r}) =", oov_ids)
print("decode(...) =", repr(word_tok.decode(oov_ids)))
assert oov_ids[1] == 1 and "<unk>" in word_tok.decode(oov_ids)

padded = word_ids + [0] * 3  # sequences in a batch are padded to one length with id 0
print("padded with id 0:", padded, "-> decode drops the padding:", repr(word_tok.decode(padded)))
assert word_tok.decode(padded) == word_tok.decode(word_ids)

# ---------------------------------------------------------------------------------------
# E4. Sub-word: byte-pair encoding
# ---------------------------------------------------------------------------------------
section("E4. Byte-pair encoding (BPE): merge the most frequent pair, again and again")

bpe = BPETokenizer().train(TEXT, vocab_size=256 + 80)  # 256 byte ids + 80 merges
print(f"vocab_size = {bpe.vocab_size} (256 bytes + {len(bpe.merges_)} merges)")
print("the first merges (pair of ids -> new id: the bytes it stands for):")
for rank, (a, b) in enumerate(bpe.merges_[:10]):
    print(f"  ({a:3d}, {b:3d}) -> {256 + rank}: {bpe.vocab_[256 + rank]!r}")

sentence = "The children watched the clock."
bpe_ids = bpe.encode(sentence)
pieces = [bpe.vocab_[i].decode("utf-8", errors="replace") for i in bpe_ids]
print(f"\nencode({sentence!r}) =", bpe_ids)
print("as pieces:", pieces)
assert bpe.decode(bpe_ids) == sentence

unseen = "Zebras café 日本 🙂"  # characters never seen in training: their bytes are used
print(f"unseen text {unseen!r} -> {len(bpe.encode(unseen))} ids, round trip exact:", end=" ")
assert bpe.decode(bpe.encode(unseen)) == unseen
print(True)

n_bytes, n_tokens = len(TEXT.encode()), len(bpe.encode(TEXT))
print(f"the whole text: {n_bytes} bytes -> {n_tokens} tokens ({n_bytes / n_tokens:.2f} per token)")
assert n_tokens < n_bytes / 2

section("E4. The three grains side by side")

sentence = "The ferryman untied the boat."
print(f"{sentence!r}")
for name, tok in [("character", char_tok), ("word", word_tok), ("BPE", bpe)]:
    n = len(tok.encode(sentence))
    print(f"  {name:9s}  vocab_size {tok.vocab_size:4d}   {n:2d} tokens")

# Saved as small JSON files (never pickle), written atomically, and loaded back.
for name, tok in [("char", char_tok), ("word", word_tok), ("bpe", bpe)]:
    path = out_dir() / f"12_{name}_tokenizer.json"
    tok.save(path)
    assert Tokenizer.load(path) == tok
print("\nsaved and reloaded: 12_char_tokenizer.json, 12_word_tokenizer.json, 12_bpe_tokenizer.json")

print("\nAll round trips check out.")
