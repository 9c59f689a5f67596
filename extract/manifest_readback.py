"""Whether a dumped manifest reads back as the document it was dumped from, checked fast.

A save must never write a manifest that reads back differently from what the
command meant to store. Reading the text again with the round-trip loader proves
it, but ruamel.yaml's pure-Python scanner is most of a save's time (0.13 of 0.21 s
on an 88-entry manifest). This check reads the text with the same composer (and
its limits), resolver and round-trip constructor as `Manifest` does, and only the
tokenising and parsing is done by libyaml (C, through PyYAML), whose grammar
ruamel.yaml's Python parser was ported from; a sixth of the time.

It may only say yes. Where the two parsers could read a text differently it does
not answer, and the caller reads the text the slow way: on characters YAML 1.1
and 1.2 treat differently or that either refuses (line and paragraph separators,
NEL, byte-order marks, tabs, carriage returns, control characters), on directives
(`%YAML`, `%TAG`) and explicit tags, and on anything libyaml does not parse.
The tests compare its answers with the slow reading on generated manifests full
of awkward strings and on broken variants of them.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import yaml
from ruamel.yaml import events as rt_events

from . import yaml_limits

try:
    from yaml._yaml import CParser

    _CParser: type[CParser] | None = CParser
except ImportError:  # PyYAML built without libyaml: every save reads the slow way
    _CParser = None

# Characters outside these ranges are where libyaml (YAML 1.1) and ruamel.yaml
# (YAML 1.2) may disagree or refuse: NEL, LS, PS (line breaks in 1.1 only), the
# BOM, tab, CR and the control characters. Such a text is read the slow way.
_PLAIN_TEXT = re.compile(
    "[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)


class _Unsure(Exception):
    """The text holds something this check does not judge; read it the slow way."""


def _scalar(e: Any) -> rt_events.ScalarEvent:
    if e.tag is not None:
        raise _Unsure
    return rt_events.ScalarEvent(
        e.anchor, None, e.implicit, e.value, e.start_mark, e.end_mark, e.style
    )


def _collection(cls: type) -> Any:
    def convert(e: Any) -> Any:
        if e.tag is not None:
            raise _Unsure
        return cls(e.anchor, None, e.implicit, e.start_mark, e.end_mark, e.flow_style)

    return convert


def _document_start(e: Any) -> rt_events.DocumentStartEvent:
    if e.version is not None or e.tags:
        raise _Unsure
    return rt_events.DocumentStartEvent(e.start_mark, e.end_mark, e.explicit)


_EVENTS: dict[type, Any] = {
    yaml.StreamStartEvent: lambda e: rt_events.StreamStartEvent(e.start_mark, e.end_mark),
    yaml.StreamEndEvent: lambda e: rt_events.StreamEndEvent(e.start_mark, e.end_mark),
    yaml.DocumentStartEvent: _document_start,
    yaml.DocumentEndEvent: lambda e: rt_events.DocumentEndEvent(
        e.start_mark, e.end_mark, e.explicit
    ),
    yaml.ScalarEvent: _scalar,
    yaml.SequenceStartEvent: _collection(rt_events.SequenceStartEvent),
    yaml.SequenceEndEvent: lambda e: rt_events.SequenceEndEvent(e.start_mark, e.end_mark),
    yaml.MappingStartEvent: _collection(rt_events.MappingStartEvent),
    yaml.MappingEndEvent: lambda e: rt_events.MappingEndEvent(e.start_mark, e.end_mark),
    yaml.AliasEvent: lambda e: rt_events.AliasEvent(e.anchor, e.start_mark, e.end_mark),
}


class _LibyamlParser:
    """ruamel.yaml's parser interface over libyaml's events (set as ``YAML().Parser``)."""

    def __init__(self, loader: Any = None):
        self.loader = loader
        self._c: Any = None
        self._next: Any = None

    def start(self, text: str) -> None:
        assert _CParser is not None
        self._c = _CParser(text)

    def _peek(self) -> Any:
        if self._next is None:
            event = self._c.get_event()
            if event is not None:
                self._next = _EVENTS[type(event)](event)
        return self._next

    def check_event(self, *choices: type) -> bool:
        event = self._peek()
        return event is not None and (not choices or isinstance(event, choices))

    def peek_event(self) -> Any:
        return self._peek()

    def get_event(self) -> Any:
        event = self._peek()
        self._next = None
        return event

    def dispose(self) -> None:
        if self._c is not None:
            self._c.dispose()


def load_fast(text: str, yaml_rt: Any) -> Any:
    """``text`` as the round-trip ``YAML()`` object ``yaml_rt`` reads it, parsed by libyaml;
    None where this check does not judge the text (the caller reads it the slow way)."""
    if _CParser is None or _PLAIN_TEXT.fullmatch(text) is None:
        return None
    yaml_rt.Parser = _LibyamlParser
    yaml_rt.Composer = yaml_limits.RoundTripComposer
    parser = yaml_rt.parser
    parser.start(text)
    try:
        return yaml_rt.constructor.get_single_data()
    except Exception:  # noqa: BLE001 - any trouble: the slow reading gives the real answer
        return None
    finally:
        parser.dispose()


def same(a: Any, b: Any) -> bool:
    """Whether two read documents hold the same data: equal values of the same kinds
    (`1`, `1.0` and `true` are equal in Python but read back as different YAML)."""
    if _kind(a) != _kind(b):
        return False
    if isinstance(a, dict):  # in the same order too: a save keeps the order it read
        return len(a) == len(b) and all(
            same(ka, kb) and same(va, vb)
            for (ka, va), (kb, vb) in zip(a.items(), b.items(), strict=True)
        )
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _kind(value: Any) -> str:
    """What a read value is, by YAML's meaning (ruamel's scalar subclasses are their base)."""
    if value is None:
        return "null"
    # ruamel reads an anchored `true` as ScalarBoolean, an int subclass
    if isinstance(value, bool) or type(value).__name__ == "ScalarBoolean":
        return "bool"
    for kind, types in _KINDS:
        if isinstance(value, types):
            return kind
    return type(value).__qualname__


_KINDS: tuple[tuple[str, Any], ...] = (
    ("int", int),
    ("float", float),
    ("str", str),
    ("datetime", datetime.datetime),
    ("date", datetime.date),
    ("map", dict),
    ("seq", list),
    ("tuple", tuple),
    ("bytes", bytes),
)


__all__ = ["load_fast", "same"]
