"""The one rule for names made from what a person wrote: resource ids and file names.

A title may be in any script, all symbols, or thousands of characters long (a library
is data from a stranger). A name made from it is ASCII words only (accents folded:
`Café` -> `cafe`), at most `MAX_CHARS` characters cut at a word boundary, so it is a
valid manifest id and a file name every file system takes. A title with no ASCII
word gives an empty slug; the caller picks what stands in (the URL, or a fixed word).
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 60  # an id is typed and read; file systems take 255 bytes
_WORD = re.compile(r"[a-z0-9]+")


def ascii_words(text: str) -> list[str]:
    """The lowercase ASCII words of ``text``, accents folded (`Müller` -> `muller`)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded.lower())


def slug(text: str, max_words: int | None = None, max_chars: int = MAX_CHARS) -> str:
    """``text`` as `words-joined-by-hyphens`, bounded; "" when it has no ASCII word."""
    words = ascii_words(text)[:max_words]
    out = ""
    for word in words:
        joined = f"{out}-{word}" if out else word
        if len(joined) > max_chars:
            return out or word[:max_chars]
        out = joined
    return out
