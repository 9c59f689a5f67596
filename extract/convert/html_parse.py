"""A page's HTML -> BeautifulSoup's tree, built at the pace of lxml's parser.

`BeautifulSoup(data, "lxml")` has lxml's HTML parser (libxml2) call back into
Python for every tag, string and comment, and each call goes through BeautifulSoup's
general tree-building steps: a text buffer, a tag stack, a `Tag.__init__` that copies
the attributes through a Python dict subclass and re-splits the multi-valued ones,
a linkage fix per string. That is about 95 % of a page's parse, and on a joined
guide of 32 long pages it was a third of the whole conversion.

`FastLxmlBuilder` is that same builder (the same lxml parser with the same options,
the same encoding detection, which `BeautifulSoup.__init__` does) receiving the same
events, building the same tree directly: each tag is made from a per-name template
of what `Tag.__init__` sets, each string as `NavigableString.__new__` and
`object_was_parsed` make it, with BeautifulSoup's rules kept (whitespace-only text
outside `<pre>`/`<textarea>` becomes one space or newline; text in `<script>`,
`<style>`, `<template>`, `<rt>`, `<rp>` gets their string classes; `class`, `rel`,
... split into lists; a `<meta charset>` gets its substitution value).

`parse` returns exactly the tree `BeautifulSoup(data, "lxml")` returns: every node,
its class, attributes and links (tests/test_html_parse.py compares the two on the
project's fixtures and on malformed markup). A page with XML namespaces (which the
HTML parser reports only in unusual markup, and which BeautifulSoup maps to prefixes)
is handed to BeautifulSoup's own builder instead.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from bs4.builder._lxml import LXMLTreeBuilder
from bs4.element import AttributeValueList, nonwhitespace_re

_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"  # BeautifulSoup.ASCII_SPACES
# What `Tag.__init__` and `PageElement.setup` set per element (the rest is per name).
_PER_TAG = frozenset(
    "attrs contents parent previous_element next_element next_sibling previous_sibling".split()
)
_new_tag = object.__new__
_new_str = str.__new__


class _Namespaced(Exception):
    """The page uses XML namespaces (lxml gives a name as `{namespace}local`, which
    BeautifulSoup's `_getNsTag` splits and maps to a prefix): its own builder does that."""


class FastLxmlBuilder(LXMLTreeBuilder):
    """BeautifulSoup's lxml HTML builder, building the tree without its per-event
    machinery. Used through `parse`."""

    def feed(self, markup: Any) -> None:
        soup = self.soup
        assert soup is not None
        self._tag_templates: dict[str, tuple[dict[str, Any], frozenset[str], bool, bool]] = {}
        self._stack: list[Tag] = [soup]
        self._current: Tag = soup
        self._text: list[str] = []
        self._last: Any = None  # the element parsed last (`_most_recent_element`)
        self._keep_space: list[Tag] = []  # open <pre>, <textarea>
        self._containers: list[Tag] = []  # open <script>, <style>, ...
        self._open: dict[str, int] = soup.open_tag_counter
        super().feed(markup)  # lxml's parser, calling the methods below
        self._end_data()
        while len(self._stack) > 1:
            self._pop()
        # As BeautifulSoup's own steps leave it: only the document open, nothing pending.
        soup.currentTag = soup
        soup.tagStack = [soup]
        soup._most_recent_element = self._last
        # The parser keeps this builder as its target: it lets go of the tree.
        del self._stack, self._current, self._last, self._keep_space, self._containers

    def _template(self, name: str) -> tuple[dict[str, Any], frozenset[str], bool, bool]:
        """What `Tag.__init__` sets on every tag named ``name`` (taken from a real one),
        its multi-valued attributes, and whether it keeps whitespace or holds strings of
        its own class."""
        tag = Tag(
            self.soup,
            self,
            name,
            None,
            None,
            None,
            namespaces=self.active_namespace_prefixes[-1],
        )
        fields = {k: v for k, v in tag.__dict__.items() if k not in _PER_TAG}
        fields["next_element"] = fields["next_sibling"] = None  # not yet parsed
        cdata = self.cdata_list_attributes
        multi = frozenset(cdata.get("*", ())) | frozenset(cdata.get(name.lower(), ()))
        kind = (
            fields,
            multi,
            name in self.preserve_whitespace_tags,
            name in self.string_containers,
        )
        self._tag_templates[name] = kind
        return kind

    # ---------- lxml's parser events ----------
    def start(self, tag: str | bytes, attrib: dict, nsmap: dict = {}) -> None:  # noqa: B006 - lxml's
        assert isinstance(tag, str)  # as BeautifulSoup's: the HTML parser gives text
        if nsmap or (tag[:1] == "{" and "}" in tag):  # `_namespaced`, inline: every tag
            raise _Namespaced(tag)
        if self._text:
            self._end_data()
        fields, multi, keeps_space, holds_strings = self._tag_templates.get(tag) or self._template(
            tag
        )
        attrs = self.attribute_dict_class(attrib)  # lxml gives str values: nothing to convert
        for key in attrs:
            if key[:1] == "{" and "}" in key:
                raise _Namespaced(key)
            if key in multi:
                dict.__setitem__(
                    attrs, key, AttributeValueList(nonwhitespace_re.findall(attrs[key]))
                )
        parent = self._current
        siblings = parent.contents
        before = siblings[-1] if siblings else None
        last = self._last
        el = _new_tag(Tag)
        el.__dict__ = {
            **fields,
            "attrs": attrs,
            "contents": [],
            "parent": parent,
            "previous_element": last,
            "previous_sibling": before,
        }
        if tag == "meta":
            self.set_up_substitutions(el)
        if last is not None:
            last.next_element = el
        if before is not None:
            before.next_sibling = el
        siblings.append(el)
        self._last = el
        self._stack.append(el)
        self._current = el
        self._open[tag] = self._open.get(tag, 0) + 1
        if keeps_space:
            self._keep_space.append(el)
        if holds_strings:
            self._containers.append(el)

    def end(self, tag: str | bytes) -> None:
        assert isinstance(tag, str)
        if tag[:1] == "{" and "}" in tag:
            raise _Namespaced(tag)
        if self._text:
            self._end_data()
        # `BeautifulSoup._popToTag`: up to and including the innermost open `tag`
        # (almost always the last one opened: the parser closes what it opened).
        stack = self._stack
        if len(stack) > 1 and stack[-1].name == tag:
            self._pop()
            return
        for i in range(len(stack) - 1, 0, -1):
            if not self._open.get(tag):
                break
            t = stack[i]
            self._pop()
            if t.name == tag and t.prefix is None:
                break

    def _pop(self) -> None:
        el = self._stack.pop()
        if el.name in self._open:
            self._open[el.name] -= 1
        if self._keep_space and el is self._keep_space[-1]:
            self._keep_space.pop()
        if self._containers and el is self._containers[-1]:
            self._containers.pop()
        self._current = self._stack[-1]

    def data(self, content: str | bytes) -> None:
        assert isinstance(content, str)
        self._text.append(content)

    def comment(self, text: str | bytes) -> None:
        assert isinstance(text, str)
        self._end_data()
        self._text.append(text)
        self._end_data(Comment)

    def doctype(self, name: str, pubid: str, system: str) -> None:
        self._end_data()
        self._text.append(Doctype._string_for_name_and_ids(name, pubid, system))
        self._end_data(Doctype)

    def pi(self, target: str, data: str) -> None:
        self._end_data()
        self._text.append(target + " " + data)
        self._end_data(self.processing_instruction_class)

    def _end_data(self, kind: type[NavigableString] | None = None) -> None:
        """`BeautifulSoup.endData` then `object_was_parsed`: the pending text as one string."""
        if not self._text:
            return
        text = "".join(self._text)
        self._text = []
        if not self._keep_space and not text.strip(_ASCII_SPACES):
            text = "\n" if "\n" in text else " "
        if kind is None:
            kind = NavigableString
            if self._containers:
                kind = self.string_containers.get(self._containers[-1].name, kind)
        parent = self._current
        siblings = parent.contents
        before = siblings[-1] if siblings else None
        last = self._last
        node = _new_str(kind, text)
        node.__dict__ = {
            "hidden": False,
            "parent": parent,
            "previous_element": last,
            "next_element": None,
            "next_sibling": None,
            "previous_sibling": before,
        }
        if last is not None:
            last.next_element = node
        if before is not None:
            before.next_sibling = node
        siblings.append(node)
        self._last = node


def parse(data: bytes | str) -> BeautifulSoup:
    """``data`` parsed as `BeautifulSoup(data, "lxml")` parses it, in a fraction of the time."""
    with collector_paused():
        try:
            return BeautifulSoup(data, builder=FastLxmlBuilder())
        except _Namespaced:
            return BeautifulSoup(data, "lxml")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while pages are read (as it was when it ends);
    `run.build` pauses it for every conversion (a PDF paper's reader makes a million
    character objects, all kept until its lines are built: 7-10 % of its time went to
    collections that freed nothing).

    A page's tree is hundreds of thousands of linked objects, made at once and all
    kept until the document is written (a joined guide keeps every page's). Each
    collection their allocations set off walks them all, and every tree kept so far,
    to free nothing: on a 32-page guide that was a third of the reading. Paused, they
    are walked once, after the reader drops them (what little garbage reading makes,
    elements taken out of a tree, waits until then).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def dismantle(soup: BeautifulSoup) -> None:
    """Free a tree nothing will read again, now.

    A tree links parents and children both ways, so dropped whole it waits for the
    cycle collector, which walks every node (on a 32-page guide, a tenth of the
    conversion). Emptying each node's fields, as `decompose` does without its per-node
    bookkeeping, lets reference counting free them at a third of that cost. Every
    node of the tree is unusable afterwards.
    """
    nodes = list(soup.descendants)
    for node in nodes:
        node.__dict__.clear()
    soup.__dict__.clear()
