"""A PDF's text layer, read with pypdfium2 (PDFium: BSD-3-Clause / Apache-2.0).

Every character with its font, size, weight and position becomes part of a
`Line` (with `Span`s of one style, cut where a wide gap separates table cells),
and each page reports the boxes of its figures (embedded images and form
XObjects, which is how LaTeX places an included PDF figure). The rest of the
PDF reader works on these data only, so this is the one module that talks to
PDFium. Coordinates are PDF points from the top-left of the page.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from ...errors import RefsError

PDF_EXTRA = "pip install -e '.[pdf]'"
_BOLD_NAME = re.compile(
    r"bold|black|heavy|semibold|demi|medi(?!um)|-bd\b|\.b$|T[BZ]I?$|Bd$"
    # TeX's own names: Computer Modern / EC / Latin Modern bold extended (CMBX10, SFBX1000,
    # LMRoman10-Bold is caught above), txfonts/newtx bold (txbr, ntxb...)
    r"|^(?:CM|EC|SF|LM|TC)(?:BX|B|SSBX|SSDC|BXTI|BXSL)\d|^(?:cmbx|ecbx|sfbx|lmbx)|^r?n?tx(?:b|bsl|bi)\b",
    re.I,
)
# A name that says regular: the weight PDFium reports then is not trusted (it reads
# 740 for NimbusRomNo9L-Regu in some PDFs, from the font's stem width).
_REGULAR_NAME = re.compile(
    r"-?(?:regu|regular|roman|book|light|thin)(?:ital|italic|obli)?$|-(?:it|ital|italic)$"
    r"|^(?:CM|EC|SF|LM|TC)(?:R|TI|SL|SS|TT|CSC|U|SLTT|ITT|MI|SY)\d|^(?:rtxr|txr|rtxsc|txsc)$",
    re.I,
)
_SMALL_CAPS_NAME = re.compile(r"(?:CSC\d|(?<=[a-z0-9])sc$|SC\d*$|-sc$|smallcaps|small ?caps)", re.I)
_ITALIC_NAME = re.compile(
    r"ital|oblique|slant|-it\b|TI$|TBI$|ReguItal"
    r"|^(?:CM|EC|SF|LM|TC)(?:TI|SL|BXTI|BXSL|SSI|SSBXO|ITT|SLTT)\d",  # TeX: CMTI10, SFSL1000
    re.I,
)
# TeX math and symbol fonts: their italic letters are mathematics, not emphasis.
_MATH_FONT = re.compile(
    r"^(CM(MI|SY|EX|BSY)|MSBM|MSAM|rtxmi|rntxmi|txsys|txex|LibertineMath|ntxmi|StandardSymbols|Symbol|esint|wasy)",
    re.I,
)
_MONO_NAME = re.compile(
    r"mono|courier|consol|inconsolata|SFTT|CMTT|txtt|nimbusmon|menlo|DejaVuSansMono", re.I
)
_FORCE_BOLD = 1 << 18
_ITALIC_FLAG = 1 << 6
_FIXED_PITCH = 1


class PdfSupportMissing(RefsError):
    """pypdfium2 is not installed: PDFs need the `pdf` extra."""


def pdfium():
    """The pypdfium2 modules, or one clear message naming the install command."""
    try:
        import pypdfium2
        import pypdfium2.raw as raw
    except ImportError as exc:
        raise PdfSupportMissing(
            f"reading a PDF needs the PDF extra (pypdfium2); install it with `{PDF_EXTRA}`"
        ) from exc
    return pypdfium2, raw


@dataclass
class Span:
    text: str
    size: float
    bold: bool
    italic: bool
    mono: bool
    x0: float
    x1: float
    caps: bool = False  # upper-case letters at two sizes: small capitals
    cell: bool = False  # a wide gap before it: a new table cell or column
    math: int = 0  # letters set in a math font ("p" and "x" of "log p(x)")


@dataclass
class Line:
    spans: list[Span]
    x0: float
    y0: float  # top
    x1: float
    y1: float  # bottom
    page: int
    text: str = ""
    size: float = 0.0  # the size most of its letters have (small caps count as their capitals)
    bold: bool = False  # every letter bold
    italic: bool = False  # every letter italic (text fonts only)
    block: int = 0  # lines of one block are set one under the other in one column
    caps: bool = False
    hyphen_end: bool = False  # ends with a hyphen PDFium marks as a line-break hyphen

    @property
    def cells(self) -> list[str]:
        """The line's text cut at wide gaps (table cells, or two columns on one baseline)."""
        out: list[str] = []
        for span in self.spans:
            if span.cell or not out:
                out.append(span.text)
            else:
                out[-1] += span.text
        return [c.strip() for c in out if c.strip()]


@dataclass
class Page:
    number: int  # from 0
    width: float
    height: float
    lines: list[Line]
    figures: list[tuple[float, float, float, float]]  # (x0, y0, x1, y1) of images and forms
    rules: list[tuple[float, float, float, float]]  # thin horizontal paths (table rules)


@dataclass
class OutlineEntry:
    level: int  # from 1
    title: str
    page: int | None


@dataclass
class PdfText:
    pages: list[Page]
    metadata: dict[str, str] = field(default_factory=dict)
    outline: list[OutlineEntry] = field(default_factory=list)


class _Char(NamedTuple):
    # A tuple: a paper has about a million, and `_chars` makes each with `tuple.__new__`
    # (C), not a dataclass's Python-level `__init__` (~10 % of `_chars`). Never changed.
    # First what a character has from its text object (`_Style`, asked once per object).
    size: float  # to 0.1 pt; 0 for a space PDFium generated
    # (bold, italic, mono, small caps): what starts a new span when it changes; small
    # caps is a small-capitals font (its lower case prints as capitals)
    face: tuple[bool, bool, bool, bool]
    math: bool  # set in a TeX math or symbol font
    ch: str
    x0: float
    x1: float
    top: float
    bottom: float
    space: bool  # ch.isspace(), asked once
    hyphen: bool = False


def _open(pdf: bytes | Path):
    lib, _ = pdfium()
    where = None if isinstance(pdf, bytes) else Path(pdf)
    try:
        return lib.PdfDocument(pdf if isinstance(pdf, bytes) else str(Path(pdf)))
    except Exception as exc:  # PdfiumError, OSError: a broken or missing file
        raise RefsError(f"cannot open the PDF ({exc}); re-fetch it", where) from exc


class _FontCache:
    """Style of a font name + flags + weight, computed once per font."""

    def __init__(self):
        self._memo: dict[tuple[str, int, int], tuple[bool, bool, bool, bool, bool]] = {}

    def style(self, name: str, flags: int, weight: int) -> tuple[bool, bool, bool, bool, bool]:
        """(bold, italic, mono, math, small caps) of one font. The name decides where it
        says bold or regular (weights lie both ways: 740 for a regular Times clone, 570
        or 250 for Computer Modern bold); the weight and the flags only where it is silent."""
        key = (name, flags, weight)
        if key not in self._memo:
            base = name.split("+", 1)[-1]
            math_font = bool(_MATH_FONT.match(base))
            if _BOLD_NAME.search(base):
                bold = True
            elif _REGULAR_NAME.search(base):
                bold = False
            else:
                bold = weight >= 600 or bool(flags & _FORCE_BOLD)
            italic = not math_font and (bool(_ITALIC_NAME.search(base)))
            mono = bool(_MONO_NAME.search(base)) or bool(flags & _FIXED_PITCH and not math_font)
            caps = not math_font and bool(_SMALL_CAPS_NAME.search(base))
            self._memo[key] = (bold and not math_font, italic, mono, math_font, caps)
        return self._memo[key]


_PLAIN = (False, False, False, False)
# What a character has from its text object: its font size, that size to 0.1 pt (a
# `_Char`'s), (bold, italic, mono, small caps), and whether it is a math font.
_Style = tuple[float, float, tuple[bool, bool, bool, bool], bool]


def _space() -> _Char:
    """A space PDFium generated (or the reader puts between two lines it joins)."""
    return _Char(0, _PLAIN, False, " ", 0, 0, 0, 0, True)


_GENERATED_SPACE = _space()


def _bind(fn, restype, *argtypes):
    """``fn`` (a pypdfium2 binding) taking plain ints for the text page and the out
    pointers: pypdfium2's prototypes check a pointer object and build a `byref` on
    every call, a third of a per-character call. FPDFText_GetTextObject's answer, an
    address, can then key a dict (pypdfium2's is a fresh pointer object)."""
    address = ctypes.cast(fn, ctypes.c_void_p).value
    assert address is not None, "an unloaded PDFium symbol"
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


class _CharReader:
    """PDFium's per-character calls for one document, bound once (`_bind`), with the
    buffers they fill."""

    def __init__(self, raw):
        self.raw = raw
        ptr, num = ctypes.c_void_p, ctypes.c_int
        self.unicode_of = _bind(raw.FPDFText_GetUnicode, ctypes.c_uint, ptr, num)
        self.object_of = _bind(raw.FPDFText_GetTextObject, ptr, ptr, num)
        self.is_generated = _bind(raw.FPDFText_IsGenerated, num, ptr, num)
        self.is_hyphen = _bind(raw.FPDFText_IsHyphen, num, ptr, num)
        self.loose_box = _bind(raw.FPDFText_GetLooseCharBox, num, ptr, num, ptr)
        self.char_box = _bind(raw.FPDFText_GetCharBox, num, ptr, num, ptr, ptr, ptr, ptr)
        self.origin_of = _bind(raw.FPDFText_GetCharOrigin, num, ptr, num, ptr, ptr)
        # Once per text object (`style`):
        self.angle_of = _bind(raw.FPDFText_GetCharAngle, ctypes.c_float, ptr, num)
        self.matrix_of = _bind(raw.FPDFText_GetMatrix, num, ptr, num, ptr)
        self.font_size_of = _bind(raw.FPDFText_GetFontSize, ctypes.c_double, ptr, num)
        self.font_info_of = _bind(
            raw.FPDFText_GetFontInfo, ctypes.c_ulong, ptr, num, ptr, ctypes.c_ulong, ptr
        )
        self.weight_of = _bind(raw.FPDFText_GetFontWeight, num, ptr, num)
        self.loose = (ctypes.c_float * 4)()  # an FS_RECTF: left, top, right, bottom
        self.box = (ctypes.c_double * 4)()  # left, right, bottom, top
        self.origin = (ctypes.c_double * 2)()  # x, y
        self.matrix = (ctypes.c_float * 6)()  # an FS_MATRIX: a, b, c, d, e, f
        self.buf = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()

    def style(self, page: int, i: int, fonts: _FontCache) -> _Style | None:
        """The style (`_Style`) of character ``i`` of the text page at address ``page``;
        None when it is rotated."""
        if abs(self.angle_of(page, i)) > 0.05:
            return None  # rotated text: margin stamps, axis labels
        matrix = self.matrix
        self.matrix_of(page, i, ctypes.addressof(matrix))
        size = self.font_size_of(page, i) * (math.hypot(matrix[2], matrix[3]) or 1.0)
        flags = self.flags
        self.font_info_of(page, i, ctypes.addressof(self.buf), 256, ctypes.addressof(flags))
        name = self.buf.value.decode("latin-1", "replace")
        weight = self.weight_of(page, i)
        bold, italic, mono, math_font, caps = fonts.style(name, flags.value, weight)
        return size, round(size, 1), (bold, italic, mono, caps), math_font


_UNKNOWN: _Style = (0.0, 0.0, _PLAIN, False)  # a style not asked yet (None: rotated text)


def _chars(reader: _CharReader, textpage, height: float, fonts: _FontCache) -> list[_Char | None]:
    """The page's characters in content order; None where PDFium starts a new line.

    About 3/4 of reading a paper is these calls, so each character costs as few as
    its output needs. In PDFium a character's angle, matrix, font size and font are
    those of its text object (`CPDF_TextPage` gives every character it reads from
    one the object's matrix), so they are asked once per object, not per character;
    only a generated space carries another matrix, and it is dropped before its
    style counts. PDFium marks a line-break hyphen by setting its code to 0x2, and
    generates only spaces and line breaks, so those two questions are asked only of
    such characters. A letter's band is its tight box; only a space, which has none,
    needs its baseline (the origin)."""
    unicode_of, object_of = reader.unicode_of, reader.object_of
    char_box, loose_box = reader.char_box, reader.loose_box
    page = ctypes.cast(textpage, ctypes.c_void_p).value
    assert page is not None, "a text page PDFium did not make"  # get_textpage raises then
    loose, box, origin = reader.loose, reader.box, reader.origin
    at = ctypes.addressof
    loose_at, origin_x, origin_y = at(loose), at(origin), at(origin) + 8
    box_at = at(box)
    left, right, bottom, top = box_at, box_at + 8, box_at + 16, box_at + 24
    # Text object address -> its style; an address stands for one object while the
    # page is open, so the memo is the page's.
    styles: dict[int, _Style | None] = {}
    new_char = tuple.__new__  # `_Char(...)` without its Python-level `__new__`
    out: list[_Char | None] = []
    append = out.append
    high = 0
    for i in range(reader.raw.FPDFText_CountChars(textpage)):
        code = unicode_of(page, i)
        if 0x20 < code < 0xD800:  # a character as printed: the common case
            ch = chr(code)
            hyphen = False
            high = 0
        else:
            if 0xD800 <= code < 0xDC00:  # UTF-16 surrogates: letters outside the BMP
                high = code
                continue
            if 0xDC00 <= code < 0xE000 and high:
                code = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
            high = 0
            hyphen = code == 0x2 and reader.is_hyphen(page, i) == 1
            ch = "-" if hyphen or code in (0x2, 0xFFFE) else (chr(code) if code else "")
            if ch in ("\r", "\n"):
                append(None)
                continue
            generated = ch in ("", " ") and reader.is_generated(page, i) == 1
            if not ch or generated and ch == " ":
                if generated and out and out[-1] is not None:
                    append(_GENERATED_SPACE)
                continue
        obj = object_of(page, i)
        style = styles.get(obj, _UNKNOWN)
        if style is _UNKNOWN:
            style = reader.style(page, i, fonts)
            if obj:
                styles[obj] = style
        if style is None:
            continue
        if ch == " " and out and out[-1] is not None and out[-1].ch == " ":
            continue
        loose_box(page, i, loose_at)  # the advance, for gaps
        size, rounded, face, math_font = style
        space = ch.isspace()
        if space:  # a space's band: from its baseline up
            reader.origin_of(page, i, origin_x, origin_y)
            bottom_y = height - origin[1]
            top_y = bottom_y - size * 0.7
        else:
            char_box(page, i, left, right, bottom, top)
            bottom_y, top_y = height - box[2], height - box[3]
        span = (rounded, face, math_font, ch, loose[0], loose[2], top_y, bottom_y, space, hyphen)
        append(new_char(_Char, span))
    return out


def _split_lines(chars: list[_Char | None]) -> list[list[_Char]]:
    """Characters grouped into printed lines. A character starts a new line when it
    does not sit at the height of the current one (less than half of it overlaps
    the line's band) and the text ran back to the left or left the band entirely;
    superscripts and subscripts overlap the band and stay. PDFium's own line breaks
    count where the character also moved back or down."""
    # Hot: once per character of the paper, so max()/min() of two are spelled out
    # (`b if b > a else a` is max(a, b) exactly, ties and all).
    lines: list[list[_Char]] = []
    cur: list[_Char] = []
    top = bottom = 0.0
    size = 0.0
    last_x1 = 0.0
    main_x1 = 0.0  # where the last letter at the line's own size ends
    pending = False
    for c in chars:
        if c is None:
            pending = bool(cur)
            continue
        csize = c.size
        if csize == 0:  # a generated space
            if cur:
                cur.append(c)
            continue
        space = c.space
        if cur and not space:
            ctop, cbottom, cx0 = c.top, c.bottom, c.x0
            height = cbottom - ctop
            if 0.5 > height:
                height = 0.5
            low = bottom if bottom < cbottom else cbottom
            high = top if top > ctop else ctop
            inside = (low - high) / height
            if height < csize * 0.3:
                inside = 1.0  # a flat glyph ("_", ".", "-") says nothing of its line's height
            if pending:
                split = inside < 0.5 or cx0 < last_x1 - 1
            elif inside <= 0:
                split = True
            elif inside < 0.5:  # partly in the band: a new line if the text ran back
                ref = csize if csize > size else size
                split = cx0 < last_x1 - ref * 1.5
            else:
                split = False
            # A script of the line stays on it: small, just above, on or below its band,
            # right of its last full-size letter and not beyond where the text got to. A
            # tall superscript (a fraction in an exponent) stands clear above the band,
            # and stacked scripts or a fraction's denominator go back a little.
            if (
                split
                and csize <= size * 0.85
                and cbottom >= top - size * 0.6
                and ctop <= bottom + size * 0.6
                and main_x1 - size * 0.4 <= cx0 <= last_x1 + size * 0.5
            ):
                split = False
            if split:
                lines.append(cur)
                cur = []
            elif pending and cur[-1].ch != " ":
                cur.append(_space())
        pending = False
        if space:
            if cur:
                cur.append(c)
            continue
        if not cur or csize >= size * 0.95:
            if not cur or csize > size * 1.05:
                top, bottom, size = c.top, c.bottom, csize
            else:
                ctop, cbottom = c.top, c.bottom
                top = ctop if ctop < top else top
                bottom = cbottom if cbottom > bottom else bottom
        x0, x1 = c.x0, c.x1
        right = x0 if x0 > x1 else x1
        if not cur or csize >= size * 0.95:
            main_x1 = right
        cur.append(c)
        last_x1 = right
    if cur:
        lines.append(cur)
    return [line for line in lines if not all(c.space for c in line)]


def _spans(chars: list[_Char]) -> list[Span]:
    """Runs of one style; a horizontal gap wider than 1.2 em starts a new cell."""
    # Hot: once per character. A span's text is gathered in a list and joined when
    # the span ends (`+=` on an attribute copies the string every time).
    spans: list[Span] = []
    prev: _Char | None = None
    cur: Span | None = None  # the last span
    text: list[str] = []  # its text so far
    tail = ""  # its last character
    face = _PLAIN
    cur_size = 0.0
    for c in chars:
        size = c.size
        if size == 0:  # generated space
            if cur is not None and tail != " ":
                text.append(" ")
                tail = " "
            continue
        ch = c.ch
        space = c.space
        if prev is not None:
            gap = c.x0 - prev.x1
            wider = prev.size if prev.size > size else size  # max(c.size, prev.size)
            cell = gap > wider * 1.2
        else:
            gap, cell = 0.0, False
        if (
            cur is not None
            and not cell
            and c.face == face
            and (abs(cur_size - size) < 0.6 or space)
        ):
            if gap > size * 0.2 and not space and tail != " ":
                text.append(" ")
            text.append(ch)
            tail = ch
            if c.x1 > cur.x1:
                cur.x1 = c.x1
            if c.math and ch.isalpha():
                cur.math += 1
        else:
            if cur is not None:
                if gap > size * 0.2 and tail != " ":
                    text.append(" ")
                cur.text = "".join(text)
            face = c.face
            bold, italic, mono, caps = face
            cur = Span(ch, size, bold, italic, mono, c.x0, c.x1, caps=caps, cell=cell)
            cur.math = int(c.math and ch.isalpha())
            spans.append(cur)
            text, tail, cur_size = [ch], ch, size
        if not space:
            prev = c
    if cur is not None:
        cur.text = "".join(text)
    return spans


def _small_caps(spans: list[Span]) -> list[Span]:
    """Neighbouring upper-case runs of one font at two sizes (the small ones at 70-85 %
    of the large) are small capitals: the small letters become lower case and the
    whole run takes the large size."""
    out: list[Span] = []
    for span in spans:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not span.cell
            and not (prev.math or span.math)  # a formula's capitals and its scripts
            and (prev.bold, prev.italic) == (span.bold, span.italic)
            and (prev.caps or _caps_text(prev.text))
            and _caps_text(span.text)
            and abs(prev.size - span.size) > 0.6
            and 0.65 <= min(prev.size, span.size) / max(prev.size, span.size) <= 0.88
            and _small_letters(prev if prev.size < span.size else span) >= 2
        ):
            small_first = span.size > prev.size
            if small_first and not prev.caps:
                prev.text = prev.text.lower()
            add = span.text if span.size > prev.size else span.text.lower()
            if small_first:
                prev.size = span.size
            prev.text += add
            prev.x1 = span.x1
            prev.caps = True
            prev.math += span.math
            continue
        if prev is not None and prev.caps and not span.cell and _caps_text(span.text):
            if abs(prev.size - span.size) < 0.6:
                prev.text += span.text
                prev.x1 = span.x1
                prev.math += span.math
                continue
        out.append(span)
    return out


def _neutral(text: str) -> bool:
    """A span that says nothing of its line's style: a ligature or non-Latin letters."""
    t = text.strip()
    if t in ("ff", "fi", "fl", "ffi", "ffl", "\ufb00", "\ufb01", "\ufb02", "\ufb03", "\ufb04"):
        return True
    if _ASCII_LETTER.search(t):
        return False  # the test below, at once for the common case
    return not any("a" <= ch.lower() <= "z" for ch in t)


def _formula(span: Span) -> bool:
    """A run that is mostly mathematics (``log p(x)``: its letters a third or more in
    a math font): it says nothing of the line's style, as a heading's formula is set
    in math fonts whatever the heading's face."""
    return span.math > 0 and span.math * 3 >= sum(map(str.isalpha, span.text))


def _small_letters(span: Span) -> int:
    """Letters of the smaller run of a small-capitals pair (punctuation does not make one)."""
    return sum(1 for ch in span.text if ch.isalpha())


def _caps_text(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return all(ch.isupper() for ch in letters)


_ASCII_LETTER = re.compile("[A-Za-z]")
_SPACES = re.compile(r"\s+")
_X0, _TOP, _X1, _BOTTOM = (attrgetter(name) for name in ("x0", "top", "x1", "bottom"))
_COUNT = itemgetter(1)


def _make_line(chars: list[_Char], page: int) -> Line:
    # Once per printed line: counts and extremes are taken with C-level map()s.
    spans = _small_caps(_spans(chars))
    solid = [c for c in chars if not c.space and c.size]
    alnum = [sum(map(str.isalnum, s.text)) for s in spans]
    weights: dict[float, int] = {}  # size -> letters and digits (a Counter, without its cost)
    for s, n in zip(spans, alnum, strict=True):
        key = round(s.size * 2) / 2
        weights[key] = weights.get(key, 0) + n
    # The first of the largest, as Counter.most_common(1) picks.
    size = max(weights.items(), key=_COUNT)[0] if weights else solid[0].size
    # A line's style is that of its words: a ligature glyph from another font ("ffi")
    # or a Greek or math letter inside an italic heading does not change it, nor does
    # a formula inside a bold one ("Lower Bound on log p(x)").
    worded = [s for s, n in zip(spans, alnum, strict=True) if n]
    letters = [s for s in worded if not _neutral(s.text) and not _formula(s)] or worded
    text = _SPACES.sub(" ", "".join([s.text for s in spans])).strip()
    line = Line(
        spans=spans,
        x0=min(map(_X0, solid)),
        y0=min(map(_TOP, solid)),
        x1=max(map(_X1, solid)),
        y1=max(map(_BOTTOM, solid)),
        page=page,
        text=_normalise(text),
        size=size,
        bold=bool(letters) and all(s.bold for s in letters),
        italic=bool(letters) and all(s.italic for s in letters),
        caps=any(s.caps for s in spans),
        hyphen_end=solid[-1].hyphen if solid else False,
    )
    for s in spans:
        s.text = _normalise(s.text)
    return line


_NORMALISE = str.maketrans(
    {
        **{chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)},
        **dict.fromkeys("\u00ad\u200b\ufeff"),
        # No-break and thin spaces: plain spaces (anchors need them).
        **dict.fromkeys("\u00a0\u2002\u2003\u2009\u202f", " "),
    }
)


def _normalise(text: str) -> str:
    """Ligatures (ﬁ, ﬂ) and compatibility letters become plain ones; soft hyphens and
    zero-width marks go."""
    return text.translate(_NORMALISE)


def _blocks(lines: list[Line], block: int) -> int:
    """Number the blocks from ``block`` on (numbers are unique in the document): a
    line joins the block above it when it sits just below it in the same column, at
    a similar size. Returns the next free number."""
    prev: Line | None = None
    for line in lines:
        if prev is not None:
            gap = line.y0 - prev.y1
            overlap = min(line.x1, prev.x1) - max(line.x0, prev.x0)
            same_col = overlap > 0 or abs(line.x0 - prev.x0) < 3
            similar = abs(line.size - prev.size) < 1.0
            if not (same_col and similar and -2 < gap < max(line.size, prev.size) * 0.9):
                block += 1
        line.block = block
        prev = line
    return block + 1


def _objects(raw, page, height: float, width: float):
    """(figure boxes, horizontal rules) of one page, top-left coordinates."""
    figures, rules = [], []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for i in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH):
            continue
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        box = (left.value, height - top.value, right.value, height - bottom.value)
        w, h = box[2] - box[0], box[3] - box[1]
        if kind == raw.FPDF_PAGEOBJ_PATH:
            if h < 1.5 and w > 20:
                rules.append(box)
            continue
        # A form as large as the page is a wrapper (some tools put the page in one).
        if w * h > width * height * 0.7 or w < 20 or h < 12:
            continue
        figures.append(box)
    return figures, rules


@contextlib.contextmanager
def opened(pdf: bytes | Path) -> Iterator[Any]:
    """``pdf`` (bytes or a path) open in PDFium while the block runs: a reader that asks
    it more than `read_pdf` does (`figures.drawn_objects`) parses it once, and the
    fonts its pages share are loaded once."""
    doc = _open(pdf)
    try:
        yield doc
    finally:
        doc.close()


def read_pdf(pdf: bytes | Path, doc: Any = None) -> PdfText:
    """The text layer, figure boxes, outline and metadata of ``pdf`` (bytes or a path);
    ``doc`` is the same PDF already `opened`, left open."""
    if doc is None:
        with opened(pdf) as doc:
            return read_pdf(pdf, doc)
    _, raw = pdfium()
    if len(doc) == 0:
        raise RefsError(
            "the PDF has no pages; re-fetch it", None if isinstance(pdf, bytes) else pdf
        )
    fonts = _FontCache()
    reader = _CharReader(raw)
    pages: list[Page] = []
    block = 0
    for number in range(len(doc)):
        page = doc[number]
        width, height = page.get_size()
        textpage = page.get_textpage()
        chars = _chars(reader, textpage.raw, height, fonts)
        lines = [_make_line(group, number) for group in _split_lines(chars)]
        block = _blocks(lines, block)
        figures, rules = _objects(raw, page.raw, height, width)
        pages.append(Page(number, width, height, lines, figures, rules))
        textpage.close()
        page.close()
    meta = {k.lower(): str(v) for k, v in (doc.get_metadata_dict() or {}).items()}
    outline = []
    for item in doc.get_toc():
        dest = item.get_dest()
        index = dest.get_index() if dest is not None else None
        outline.append(OutlineEntry(item.level + 1, item.get_title().strip(), index))
    return PdfText(pages, meta, outline)
