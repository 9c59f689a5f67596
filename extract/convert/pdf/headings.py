"""Headings: section numbering (`2.3`, `A.1`, `IV.`, `B.`, `2)`), known names,
the styles numbered headings are set in, and run-in paragraph headings."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .captions import CAPTION
from .text import Line, Span
from .words import WORD

KNOWN_HEADINGS = {
    "abstract",
    "references",
    "bibliography",
    "acknowledgements",
    "acknowledgments",
    "acknowledgement",
    "acknowledgment",
    "appendix",
    "appendices",
    "supplementary material",
    "introduction",
    "related work",
    "conclusion",
    "conclusions",
    "discussion",
    "limitations",
    "broader impact",
    "broader impacts",
    "ethics statement",
    "reproducibility statement",
    "artifact description",
    "artifact appendix",
    "keywords",
}
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "`": "'"})
_BACK_MATTER = {
    "references",
    "bibliography",
    "acknowledgements",
    "acknowledgments",
    "acknowledgement",
    "acknowledgment",
    "appendix",
    "appendices",
}
_DIGITS = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<title>\S.*)$")
_LETTERED = re.compile(r"^(?P<num>[A-Z](?:\.\d{1,2}){1,3})\.?\s+(?P<title>\S.*)$")
_LETTER = re.compile(r"^(?P<num>[A-Z])(?P<dot>\.?)\s+(?P<title>[A-Z0-9(].*)$")
_ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})\.\s+(?P<title>\S.*)$")
_PAREN = re.compile(r"^(?P<num>\d{1,2})\)\s+(?P<title>\S.*)$")
_APPENDIX = re.compile(r"^appendix\b", re.I)
_NOT_RUN_IN = re.compile(
    r"^(Index Terms|Keywords|Key words|CCS Concepts|ACM Reference Format|Theorem|Lemma|"
    r"Proposition|Corollary|Definition|Assumption|Remark|Example|Proof|Claim|Note|"
    r"Observation|Takeaway|Figure|Fig\.|Table|Algorithm|Listing|Input|Output|Require|Ensure)\b"
    r"|^(?:Result|Data)\s*:",  # algorithm2e's keywords
    re.I,
)


def upper(text: str) -> bool:
    """Set in capitals: three letters or more, all upper case."""
    letters = list(filter(str.isalpha, text))
    return len(letters) >= 3 and all(map(str.isupper, letters))


def emphatic(line: Line, body: float) -> bool:
    """Set apart from body text: bold, larger, small capitals or capitals."""
    return line.bold or line.size >= body + 0.8 or line.caps or upper(line.text)


def section_number(text: str, roman_doc: bool) -> tuple[int, str, str] | None:
    """(level, number, title) when ``text`` starts with a section number."""
    m = _DIGITS.match(text)
    if m:
        num = m.group("num")
        if int(num.split(".")[0]) > 30 or num.startswith("0"):
            return None
        return min(num.count(".") + 2, 6), num, m.group("title")
    m = _LETTERED.match(text)
    if m:
        return min(m.group("num").count(".") + 2, 6), m.group("num"), m.group("title")
    m = _ROMAN.match(text)
    if m and _roman_value(m.group("num")) <= 20:
        return 2, m.group("num"), m.group("title")
    m = _LETTER.match(text)
    if m and (m.group("dot") or not roman_doc):
        return (3 if roman_doc else 2), m.group("num"), m.group("title")
    m = _PAREN.match(text)
    if m:
        return 4, m.group("num"), m.group("title")
    return None


def _roman_value(s: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = values[a]
        total += -v if b != " " and values.get(b, 0) > v else v
    return total


def bold_number(line: Line) -> bool:
    """The line opens with a bold section number at its own size (not a small
    bold line number of an algorithm listing)."""
    spans = [s for s in line.spans if s.text.strip()]
    if len(spans) < 2 or not spans[0].bold or abs(spans[0].size - line.size) > 1.0:
        return False
    number = r"(?:\d{1,2}(?:\.\d{1,2}){0,3}|[A-Z](?:\.\d{1,2}){0,3})\.?(?:\s|$)"
    return bool(re.match(number, spans[0].text.strip()))


_STATEMENT = re.compile(r"^[A-Z][a-z]+\.?\s+(?:\d+(?:\.\d+)*|[IVX]+|[A-Z])(?:\s*\(.*\))?[.:]?$")


def statement(text: str) -> bool:
    """ "Construction 1", "Case 2.", "Lemma 3 (Binding)": the head of a numbered
    statement (a theorem-like environment or a case), not a heading."""
    return bool(_STATEMENT.match(" ".join(text.split())))


_LONG_WORD = re.compile(r"[A-Za-z][a-z]{2,}")


def _title_ok(title: str, strong: bool = False, caps: bool = False) -> bool:
    words = title.split()
    return (
        0 < len(words) <= 18
        and len(WORD.findall(title)) > 0
        and any(len(w) >= 2 for w in WORD.findall(title))
        and not title.rstrip().endswith((",", ";"))
        # "F SC =", "T = 4": a piece of a formula; a long title may hold one
        and not re.search(r"[=+−×<>≤≥]\s*$", title)
        and (" = " not in title or sum(1 for w in title.split() if _LONG_WORD.fullmatch(w)) >= 3)
        and (
            title[0].isupper()
            or title[0].isdigit()
            or title[0] in '(“"'
            or not title[0].isalpha()
            or (strong and bool(re.match(r"^[a-z]\w*[._(]", title)))  # "2.1 torch.jit.trace"
            or bool(re.match(r"^[a-z]{1,3}[A-Z]", title))  # "3.1 iPRF", "eBPF Maps"
            or caps  # small capitals: the text layer may give their lower case ("3 flexcrypt")
        )
    )


def _signature(line: Line) -> tuple:
    return (round(line.size * 2) / 2, line.bold, line.caps or upper(line.text), line.italic)


@dataclass
class Styles:
    """What the document's headings look like, learnt once from its numbered ones."""

    body: float  # the body text size
    roman: bool  # sections numbered I., II., ... (IEEE): a lone letter is a subsection
    by_signature: dict[tuple, int] = field(default_factory=dict)
    seen_section: bool = False  # unnumbered headings by style only after a first section
    outline: dict[str, int] = field(default_factory=dict)  # the PDF's bookmarks: key -> level
    plain: set[int] = field(default_factory=set)  # ids of lines never headings (contents)
    level_sizes: dict[int, float] = field(default_factory=dict)  # numbered headings' sizes

    def level_for_size(self, size: float) -> int:
        """The level an unnumbered heading of this size takes: one below the deepest
        numbered level set larger than it (2 when none is)."""
        larger = [lvl for lvl, s in self.level_sizes.items() if s > size + 0.4]
        return min(max(larger) + 1, 6) if larger else 2


def outline_key(text: str) -> str:
    """Bookmark and heading text compared without numbering, case, a final stop and
    the shape of quotes (an outline's `Defense's` is the page's `Defense’s`)."""
    text = text.translate(_QUOTES)
    text = re.sub(r"^(?:[IVX]+\.|[A-Z](?:\.\d+)*\.?|\d+(?:\.\d+)*\.?|\d+\))\s+", "", text.strip())
    return " ".join(text.lower().rstrip(".:").split())


def standalone_heading(line: Line, styles: Styles) -> tuple[int, str] | None:
    """(level, text) when the whole ``line`` reads as a heading."""
    text = line.text.strip()
    if len(text) < 2 or len(text) > 160 or CAPTION.match(text) or id(line) in styles.plain:
        return None
    body = styles.body
    bare = text.lower().rstrip(".:")
    numbered = section_number(text, styles.roman)
    if numbered:
        level, num, title = numbered
        # A bold number at the line's own size: the title may be set in another font
        # ("3.1 iPRF", a macro's sans-serif name in a bold heading).
        bold = line.bold or bold_number(line)
        if not _title_ok(title, strong=bold or line.size >= body + 0.8, caps=line.caps):
            return None
        single_letter = bool(re.fullmatch(r"[A-Z]", num))
        if num.isdigit() and not line.caps and not upper(title):
            # "3 Method": a number alone needs a clear cue (bold or larger).
            ok = bold or line.size >= body + 0.8
        elif single_letter and styles.roman:
            ok = line.italic or bold or line.caps
        elif single_letter:
            ok = line.size >= body + 0.8 or (bold and line.size >= body)
        else:
            ok = emphatic(line, body) or bold or (line.italic and line.size >= body - 0.5)
        if _PAREN.match(text):
            ok = False  # "1) ..." headings are run-in (handled there)
        if ok and line.size >= body - 1.5:
            return level, text
        if styles.outline.get(outline_key(text)) is not None and len(text.split()) <= 16:
            return level, text  # in the PDF's outline: a heading even without a font cue
        return None
    if statement(text):
        return None
    if bare in KNOWN_HEADINGS or _APPENDIX.match(bare):
        if emphatic(line, body) and len(text.split()) <= 8:
            level = styles.by_signature.get(_signature(line), 2)
            if bare in _BACK_MATTER and styles.level_sizes:
                # \section*{Acknowledgments} in another face than the numbered sections
                # (no caps, no number): the level whose numbered headings share its size.
                sizes = styles.level_sizes
                level = min(sizes, key=lambda lv: (abs(sizes[lv] - line.size), lv))
                if line.size > max(sizes.values()) + 1:
                    level = 2  # larger than any numbered heading: a chapter's rank
            return level, text.rstrip(".:") if bare in KNOWN_HEADINGS else text
        return None
    bookmark = styles.outline.get(outline_key(text)) if len(text.split()) <= 16 else None
    if bookmark is not None and outline_key(text):
        # The PDF's own outline names this line: a heading even without a font cue. Its
        # level is that of the numbered headings set in its style, where there are
        # some: an outline puts front matter at the top (a thesis's \section*{Resumo}
        # with no chapter above it) whatever rank the page gives it.
        styled = styles.by_signature.get(_signature(line)) if emphatic(line, body) else None
        return styled or min(bookmark + 1, 6), text
    if text.endswith((".", ",", ";")) or len(text.split()) > 12:
        return None
    if not (text[0].isupper() or line.caps):
        return None
    if not _words_like_heading(line):
        return None
    styled_level = styles.by_signature.get(_signature(line))
    if styled_level is not None and emphatic(line, body) and styles.seen_section:
        return styled_level, text
    if line.size >= body + 2 and len(text.split()) <= 10 and styles.seen_section:
        return 2, text
    return None


def _words_like_heading(line: Line) -> bool:
    """An unnumbered heading is words: not a table row (cells apart, figures), not a
    piece of a formula ("F SC =")."""
    text = line.text
    words = WORD.findall(text)
    numbers = [w for w in text.split() if re.fullmatch(r"[-+−]?[\d.,%×x]+", w)]
    return (
        len(line.cells) < 2
        and len(numbers) < 2
        and any(len(w) >= 3 and w.isalpha() and not re.fullmatch(r"[IVXLC]+", w) for w in words)
        and not re.search(r"[=+−×∑∫≤≥<>]\s*$|=", text)
    )


def _name_like(span: Span) -> bool:
    """A short run that reads as a name or a symbol: a capital inside it ("iOPRF",
    "BBF") or a math letter, not a plain word ("In ")."""
    text = span.text.strip()
    return 0 < len(text) <= 8 and (bool(re.search(r"[A-Z]", text[1:])) or span.math > 0)


def _math_first(spans: list[Span]) -> bool:
    """The first letters of the lead (after its number) are a formula's."""
    for span in spans:
        text = (
            re.sub(r"^\s*[\dA-Z](?:\.\d{1,2})*\.?\s*", "", span.text)
            if span.text[:1].isdigit()
            else span.text
        )
        if any(ch.isalpha() for ch in text):
            return span.math > 0 or not text.strip()[:1].isascii()
    return False


def lead_phrase(spans: list[Span], first: int = 0) -> tuple[str, int]:
    """The emphasised phrase that opens ``spans`` from ``first`` on, in the style of
    its first run (bold, else italic), and the index of the run after it."""
    lead = ""
    k = first
    bold = k < len(spans) and spans[k].bold

    def styled(span: Span) -> bool:
        return (span.bold if bold else span.italic) and not span.mono

    if k < len(spans) and not styled(spans[k]) and _name_like(spans[k]):
        # A system's name set in its own face opens the lead ("iOPRF *specific uses.*")
        bold = k + 1 < len(spans) and spans[k + 1].bold
    while k < len(spans):
        if styled(spans[k]):
            lead += spans[k].text
            k += 1
            continue
        opening = not lead.strip() and k == first and _name_like(spans[k])
        # A symbol, a macro's name or a formula with its scripts inside the lead
        # ("πiOPRF Setup.", "Computing All ui's Fast."): a few short plain runs that
        # the lead's style takes up again after.
        j, short = k, 0
        while j < len(spans) and j - k < 4 and not styled(spans[j]):
            short += len(spans[j].text.strip())
            j += 1
        if (not lead.strip() and not opening) or short > 8 or j >= len(spans):
            break
        if not styled(spans[j]):
            break
        lead += "".join(s.text for s in spans[k:j])
        k = j
    return lead, k


def run_in_heading(line: Line, styles: Styles) -> tuple[str, str, str] | None:
    """(number, lead, rest) when ``line`` opens with an emphasised phrase ending in
    a period or colon: "**Weight Stashing.** Weight stashing keeps ...".
    A leading number may be set plainly ("2.2.1 *Default Schedule.*")."""
    spans = [s for s in line.spans if s.text.strip()]
    if not spans:
        return None
    num = ""
    first = 0
    m = re.match(
        r"^\s*((?:\d{1,2}(?:\.\d{1,2}){1,3}|[A-Z](?:\.\d{1,2}){1,3}|\d{1,2}\)))\s+", spans[0].text
    )
    if m and not (spans[0].bold or spans[0].italic):
        num = m.group(1)
        rest0 = spans[0].text[m.end() :]
        if rest0.strip():
            return None
        first = 1
    lead, k = lead_phrase(spans, first)
    if not lead.strip():
        return None
    text = " ".join(line.text.split())
    lead_clean = " ".join(lead.split())
    if not num:
        m2 = re.match(
            r"^((?:\d{1,2}(?:\.\d{1,2}){1,3}|[A-Z](?:\.\d{1,2}){1,3}|\d{1,2}\)))\s+(.*)$",
            lead_clean,
        )
        if m2:
            num, lead_clean = m2.group(1), m2.group(2)
    lead_words = lead_clean.rstrip(".:—– ").split()
    first_word = next((w for w in lead_words if any(c.isalpha() for c in w)), "")
    if (
        not (1 <= len(lead_words) <= (14 if num else 10))
        or not first_word
        or not (first_word[:1].isupper() or any(s.caps for s in spans[first:k]))
        and not re.match(r"^[a-z]{1,3}[A-Z]", first_word)
        and not (num and _math_first(spans[first:k]))  # "6.3.3 𝑓bit: Proof of ..."
    ):
        return None  # a word must open it, in capitals: not "1 for" of an algorithm
    lead_style = (spans[first].bold, spans[first].italic)
    sizes = [  # of the lead's own words: a formula's scripts inside it are smaller
        s.size
        for s in spans[first:k]
        if any(c.isalnum() for c in s.text) and (s.bold, s.italic) == lead_style
    ]
    if sizes and max(sizes) - min(sizes) > 1.5:
        return None  # a small bold line number beside a bold keyword: a listing
    if (_NOT_RUN_IN.match(lead_clean) and not num) or CAPTION.match(lead_clean):
        return None  # "Proof." opens a proof; "6.3.6 Proof of Construction 5." is a heading
    if statement(lead_clean):
        return None
    ends = lead_clean.endswith((".", ":", "—", "–"))
    italic_only = all(s.italic and not s.bold for s in spans[first:k])
    if italic_only and not ends:
        return None  # italics without a period are emphasis, not a heading
    if not ends and k == len(spans):
        return None  # a bold line with nothing after it: left to the standalone rules
    if not ends and not num and not all(s.bold or s.math for s in spans[first:k]):
        return None
    if lead_clean.lower().rstrip(".:—– ") == "abstract":
        return None
    start = text.find(lead_clean.split()[0]) if lead_clean else 0
    after = text[start:]
    idx = after.find(lead_clean)
    rest = after[idx + len(lead_clean) :].strip() if idx >= 0 else ""
    return num, lead_clean.rstrip(".:—– ").strip(), rest


def learn_styles(
    lines: list[Line],
    body: float,
    outline: dict[str, int] | None = None,
    plain: set[int] | None = None,
) -> Styles:
    """Which signatures (size, bold, caps, italic) numbered headings are set in, and
    at what level: unnumbered lines in that style are headings of that level."""
    roman_count = sum(
        1
        for ln in lines
        if _ROMAN.match(ln.text) and (ln.caps or upper(ln.text)) and len(ln.text) < 120
    )
    styles = Styles(body=body, roman=roman_count >= 2, outline=outline or {}, plain=plain or set())
    counts: Counter[tuple] = Counter()
    levels: dict[tuple, Counter] = {}
    for line in lines:
        h = standalone_heading(line, styles)
        if h and section_number(line.text, styles.roman):
            sig = _signature(line)
            counts[sig] += 1
            levels.setdefault(sig, Counter())[h[0]] += 1
    styles.seen_section = False
    by_level: dict[int, list[float]] = {}
    for sig in counts:
        for lvl, m in levels[sig].items():
            by_level.setdefault(lvl, []).extend([sig[0]] * m)
    styles.level_sizes = {lvl: sorted(v)[len(v) // 2] for lvl, v in by_level.items()}
    for sig, n in counts.items():
        # A style needs two numbered headings, and body text is never a heading style.
        if n >= 2 and (sig[0] > body + 0.4 or sig[1] or sig[2]):
            styles.by_signature[sig] = levels[sig].most_common(1)[0][0]
    return styles


class Numbering:
    """The section numbers met so far in reading order, to tell a heading that a
    figure's box overlaps (its number comes next: "3.2" after "3.1") from the
    labels drawn inside the figure."""

    def __init__(self) -> None:
        self.last: tuple[int, ...] | None = None

    @staticmethod
    def _number(line: Line) -> tuple[int, ...] | None:
        m = _DIGITS.match(line.text.strip())
        if not m or not (line.bold or bold_number(line)) or len(line.text.split()) > 16:
            return None
        return tuple(int(p) for p in m.group("num").split("."))

    def see(self, line: Line) -> None:
        num = self._number(line)
        if num is not None and self.follows(num):
            self.last = num

    def follows(self, num: tuple[int, ...]) -> bool:
        """``num`` comes next after the last number: 3.1 -> 3.2, 3.2 -> 4 or 3.2.1."""
        if self.last is None:
            return num in ((1,), (0,))
        last = self.last
        if len(num) == len(last) + 1:
            return num[:-1] == last and num[-1] == 1
        if len(num) <= len(last):
            return num[:-1] == last[: len(num) - 1] and num[-1] == last[len(num) - 1] + 1
        return False

    def continues(self, line: Line) -> bool:
        """``line`` is a numbered heading whose number comes next."""
        num = self._number(line)
        return num is not None and self.follows(num)
