"""Slugs: text made safe for URLs and file names (`Crème Brûlée!` becomes `creme-brulee`)."""

from __future__ import annotations

import re
import unicodedata

# Letters that have no decomposition to a base letter plus accents, spelled as ASCII.
_LETTERS = str.maketrans(
    {
        "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
        "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ł": "l", "Ł": "L", "\u0131": "i",
    }
)  # fmt: skip
_APOSTROPHES = re.compile(r"(?<=\w)['\u2019](?=\w)")
_WORD = re.compile(r"[^\W_]+")


def slugify(
    text: str,
    *,
    separator: str = "-",
    lowercase: bool = True,
    allow_unicode: bool = False,
    max_length: int | None = None,
) -> str:
    """Words of `text` joined by `separator`; accents dropped and, unless allowed, non-ASCII too."""
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = unicodedata.normalize("NFKC", text)
    if not allow_unicode:
        text = text.encode("ascii", "ignore").decode("ascii")
    if lowercase:
        text = text.lower()
    words = _WORD.findall(_APOSTROPHES.sub("", text))
    slug = separator.join(words)
    if max_length is None or len(slug) <= max_length:
        return slug
    return _shorten(words, separator, max_length)


def _shorten(words: list[str], separator: str, max_length: int) -> str:
    """As many whole words as fit; a first word longer than the limit is cut."""
    kept: list[str] = []
    length = 0
    for word in words:
        extra = len(word) + (len(separator) if kept else 0)
        if length + extra > max_length:
            break
        kept.append(word)
        length += extra
    return separator.join(kept) if kept else words[0][:max_length]
