"""Formulas as MathML, made at build time: no script, no font, no network.

`pymdownx.arithmatex` (generic mode) finds `$...$`, `$$...$$`, `\\(...\\)` and
`\\[...\\]` in the markdown and leaves them as `<span|div class="arithmatex">`; this
module turns those into MathML with latex2mathml. A formula it cannot convert stays
visible as its TeX source.

Converting is the one job the plugin adds that a plain build does not do, thousands of
formulas in a library of papers: `math_store` keeps conversions of earlier builds and
has a worker convert new ones beside the build; any formula the page pass does not find
done is converted in place, so the output is the same either way.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from xml.etree.ElementTree import Element, tostring

from latex2mathml.converter import convert_to_element
from pymdownx import arithmatex

from extract.url_safety import unsafe_url

_MATH = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.S)
_DELIMS = re.compile(r"^\s*(?:\\\(|\\\[)(?P<tex>.*?)(?:\\\)|\\\])\s*$", re.S)
# latex2mathml writes `aligned`/`gathered` rows with a literal `&` and no table;
# `split` and `matrix` are the same layouts, which it renders as tables.
_ALIGNED = re.compile(
    r"\\(?P<cmd>begin)\{(?P<env>aligned|alignedat|gathered)\}(?:\[[tcb]\])?(?:\{\d+\})?"
    r"|\\(?P<end>end)\{(?P<endenv>aligned|alignedat|gathered)\}"
)
_SAME_LAYOUT = {"aligned": "split", "alignedat": "split", "gathered": "matrix"}


def _portable(tex: str) -> str:
    def swap(m: re.Match[str]) -> str:
        cmd, env = m.group("cmd") or m.group("end"), m.group("env") or m.group("endenv")
        return f"\\{cmd}{{{_SAME_LAYOUT[env]}}}"

    return _ALIGNED.sub(swap, tex)


Formula = tuple[str, bool]  # (TeX, display block)
_DONE: dict[Formula, str] = {}  # every formula converted in this process, kept: pure
_USED: set[Formula] = set()  # the formulas pages of this process asked for


# `\href{url}{x}` becomes `<mrow href="url">`: a live link in browsers that follow
# MathML hrefs. Untrusted TeX keeps only the URLs the one URL rule calls safe.
_HREF = re.compile(r'\s(?:href|xlink:href)="([^"]*)"')


def _safe_links(mathml: str) -> str:
    return _HREF.sub(lambda m: "" if unsafe_url(html.unescape(m.group(1))) else m.group(0), mathml)


# latex2mathml writes the character references it means (`&#x0003C;` for a `<` in math,
# `&#x000A0;` for a space in `\\text{}`) into the tree's text, then un-escapes its whole
# serialised output: the words of `\\text{</math><script>...}` became live markup. Here
# the tree is serialised escaped and only those references are given back.
_OWN_REFERENCE = re.compile(r"&amp;(#x[0-9A-Fa-f]+;)")


def _mathml(tex: str, block: bool) -> str:
    tree = convert_to_element(tex, display="block" if block else "inline")
    _styled_letters(tree)
    _similar_to(tree)
    return _OWN_REFERENCE.sub(r"&\1", tostring(tree, encoding="unicode"))


# ---------- bold, script, fraktur ... letters as the characters that are drawn so ----------
# latex2mathml writes `\mathbf{W}` as the character 𝐖, but `\mathbf{Wx}`, `\mathbf{0}`,
# `\boldsymbol{x}`, `\mathtt{ab}`, `\mathbb{1}`, `\textbf{m}` as plain characters in a token
# with `mathvariant="bold"` (or another style). Browsers implement MathML Core, where
# `mathvariant` other than "normal" does nothing: the bold vector became an italic x.
# MathML Core's way is Unicode's Mathematical Alphanumeric Symbols, so each letter and
# digit that has a form of the token's style becomes that character, and the attribute
# goes where nothing is left for it to do. A letter of those forms is never slanted by the
# browser's automatic italic of a one-letter `<mi>`, so 𝐖 stays upright, as `\mathbf` is.
_STYLES = {  # mathvariant -> the style's words in the characters' Unicode names
    "bold": "BOLD",
    "italic": "ITALIC",
    "bold-italic": "BOLD ITALIC",
    "double-struck": "DOUBLE-STRUCK",
    "bold-fraktur": "BOLD FRAKTUR",
    "script": "SCRIPT",
    "bold-script": "BOLD SCRIPT",
    "fraktur": "FRAKTUR",
    "sans-serif": "SANS-SERIF",
    "bold-sans-serif": "SANS-SERIF BOLD",
    "sans-serif-italic": "SANS-SERIF ITALIC",
    "sans-serif-bold-italic": "SANS-SERIF BOLD ITALIC",
    "monospace": "MONOSPACE",
}
# The letters the block leaves out because the Letterlike Symbols block had them first.
HOLES = {  # mathvariant -> letter -> the Letterlike Symbols character
    "italic": {"h": "\N{PLANCK CONSTANT}"},
    "script": {
        "B": "\N{SCRIPT CAPITAL B}",
        "E": "\N{SCRIPT CAPITAL E}",
        "F": "\N{SCRIPT CAPITAL F}",
        "H": "\N{SCRIPT CAPITAL H}",
        "I": "\N{SCRIPT CAPITAL I}",
        "L": "\N{SCRIPT CAPITAL L}",
        "M": "\N{SCRIPT CAPITAL M}",
        "R": "\N{SCRIPT CAPITAL R}",
        "e": "\N{SCRIPT SMALL E}",
        "g": "\N{SCRIPT SMALL G}",
        "o": "\N{SCRIPT SMALL O}",
    },
    "fraktur": {
        "C": "\N{BLACK-LETTER CAPITAL C}",
        "H": "\N{BLACK-LETTER CAPITAL H}",
        "I": "\N{BLACK-LETTER CAPITAL I}",
        "R": "\N{BLACK-LETTER CAPITAL R}",
        "Z": "\N{BLACK-LETTER CAPITAL Z}",
    },
    "double-struck": {
        "C": "\N{DOUBLE-STRUCK CAPITAL C}",
        "H": "\N{DOUBLE-STRUCK CAPITAL H}",
        "N": "\N{DOUBLE-STRUCK CAPITAL N}",
        "P": "\N{DOUBLE-STRUCK CAPITAL P}",
        "Q": "\N{DOUBLE-STRUCK CAPITAL Q}",
        "R": "\N{DOUBLE-STRUCK CAPITAL R}",
        "Z": "\N{DOUBLE-STRUCK CAPITAL Z}",
    },
}
_UPRIGHT_DIGITS = {"bold-italic": "bold", "sans-serif-bold-italic": "bold-sans-serif"}
_STYLED_SOURCES = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    + "".join(map(chr, range(0x391, 0x3AA)))  # Greek capitals (U+03A2 is unassigned)
    + "".join(map(chr, range(0x3B1, 0x3CA)))  # Greek small letters, final sigma too
    + "\u03d1\u03f5\u03f0\u03d5\u03f1\u03d6\u03f4\u03dc\u03dd"  # ϑ ϵ ϰ ϕ ϱ ϖ ϴ Ϝ ϝ
    + "\u2207\u2202\u0131\u0237"  # ∇ ∂ ı ȷ
)


def _form_name(char: str) -> str:
    """What follows the style in the name of ``char``'s styled forms: `LATIN SMALL LETTER
    A` -> `SMALL A`, `GREEK THETA SYMBOL` -> `THETA SYMBOL`, `DIGIT ZERO` as it is."""
    name = unicodedata.name(char, "")
    if name == "GREEK LUNATE EPSILON SYMBOL":
        return "EPSILON SYMBOL"
    if name == "GREEK LETTER DIGAMMA":
        return "CAPITAL DIGAMMA"
    for script in ("LATIN ", "GREEK "):
        name = name.removeprefix(script)
    return name.replace(" LETTER ", " ")


def _styled_forms() -> dict[str, dict[str, str]]:
    forms: dict[str, dict[str, str]] = {}
    for variant, words in _STYLES.items():
        table = forms[variant] = dict(HOLES.get(variant, {}))
        for char in _STYLED_SOURCES:
            try:
                table[char] = unicodedata.lookup(f"MATHEMATICAL {words} {_form_name(char)}")
            except KeyError:
                pass  # no such form (italic digits, script Greek, a hole): kept as it is
    # Digits have no slanted forms; TeX's `\\boldsymbol{1}` / `\\bm{1}` is the bold digit.
    for slanted, upright in _UPRIGHT_DIGITS.items():
        for digit in "0123456789":
            forms[slanted][digit] = forms[upright][digit]
    return forms


STYLED = _styled_forms()
_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})
_CHARACTER = re.compile(r"&#x0*([0-9A-Fa-f]{1,5});|.", re.S)  # a reference, or one character
# `\mathrm{d}` is written as the reference `&#x00064;` where a plain d is the letter itself:
# upright in TeX, but a one-letter `<mi>` is italic unless it says it is not.
_UPRIGHT_LETTER = re.compile(r"&#x000(?:4[1-9A-F]|5[0-9A]|6[1-9A-F]|7[0-9A]);")


def _styled_letters(tree: Element) -> None:
    for token in tree.iter():
        text, variant = token.text, token.get("mathvariant")
        if token.tag not in _TOKENS or not text or len(token):
            continue
        if variant is None:
            if token.tag == "mi" and _UPRIGHT_LETTER.fullmatch(text):
                token.set("mathvariant", "normal")
            continue
        forms = STYLED.get(variant)
        if forms is None:
            continue  # "normal" (which browsers do follow), or a style with no characters
        out, plain = [], False
        for m in _CHARACTER.finditer(text):
            char = chr(int(m.group(1), 16)) if m.group(1) else m.group(0)
            styled = forms.get(char)
            if styled is not None:
                out.append(f"&#x{ord(styled):05X};")
            else:
                out.append(m.group(0))
                plain = plain or not char.isspace()
        token.text = "".join(out)
        if not plain:
            del token.attrib["mathvariant"]


# latex2mathml's symbol table reads `\\sim` as the ASCII tilde and writes it as an
# identifier, `<mi>~</mi>`: a raised tilde with no space around it. It is the relation
# ∼ (TILDE OPERATOR), which it writes as `<mo>` for `\\thicksim`.
_SIM = "&#x0007E;"


def _similar_to(tree: Element) -> None:
    for token in tree.iter("mi"):
        if token.text == _SIM and not len(token) and not token.attrib:
            token.tag, token.text = "mo", "&#x0223C;"


def _convert(tex: str, block: bool) -> str:
    try:
        return _safe_links(_mathml(_portable(tex), block))
    except Exception:  # noqa: BLE001 - any unsupported TeX falls back to showing its source
        cls = "refs-math-fallback" + (" refs-math-block" if block else "")
        return f'<code class="{cls}" title="formula not converted">{html.escape(tex)}</code>'


def tex_to_mathml(tex: str, block: bool) -> str:
    key = (tex, block)
    _USED.add(key)
    out = _DONE.get(key)
    if out is None:
        out = _DONE[key] = _convert(tex, block)
    return out


def remember(formula: Formula, mathml: str) -> None:
    """A conversion made elsewhere (an earlier build's store, the worker)."""
    _DONE.setdefault(formula, mathml)


def known() -> set[Formula]:
    """Every formula this process has the MathML of (a forked worker skips them)."""
    return set(_DONE)


def used() -> dict[Formula, str]:
    """Each formula the pages of this process asked for, with its MathML."""
    return {key: _DONE[key] for key in _USED if key in _DONE}


def render_math(page_html: str) -> str:
    if "arithmatex" not in page_html:
        return page_html

    def one(m: re.Match[str]) -> str:
        body = html.unescape(m.group("body"))
        d = _DELIMS.match(body)
        tex = d.group("tex") if d else body
        block = m.group("tag") == "div"
        out = tex_to_mathml(tex.strip(), block)
        return f'<div class="refs-math">{out}</div>' if block else _inline_html(out)

    return _MATH.sub(one, page_html)


def inline_mathml(tex: str) -> str:
    """An inline formula as the body shows it (a title's formula outside the body)."""
    return _inline_html(tex_to_mathml(tex, False))


def _inline_html(mathml: str) -> str:
    """An inline formula in a span: Python-Markdown takes a line that starts with
    `<math>` for an HTML block, so the exported markdown needs the span, and the
    plugin writes the same."""
    return f'<span class="refs-math-inline">{mathml}</span>'


# ---------- formulas in markdown (for `refs site --out`: no plugin runs there) ----------
# pymdownx.arithmatex's own patterns (its defaults: smart dollars, `\(...\)`; blocks of
# `$$...$$`, `\[...\]`, `\begin{env}...\end{env}`), so the export finds what the plugin's
# build finds.
_INLINE = re.compile(f"(?:{arithmatex.RE_SMART_DOLLAR_INLINE}|{arithmatex.RE_BRACKET_INLINE})")
_BLOCKS = (arithmatex.RE_DOLLAR_BLOCK, arithmatex.RE_TEX_BLOCK, arithmatex.RE_BRACKET_BLOCK)
_BLOCK = re.compile(r"(?s)^(?:" + "|".join(_BLOCKS) + r")[ ]*$")
_TEXT_NODE = re.compile(r">([^<]+)<")
_MARKDOWN_SPECIAL = re.compile(r"(&#?\w+;)|[\\`*_\[\]{}$!#|~^+\-.:()]")


def _inert(mathml: str) -> str:
    """MathML whose text Markdown leaves alone: its punctuation as character references."""
    return _TEXT_NODE.sub(
        lambda m: (
            ">"
            + _MARKDOWN_SPECIAL.sub(lambda c: c.group(1) or f"&#{ord(c.group(0))};", m.group(1))
            + "<"
        ),
        mathml,
    )


def _block_html(tex: str) -> str:
    return f'<div class="refs-math">{_inert(tex_to_mathml(tex.strip(), True))}</div>'


def _blocks(markdown: str) -> Iterator[tuple[str, list[str]]]:
    """("code" | "blank" | "text", lines): the markdown in the blocks Python-Markdown
    sees (paragraphs between blank lines, fenced code apart)."""
    from extract.markdown import walk

    block: list[str] = []
    for _i, line, in_code in walk(markdown.split("\n")):
        if in_code or not line.strip():
            if block:
                yield "text", block
                block = []
            yield ("code" if in_code else "blank"), [line]
        else:
            block.append(line)
    if block:
        yield "text", block


def _has_math(markdown: str) -> bool:
    return any(d in markdown for d in ("$", "\\(", "\\[", "\\begin"))


def _inline_tex(m: re.Match[str]) -> str | None:
    g = m.groups()
    if g[0] or g[3]:  # escaped backslashes before a delimiter: not a formula
        return None
    return (g[2] if g[2] else g[5]).strip()


# Where a match of `_INLINE` (a `$` or a backslash) and of a code span (a backtick) can
# start. Both patterns open with a lookbehind, which keeps `re` from skipping ahead to
# such a character itself: it tries every position of a paragraph, several times over.
_INLINE_FIRST = re.compile(r"[\\$]")
_CODE_FIRST = re.compile("`")


def _matches(pattern: re.Pattern[str], first: re.Pattern[str], text: str):
    """``pattern.finditer(text)``, match for match, for a pattern whose matches are never
    empty and begin at a character ``first`` finds: tried only where one is (a match
    at a position is what a search reaching that position finds; lookbehinds see the
    text before it as they do in a search)."""
    pos = 0
    while (c := first.search(text, pos)) is not None:
        m = pattern.match(text, c.start())
        if m is None:
            pos = c.start() + 1
        else:
            yield m
            pos = m.end()


def _inline_in(block: str) -> Iterator[tuple[re.Match[str], str]]:
    """Inline formulas of a paragraph as arithmatex sees it, each (match, its TeX): the
    whole paragraph at once (a formula may span lines), code spans excluded."""
    from extract.markdown import CODE_SPAN

    if "$" not in block and "\\(" not in block:
        return  # every inline formula has one of these delimiters
    masked = block
    if "`" in block:
        pieces, pos = [], 0
        for m in _matches(CODE_SPAN, _CODE_FIRST, block):
            pieces += [block[pos : m.start()], "\x00" * (m.end() - m.start())]
            pos = m.end()
        masked = "".join(pieces) + block[pos:]
    for m in _matches(_INLINE, _INLINE_FIRST, masked):
        if tex := _inline_tex(m):
            yield m, tex


def inline_formulas(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, TeX) of each inline formula arithmatex finds in one line of text (a
    title), code spans excluded: what the body would show as a formula."""
    for m, tex in _inline_in(text):
        yield m.start(), m.end(), tex


def formulas(markdown: str) -> Iterator[Formula]:
    """The formulas arithmatex will find in this markdown (to convert ahead of time)."""
    if not _has_math(markdown):
        return
    for kind, lines in _blocks(markdown):
        if kind != "text":
            continue
        text = "\n".join(lines)
        # As Python-Markdown hands a block to arithmatex: leading spaces kept.
        m = _BLOCK.match(text.rstrip())
        if m:
            yield _display_tex(m).strip(), True
            continue
        for _, tex in _inline_in(text):
            yield tex, False


def _display_tex(m: re.Match[str]) -> str:
    """The TeX of a display block `_BLOCK` matched (whichever delimiters it has)."""
    return m.group("math") or m.group("math2") or m.group("math3") or ""


def markdown_math(markdown: str) -> str:
    """The markdown with each formula as MathML (what the plugin's HTML pass makes)."""
    if not _has_math(markdown):
        return markdown
    out: list[str] = []
    for kind, lines in _blocks(markdown):
        if kind != "text":
            out.extend(lines)
            continue
        text = "\n".join(lines)
        m = _BLOCK.match(text.rstrip())
        if m:
            out.append(_block_html(_display_tex(m)))
            continue
        pieces, pos = [], 0
        for f, tex in _inline_in(text):
            mathml = _inline_html(_inert(tex_to_mathml(tex, False)))
            pieces += [text[pos : f.start()], mathml]
            pos = f.end()
        out.append("".join(pieces) + text[pos:])
    return "\n".join(out)
