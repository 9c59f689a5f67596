"""`refs mcp`: the library as an MCP server on stdin/stdout, for coding agents (read-only).

Six tools mirror the agent commands and return exactly what each prints with
`--json`, built by the same functions (views.py, search_related.py), so the two never
drift: `search`, `show`, `anchors`, `cite`, `related`, `check`. Cards and cited
passages are resources (`refs://card/<id>`, `refs://passage/<id>/<anchor>`) an agent
can attach to its context; listing resources names every card there is.

Warm calls are fast because the `Library` (its parsed manifest and curriculum) and
the search index stay open between calls. Before each call the server stats the
files the Library holds parsed and reloads it when one changed, and the index
re-reads only the files that changed (as `refs search` does); cards and full.md
files are read afresh on every call, except by `check`, which keeps each resource's
findings while the files they depend on keep their (mtime, size) (check_cache.py).
So an edit is seen by the next call.

A `RefsError` reaches the client with the CLI's message (file:line, what to do): from
a tool as a result flagged `isError` (the protocol's way to let the model read it and
try again), from a resource as a JSON-RPC error (-32602, not found). Nothing else
crosses the wire: on a crash the SDK answers with the tool's name only and logs the
traceback to stderr.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any, Literal, TypeVar

import anyio.to_thread
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.types import Resource as MCPResource
from mcp.types import ToolAnnotations
from pydantic import Field

from . import fsio
from .check_cache import KeptFindings
from .errors import RefsError, UsageError
from .library import CARDS_DIR, TOPICS_DIR, Library
from .output import json_ready
from .search_index import open_index
from .search_related import related as related_view
from .views import (
    anchors_view,
    check_view,
    cite_request,
    search_hits,
    search_view,
    show_view,
    target_view,
)

T = TypeVar("T")
Kind = Literal["card", "topic", "doc", "source"]
# Every tool only reads the library (the search index in .refs-cache/ is a cache).
READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)
RID = "resource id, as the manifest names it (e.g. zero-bubble-pp)"
INSTRUCTIONS = """\
A grounded reference library: every claim on a card (refs/resources/<id>.md) cites a
heading of a lossless markdown copy of its source (sources/<id>/full.md#<anchor>).
Find things with `search`; read a resource with `show`; read the passage behind a
claim or a target with `cite`; get the anchors a citation may use with `anchors`
(never invent one); see what links to a resource with `related`; after editing cards
or topic docs, run `check`. Every result has the shape of the matching
`refs <command> --json`. The server is read-only: change the library by editing its
files and running `refs` commands."""


class LibrarySession:
    """One `Library` and one search index connection, kept open between calls and
    checked for edits before each; one call at a time (the SDK runs each in a worker
    thread)."""

    def __init__(self, lib: Library):
        self.lib = lib
        self._lock = threading.Lock()
        self._seen = self._signature()
        self._conn: sqlite3.Connection | None = None
        self.kept = KeptFindings()  # `check` findings, reused while their files are unchanged

    def _signature(self) -> tuple:
        """(path, mtime, size) of every file the Library holds parsed: the manifest, the
        curriculum, and the topic docs (found by a listing; their titles name topics the
        curriculum lacks)."""
        topics = self.lib.root / TOPICS_DIR
        paths = [self.lib.manifest_path, self.lib.curriculum_path, topics]
        if topics.is_dir():
            paths += sorted(topics.glob("*.md"))
        out: list[tuple[str, int | None, int | None]] = []
        for path in paths:
            try:
                st = path.stat()
                out.append((path.name, st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((path.name, None, None))
        return tuple(out)

    def run(self, work: Callable[[Library], T]) -> T:
        """``work(library)`` on a library that holds what is on disk now."""
        with self._lock:
            seen = self._signature()
            if seen != self._seen:
                self.lib.reload()
                self._seen = seen
            try:
                return work(self.lib)
            except sqlite3.DatabaseError:
                # The cache file went bad under us (another process rebuilt it): it is
                # only a cache, so reopen it (open_index rebuilds a broken one) and retry.
                self.close()
                return work(self.lib)

    def index(self) -> sqlite3.Connection:
        """The search index, opened on first use (inside `run`; queries refresh it)."""
        if self._conn is None:
            self._conn = open_index(self.lib)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # ---------- the two ways an answer leaves ----------
    def tool(self, work: Callable[[Library], dict]) -> dict[str, Any]:
        try:
            return json_ready(self.run(work))
        except RefsError as exc:
            raise ToolError(str(exc)) from None

    def resource(self, work: Callable[[Library], str]) -> str:
        try:
            return self.run(work)
        except RefsError as exc:
            raise ResourceNotFoundError(str(exc)) from None


def card_text(lib: Library, rid: str) -> str:
    """A card's markdown, as written."""
    lib.resource(rid)
    if not lib.has_card(rid):
        raise RefsError(
            f"`{rid}` has no card yet; `refs show {rid}` says what to run next",
            f"{CARDS_DIR}/{rid}.md",
        )
    return fsio.read_text(lib.card_path(rid))


def passage_text(lib: Library, rid: str, anchor: str) -> str:
    """The text of the section `sources/<id>/full.md#<anchor>` names (its own text, up
    to the next heading), as `refs cite` finds it."""
    lib.resource(rid)
    view = target_view(lib, f"sources/{rid}/full.md#{anchor}")
    if not view["resolves"] or not view["passage"]:
        raise RefsError(f"{view['target']}: {view['problem'] or 'no passage there'}")
    return view["passage"]["text"]


class LibraryServer(MCPServer):
    """The SDK's server, whose resource list is the cards on disk at the time asked
    (a card written after start-up is listed too)."""

    def __init__(self, session: LibrarySession, **options: Any):
        super().__init__(**options)
        self.session = session

    async def list_resources(self) -> list[MCPResource]:
        def cards(lib: Library) -> list[MCPResource]:
            return [
                MCPResource(
                    uri=f"refs://card/{r.id}",
                    name=f"card {r.id}",
                    title=r.title,
                    description=f"The card of `{r.id}` ({r.status}): its claims and evidence",
                    mime_type="text/markdown",
                )
                for r in lib.resources
                if lib.has_card(r.id)
            ]

        listed = await anyio.to_thread.run_sync(self.session.run, cards)
        return [*await super().list_resources(), *listed]


def build_server(session: LibrarySession) -> LibraryServer:
    try:
        package_version = version("dit-refs")
    except PackageNotFoundError:  # run from a checkout without installing it
        package_version = ""
    server = LibraryServer(
        session,
        name="refs",
        title="Grounded reference library",
        instructions=INSTRUCTIONS,
        version=package_version,
        log_level="WARNING",  # stderr stays quiet unless something crashed
    )
    tool = server.tool

    @tool(
        annotations=READ_ONLY,
        description="Use this first to find where the library discusses something: ranked "
        "sections of cards, topic docs, guides, the curriculum and converted sources, each "
        "with the `target` a card can cite (as `refs search --json`).",
    )
    def search(
        query: Annotated[
            str, Field(description='words to find; "quote a phrase" to keep it together')
        ],
        kind: Annotated[
            Kind | list[Kind] | None, Field(description="only this kind of file (or kinds)")
        ] = None,
        id: Annotated[str | None, Field(description="only files of this resource")] = None,
        limit: Annotated[int, Field(ge=1, description="how many hits")] = 10,
    ) -> dict[str, Any]:
        kinds: list[str] | None = None
        if kind is not None:
            kinds = [kind] if isinstance(kind, str) else [*kind]
        return session.tool(
            lambda lib: search_view(
                query,
                search_hits(lib, query, limit=limit, kinds=kinds, rid=id, conn=session.index()),
            )
        )

    @tool(
        annotations=READ_ONLY,
        description="Use this to read one resource: its manifest facts and its parsed card "
        "(claims with evidence, actionables), or, when it has no card, the command that "
        "moves it forward (as `refs show <id> --json`).",
    )
    def show(id: Annotated[str, Field(description=RID)]) -> dict[str, Any]:
        return session.tool(lambda lib: show_view(lib, id))

    @tool(
        annotations=READ_ONLY,
        description="Use this before writing or fixing a citation: the headings of a "
        "resource's full.md with the exact anchors a card may cite (as "
        "`refs show <id> --anchors --json`).",
    )
    def anchors(id: Annotated[str, Field(description=RID)]) -> dict[str, Any]:
        return session.tool(lambda lib: anchors_view(lib, id))

    @tool(
        annotations=READ_ONLY,
        description="Use this to read the exact source passage behind a card's claims (give "
        "`id`, and `claim` for one) or behind one `target` such as "
        "sources/<id>/full.md#<anchor>, with the cards that cite it (as `refs cite --json`).",
    )
    def cite(
        id: Annotated[str | None, Field(description=RID + "; its card's claims")] = None,
        claim: Annotated[int | None, Field(description="only this claim number")] = None,
        target: Annotated[
            str | None,
            Field(description="instead of id: sources/<id>/full.md#<anchor> or <id>#<anchor>"),
        ] = None,
        subsections: Annotated[
            bool, Field(description="the whole subtree under the heading")
        ] = False,
    ) -> dict[str, Any]:
        def work(lib: Library) -> dict:
            if (id is None) == (target is None):
                raise UsageError("give either `id` (and optionally `claim`) or `target`")
            if target is not None:
                if claim is not None:
                    raise UsageError("`claim` goes with `id`; a target names its passage")
                return target_view(lib, target, subsections)
            assert id is not None  # exactly one of the two was given
            return cite_request(lib, id, claim, subsections)

        return session.tool(work)

    @tool(
        annotations=READ_ONLY,
        description="Use this to see how a resource connects to the rest of the library: "
        "what cites it, what it cites, its topics and the nearest sections elsewhere (as "
        "`refs search --related <id> --json`).",
    )
    def related(
        id: Annotated[str, Field(description=RID)],
        limit: Annotated[int, Field(ge=1, description="how many nearest sections")] = 10,
    ) -> dict[str, Any]:
        return session.tool(lambda lib: related_view(lib, id, limit=limit, conn=session.index()))

    @tool(
        annotations=READ_ONLY,
        description="Use this after editing cards or topic docs: every rule the library (or "
        "one resource) breaks, each finding with its rule, file:line and what to do (as "
        "`refs check [<id>] --json`).",
    )
    def check(
        id: Annotated[
            str | None, Field(description="only the rules that concern this resource")
        ] = None,
        errors_only: Annotated[bool, Field(description="leave out warnings")] = False,
    ) -> dict[str, Any]:
        return session.tool(
            lambda lib: check_view(lib, id, errors_only=errors_only, kept=session.kept)
        )

    @server.resource(
        "refs://card/{id}",
        name="card",
        title="A resource's card",
        description="The card refs/resources/<id>.md as written: claims, each citing a "
        "heading of sources/<id>/full.md.",
        mime_type="text/markdown",
    )
    def card(id: str) -> str:
        return session.resource(lambda lib: card_text(lib, id))

    @server.resource(
        "refs://passage/{id}/{anchor}",
        name="passage",
        title="A cited passage",
        description="The section of sources/<id>/full.md that #<anchor> names, its own text "
        "up to the next heading (what a citation points at).",
        mime_type="text/markdown",
    )
    def passage(id: str, anchor: str) -> str:
        return session.resource(lambda lib: passage_text(lib, id, anchor))

    return server


def serve(lib: Library) -> None:
    """Answer MCP requests on stdin/stdout until the client closes them."""
    session = LibrarySession(lib)
    try:
        build_server(session).run("stdio")
    finally:
        session.close()
