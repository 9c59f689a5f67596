"""Random small documents of what people write in cards, topic docs and guides for
GitHub (our own pieces, never third-party text), and the normalisation that compares
our site's HTML of one with cmark-gfm's.

`document(rng)` joins a few blocks (paragraphs with emphasis, code spans, links,
autolinks and bare URLs; lists of both kinds nested by 2, 3 or 4 spaces, lazy lines,
loose and tight; quotes; fenced and indented code; tables; HTML blocks; headings;
breaks; link definitions; footnotes; task lists; hard breaks; entities; escapes;
`$...$` math), sometimes right under one another as people do. `shape(html)` is
`gfm_corpus.structure` with what only styles a page dropped on both sides: footnote
ids and back-links, the math markup (arithmatex's `\\(x\\)` span read back as the
`$x$` GitHub shows), the hr Python-Markdown puts over its footnotes."""

from __future__ import annotations

import random
import re
from urllib.parse import unquote

from bs4 import BeautifulSoup
from gfm_corpus import _walk

from extract.markdown import block_tokens

# ---------- inline pieces ----------

WORDS = ("stage", "pipeline", "buffer", "rank", "latency", "the", "a", "micro-batch",
         "schedule", "warm-up", "drain", "tensor", "GPU", "step", "cache", "frame")  # fmt: skip

START = [1, 1, 1, 3]
MATH = ("$x^2$", r"$\alpha + \beta$", "$O(n)$", r"$\frac{a}{b}$", "$p = 4$", r"$\sqrt{d}$")

INLINE = (
    lambda r: f"*{_words(r, 1, 2)}*",
    lambda r: f"_{_words(r, 1, 2)}_",
    lambda r: f"**{_words(r, 1, 3)}**",
    lambda r: f"__{_words(r, 1, 2)}__",
    lambda r: f"***{_words(r, 1, 2)}***",
    lambda r: f"`{r.choice(['refs check', 'x < y', 'a|b', '*args', 'send()', 'k_v_cache'])}`",
    lambda r: "``a`b``",
    lambda r: f"[{_words(r, 1, 2)}](https://example.com/{r.choice(['a', 'b/c', 'd?e=1'])})",
    lambda r: f'[{_words(r, 1, 2)}](https://example.com/t "A title")',
    lambda r: f"[{_words(r, 1, 2)}](../topics/01-x.md)",
    lambda r: f"[{_words(r, 1, 2)}][ref]",
    lambda r: "[ref][]",
    lambda r: "[ref]",
    lambda r: f"![{_words(r, 1, 1)}](https://example.com/p.png)",
    lambda r: "<https://example.com/auto>",
    lambda r: "<someone@example.com>",
    lambda r: r.choice(
        [
            "https://example.com/bare",
            "https://example.com/p/q_r.html",
            "www.example.org",
            "http://example.com/x.",
            "(https://example.com/y)",
            "someone@example.com",
        ]
    ),  # fmt: skip
    lambda r: r.choice(["snake_case_name", "__init__", "2*3*4", "a * b", "a_b_c"]),
    lambda r: f"~~{_words(r, 1, 2)}~~",
    lambda r: r.choice(["&amp;", "&copy;", "&#123;", "&lt;tag&gt;", "AT&T", "&nbsp;"]),
    lambda r: r.choice([r"\*not emphasis\*", r"\_", r"\#", r"\[x\]", r"\`", "1\\. text"]),
    lambda r: r.choice(MATH),
    lambda r: r.choice(
        [
            "<br>",
            "<kbd>Ctrl</kbd>",
            "<sub>2</sub>",
            '<img src="https://example.com/i.png" alt="i">',
            "<!-- note -->",
            "x < y",
            "a > b",
        ]
    ),  # fmt: skip
    lambda r: "[^1]",
    lambda r: r.choice(["O(n)", "2x", "1.5 ms", "e.g.", "~", "A100", "8 GPUs"]),
)


def _words(r: random.Random, lo: int, hi: int) -> str:
    return " ".join(r.choice(WORDS) for _ in range(r.randint(lo, hi)))


def _line(r: random.Random) -> str:
    parts = [_words(r, 1, 3)]
    for _ in range(r.randint(0, 3)):
        parts.append(r.choice(INLINE)(r) if r.random() < 0.6 else _words(r, 1, 3))
    return " ".join(parts)


def _paragraph(r: random.Random) -> str:
    lines = [_line(r) for _ in range(r.randint(1, 3))]
    for i in range(len(lines) - 1):
        k = r.random()
        if k < 0.15:
            lines[i] += "  "  # a hard break
        elif k < 0.25:
            lines[i] += "\\"  # a hard break
    return "\n".join(lines)


# ---------- blocks ----------


def _list(
    r: random.Random, depth: int = 0, ordered: bool | None = None, step: int = 0
) -> list[str]:
    """A list; its sublists indented by ``step`` spaces (0: to the parent's text, as
    GitHub wants; 2, 3 or 4: a writer's habit, the same through the list)."""
    if not step:
        step = r.choice([0, 0, 2, 3, 4])
    if ordered is None:
        ordered = r.random() < 0.4
    bullet = r.choice("-*+")
    delim = r.choice(".)") if r.random() < 0.2 else "."
    start = r.choice(START)
    loose = r.random() < 0.2
    task = not ordered and r.random() < 0.15
    out: list[str] = []
    for n in range(r.randint(1, 4)):
        marker = f"{start + n}{delim}" if ordered else bullet
        text = _line(r)
        if task:
            text = r.choice(["[ ] ", "[x] "]) + text
        out.append(f"{marker} {text}")
        pad = " " * (len(marker) + 1)
        k = r.random()
        if k < 0.12:
            out.append(pad + _line(r))  # a continuation line
        elif k < 0.18:
            out.append(_line(r))  # a lazy line
        if depth < 2 and r.random() < 0.3:
            sub = _list(r, depth + 1, step=step)
            if r.random() < 0.2:
                out.append("")
            out += [(" " * (step or len(pad)) + line) if line else "" for line in sub]
        elif r.random() < 0.08:
            out += ["", pad + _line(r)]  # a second paragraph
        elif r.random() < 0.06:
            out += [pad + "```", pad + "code()", pad + "```"]
        if loose:
            out.append("")
    while out and not out[-1]:
        out.pop()
    return out


def _table(r: random.Random) -> str:
    cols = r.randint(2, 3)
    cell = lambda: r.choice(  # noqa: E731
        [_words(r, 1, 2), "`a \\| b`", "a \\| b", "`code`", "**bold**", "[l](https://example.com/t)",
         "1.5", "", "https://example.com/c", "$x$"]
    )  # fmt: skip
    lead = r.random() < 0.8
    row = lambda cells: ("| " if lead else "") + " | ".join(cells) + (" |" if lead else "")  # noqa: E731
    out = [row([_words(r, 1, 1) for _ in range(cols)])]
    out.append(row([r.choice(["---", ":---", "---:", ":-:"]) for _ in range(cols)]))
    out += [
        row([_words(r, 1, 1), *(cell() for _ in range(cols - 1))]) for _ in range(r.randint(1, 3))
    ]
    return "\n".join(out)


def _quote(r: random.Random) -> str:
    k = r.random()
    lazy = False
    if k < 0.4:
        body = _paragraph(r).split("\n")
        lazy = len(body) > 1 and r.random() < 0.3  # its last line without `>`
    elif k < 0.7:
        body = [_line(r), *_list(r)]
    else:
        body = [_line(r), "", "```", "x = 1", "```"]
    return "\n".join(
        line if lazy and i == len(body) - 1 else ("> " + line).rstrip()
        for i, line in enumerate(body)
    )


def _html(r: random.Random) -> str:
    return r.choice(
        [
            f"<details>\n<summary>{_words(r, 1, 2)}</summary>\n\n{_paragraph(r)}\n\n</details>",
            f"<details>\n<summary>{_words(r, 1, 2)}</summary>\n\n" + "\n".join(_list(r)) + "\n\n</details>",
            f'<div align="center">\n\n**{_words(r, 1, 2)}**\n\n</div>',
            '<p align="center">\n<img src="https://example.com/f.png" width="400">\n</p>',
            '<img src="https://example.com/f.png" alt="figure">',
            "<!-- a comment\nover lines -->",
            f"<br>\n{_words(r, 1, 2)}",
            "<table>\n<tr><td>raw</td><td>cell</td></tr>\n</table>",
        ]
    )  # fmt: skip


def _block(r: random.Random) -> str:
    k = r.random()
    if k < 0.3:
        return _paragraph(r)
    if k < 0.5:
        return "\n".join(_list(r))
    if k < 0.57:
        return "#" * r.randint(1, 4) + " " + _line(r)
    if k < 0.6:
        return _words(r, 1, 3) + "\n" + r.choice(["===", "---"])
    if k < 0.63:
        return r.choice(["---", "***", "___", "- - -"])
    if k < 0.69:
        fence = r.choice(["```", "~~~", "````"])
        return f"{fence}{r.choice(['', 'python', 'bash'])}\nx = 1\n\n# comment *x*\n{fence}"
    if k < 0.72:
        return "    indented = code\n    more()"
    if k < 0.78:
        return _table(r)
    if k < 0.84:
        return _quote(r)
    if k < 0.9:
        return _html(r)
    if k < 0.95:
        return r.choice(
            ["[ref]: https://example.com/ref", '[ref]: https://example.com/ref "Title"']
        )
    return r.choice(["$$\nx = y^2\n$$", "$$ a + b $$"])


def document(r: random.Random) -> str:
    """A small document of 1 to 5 blocks, mostly apart, sometimes right under one
    another (a list or table under a paragraph line, as people write them)."""
    blocks = [_block(r) for _ in range(r.randint(1, 5))]
    text = blocks[0]
    for a, b in zip(blocks, blocks[1:], strict=False):
        # Under an HTML block or a definition people leave a blank line (mostly).
        tight = 0.05 if a.startswith(("<", "[")) else 0.25
        text += ("\n" if r.random() < tight else "\n\n") + b
    if "[^1]" in text:  # its definition at the end, as people put them
        text += f"\n\n[^1]: {_line(r).replace('[^1]', '')}"
    return text + "\n"


# ---------- normalisation ----------

_FOOTNOTE_HREF = re.compile(r"^#fn(?:ref)?[-:]")


def shape(html: str) -> tuple:
    """`structure` after dropping what differs only in markup (see the module doc)."""
    soup = BeautifulSoup(html, "lxml")
    for span in soup.select(".arithmatex"):  # arithmatex's generic output -> GitHub's text
        tex = span.get_text()
        if tex.startswith("\\(") and tex.endswith("\\)"):
            span.replace_with(f"${tex[2:-2]}$")
        elif tex.startswith("\\[") and tex.endswith("\\]"):
            p = soup.new_tag("p")
            p.string = f"$${tex[2:-2]}$$"
            span.replace_with(p)
    soup.smooth()  # the math's text and the text beside it: one string, as GitHub's
    for a in soup.select("a.footnote-backref, a[data-footnote-backref]"):
        a.decompose()
    for hr in soup.select("div.footnote > hr"):
        hr.decompose()
    for a in soup.find_all("a", href=True):  # `\\` or `%5C`: the same URL
        a["href"] = "#fn" if _FOOTNOTE_HREF.match(a["href"]) else unquote(a["href"])
    for p in soup.find_all("p"):  # lines of <img>: GitHub's HTML block, our paragraph
        kids = [k for k in p.contents if not (isinstance(k, str) and not k.strip())]
        if kids and all(getattr(k, "name", None) == "img" for k in kids):
            p.unwrap()
    for em in soup.find_all("em"):  # ***x***: <em><strong> on GitHub, the other way here
        kids = [k for k in em.contents if not (isinstance(k, str) and not k.strip())]
        if len(kids) == 1 and getattr(kids[0], "name", None) == "strong":
            strong = kids[0]
            em.name, strong.name = "strong", "em"
    return _walk(soup.body or soup)


# ---------- known differences ----------

# Differences left on purpose, each found by the random differential and excluded by
# its rule (`known_difference`): name -> what differs and why it is left.
KNOWN = {
    "markdown right under an HTML line": "GitHub's HTML block runs to the next blank line, "
    "so markdown lines under a tag line show raw (a `<details>` opened there reads none); "
    "Python-Markdown reads them. GitHub's rendering is the broken one its writer mends",
    "a link definition next to a line": "a definition cannot interrupt a paragraph (GitHub "
    "shows it as text, its links dead) and cmark-gfm leaves it text above a table or "
    "`---`; Python-Markdown takes the definition. Matching would break links on purpose",
    "a hard break in a setext heading": "a heading of several lines over `---`/`===` with a "
    "hard break: Python-Markdown's heading drops the break (the text is all there)",
    "a backslash break beside `$$` math": "in a paragraph holding `$$` the pass leaves "
    "backslashes to TeX (`\\` at a line end is TeX's, arithmatex reads it)",
    "an HTML line right under a table, list or quote": "GitHub ends the block at a tag "
    "line; markdown-it (the pass's parser) and Python-Markdown read a row or a lazy line",
    "indented code under a link definition or a closing tag": "GitHub reads indented lines "
    "under a definition as a paragraph; after `</details>` md_in_html takes them in",
    "single tildes": "`~x~` is GitHub's strikethrough as well as `~~x~~`; ours strikes only "
    "`~~x~~` (prose's `~5 ms ... ~10 ms` is struck through on GitHub)",
    "`[text] [label]` with a space": "in a page with link definitions, a reference link to "
    "Python-Markdown (which then reads the brackets after it otherwise), two bracketed "
    "texts to GitHub",
}

_RAW_HTML_KINDS = ("<!--", "<pre", "<script", "<style", "<textarea", "<?", "<!")
_SPACED_REFERENCE = re.compile(r"\] {1,3}\[([^\]^]+)\]")
_CONTAINERS = ("bullet_list_open", "ordered_list_open", "blockquote_open", "table_open")
_INDENTED = re.compile(r" {4}\S")
_REF_DEF = re.compile(r"^ {0,3}\[([^\]^]+)\]:", re.M)
_CLOSING_TAG = re.compile(r"</\w+>\s*$")


def known_difference(text: str) -> str | None:
    """The `KNOWN` difference ``text`` holds (None: it must render as GitHub's)."""
    tokens = block_tokens(text)
    lines = text.split("\n")
    for tok in tokens:
        if tok.type == "html_block" and not tok.content.lstrip().startswith(_RAW_HTML_KINDS):
            body = tok.content.split("\n")
            if any(x.strip() and not x.lstrip().startswith("<") for x in body) or any(
                re.match(r"\s*<(?:details|div)\b", x) for x in body[1:]
            ):
                return "markdown right under an HTML line"
    for i, line in enumerate(lines):
        after = lines[i + 1] if i + 1 < len(lines) else ""
        if _REF_DEF.match(line) and (
            (i and lines[i - 1].strip()) or (after.strip() and not _REF_DEF.match(after))
        ):
            return "a link definition next to a line"
    for tok in tokens:
        if tok.type == "heading_open" and tok.markup in ("=", "-") and tok.map:
            if any(x.endswith(("  ", "\\")) for x in lines[tok.map[0] : tok.map[1] - 2]):
                return "a hard break in a setext heading"
        if tok.type == "paragraph_open" and tok.map:
            body = lines[tok.map[0] : tok.map[1]]
            if any("$$" in x for x in body) and any(x.endswith("\\") for x in body[:-1]):
                return "a backslash break beside `$$` math"
    containers = [
        (t.map[0], t.map[1]) for t in tokens if t.level == 0 and t.map and t.type in _CONTAINERS
    ]
    for i, line in enumerate(lines[1:], 1):
        above = lines[i - 1]
        if line.startswith("<") and above.strip() and any(a < i < b for a, b in containers):
            return "an HTML line right under a table, list or quote"
        if _INDENTED.match(line) and (
            _REF_DEF.match(above)
            or (i > 1 and not above.strip() and _CLOSING_TAG.match(lines[i - 2]))
        ):
            return "indented code under a link definition or a closing tag"
    if len(re.findall(r"(?<!~)~(?!~)", text)) >= 2:
        return "single tildes"
    if _REF_DEF.search(text) and _SPACED_REFERENCE.search(text):
        return "`[text] [label]` with a space"
    return None
