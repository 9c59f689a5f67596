"""Each page's view of the nav (the sections Material prunes, cut to what it reads of
them), and the printed nav's indentation folded.

Under `navigation.prune` Material prints a closed section as one link to its first page,
yet with `navigation.indexes` its `nav-item.html` first loops over every child of the
section (looking for an index page) and prints the loop's whitespace each time. A page's nav therefore cost the whole
library: every entry of every closed group, on every page, in template time and in bytes
(a 5x larger library gave 6x the output). This view hands the template, for one page, a
copy of the nav in which every section Material will prune holds only its chain of first
children, which is all that the pruned link (`render_pruned`) and the tabs read. The
pages printed are the same, less the loop's whitespace; the nav MkDocs keeps is not
touched (the sections are shallow copies, made after MkDocs marked the page's path
active).

Which sections are pruned follows Material's rule in `nav-item.html`: with
`navigation.tabs`, the active top-level section and, with `navigation.sections`, the
second-level sections of an active tab are shown as sections; without tabs,
`navigation.sections` shows every top-level one; every other section that is not on the
page's path is pruned.

What is printed of the nav is still a few dozen entries on every page (`nav.py` keeps
that number about the same however large the library), and half of it is the template's
indentation: `fold_sidebars` folds each run of it to one line break.
"""

from __future__ import annotations

import copy
import re

from mkdocs.structure.nav import Navigation, Section

# Material's page layout: the sidebars (nav, then the page's contents) come right before
# the content.
_SIDEBARS = '<div class="md-sidebar md-sidebar--primary"'
_CONTENT = '<div class="md-content"'
_INDENTATION = re.compile(r"\n[ \t\n]+")


def fold_sidebars(html: str) -> str:
    """A printed page with the sidebars' runs of indentation and empty lines folded to
    one line break: about half of a nav's bytes, which every page carries. A run keeps a
    whitespace character, so the page reads the same (the sidebars hold no preformatted
    text)."""
    start = html.find(_SIDEBARS)
    if start < 0:
        return html
    end = html.find(_CONTENT, start)
    if end < 0:
        return html
    return html[:start] + _INDENTATION.sub("\n", html[start:end]) + html[end:]


class PageViews:
    """The views of one build's nav; a pruned section's copy is made once per build (a
    pruned section is inactive, so its copy is the same on every page that prunes it)."""

    def __init__(self, nav: Navigation, features: list[str] | tuple[str, ...]) -> None:
        self.nav = nav
        # Without indexes Material does not loop over a pruned section's children.
        self.prune = "navigation.prune" in features and "navigation.indexes" in features
        self.tabs = "navigation.tabs" in features
        self.sections = "navigation.sections" in features
        self._pruned: dict[int, Section] = {}

    def current(self) -> Navigation:
        """The nav as Material's templates need it for the page being rendered (whose
        path MkDocs has marked active); the nav itself when the theme does not prune
        or has no index pages to look for."""
        if not self.prune:
            return self.nav
        view = Navigation([self._item(x, 1, None) for x in self.nav.items], [])
        view.pages = self.nav.pages  # given here, not above: its homepage search is skipped
        view.homepage = self.nav.homepage
        return view

    def _is_section(self, item: Section, level: int, parent: Section | None) -> bool:
        if self.tabs:
            if level == 1 and item.active:
                return True
            return self.sections and level == 2 and parent is not None and parent.active
        return self.sections and level == 1

    def _item(self, item, level: int, parent: Section | None):
        if not isinstance(item, Section) or not item.children:
            return item
        if not item.active and not self._is_section(item, level, parent):
            return self._first_chain(item)
        children = [self._item(c, level + 1, item) for c in item.children]
        if all(a is b for a, b in zip(children, item.children, strict=True)):
            return item
        return _with_children(item, children)

    def _first_chain(self, section: Section) -> Section:
        """A pruned section: Material prints a link to its first page, found through the
        first child of each nested section, and reads nothing else of its children."""
        kept = self._pruned.get(id(section))
        if kept is None:
            first = section.children[0]
            if isinstance(first, Section) and first.children:
                first = self._first_chain(first)
            if len(section.children) == 1 and first is section.children[0]:
                kept = section
            else:
                kept = _with_children(section, [first])
            self._pruned[id(section)] = kept
        return kept


def _with_children(section: Section, children: list) -> Section:
    """A shallow copy with other children (its `active` flag copied as it is: setting it
    would mark the parents of the original)."""
    clone = copy.copy(section)
    clone.children = children
    return clone
