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

from ..html_images import image_source, image_url, link_target
from ..markdown import (
    PERMALINK_GLYPHS,
    code_span,
    escape,
    escape_block_start,
    fenced,
    one_line_math,
    pipe_table,
    strip_permalink_glyphs,
    table_cell,
)
from .html_attrs import attr
from .html_ids import (
    ID_OK,
    IDS_ATTR,
    anchors_for,
    generated_id,
    is_empty_target,
    marker,
    own_ids,
)
from .html_math import split_text
from .html_tree import first_named, gone, parent_named, tags_named, with_class

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
# Line numbers and copy buttons inside a code block are the site's, not the code's.
_CODE_JUNK = frozenset({"linenos", "lineno", "line-numbers-rows", "copybtn", "gp-copy"})
_SPACES = re.compile(r"[ \t\r\n\f\u00a0\u2009\u202f]+")


def code_language(pre: Tag) -> str:
    """The language a code block declares in its own or its wrappers' classes."""
    nodes: list[Tag] = []
    code = first_named(pre, ("code",))
    if isinstance(code, Tag):
        nodes.append(code)
    nodes.append(pre)
    nodes.extend(list(pre.parents)[:3])
    for node in nodes:
        for name in ("data-lang", "data-language"):
            lang = attr(node, name).strip().lower()
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


class Renderer:
    """Renders one article. ``targets``: ids that links point at, kept as anchors
    wherever they sit (a footnote, a figure, a table), beside the ids `html_ids`
    always keeps (headings, API entries, named markers)."""

    def __init__(self, base_url: str, targets: frozenset[str] | set[str] = frozenset()):
        self.base_url = base_url
        self.targets = frozenset(targets)
        self._block_memo: dict[int, bool] = {}

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
        return _separate_lists([b for b in out if b.strip()])

    def _flush(self, run: list, out: list[str]) -> None:
        if run:
            text = self.paragraph("".join(self.inline(n) for n in run))
            if text:
                out.append(text)
            run.clear()

    def paragraph(self, text: str) -> str:
        lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
        lines = [escape_block_start(ln) for ln in lines if ln]
        lines = [_LEADING_MARKERS.sub(r"\1", ln) if ln[:6] == "<a id=" else ln for ln in lines]
        # `<br>`, not a trailing backslash: Python-Markdown shows that backslash.
        return "<br>\n".join(lines)

    def block(self, el: Tag) -> list[str]:
        ident = self._targeted(el)
        out = self._block(el)
        if not ident:
            return out
        if out and not _STARTS_BLOCK.match(out[0]):
            return [marker(ident) + out[0], *out[1:]]  # inline, at the paragraph's start
        return [marker(ident), *out]

    def _targeted(self, el: Tag) -> str:
        """The element's id when a link points at it (headings and `dt` carry theirs)."""
        ident = el.get("id")
        if not isinstance(ident, str) or el.has_attr(IDS_ATTR) or el.name in HEADINGS:
            return ""
        return ident if ident in self.targets and ID_OK.match(ident) else ""

    def _block(self, el: Tag) -> list[str]:
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
            return [anchors_for(el, inline=True) + f"**{_strip_emphasis(text)}**"] if text else []
        if "highlighttable" in (el.get("class") or []):
            pre = el.select_one("td.code pre") or el.find("pre")
            return [self.code_block(pre)] if pre else []
        return self.blocks(el)

    def heading(self, h: Tag) -> list[str]:
        for a in h.find_all("a"):
            if a.get_text(strip=True) in PERMALINK_GLYPHS and (
                attr(a, "href").startswith("#") or "headerlink" in (a.get("class") or [])
            ):
                a.decompose()
        text = " ".join(self.inline_children(h, in_heading=True).split())
        text = strip_permalink_glyphs(text)
        if not text:
            return []
        if text.endswith("#"):
            text = text[:-1] + "\\#"
        level = int(h.name[1])
        # The page's ids for this place, as markers on the lines before the heading;
        # `html.prune_anchors` drops those equal to the heading's own anchor, once the
        # whole document's anchors are known.
        return [anchors_for(h) + "#" * level + " " + text]

    def code_block(self, pre: Tag) -> str:
        for junk in with_class(pre, _CODE_JUNK):
            junk.decompose()
        code = pre.get_text()
        code = code.strip("\n").rstrip()
        lang = code_language(pre)
        return fenced(code, lang)

    def list_block(self, el: Tag) -> str:
        ordered = el.name == "ol"
        try:
            number = int(attr(el, "start", "1"))
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
            bullet = f"{number}. " if ordered else "- "
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
            ident = self._targeted(li)
            if ident:
                glue = "\n\n" if not body or _STARTS_BLOCK.match(body) else ""
                body = marker(ident) + glue + body
            # Content under an item is indented 4 spaces (or the marker's width when
            # wider): Python-Markdown needs 4 to nest, CommonMark at least the width.
            pad = " " * max(4, len(bullet))
            lines = body.split("\n") if body else [""]
            item = bullet + lines[0]
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
                    span = int(attr(cell, "colspan", "1"))
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
        placeholder = fig.new_tag("span")
        placeholder["data-figure"] = caption or attr(first, "alt")
        placeholder["data-src"] = image_source(first)
        outer = first.find_parent("picture") or first
        outer.replace_with(placeholder)
        if caption:
            for extra in images[1:]:
                if not gone(extra):
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
                    out.append(anchors_for(child, inline=True) + f"**{_strip_emphasis(text)}**")
            else:
                out.extend(self.blocks(child) if child.name == "dd" else self.block(child))
        return out

    @staticmethod
    def _is_admonition(el: Tag) -> bool:
        classes = attr(el, "class").split()
        return "admonition" in classes or "callout" in classes

    # ---------- inline ----------
    def inline_children(self, el: Tag, in_heading: bool = False) -> str:
        return "".join(
            self.inline(c, in_heading)
            for c in el.children
            if isinstance(c, Tag | NavigableString)  # what a parsed page's children are
        )

    def inline(self, node: Tag | NavigableString, in_heading: bool = False) -> str:
        if isinstance(node, NavigableString):
            if type(node) is not NavigableString:  # comments, CDATA, doctype
                return ""
            return _text(str(node))
        name = node.name
        if name == "br":
            return "\n"
        lead = "" if in_heading else self._inline_anchors(node)  # a heading's are collected
        if lead:
            return lead + self._inline(node, in_heading)
        return self._inline(node, in_heading)

    def _inline_anchors(self, node: Tag) -> str:
        """Markers for the ids an inline element names: an empty target (`<span id>`,
        `<a name>`), a named `<a>`, or any element a link points at."""
        if node.has_attr(IDS_ATTR):
            return ""
        ids: list[str]
        if node.name == "a":
            ids = [name] if isinstance(name := node.get("name"), str) else []
            ident = node.get("id")
            if isinstance(ident, str) and (not node.get("href") or ident in self.targets):
                ids.append(ident)
        elif is_empty_target(node):
            ids = own_ids(node)
        else:
            ids = [self._targeted(node)]
        return "".join(
            marker(i)
            for i in dict.fromkeys(ids)
            if i and ID_OK.match(i) and (i in self.targets or not generated_id(i))
        )

    def _inline(self, node: Tag, in_heading: bool) -> str:
        name = node.name
        if name == "tex-math":  # a display in running text: on one line, as text is
            text = node.get_text()
            return " " + one_line_math(text) + " " if node.get("display") == "block" else text
        if name in ("code", "kbd", "samp", "tt") and parent_named(node, ("pre",)) is None:
            return code_span(" ".join(node.get_text().split()))
        if name == "img":
            return self.image(node)
        if name == "span" and node.has_attr("data-figure"):
            return _figure_marker(attr(node, "data-figure"), self._absolute(attr(node, "data-src")))
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
        href = attr(a, "href").strip()
        if not text.strip():
            return text
        if not href or href == "#" or in_heading:
            return text
        if "[Figure" in text:  # a linked image: the figure text is what matters
            return text
        scheme = urlsplit(href).scheme.lower()
        if scheme and scheme not in ("http", "https", "mailto", "ftp"):
            return text  # javascript:, data:, vbscript: and friends lose their link
        url = link_target(urljoin(self.base_url, href) if self.base_url else href)
        inner = text.strip()
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        return f"{lead}[{inner}]({url}){trail}"

    def image(self, img: Tag) -> str:
        alt = " ".join(attr(img, "alt").split())
        if "emoji" in " ".join(img.get("class") or []):
            return escape(alt)
        for dim in ("width", "height"):
            if attr(img, dim).strip() in ("0", "1"):
                return ""  # tracking pixels
        return _figure_marker(alt, self._absolute(image_source(img)))

    def _absolute(self, src: str) -> str:
        """An image's absolute http(s) URL, or "" (no base, `data:`, nothing)."""
        return image_url(self.base_url, src)


def _figure_marker(description: str, url: str = "") -> str:
    """`[Figure: <description>]`, linked to the image's absolute URL when it has one."""
    description = " ".join(description.split())
    text = (
        "[Figure: " + escape(description.replace("[", "(").replace("]", ")")) + "]"
        if description
        else "[Figure]"
    )
    return f"[{text}]({url})" if url else text


def _text(raw: str) -> str:
    out = []
    for piece, is_math in split_text(raw):
        if is_math:
            out.append(one_line_math(piece))  # a `\\[...\\]` display in running text
        else:
            text = escape(_SPACES.sub(" ", piece))
            out.append(_LITERAL_INERT.sub("&lt;", text) if "<" in text else text)
    return "".join(out)


# Text that reads like the two tags a full.md may carry (`<br>`, `<a id>`) is text:
# its `<` is written as an entity so that it stays text.
_LITERAL_INERT = re.compile(r"<(?=br>|a id=)")


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


_LEADING_MARKERS = re.compile(r'^((?:<a id="[^"]*"></a>)+) +')
_STARTS_BLOCK = re.compile(r"^(?:#{1,6} |>|\||- |\d+\. |`{3,}|~{3,}|\$\$|---|<a id=)")


# Between two lists in a row: Python-Markdown would merge them into one (even a
# bulleted and a numbered one); an empty comment ends the first, in both renderers.
LIST_BREAK = "<!-- -->"


def _separate_lists(blocks: list[str]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if out and _is_list(b) and _is_list(out[-1]):
            out.append(LIST_BREAK)
        out.append(b)
    return out


def _is_list(block: str) -> bool:
    return bool(re.match(r"^(?:- |\d+\. )", block))


def _rows(table: Tag) -> list[Tag]:
    """The table's own rows (not those of tables nested in its cells)."""
    rows = []
    for tr in tags_named(table, ("tr",)):
        if parent_named(tr, ("table",)) is table:
            rows.append(tr)
    return rows
