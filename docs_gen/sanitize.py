"""Rendered HTML of third-party text never carries live code into the site.

Belt and braces with the converter (`extract.convert.safety`): after Markdown has run,
drop script-capable elements, every `on*` handler, and neutralise `javascript:`,
`vbscript:` and `data:` URLs. A cheap scan of the tags decides whether a page needs the
full parse at all, so clean pages (nearly all) cost one regex pass.
"""

from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup

DROP_ELEMENTS = (
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style",
    "link", "meta", "base", "form", "noscript", "template", "portal",
    "animate", "set", "animatemotion", "animatetransform", "handler", "listener",
)  # fmt: skip
URL_ATTRIBUTES = (
    "href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background",
    "data", "cite", "longdesc", "ping", "lowsrc", "dynsrc", "codebase", "archive", "srcdoc",
)  # fmt: skip
SAFE_SCHEMES = ("http", "https", "mailto", "tel", "ftp")
BLOCKED = "#blocked-unsafe-link"

_TAG = re.compile(r"<[A-Za-z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_DROP = re.compile(r"<\s*/?\s*(?:" + "|".join(DROP_ELEMENTS) + r")\b", re.I)
_HANDLER = re.compile(r"[\s\"'/]on[a-z]+\s*=", re.I)
_ATTR_VALUE = re.compile(r"([\w:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_url(value: str) -> bool:
    """Whether a URL would run code or smuggle content (after the browser's own clean-up)."""
    url = _INVISIBLE.sub("", html.unescape(value)).lower()
    m = _SCHEME.match(url)
    return bool(m) and m.group(1) not in SAFE_SCHEMES


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


def needs_sanitizing(page_html: str) -> bool:
    if _DROP.search(page_html):
        return True
    return any(_unsafe_tag(m.group(0)) for m in _TAG.finditer(page_html))


def sanitize_html(page_html: str) -> str:
    """The HTML with nothing left that could run (unchanged when it was already inert)."""
    if not needs_sanitizing(page_html):
        return page_html
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
