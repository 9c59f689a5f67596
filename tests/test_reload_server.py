"""`mkdocs serve` learns of edits from inotify (docs_gen/reload_server.py): the server
handed back is MkDocs' own, made alike and watching alike; only changes are reported
(a build reads every file); where inotify cannot watch, MkDocs' server is kept."""

from __future__ import annotations

import threading
import time

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEventHandler

from docs_gen import reload_server
from docs_gen.reload_server import told_by_the_kernel, watched

pytestmark = pytest.mark.skipif(reload_server.InotifyObserver is None, reason="inotify is Linux's")


def _server(tmp_path, watches) -> LiveReloadServer:
    server = LiveReloadServer(
        builder=lambda: None,
        host="127.0.0.1",
        port=0,
        root=str(tmp_path / "site"),
        mount_path="/docs/",
        shutdown_delay=0.1,
    )
    server.error_handler = lambda code: b"error page"
    for path, recursive in watches:
        server.watch(str(path), recursive=recursive)
    return server


def test_the_server_handed_back_is_mkdocs_own_made_and_watching_alike(tmp_path):
    (tmp_path / "refs/topics").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    watches = [
        (tmp_path / "refs", True),
        (tmp_path / "mkdocs.yml", True),  # a file: its folder, not recursively
        (tmp_path, False),
    ]
    server = _server(tmp_path, watches)
    fast = told_by_the_kernel(server)
    try:
        assert fast is not server and type(fast) is LiveReloadServer
        assert isinstance(fast.observer, reload_server.InotifyObserver)
        assert watched(fast) == watched(server) and len(watched(fast)) == 3
        for attr in ("builder", "root", "mount_path", "url", "build_delay", "shutdown_delay"):
            assert getattr(fast, attr) == getattr(server, attr), attr
        assert fast.server_address == server.server_address
        assert fast.error_handler(404) == b"error page"
    finally:
        fast.server_close()
        server.server_close()


def test_where_inotify_cannot_watch_mkdocs_polling_server_is_kept(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    server = _server(tmp_path, [(gone, True)])
    gone.rmdir()  # watched, then removed: inotify cannot watch it
    try:
        assert told_by_the_kernel(server) is server
    finally:
        server.server_close()


class _Seen(FileSystemEventHandler):
    def __init__(self) -> None:
        self.events: list = []
        self.new = threading.Event()

    def on_any_event(self, event) -> None:
        if not event.is_directory:  # as MkDocs' own handler
            self.events.append(event)
            self.new.set()


def test_edits_new_and_renamed_files_are_reported_reads_are_not(tmp_path):
    folder = tmp_path / "refs"
    (folder / "resources").mkdir(parents=True)
    card = folder / "resources/card.md"
    card.write_text("A card.\n", encoding="utf-8")
    seen = _Seen()
    observer = reload_server._observer()
    observer.schedule(seen, str(folder), recursive=True)
    observer.start()
    try:
        for _ in range(3):  # what a build does to every library file
            assert card.read_text(encoding="utf-8") == "A card.\n"
        time.sleep(0.5)  # give a (wrong) report of the reads time to arrive
        assert seen.events == []
        for change in (
            lambda: card.write_text("A card, edited.\n", encoding="utf-8"),
            lambda: (folder / "resources/new.md").write_text("New.\n", encoding="utf-8"),
            lambda: card.rename(folder / "resources/renamed.md"),
        ):
            seen.new.clear()
            change()
            assert seen.new.wait(timeout=30), "no event for a change"
    finally:
        observer.stop()
        observer.join()
