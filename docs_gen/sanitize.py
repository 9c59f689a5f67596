"""Rendered HTML of third-party text never carries live code into the site.

Belt and braces with the converter (`extract.convert.safety`): after Markdown has run,
drop script-capable elements, every `on*` handler, and block every URL the one URL rule
(`extract.url_safety`, an allowlist of schemes, the converter's too) calls unsafe. A
cheap scan of the tags decides whether a page needs the full parse at all, so clean
pages (nearly all) cost one regex pass.

Not an allowlist sanitiser of tags and attributes (nh3/ammonia): it would have to name
everything Python-Markdown, its extensions, Material and our templates write (ids,
classes, `data-*`, inputs, details, tables, arithmatex spans...) and would re-serialise
every page, while the markdown export (`sanitize_markdown`, no HTML pass) would still
need this module's rules.
"""

from __future__ import annotations

import re

from extract.url_safety import BLOCKED, unsafe_url

DROP_ELEMENTS = (
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style",
    "link", "meta", "base", "form", "noscript", "template", "portal",
    "animate", "set", "animatemotion", "animatetransform", "handler", "listener",
)  # fmt: skip
URL_ATTRIBUTES = (
    "href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background",
    "data", "cite", "longdesc", "ping", "lowsrc", "dynsrc", "codebase", "archive", "srcdoc",
)  # fmt: skip

_TAG = re.compile(r"<[A-Za-z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_DROP = re.compile(r"<\s*/?\s*(?:" + "|".join(DROP_ELEMENTS) + r")\b", re.I)
_HANDLER = re.compile(r"[\s\"'/]on[a-z]+\s*=", re.I)
_ATTR_VALUE = re.compile(r"([\w:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)


def _unsafe_tag(tag: str) -> bool:
    if _DROP.match(tag) or _HANDLER.search(tag):
        return True
    for m in _ATTR_VALUE.finditer(tag):
        name = m.group(1).lower()
        value = next(v for v in m.groups()[1:] if v is not None)
        if name in URL_ATTRIBUTES and unsafe_url(
            value.split(",")[0] if name == "srcset" else value
        ):
            return True
        if name == "srcset" and any(unsafe_url(part.strip()) for part in value.split(",")):
            return True
        if name == "style" and re.search(r"expression|javascript|url\s*\(", value, re.I):
            return True
    return False


# Over the whole page, tags and text alike: a superset of what `_unsafe_tag` looks at
# in each tag, so a page these find nothing in has nothing to remove (text that only
# looks like an attribute costs the full parse, never safety). The page is read as its
# UTF-8 bytes with ASCII letters lowered, as the HTML tokenizer folds tag and attribute
# names (a Unicode lowering can change the text's length, and so where a name found in
# it stands in the page); whitespace is ASCII's, as `\s` counts it in ASCII text. Each
# pattern opens with a literal (`<`, `on`, `=`), which the regex engine finds at memchr
# speed; Python looks only where one is.
_WS = rb"[\t\n\x0b\x0c\r\x1c-\x1f ]"
_NOT_WS = rb"(?:(?!" + _WS + rb")"
# `<name` or `</name` of a dropped element, the whole name (no name character after
# it), wherever it stands: `x<script>` opens a script as `<script>` does.
_DROPPED_TAG = re.compile(rb"</?(?:" + "|".join(DROP_ELEMENTS).encode() + rb")(?![a-z0-9_:-])")
# `on...=` after whitespace, a quote or a slash: a handler where it is inside a tag.
_HANDLER_NAME = re.compile(rb"on[a-z]+" + _WS + rb"*=")
_BEFORE_HANDLER = frozenset(b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \"'/")
_TAG_BYTES = re.compile(rb"<[A-Za-z]" + _NOT_WS + rb"[^/>])*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_TAG_REACH = 80_000  # how far back a tag may open: 20,000 characters of up to 4 bytes
# `name=` of a URL attribute or `style` as a whole name (no name character before it),
# searched in the reversed page: there `=` comes first.
_ASSIGNED = re.compile(
    rb"="
    + _WS
    + rb"*("
    + b"|".join(re.escape(name.encode()[::-1]) for name in (*URL_ATTRIBUTES, "style"))
    + rb")(?![a-z0-9_:-])"
)
_URL_VALUE = re.compile(
    _WS + rb"*=" + _WS + rb"*(?:\"([^\"]*)\"|'([^']*)'|(" + _NOT_WS + rb"[^>])+))"
)
# A double-quoted value `_safe_value` passes, told at once in the lowered page: a plain
# URL's start and no `&` or `:` after it (nearly every link of a page).
_SAFE_VALUE = re.compile(
    _WS + rb"*=" + _WS + rb'*"(?:https?://|#|/|\.\.?/|[a-z0-9_.~%+-]*[/?#])[^"&:]*"'
)
_STYLE_VALUE = re.compile(
    _WS + rb"*=" + _WS + rb"*(?:\"[^\"]*|'[^']*|" + _NOT_WS + rb"[^>])*)"
    rb"(?:expression|javascript|url" + _WS + rb"*\()"
)
_PLAIN_URL = re.compile(r"^(?:https?://|#|/|\.{1,2}/|[\w.~%+-]*(?:[/?#]|$))", re.I)


def _assigned(low: bytes):
    """(name, position after it) of each `name=` `_ASSIGNED` finds in ``low``."""
    size = len(low)
    for m in _ASSIGNED.finditer(low[::-1]):
        yield m.group(1)[::-1], size - m.start(1)


def _safe_value(value: str, srcset: bool) -> bool:
    if _PLAIN_URL.match(value) and "&" not in value and ":" not in value.split("/", 3)[0][:-1]:
        return True  # an http(s), relative or fragment URL with nothing encoded
    parts = value.split(",") if srcset else [value]
    return not any(unsafe_url(part.strip().split(" ")[0]) for part in parts)


def _in_a_tag(page: bytes, pos: int) -> bool:
    """Whether ``pos`` lies inside a tag (quoted `>` included), not in text."""
    lt = page.rfind(b"<", 0, pos)
    if lt >= 0 and page.find(b">", lt, pos) < 0:
        return True  # an open `<` with no `>` yet: a tag, however badly quoted
    while lt >= 0 and pos - lt < _TAG_REACH:
        m = _TAG_BYTES.match(page, lt)
        if m and m.end() > pos:
            return True
        lt = page.rfind(b"<", 0, lt)
    return False


def needs_sanitizing(page_html: str) -> bool:
    page = page_html.encode("utf-8", "surrogatepass")
    low = page.lower()  # ASCII letters only
    if _DROPPED_TAG.search(low):
        return True
    for m in _HANDLER_NAME.finditer(low):
        i = m.start() - 1
        if i >= 0 and low[i] in _BEFORE_HANDLER and _in_a_tag(page, i):
            return True
    for name, end in _assigned(low):
        if name == b"style":
            if _STYLE_VALUE.match(low, end):
                return True
        elif not _SAFE_VALUE.match(low, end) and (found := _URL_VALUE.match(page, end)):
            value = next(v for v in found.groups() if v is not None)
            if not _safe_value(value.decode("utf-8", "surrogatepass"), name == b"srcset"):
                return True
    return False


def sanitize_html(page_html: str) -> str:
    """The HTML with nothing left that could run (unchanged when it was already inert)."""
    if not needs_sanitizing(page_html):
        return page_html
    from bs4 import BeautifulSoup  # only for the rare page that needs it (slow to import)

    soup = BeautifulSoup(page_html, "html.parser")
    for el in soup.find_all(lambda t: t.name.lower() in DROP_ELEMENTS):
        el.decompose()
    for el in soup.find_all(True):
        for name in list(el.attrs):
            low = name.lower()
            value = el.attrs[name]
            text = " ".join(value) if isinstance(value, list) else str(value)
            if low.startswith("on"):
                del el.attrs[name]
            elif low in URL_ATTRIBUTES:
                parts = text.split(",") if low == "srcset" else [text]
                if any(unsafe_url(part.strip()) for part in parts):
                    if low in ("href", "xlink:href"):
                        el.attrs[name] = BLOCKED
                        el.attrs["title"] = "link removed: it could run code"
                    else:
                        del el.attrs[name]
            elif low == "style" and re.search(r"expression|javascript|url\s*\(", text, re.I):
                del el.attrs[name]
    return str(soup)


# ---------- the same rule on markdown (for `refs site --out`, which has no HTML pass) ----------
_MD_TAG = re.compile(r"<(?P<name>[A-Za-z][^\s/>]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_ATTR_LIST = re.compile(r"\{\s*:?[^{}\n]*\}")
_REF_DEF = re.compile(r"^(?P<lead> {0,3}\[[^\]]+\]:\s*)(?P<url><[^>]*>|\S+)")


def _clean_tag(tag: str, name: str) -> str:
    """One opening tag as `sanitize_html` leaves it (handlers and bad URLs gone)."""
    cleaned = sanitize_html(tag)
    close = f"</{name.lower()}>"
    if cleaned.lower().endswith(close) and not tag.rstrip(">").endswith("/"):
        cleaned = cleaned[: -len(close)]  # the parser closed what the markdown leaves open
    return cleaned


def _neutral_attr_list(m: re.Match[str]) -> str:
    text = m.group(0)
    return "\\" + text if _unsafe_tag("<x " + text[1:-1].lstrip(":") + ">") else text


def sanitize_markdown(markdown: str) -> str:
    """Markdown of untrusted text that renders with nothing live, without an HTML pass,
    as `sanitize_html` would leave it: script-capable elements go with their content,
    handlers and `javascript:`-like URLs leave their tags, an attribute list with a
    handler stays text, and a markdown link, image or reference definition to such a
    URL points at `#blocked-unsafe-link`. Code (fenced or spans) is left alone."""
    from extract.markdown import CODE_SPAN, Piece, rewrite_inline, walk

    lines = markdown.split("\n")
    keep = {i for i, _line, in_code in walk(lines) if not in_code}
    # Tags may span lines: find them in the prose with code masked, same offsets.
    masked = "\n".join(
        CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if i in keep else " " * len(line)
        for i, line in enumerate(lines)
    )
    edits: list[tuple[int, int, str]] = []
    pos = 0
    while m := _MD_TAG.search(masked, pos):
        name = m.group("name").lower()
        start, end = m.start(), m.end()
        if name in DROP_ELEMENTS:
            close = re.compile(rf"</\s*{re.escape(name)}\s*>", re.I).search(masked, end)
            end = close.end() if close else end
            edits.append((start, end, ""))
        elif _unsafe_tag(m.group(0)):
            edits.append((start, end, _clean_tag(m.group(0), name)))
        pos = end
    for close in re.finditer(r"</\s*(?:" + "|".join(DROP_ELEMENTS) + r")\s*>", masked, re.I):
        if not any(a <= close.start() < b for a, b, _ in edits):
            edits.append((close.start(), close.end(), ""))
    if edits:
        text = "\n".join(lines)
        for a, b, new in sorted(edits, reverse=True):
            text = text[:a] + new + text[b:]
        lines = text.split("\n")
        keep = {i for i, _line, in_code in walk(lines) if not in_code}

    def piece(p: Piece) -> str | None:
        if p.kind == "link" and unsafe_url(p.url):
            # raw HTML, as the HTML pass writes it (MkDocs checks markdown anchors only)
            return f'<a href="{BLOCKED}" title="link removed: it could run code">{p.text}</a>'
        if p.kind == "image" and unsafe_url(p.url):
            return f"![{p.text}]()"  # the HTML pass drops the source too
        if p.kind == "text" and "{" in p.raw:
            return _ATTR_LIST.sub(_neutral_attr_list, p.raw)
        return None

    for i in sorted(keep):
        line = lines[i]
        if "](" in line or "{" in line:
            lines[i] = rewrite_inline(line, piece)
        m = _REF_DEF.match(lines[i])
        if m and unsafe_url(m.group("url").strip("<>")):
            lines[i] = m.group("lead") + BLOCKED + lines[i][m.end() :]
    return "\n".join(lines)
