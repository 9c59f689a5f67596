"""An article's DOM -> markdown, keeping every heading, code block, table, list,
formula, link and figure.

Blocks are rendered to strings and joined with blank lines; inline runs between
blocks become paragraphs. Text is escaped so it reads back as the same text;
code and TeX are never escaped. Links are made absolute against the page URL.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from bs4 import NavigableString, Tag

from ..markdown import (
    PERMALINK_GLYPHS,
    code_span,
    escape,
    fenced,
    pipe_table,
    strip_permalink_glyphs,
    table_cell,
)
from .html_math import split_text

BLOCK_TAGS = frozenset(
    """address article aside blockquote center details dd div dl dt fieldset figcaption
    figure footer h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary
    table tbody thead tfoot tr td th caption ul""".split()
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NO_LANG = frozenset(
    {"", "default", "none", "text", "plain", "plaintext", "nohighlight", "notranslate", "txt"}
)
_LANG_CLASS = re.compile(r"^(?:language|lang|highlight|brush)[-:](.+)$", re.I)
_ID_OK = re.compile(r"^[A-Za-z0-9_:.\-]+$")
_LINE_START = re.compile(r"^(\s*)([#>+=|-])")
_LINE_NUMBER = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")
_SPACES = re.compile(r"[ \t\r\n\f\u00a0\u2009\u202f]+")


def code_language(pre: Tag) -> str:
    """The language a code block declares in its own or its wrappers' classes."""
    nodes: list[Tag] = []
    code = pre.find("code")
    if isinstance(code, Tag):
        nodes.append(code)
    nodes.append(pre)
    nodes.extend(list(pre.parents)[:3])
    for node in nodes:
        for attr in ("data-lang", "data-language"):
            lang = (node.get(attr) or "").strip().lower()
            if lang:
                return "" if lang in _NO_LANG else lang
        classes = list(node.get("class") or [])
        for i, cls in enumerate(classes):
            m = _LANG_CLASS.match(cls)
            if m:
                lang = m.group(1).lower()
                return "" if lang in _NO_LANG else lang
            if cls == "sourceCode" and i + 1 < len(classes):
                lang = classes[i + 1].lower()
                return "" if lang in _NO_LANG else lang
    return ""


def original_id(h: Tag) -> str:
    """The id a page gave this heading: its own, an anchor inside it, or that of the
    section it opens."""
    if h.get("id"):
        return h["id"]
    for a in h.find_all(["a", "span"]):
        for attr in ("id", "name"):
            if a.get(attr):
                return a[attr]
    parent = h.parent
    if (
        isinstance(parent, Tag)
        and parent.get("id")
        and (parent.name == "section" or "section" in (parent.get("class") or []))
    ):
        first = next((c for c in parent.children if isinstance(c, Tag)), None)
        if first is h:
            return parent["id"]
    for a in h.find_all("a", href=True):
        href = a["href"]
        if href.startswith("#") and len(href) > 1:
            names = " ".join(a.get("class") or []).lower()
            if "anchor" in names or "headerlink" in names or "permalink" in names:
                return href[1:]
    return ""


class Renderer:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self._block_memo: dict[int, bool] = {}
        self._base_page = base_url.split("#", 1)[0]

    # ---------- classification ----------
    def is_block(self, el: Tag) -> bool:
        key = id(el)
        if key not in self._block_memo:
            if el.name in BLOCK_TAGS:
                result = True
            elif el.name == "tex-math":
                result = el.get("display") == "block"
            elif el.name == "img":
                result = False
            else:
                result = any(isinstance(c, Tag) and self.is_block(c) for c in el.children)
            self._block_memo[key] = result
        return self._block_memo[key]

    # ---------- blocks ----------
    def blocks(self, el: Tag) -> list[str]:
        """Render the children of ``el`` as a list of markdown blocks."""
        out: list[str] = []
        run: list[Tag | NavigableString] = []
        for child in el.children:
            if isinstance(child, Tag) and self.is_block(child):
                self._flush(run, out)
                out.extend(self.block(child))
            elif isinstance(child, Tag | NavigableString):
                run.append(child)
        self._flush(run, out)
        return [b for b in out if b.strip()]

    def _flush(self, run: list, out: list[str]) -> None:
        if run:
            text = self.paragraph("".join(self.inline(n) for n in run))
            if text:
                out.append(text)
            run.clear()

    def paragraph(self, text: str) -> str:
        lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
        lines = [_LINE_START.sub(r"\1\\\2", ln) for ln in lines if ln]
        lines = [_LINE_NUMBER.sub(r"\1\\\2", ln) for ln in lines]
        return "\\\n".join(lines)

    def block(self, el: Tag) -> list[str]:
        name = el.name
        if name in HEADINGS:
            return self.heading(el)
        if name == "p":
            text = self.paragraph(self.inline_children(el))
            return [text] if text else []
        if name == "pre":
            return [self.code_block(el)]
        if name in ("ul", "ol"):
            return [self.list_block(el)]
        if name == "table":
            return self.table(el)
        if name == "blockquote" or self._is_admonition(el):
            inner = self.blocks(el)
            return [_prefix_lines("\n\n".join(inner), "> ")] if inner else []
        if name == "figure":
            return self.figure(el)
        if name == "hr":
            return ["---"]
        if name == "dl":
            return self.definition_list(el)
        if name == "tex-math":
            return [el.get_text()]
        if name in ("dt", "summary", "caption"):
            text = self.paragraph(self.inline_children(el))
            return [f"**{_strip_emphasis(text)}**"] if text else []
        if "highlighttable" in (el.get("class") or []):
            pre = el.select_one("td.code pre") or el.find("pre")
            return [self.code_block(pre)] if pre else []
        return self.blocks(el)

    def heading(self, h: Tag) -> list[str]:
        for a in h.find_all("a"):
            if a.get_text(strip=True) in PERMALINK_GLYPHS and (
                (a.get("href") or "").startswith("#") or "headerlink" in (a.get("class") or [])
            ):
                a.decompose()
        text = " ".join(self.inline_children(h, in_heading=True).split())
        text = strip_permalink_glyphs(text)
        if not text:
            return []
        if text.endswith("#"):
            text = text[:-1] + "\\#"
        level = int(h.name[1])
        out = "#" * level + " " + text
        ident = original_id(h)
        if ident and _ID_OK.match(ident):
            # Kept as a marker; `html.prune_anchors` drops it where it equals the
            # heading's own anchor, once the whole document's anchors are known.
            out = f'<a id="{ident}"></a>\n' + out
        return [out]

    def code_block(self, pre: Tag) -> str:
        for junk in pre.select(".linenos, .lineno, .line-numbers-rows, .copybtn, .gp-copy"):
            junk.decompose()
        code = pre.get_text()
        code = code.strip("\n").rstrip()
        lang = code_language(pre)
        return fenced(code, lang)

    def list_block(self, el: Tag) -> str:
        ordered = el.name == "ol"
        try:
            number = int(el.get("start", 1))
        except ValueError:
            number = 1
        items: list[str] = []
        loose = False
        strays: list[str] = []
        for li in el.children:
            if not isinstance(li, Tag) or li.name != "li":
                # Non-li children (invalid but common): keep their text after the list.
                strays += self.blocks(li) if isinstance(li, Tag) else [_text(str(li)).strip()]
                continue
            marker = f"{number}. " if ordered else "- "
            number += 1
            blocks = self.blocks(li)
            if sum(1 for b in blocks if not _is_list(b)) > 1:
                loose = True
            body = ""
            for b in blocks:
                if not body:
                    body = b
                elif _is_list(b) and not loose:
                    body += "\n" + b
                else:
                    body += "\n\n" + b
            pad = " " * len(marker)
            lines = body.split("\n") if body else [""]
            item = marker + lines[0]
            for ln in lines[1:]:
                item += "\n" + (pad + ln if ln else "")
            items.append(item.rstrip())
        out = ("\n\n" if loose else "\n").join(items)
        rest = "\n\n".join(s for s in strays if s)
        return f"{out}\n\n{rest}" if rest else out

    def table(self, table: Tag) -> list[str]:
        if "highlighttable" in (table.get("class") or []):
            pre = table.select_one("td.code pre") or table.find("pre")
            return [self.code_block(pre)] if pre else []
        rows: list[list[str]] = []
        for tr in _rows(table):
            cells: list[str] = []
            for cell in tr.find_all(["td", "th"], recursive=False):
                cells.append(table_cell(" ".join(self.blocks(cell))))
                try:
                    span = int(cell.get("colspan", 1))
                except ValueError:
                    span = 1
                cells.extend([""] * max(0, min(span, 50) - 1))
            if not cells:
                continue
            rows.append(cells)
        if not rows:
            return []
        blocks = []
        caption = table.find("caption")
        if caption is not None:
            text = self.paragraph(self.inline_children(caption))
            if text:
                blocks.append(text)
        blocks.append(pipe_table(rows))
        return blocks

    def figure(self, fig: Tag) -> list[str]:
        caption_el = fig.find("figcaption")
        caption = ""
        if caption_el is not None:
            caption = " ".join(caption_el.get_text(" ").split())
            caption_el.decompose()
        images = fig.find_all("img")
        if not images:
            out = self.blocks(fig)
            return out + ([self.paragraph(escape(caption))] if caption else [])
        first = images[0]
        marker = fig.new_tag("span")
        marker["data-figure"] = caption or first.get("alt", "")
        outer = first.find_parent("picture") or first
        outer.replace_with(marker)
        if caption:
            for extra in images[1:]:
                if not extra.decomposed:
                    extra.decompose()
        return self.blocks(fig)

    def definition_list(self, dl: Tag) -> list[str]:
        out: list[str] = []
        for child in dl.children:
            if not isinstance(child, Tag):
                continue
            if child.name == "dt":
                text = self.paragraph(self.inline_children(child))
                if text:
                    out.append(f"**{_strip_emphasis(text)}**")
            else:
                out.extend(self.blocks(child) if child.name == "dd" else self.block(child))
        return out

    @staticmethod
    def _is_admonition(el: Tag) -> bool:
        classes = el.get("class") or []
        return "admonition" in classes or "callout" in classes

    # ---------- inline ----------
    def inline_children(self, el: Tag, in_heading: bool = False) -> str:
        return "".join(self.inline(c, in_heading) for c in el.children)

    def inline(self, node: Tag | NavigableString, in_heading: bool = False) -> str:
        if isinstance(node, NavigableString):
            if type(node) is not NavigableString:  # comments, CDATA, doctype
                return ""
            return _text(str(node))
        name = node.name
        if name == "br":
            return "\n"
        if name == "tex-math":
            return (
                " " + node.get_text() + " " if node.get("display") == "block" else node.get_text()
            )
        if name in ("code", "kbd", "samp", "tt") and node.find_parent("pre") is None:
            return code_span(" ".join(node.get_text().split()))
        if name == "img":
            return self.image(node)
        if name == "span" and node.has_attr("data-figure"):
            return _figure_marker(node["data-figure"])
        if name == "picture":
            img = node.find("img")
            return self.image(img) if img else self.inline_children(node, in_heading)
        if name in ("strong", "b"):
            return _emphasis(self.inline_children(node, in_heading), "**")
        if name in ("em", "i", "cite", "var", "dfn"):
            return _emphasis(self.inline_children(node, in_heading), "*")
        if name in ("del", "s", "strike"):
            return _emphasis(self.inline_children(node, in_heading), "~~")
        if name == "a":
            return self.link(node, in_heading)
        if name in BLOCK_TAGS:  # a block tag in inline position (cell content, dt...)
            return " " + "\n".join(self.blocks(node)) + " "
        return self.inline_children(node, in_heading)

    def link(self, a: Tag, in_heading: bool) -> str:
        text = self.inline_children(a, in_heading)
        href = (a.get("href") or "").strip()
        if not text.strip():
            return text
        if not href or href == "#" or in_heading:
            return text
        if "[Figure" in text:  # a linked image: the figure text is what matters
            return text
        scheme = urlsplit(href).scheme.lower()
        if scheme and scheme not in ("http", "https", "mailto", "ftp"):
            return text  # javascript:, data:, vbscript: and friends lose their link
        url = urljoin(self.base_url, href) if self.base_url else href
        url = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        inner = text.strip()
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        return f"{lead}[{inner}]({url}){trail}"

    def image(self, img: Tag) -> str:
        alt = " ".join((img.get("alt") or "").split())
        if "emoji" in " ".join(img.get("class") or []):
            return escape(alt)
        for dim in ("width", "height"):
            if (img.get(dim) or "").strip() in ("0", "1"):
                return ""  # tracking pixels
        return _figure_marker(alt)


def _figure_marker(description: str) -> str:
    description = " ".join(description.split())
    if not description:
        return "[Figure]"
    return "[Figure: " + description.replace("[", "(").replace("]", ")") + "]"


def _text(raw: str) -> str:
    out = []
    for piece, is_math in split_text(raw):
        if is_math:
            out.append(piece)
        else:
            out.append(escape(_SPACES.sub(" ", piece)))
    return "".join(out)


def _emphasis(text: str, mark: str) -> str:
    inner = text.strip()
    if not inner or "\n" in inner:
        return text
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}{mark}{inner}{mark}{trail}"


def _strip_emphasis(text: str) -> str:
    return text.replace("**", "")


def _prefix_lines(text: str, prefix: str) -> str:
    return "\n".join((prefix + ln) if ln else prefix.rstrip() for ln in text.split("\n"))


def _is_list(block: str) -> bool:
    return bool(re.match(r"^(?:- |\d+\. )", block))


def _rows(table: Tag) -> list[Tag]:
    """The table's own rows (not those of tables nested in its cells)."""
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is table:
            rows.append(tr)
    return rows
