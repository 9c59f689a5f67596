"""Under `mkdocs serve`, a rebuild does not print again the warnings the last build
printed: one line says how many are still there.

MkDocs logs every warning of every page on every rebuild (the serve cache replays what
a restored page logged; anchor validation runs over all pages), so one save of one file
reprinted every warning of a library, hiding the new ones. A filter on the `mkdocs`
logger's handlers holds back a warning whose text the previous build already printed
and counts it; `summary` is the one line that replaces them. The summary is itself a
warning, so `mkdocs serve --strict` still fails while any remains; `mkdocs build`
(no filter) prints every one.
"""

from __future__ import annotations

import logging

# On a record: (build, the filter's decision), as each handler asks; a record the serve
# cache replays in a later build is decided again.
_DECIDED = "_refs_repeat"
SUMMARY = "refs_summary"  # `extra=` key of the summary itself, never held back


class RepeatedWarnings(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self.previous: set[str] = set()
        self.current: set[str] = set()
        self.held = 0
        self.build = 0

    def install(self, skip: tuple[logging.Handler, ...] = ()) -> None:
        """A new build: what it prints is compared with what the last one printed. Every
        handler of the `mkdocs` logger is filtered (strict mode adds its counter anew each
        build), but those in ``skip`` (a recorder that must see everything)."""
        self.previous, self.current, self.held = self.current, set(), 0
        self.build += 1
        for handler in logging.getLogger("mkdocs").handlers:
            if handler not in skip and self not in handler.filters:
                handler.addFilter(self)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.WARNING or getattr(record, SUMMARY, False):
            return True
        build, decided = getattr(record, _DECIDED, (None, True))
        if build != self.build:
            message = record.getMessage()
            decided = message not in self.previous
            self.current.add(message)
            if not decided:
                self.held += 1
            setattr(record, _DECIDED, (self.build, decided))
        return decided

    def summary(self, log: logging.Logger) -> None:
        """The one line that stands for the warnings held back in this build."""
        if self.held:
            log.warning(
                "%d warning(s) printed by the last build are still there and not repeated "
                "(`mkdocs build` lists every one)",
                self.held,
                extra={SUMMARY: True},
            )
