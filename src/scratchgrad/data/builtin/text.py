"""Texts for language models: any UTF-8 file, and the built-in sonnets.

Each returns a :class:`~scratchgrad.data.builtin.registry.TextCorpus`: the first part of
the characters trains, the rest validates.
"""

from __future__ import annotations

from pathlib import Path

from scratchgrad.data.builtin.registry import TextCorpus, register


@register
def text_corpus(path: str | Path, val_fraction: float = 0.1) -> TextCorpus:
    """A UTF-8 text file: the first 1 - val_fraction of its characters train, the rest val.

    ``int(n * (1 - val_fraction))`` characters train, as nanoGPT's character-level
    preparation of tiny-shakespeare (1,003,854 train, 111,540 val).

    Args:
        path: the text file.
        val_fraction: the share of characters held out for validation, from the end.

    Raises:
        FileNotFoundError: if there is no such file.
        ValueError: if the file is empty, not UTF-8, or too short to split.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"text_corpus: no file {path}")
    if not 0 < val_fraction < 1:
        raise ValueError(f"text_corpus: val_fraction must be between 0 and 1, got {val_fraction}")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(
            f"text_corpus: {path} is not UTF-8 text ({e.reason} at byte {e.start})"
        ) from e
    if not text:
        raise ValueError(f"text_corpus: {path} is empty")
    n_train = int(len(text) * (1 - val_fraction))
    if not 0 < n_train < len(text):
        raise ValueError(f"text_corpus: {path} has {len(text)} characters, too few to split")
    about = (
        f"Text from {path.name}: {len(text):,} characters, {len(set(text))} distinct; the "
        f"first {1 - val_fraction:.0%} train, the last {val_fraction:.0%} validation."
    )
    return TextCorpus(path.name, text[:n_train], text[n_train:], about)


@register
def sonnets(val_fraction: float = 0.1) -> TextCorpus:
    """Ten of Shakespeare's sonnets (public domain, about 6,000 characters), built in.

    A text for language models that needs no download: the first 90% trains, the rest
    validates, as :func:`text_corpus`.

    >>> "Shall I compare thee to a summer's day?" in sonnets().train
    True
    """
    return text_corpus(Path(__file__).parent / "texts" / "sonnets.txt", val_fraction)


__all__ = ["sonnets", "text_corpus"]
