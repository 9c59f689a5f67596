"""The one rule for URLs in untrusted text: an allowlist of schemes.

A URL may stay live when it has no scheme (relative, `#fragment`, `/path`) or one of
`SAFE_SCHEMES`; any other scheme (`javascript:`, `vbscript:`, `data:`, `file:`, ...)
could run code or smuggle content, and is blocked. The URL is read as a browser reads
it: character references decoded (`&#106;avascript:`), control characters and spaces
dropped (`java\\tscript:`), case ignored. Tier 2 (`convert.safety`) and the site
(`docs_gen.sanitize`) both ask `unsafe_url`, and both write `BLOCKED` in its place.
"""

from __future__ import annotations

import html
import re

SAFE_SCHEMES = ("http", "https", "mailto", "tel", "ftp")
BLOCKED = "#blocked-unsafe-link"

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url`` (lowercase), None when it has none."""
    m = _SCHEME.match(_INVISIBLE.sub("", html.unescape(url)).lower())
    return m.group(1) if m else None


def unsafe_url(url: str) -> bool:
    """Whether a URL would run code or smuggle content: it has a scheme, and not a safe one."""
    found = scheme(url)
    return found is not None and found not in SAFE_SCHEMES
