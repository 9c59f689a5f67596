"""Questions asked of a parsed page's tree, answered without searching it again.

Reading a page asks its tree many questions: its metadata (title, author, date,
canonical URL, `<base>`), its scripts (math sources, a JavaScript app's payload),
its math renderings, comments and never-content elements, then the article's
headings, links and code blocks. Asked through BeautifulSoup's `find`/`find_all`,
each is a walk of the whole page through its matching machinery; `PageIndex`
collects what they need in one walk right after parsing, and the helpers below
walk a subtree directly.

BeautifulSoup also answers an unknown attribute of a tag by searching the tag's
whole subtree for a child of that name (`tag.foo` is `tag.find("foo")`), and its own
`decomposed` property asks for `_decomposed` that way: on a live tag every such
check walks everything below it, which made reading a page quadratic in its size.
`gone` reads the flag `decompose` sets without that search.

Every answer is the one the `find*` call it replaces would give when asked at that
moment: elements removed from the tree since the walk no longer count (`attached`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from bs4 import BeautifulSoup, Comment, PageElement, Tag

META_ATTRS = ("property", "name", "itemprop")


def gone(el: PageElement) -> bool:
    """Whether ``el`` was decomposed (`PageElement.decomposed`, without its search)."""
    return "_decomposed" in el.__dict__  # set (True) by `decompose` alone


def attached(el: Tag, root: Tag) -> bool:
    """Whether ``el`` is still in ``root``'s tree (not decomposed, not extracted)."""
    node: Tag | None = el
    while node is not None:
        if node is root:
            return True
        if gone(node):
            return False
        node = node.parent
    return False


# ---------- walks: the tags below an element, without `find_all`'s matching machinery ----------
def _nodes(root: Tag) -> Iterable[PageElement]:
    """Every node below ``root`` in page order. (`descendants` follows the chain of
    parsed elements: no matching, no recursion however deep the page nests.)"""
    return root.descendants


def tags(root: Tag) -> list[Tag]:
    """Every tag below ``root`` in page order (`root.find_all(True)`)."""
    return [n for n in _nodes(root) if isinstance(n, Tag)]


def tags_named(root: Tag, names: Collection[str]) -> list[Tag]:
    """The tags below ``root`` named one of ``names``, in page order (`root.find_all(names)`,
    which matches every tag against each name in turn)."""
    return [n for n in _nodes(root) if isinstance(n, Tag) and n.name in names]


def first_named(root: Tag, names: Collection[str]) -> Tag | None:
    """The first tag below ``root`` named one of ``names`` (`root.find(names)`)."""
    return next((n for n in _nodes(root) if isinstance(n, Tag) and n.name in names), None)


def with_class(root: Tag, names: Collection[str]) -> list[Tag]:
    """The tags below ``root`` with one of the classes ``names``, in page order
    (`root.select(".a, .b")`; a CSS selector engine is far slower at this)."""
    wanted = frozenset(names)
    out = []
    for n in _nodes(root):
        if isinstance(n, Tag):
            classes = n.attrs.get("class")
            if classes and not wanted.isdisjoint(classes):
                out.append(n)
    return out


def comments(root: Tag) -> list[Comment]:
    """The HTML comments below ``root``, in page order."""
    return [n for n in _nodes(root) if isinstance(n, Comment)]


# ---------- the page, walked once ----------
class PageIndex:
    """A page's tags by name, its `<meta>` tags by the attribute naming them
    (``property``, ``name``, ``itemprop``) and its value, the tags of the classes
    asked for, and its comments: one walk, right after parsing.

    Each question answers as the `find*` call it replaces would, asked now: tags
    removed from the tree since the walk no longer count.
    """

    def __init__(self, soup: BeautifulSoup, classes: Collection[str] = ()):
        self.soup = soup
        self._named: dict[str, list[Tag]] = {}
        self._classed: dict[str, list[Tag]] = {c: [] for c in classes}
        self._comments: list[Comment] = []
        self._meta: dict[tuple[str, str], list[Tag]] = {}
        self._all: list[Tag] = []
        for node in _nodes(soup):
            if isinstance(node, Tag):
                self._all.append(node)
                self._named.setdefault(node.name, []).append(node)
                if self._classed and (found := node.attrs.get("class")):
                    for c in dict.fromkeys(found):
                        if c in self._classed:
                            self._classed[c].append(node)
                if node.name == "meta":
                    for attr in META_ATTRS:
                        value = node.get(attr)
                        if isinstance(value, str):
                            self._meta.setdefault((attr, value), []).append(node)
            elif isinstance(node, Comment):
                self._comments.append(node)

    def _live(self, found: Iterable[Tag]) -> list[Tag]:
        return [el for el in found if attached(el, self.soup)]

    def named(self, *names: str) -> list[Tag]:
        """`soup.find_all(names)`: the tags named one of ``names``, in page order."""
        if len(names) == 1:
            return self._live(self._named.get(names[0], ()))
        return self._live(el for el in self._all if el.name in names)

    def with_class(self, name: str) -> list[Tag]:
        """`soup.select(".name")` for a class given to the index, in page order."""
        return self._live(self._classed[name])

    def comments(self) -> list[Comment]:
        return [c for c in self._comments if c.parent is not None and attached(c.parent, self.soup)]

    def first(self, name: str, attr: str, value: str | None = None) -> Tag | None:
        """`soup.find(name, attrs={attr: value})`, or with the attribute merely present
        when ``value`` is None; a multi-valued attribute (`rel`) matches on any value."""
        for el in self._named.get(name, ()):
            have = el.get(attr)
            if have is None:
                continue
            if value is None or have == value or (isinstance(have, list) and value in have):
                if attached(el, self.soup):
                    return el
        return None

    def meta(self, *keys: str) -> str:
        """The first non-empty `content` of a meta tag named by one of ``keys``
        (keys in order, then ``property``, ``name``, ``itemprop``)."""
        for key in keys:
            for attr in META_ATTRS:
                tag = next(
                    (t for t in self._meta.get((attr, key), ()) if attached(t, self.soup)), None
                )
                content = tag.get("content") if tag else None
                if isinstance(content, str) and content.strip():
                    return " ".join(content.split())
        return ""


def parent_named(el: PageElement, names: Collection[str]) -> Tag | None:
    """The nearest ancestor of ``el`` named one of ``names`` (`el.find_parent(names)`)."""
    node = el.parent
    while node is not None:
        if node.name in names:
            return node
        node = node.parent
    return None
