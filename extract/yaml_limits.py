"""Every YAML the tools read, loaded with limits: a library is data from a stranger.

YAML lets a small file stand for a huge one: aliases that repeat aliases (the
"billion laughs": ten lines that expand to 9^10 nodes) and nesting thousands of
levels deep (the loaders recurse and the pure-Python scanners slow down with
depth). Both loaders used here (PyYAML for front matter and mkdocs.yml, ruamel.yaml
round-trip for the manifest) compose the document node by node, so one composer
rule bounds both while the document is read, long before anything is built:

- nesting deeper than `MAX_DEPTH` levels stops the read;
- aliases may stand for at most `MAX_ALIAS_NODES` nodes in all (each alias counts
  the whole tree it repeats), so shared values stay possible and bombs do not.

A limit hit is a `RefsError` naming the file and the line, in well under a second.
The pure-Python scanners look up to 1,024 characters ahead at a cost that grows with
the nesting, so deep flow nesting (`[[[[…`) is first measured by libyaml's parser
(C, where PyYAML has it), which stops at the limit in a millisecond.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml.composer import Composer as _RoundTripComposer

from .errors import RefsError

try:
    from yaml._yaml import CParser

    _CParser: type[CParser] | None = CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None

MAX_DEPTH = 100  # a manifest nests 4 levels, front matter 2; nothing real needs 100
MAX_ALIAS_NODES = 10_000  # what all aliases of one document may repeat, counted expanded


class LimitExceeded(Exception):
    """A YAML document broke a limit: ``problem`` at ``line`` (1-based, in the text read)."""

    def __init__(self, problem: str, line: int):
        super().__init__(problem)
        self.problem = problem
        self.line = line


def check_depth(text: str) -> None:
    """`LimitExceeded` when ``text`` nests deeper than `MAX_DEPTH`, measured fast (C).

    Without libyaml, or on text libyaml does not parse (the loader then says what is
    wrong), the composers' own bound is the rule.
    """
    if _CParser is None:
        return
    parser = _CParser(text)
    depth = 0
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise LimitExceeded(_too_deep(), _line(event.start_mark))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                return
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in (exc.problem or ""):  # libyaml's own bound (1,000 levels)
            raise LimitExceeded(_too_deep(), _line(exc.problem_mark)) from None
        return  # the loader says what is wrong
    except yaml.YAMLError:
        return
    finally:
        parser.dispose()


def _line(mark: Any) -> int:
    """The 1-based line of a YAML mark (PyYAML's or libyaml's; a missing one is line 1)."""
    return mark.line + 1 if mark is not None else 1


def _too_deep() -> str:
    return f"YAML nested more than {MAX_DEPTH} levels deep; no library file needs that: flatten it"


def _tree_size(node: Any, sizes: dict[int, int]) -> int:
    """How many nodes ``node`` stands for, aliases expanded (memoised by identity)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    value = node.value
    total = 1
    if isinstance(value, list):
        for item in value:
            for child in item if isinstance(item, tuple) else (item,):
                total += _tree_size(child, sizes)
    sizes[id(node)] = total
    return total


class _Limits:
    """The one composer rule, mixed into both loaders' composers."""

    def _limits_reset(self) -> None:
        self._limit_depth = 0
        self._limit_aliased = 0
        self._limit_sizes: dict[int, int] = {}

    def _limits_enter(self, event: Any, anchors: dict, is_alias: bool) -> None:
        line = _line(event.start_mark)
        if is_alias:
            node = anchors.get(event.anchor)
            if node is None:
                return  # the loader reports the undefined alias itself
            self._limit_aliased += _tree_size(node, self._limit_sizes)
            if self._limit_aliased > MAX_ALIAS_NODES:
                raise LimitExceeded(
                    f"YAML aliases here expand to more than {MAX_ALIAS_NODES:,} values (an "
                    "alias bomb?); write the values out, or use fewer aliases",
                    line,
                )
            return
        self._limit_depth += 1
        if self._limit_depth > MAX_DEPTH:
            raise LimitExceeded(_too_deep(), line)


class _SafeLoader(yaml.SafeLoader, _Limits):
    """PyYAML's safe loader (pure Python: its composer is the one we can bound)."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._limits_reset()

    def compose_node(self, parent: Any, index: Any) -> Any:
        alias = self.check_event(yaml.AliasEvent)
        self._limits_enter(self.peek_event(), self.anchors, alias)
        try:
            return super().compose_node(parent, index)
        finally:
            if not alias:
                self._limit_depth -= 1


class _TaglessLoader(_SafeLoader):
    """mkdocs.yml read for plain values: `!ENV` and other tags read as nothing."""


_TaglessLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TaglessLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


class RoundTripComposer(_RoundTripComposer, _Limits):
    """ruamel.yaml's composer with the same limits (set as ``YAML().Composer``)."""

    def __init__(self, loader: Any = None):
        super().__init__(loader)
        self._limits_reset()

    def compose_node(self, parent: Any, index: Any) -> Any:
        from ruamel.yaml.events import AliasEvent

        alias = self.parser.check_event(AliasEvent)
        self._limits_enter(self.parser.peek_event(), self.anchors, alias)
        try:
            return super().compose_node(parent, index)
        finally:
            if not alias:
                self._limit_depth -= 1


def load_round_trip(yaml_rt: Any, text: str) -> Any:
    """``text`` read by the ruamel.yaml ``YAML()`` object ``yaml_rt``, within the limits
    (`LimitExceeded` for the caller to name its file; parse errors as ruamel raises them)."""
    check_depth(text)
    yaml_rt.Composer = RoundTripComposer
    return yaml_rt.load(text)


def safe_load(text: str, path: Path | str | None = None, first_line: int = 1) -> Any:
    """``text`` as PyYAML's safe loader reads it, within the limits.

    A limit hit is a `RefsError` naming ``path`` and the line (``first_line`` is the
    file line the text starts on, e.g. 2 for front matter after its `---`); a
    document that does not parse raises `yaml.YAMLError` as `yaml.safe_load` would.
    """
    return _load(text, _SafeLoader, path, first_line)


def load_tagless(text: str, path: Path | str | None = None) -> Any:
    """``text`` read for plain values with every tag read as None (mkdocs.yml), limited."""
    return _load(text, _TaglessLoader, path, 1)


def _load(text: str, loader_class: type, path: Path | str | None, first_line: int) -> Any:
    try:
        check_depth(text)
        loader = loader_class(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except LimitExceeded as exc:
        raise RefsError(exc.problem, path, exc.line + first_line - 1) from None


__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "LimitExceeded",
    "RoundTripComposer",
    "check_depth",
    "load_round_trip",
    "load_tagless",
    "safe_load",
]
