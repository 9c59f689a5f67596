"""The ids a page gives its own places, kept as `<a id="...">` anchors in full.md.

Readers (and other pages) link to a page's ids, not to our heading slugs: Sphinx
puts the section id on the `<section>` and a label as an empty `<span id>` before
the heading, API entries carry their id on the `<dt>` (`torch.distributed.init_
process_group`, `c.ncclResult_t`), older docs use `<a name>` markers. Each such id
is written as an explicit anchor where the place starts; `html.prune_anchors`
later drops those equal to the anchor the heading gets anyway.

`collect` runs over the chosen article before rendering: it records on each
heading and `dt` every id that names it (`data-refs-ids`) and removes the empty
markers it took them from, so the renderer writes each id once, at its heading.
"""

from __future__ import annotations

import re

from bs4 import NavigableString, Tag

from .html_attrs import attr
from .html_tree import first_named, gone, tags_named

IDS_ATTR = "data-refs-ids"
# What an `<a id>` anchor may carry: safe in HTML, in markdown and in a URL fragment
# (`extract.convert.safety` lets exactly these through).
ID_OK = re.compile(r"^[A-Za-z0-9_:.\-]+$")
# Machine-made ids (UUIDs, hashes) name no place a reader links to.
_GENERATED = re.compile(r"^(?:[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}|[0-9a-f]{16,})$", re.I)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TARGET_TAGS = ("a", "span")
_PLACES = frozenset([*_HEADINGS, "dt"])


def generated_id(ident: str) -> bool:
    return bool(_GENERATED.match(ident))


def own_ids(el: Tag) -> list[str]:
    """The element's id, and for `<a>` its `name` (the old way of naming a place)."""
    out = []
    for name in ("id", "name") if el.name == "a" else ("id",):
        value = el.get(name)
        if isinstance(value, str) and value.strip():
            out.append(value.strip())
    return out


def is_empty_target(el: Tag) -> bool:
    """An element that exists only to name a place: `<span id="x"></span>`,
    `<a name="x"> </a>`, or a paragraph holding nothing but such markers."""
    # The cheap questions first: most elements are neither markers nor wrappers.
    if el.name in _TARGET_TAGS and not el.get("href"):
        if not own_ids(el):
            return False
    elif el.name not in ("p", "div"):
        return False
    if el.get_text(strip=True) or first_named(el, ("img", "tex-math", "picture")):
        return False
    if el.name in _TARGET_TAGS:
        return True
    kids = [c for c in el.children if not _blank(c)]
    return bool(kids) and all(isinstance(c, Tag) and is_empty_target(c) for c in kids)


def _blank(node) -> bool:
    return isinstance(node, NavigableString) and not node.strip()


def _target_ids(el: Tag) -> list[str]:
    out = own_ids(el)
    for inner in tags_named(el, _TARGET_TAGS):
        out += own_ids(inner)
    return out


def _first_child(parent: Tag) -> Tag | None:
    """The first child that is not whitespace or an empty marker."""
    for c in parent.children:
        if _blank(c) or (isinstance(c, Tag) and is_empty_target(c)):
            continue
        return c if isinstance(c, Tag) else None
    return None


def _markers_before(el: Tag) -> list[Tag]:
    """The empty markers directly before ``el`` (nearest last)."""
    found: list[Tag] = []
    node = el.previous_sibling
    while node is not None:
        if _blank(node):
            node = node.previous_sibling
            continue
        if isinstance(node, Tag) and is_empty_target(node):
            found.append(node)
            node = node.previous_sibling
            continue
        break
    return list(reversed(found))


def _enclosing(el: Tag) -> list[Tag]:
    """The sections ``el`` opens (it is their first real child), innermost first."""
    out: list[Tag] = []
    node = el
    while isinstance(node.parent, Tag):
        parent = node.parent
        sectioning = parent.name == "section" or "section" in (parent.get("class") or [])
        if not sectioning or _first_child(parent) is not node:
            break
        out.append(parent)
        node = parent
    return out


def _permalink_target(h: Tag) -> list[str]:
    """A heading whose anchor link names its place (`<a class="anchor" href="#x">`)."""
    for a in h.find_all("a", href=True):
        href = attr(a, "href")
        names = attr(a, "class").lower()
        if (
            href.startswith("#")
            and len(href) > 1
            and any(w in names for w in ("anchor", "headerlink", "permalink"))
        ):
            return [href[1:]]
    return []


def _place(el: Tag) -> tuple[list[str], list[Tag]]:
    """(ids naming the place where heading or `dt` ``el`` starts, in page order;
    the empty markers they came from)."""
    ids: list[str] = []
    markers: list[Tag] = []
    for section in reversed(_enclosing(el)):  # outermost first
        before = _markers_before(section)
        markers += before
        ids += [i for m in before for i in _target_ids(m)] + own_ids(section)
    before = _markers_before(el)
    markers += before
    ids += [i for m in before for i in _target_ids(m)] + _target_ids(el)
    if el.name in _HEADINGS:
        ids += _permalink_target(el)
    return [i for i in dict.fromkeys(ids) if ID_OK.match(i) and not generated_id(i)], markers


def place_ids(el: Tag) -> list[str]:
    return _place(el)[0]


def collect(article: Tag) -> None:
    """Record on every heading and `dt` the ids naming it; drop the markers they came from."""
    for el in tags_named(article, _PLACES):
        if gone(el):
            continue
        ids, markers = _place(el)
        for m in markers:
            if not gone(m):
                m.decompose()
        for section in _enclosing(el):
            section.attrs.pop("id", None)  # now the heading's: never written twice
        for inner in tags_named(el, _TARGET_TAGS):
            if not gone(inner) and is_empty_target(inner):
                inner.decompose()
        if ids:
            el[IDS_ATTR] = " ".join(ids)


def anchors_for(el: Tag, inline: bool = False) -> str:
    """The `<a id>` markers to write before ``el``: on lines of their own (a heading),
    or ``inline`` at the start of its paragraph (a `dt`). Empty when it names nothing."""
    end = "" if inline else "\n"
    return "".join(marker(i) + end for i in attr(el, IDS_ATTR).split())


def marker(ident: str) -> str:
    return f'<a id="{ident}"></a>'
