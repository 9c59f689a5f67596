"""The words search compares: one analyzer for indexed text and for queries.

Technical text names things in ways a plain word splitter loses, so a token
that joins pieces (`init_process_group`, `torch.distributed.pipelining`,
`NCCL_ALGO`, `ProcessGroupNCCL`, `compute-bound`) is kept whole *and* split
into its parts: a query for the identifier finds it exactly, a query for one of
its parts still finds it. Numbers and unit-like tokens (`4096`, `1F1B`, `H100`,
`2.9.6`) stay tokens of their own; a number glued to a unit (`64GB`, `10us`)
also yields the number and the unit. Plain words are lowercased, lightly
stemmed (plurals, -ing, -ed, a final -e: "caches", "caching" and "cached" meet)
and common function words are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can cannot could did do does doing down during each
    either etc few for from further had has have having he her here hers herself him himself
    his how however i if in into is isn't it its itself just let lets may me might more most
    much must my myself no nor not now of off on once one only onto or other ought our ours
    ourselves out over own per same shall she should so some such than that the their theirs
    them themselves then there these they this those though through thus to too under until
    up upon us very via was we were what when where whether which while who whom whose why
    will with within without would yet you your yours yourself yourselves e.g i.e vs
    don doesn didn isn aren wasn weren won wouldn couldn shouldn hasn haven ll ve re
    """.split()
)

# A token: letters/digits, joined by `_`, `.`, `-`, `/` or `:` when a letter or digit
# follows (so `a.b`, `NCCL_ALGO` and `H100/H200` stay one token, a sentence's final
# dot does not). Math italic letters and full-width forms are folded by NFKC first.
_TOKEN = re.compile(r"[^\W_](?:[^\W_]|_+(?=[^\W_])|[.\-/:](?=[^\W_]))*")
_JOINERS = re.compile(r"[_.\-/:]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_NUM_UNIT = re.compile(r"^(\d+(?:\.\d+)?)([a-z]{2,3})$")  # 64gb, 10ms (not 4k, 5x)
_HAS_DIGIT = re.compile(r"\d")
_VOWEL = re.compile(r"[aeiouy]")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer for a lowercase alphabetic word."""
    if len(word) <= 3 or not word.isalpha():
        return word
    w = word
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith(("xes", "zes", "ches", "shes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        stays = (
            len(w) - len(suffix) < 3 or w.endswith("eed") or not _VOWEL.search(w[: -len(suffix)])
        )
        if w.endswith(suffix) and not stays:
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # running -> run, but keep "install", "pass"
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]  # cache/cach(ed|ing), pipeline/pipelin(ing)
    return w


def _word(piece: str) -> str | None:
    """One analyzed part, or None when it carries nothing (a stopword, one letter)."""
    low = piece.lower()
    if low in STOPWORDS or (len(low) == 1 and not low.isdigit()):
        return None
    return stem(low) if low.isalpha() else low


def _parts(token: str) -> list[str]:
    """The pieces of a joined or camel-cased token, analyzed."""
    out: list[str] = []
    for piece in _JOINERS.split(token):
        if not piece:
            continue
        if _HAS_DIGIT.search(piece):
            low = piece.lower()
            out.append(low)
            m = _NUM_UNIT.match(low)
            if m:  # 64gb -> 64, gb
                out += [m.group(1), m.group(2)]
            continue
        subs = [piece]
        if not piece.isupper() and not piece.islower():
            camel = _CAMEL.findall(piece)
            if all(len(c) > 1 for c in camel):  # PyTorch -> py, torch; DiT, vLLM stay whole
                subs = camel
        out += [w for w in (_word(s) for s in subs) if w]
    return out


_ACRONYM_PLURAL = re.compile(r"^[A-Z]{2,}s$")  # GPUs, SMs, APIs


@lru_cache(maxsize=65536)
def analyze_token(token: str) -> tuple[str, ...]:
    """The index terms of one raw token: the whole (when it is more than a word) then its parts.

    A word of letters only is one term however it is cased ("GPipe", "Gpipe" and
    "gpipe" meet), plus its camel-case parts when it has some ("PyTorch": py, torch).
    """
    if _ACRONYM_PLURAL.match(token):
        return (token[:-1].lower(),)
    if token.isalpha():
        whole = _word(token)
        if not whole:
            return ()
        parts = [p for p in _parts(token) if p != whole]
        return (whole, *parts)
    whole = token.lower()
    parts = _parts(token)
    if parts == [whole]:
        return (whole,)
    return (whole, *(p for p in parts if p != whole))


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def raw_tokens(text: str) -> list[re.Match]:
    """Raw tokens of (normalized) text, with their offsets."""
    return list(_TOKEN.finditer(text))


def analyze(text: str) -> list[str]:
    """The index terms of a text, in order (parts follow their whole)."""
    out: list[str] = []
    for m in _TOKEN.finditer(normalize(text)):
        out += analyze_token(m.group(0))
    return out


@dataclass(frozen=True)
class QueryTerm:
    """One word or "quoted phrase" of a query.

    ``groups`` holds, per word, its analyzed terms (whole first); a word is present
    in a text when its whole or every one of its parts is. A phrase's words must
    also appear in order, next to each other.
    """

    text: str
    groups: tuple[tuple[str, ...], ...]
    phrase: bool

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for g in self.groups for t in g))

    @property
    def terms_in_order(self) -> tuple[str, ...]:
        """Every term of every word in order, repeats kept: the phrase as indexed."""
        return tuple(t for g in self.groups for t in g)


_QUERY = re.compile(r'"([^"]*)"|(\S+)')


def parse_query(query: str) -> list[QueryTerm]:
    """The words and "quoted phrases" of a query; stopwords and punctuation drop out."""
    out: list[QueryTerm] = []
    seen: set[tuple] = set()
    for m in _QUERY.finditer(normalize(query)):
        quoted = m.group(1) is not None
        text = m.group(1) if quoted else m.group(2)
        words = [(t.group(0), analyze_token(t.group(0))) for t in _TOKEN.finditer(text)]
        words = [(t, g) for t, g in words if g]
        if quoted and len(words) > 1:
            term = QueryTerm(" ".join(t for t, _ in words), tuple(g for _, g in words), True)
            if term.groups not in seen:
                seen.add(term.groups)
                out.append(term)
            continue
        for t, g in words:
            if (g,) not in seen:
                seen.add((g,))
                out.append(QueryTerm(t, (g,), False))
    return out


def content_words(text: str, n: int = 8) -> list[str]:
    """The first ``n`` words of a text that are not stopwords (how a claim becomes a query)."""
    words = []
    for m in _TOKEN.finditer(normalize(text)):
        w = m.group(0)
        if w.lower() in STOPWORDS or (len(w) == 1 and not w.isdigit()):
            continue
        words.append(w)
        if len(words) == n:
            break
    return words
