"""The one escaper for library-derived text that MkDocs prints as HTML.

Nav labels (page titles and group headings), page titles and `<title>` come from
files a stranger may have written; MkDocs and Material print them unescaped.
"""

from __future__ import annotations

import html


def label(text: object) -> str:
    """``text`` for a place MkDocs prints as HTML: escaped, so `Evil <script>` is text
    and `vector<int>` reads as written."""
    return html.escape(str(text), quote=True)


__all__ = ["label"]
