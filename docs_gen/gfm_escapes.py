"""CommonMark's backslash escapes in Python-Markdown: any ASCII punctuation.

Python-Markdown escapes only its own sixteen characters (and `|` with tables), so
`\\=`, `\\:`, `\\"`, `\\<`, `\\~`, `\\%` show their backslash on our site where GitHub
shows the character. The converter itself writes `\\=` (a line of `=` that must not
underline a heading), so PDF-converted pages showed it. Registered by the plugin
(`REQUIRED_EXTENSIONS`) as `docs_gen.gfm_escapes`; math is arithmatex's before any
escape is read (its pattern runs first), so TeX's backslashes are untouched.
"""

from __future__ import annotations

import string

from markdown import Markdown
from markdown.extensions import Extension


class GfmEscapes(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - library API
        md.ESCAPED_CHARS = list(dict.fromkeys([*md.ESCAPED_CHARS, *string.punctuation]))


def makeExtension(**kwargs) -> GfmEscapes:  # noqa: N802 - Python-Markdown's name
    return GfmEscapes(**kwargs)
