"""Words: the document's vocabulary, and lines joined with line-end hyphens undone."""

from __future__ import annotations

import re

from .text import Line

WORD = re.compile(r"[A-Za-z]+")


def _dehyphenate(first: str, second: str, vocab: set[str]) -> str:
    """Join two lines, undoing a line-end hyphen unless it belongs to the word."""
    if re.search(r"(https?:/*|https?://\S*[/:.\-_?=&#%~])$", first) or (
        re.search(r"https?://\S*$", first) and second.startswith("/")
    ):
        return first + second  # a URL broken at the line end goes on without a space
    m1 = re.search(r"([A-Za-z]+)-$", first)
    m2 = re.match(r"([A-Za-z]+)", second)
    if not (m1 and m2):
        return first + " " + second
    left, right = m1.group(1).lower(), m2.group(1).lower()
    if re.match(r"[A-Za-z]+-[A-Za-z]", second):
        return first + second  # "seq-" + "to-seq": one link of a hyphenated chain
    if not m2.group(1)[0].islower() and not m2.group(1).isupper():
        # "Py- Torch": a capital after the break is still one word when the document
        # writes it joined somewhere.
        if left + right in vocab:
            return first[:-1] + second
        return first + second
    joined = left + right
    keep = joined not in vocab and (
        f"{left}-{right}" in vocab
        or (len(left) >= 3 and len(right) >= 3 and left in vocab and right in vocab)
    )
    return first + second if keep else first[:-1] + second


def vocabulary(lines: list[Line]) -> set[str]:
    """Words of the document, leaving out the two halves of every line-end hyphen
    (they are what is being decided)."""
    words: set[str] = set()
    broken = False
    for line in lines:
        text = line.text
        if broken:
            text = re.sub(r"^\S+", "", text)
        broken = bool(re.search(r"[A-Za-z]-$", text))
        if broken:
            text = re.sub(r"\S+$", "", text)
        words.update(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text))
        words.update(w.lower() for w in WORD.findall(text))
    return words


def join_lines(lines: list[Line], vocab: set[str]) -> str:
    """The lines as one run of text, line-end hyphens undone where ``vocab`` says so."""
    text = lines[0].text
    for line in lines[1:]:
        text = _dehyphenate(text, line.text, vocab)
    return " ".join(text.split())
