"""`mkdocs serve` told of a saved file by the kernel, not at its next look every 0.5 s.

MkDocs' live-reload server finds edits by looking at every watched file every half
second (watchdog's polling observer): a save waits 0-0.5 s, a quarter second on
average, plus the look itself (a stat of every file of the library), before the
rebuild starts; more than the rebuild of a card. On Linux the kernel says at once that
a file changed (inotify). The plugin's `on_serve` hands MkDocs, through that event's
documented return value, MkDocs' own `LiveReloadServer` made with the same arguments
and watching the same paths, whose observer is watchdog's inotify one. Everything else
is MkDocs' code unchanged: its 0.1 s wait for quiet, its build, the epochs browsers wait
on, the error pages.

Only changes are asked for: the build reads every library file, and an "opened" or
"closed without writing" event would start the next rebuild, forever.

Where inotify is missing (another OS) or cannot watch every folder (the per-user limit
of watches), the server MkDocs made is kept as it is: polling, as before.
"""

from __future__ import annotations

import logging

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)

try:
    from watchdog.observers.inotify import InotifyObserver
except (ImportError, OSError, AttributeError):  # not Linux: no inotify in its libc
    InotifyObserver = None  # type: ignore[assignment,misc]

log = logging.getLogger("mkdocs.plugins.refs-library")

# What an edit, a new file, a removed or renamed one does; not reading a file.
CHANGES: list[type[FileSystemEvent]] = [
    FileModifiedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileMovedEvent,
]


def watched(server: LiveReloadServer) -> list[tuple[str, bool]]:
    """(path as given to `watch`, recursive?) of every path ``server`` watches."""
    out = []
    for emitter in server.observer.emitters:
        w = emitter.watch
        out.append((getattr(w, "raw_path", w.path), w.is_recursive))
    return sorted(out)


def _observer():
    """An inotify observer that reports changes only (`CHANGES`)."""

    class ChangesObserver(InotifyObserver):
        def schedule(self, event_handler, path, *, recursive=False, **kwargs):
            kwargs.setdefault("event_filter", CHANGES)
            return super().schedule(event_handler, path, recursive=recursive, **kwargs)

    return ChangesObserver()


def _can_watch(paths: list[tuple[str, bool]]) -> str:
    """'' when inotify watches every path now, else why not (start and stop a trial)."""
    if InotifyObserver is None:
        return "no inotify on this system"
    trial = _observer()
    try:
        for path, recursive in paths:
            trial.schedule(FileSystemEventHandler(), path, recursive=recursive)
        trial.start()
    except (OSError, TypeError, RuntimeError) as exc:  # limits, an older watchdog
        return f"{type(exc).__name__}: {exc}"
    finally:
        if trial.is_alive():
            trial.stop()
            trial.join()
    return ""


def told_by_the_kernel(server: LiveReloadServer) -> LiveReloadServer:
    """A server like ``server`` (not yet serving) whose watches are inotify's; ``server``
    itself when inotify cannot watch all it watches."""
    paths = watched(server)
    why = _can_watch(paths)
    if why:
        log.debug("refs-library: live reload keeps MkDocs' polling (%s)", why)
        return server
    host, port = server.server_address[:2]
    fast = LiveReloadServer(
        builder=server.builder,
        host=str(host),
        port=int(port),
        root=server.root,
        mount_path=server.mount_path,
        shutdown_delay=server.shutdown_delay,
    )
    fast.observer = _observer()  # before any watch: every watch is scheduled on it
    fast.error_handler = server.error_handler
    fast.build_delay = server.build_delay
    for path, recursive in paths:
        fast.watch(path, recursive=recursive)
    server.server_close()  # its socket was never bound; MkDocs serves with ``fast``
    log.debug("refs-library: live reload told of edits by inotify")
    return fast
