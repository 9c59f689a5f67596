"""What of a page's front matter the theme sees: the one rule, for every page.

MkDocs hands a page's front matter to the theme as `page.meta`, and MkDocs' Jinja has
no autoescape. Material prints some keys as HTML (`title` in the header, `description`
and `author` in `<meta>` tags, `subtitle` in the nav, the `revision_date` and `git_*`
dates in the page's footer) and acts on others: `template` picks the page's template
(`redirect.html` sends the reader to `location`, a `javascript:` URL as well), `icon`
names a template to include (a missing one stops the build), `hide` drops the nav and
the table of contents, `status`, `tags`, `search` and `comments` change the page.

A full.md's front matter is what the converter read off a fetched page; cards, topic
docs and any other page are anyone's pull request. None of them is the site's to
arrange, so once the plugin has read a page's own keys (a source's header, a card's
status) the theme sees only the text keys below, escaped. What the theme is told
beyond them (a page's `search` options, a header title with a formula, the serve
cache's template) the plugin sets itself, after this.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from .labels import label

# Keys a page may set: text, which Material prints as HTML, so escaped here.
TEXT_KEYS = ("title", "description", "author", "subtitle")


def theme_meta(meta: Mapping[str, object]) -> dict[str, str]:
    """The page's front matter as the theme may see it: its text keys, escaped."""
    return {key: label(meta[key]) for key in TEXT_KEYS if meta.get(key) is not None}


# A URL's own characters (RFC 3986 reserved, `%` of an escape already made, `~`): the
# rest (`"`, `<`, `>`, a space...) is escaped.
_URL_SAFE = ":/?#[]@!$&()*+,;=%~"


def edit_url(url: str | None) -> str | None:
    """A page's edit link as Material prints it (`href="{{ page.edit_url }}"`, raw): MkDocs
    joins the file's path to `edit_uri` as it is, and a folder name is anyone's pull
    request (`sources/<name>/full.md`), so a `"` in it would end the attribute."""
    return quote(url, safe=_URL_SAFE) if url else url


__all__ = ["TEXT_KEYS", "edit_url", "theme_meta"]
